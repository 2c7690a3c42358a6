/**
 * Row checks as SQL over a normalized view with a `rid` column (the stage's rowid): each check is a
 * condition; the first offending rows come back as problems with the file's line number, the source
 * column and the value. One aggregate query counts every check, so clean data costs one scan.
 */
import type { Problem } from '../../errors.ts';
import type { Workspace } from '../workspace.ts';
import { linesOf } from '../readers/sniff.ts';
import type { Source } from '../readers/source.ts';

export interface Check {
  /** SQL condition over the view's columns that marks a bad row. */
  when: string;
  /** SQL for the source column name shown in the message (a literal or a column). */
  column: string;
  /** SQL for the offending value shown in the message. */
  value: string;
  message: string;
  severity: 'error' | 'warning';
}

export interface Hit { rid: number; column: string | null; value: string | null; count: number }

/**
 * Runs the checks over `view`; returns problems (with at most `examples` rows each) located in the file.
 * `countFrom` (default `view`) is where offending rows are counted, e.g. a cheaper table the conditions also hold on.
 */
export async function runChecks(ws: Workspace, src: Source, view: string, checks: Check[], examples = 3, countFrom = view): Promise<Problem[]> {
  if (!checks.length) return [];
  const counts = await ws.all<Record<string, number>>(
    `SELECT ${checks.map((c, i) => `count(*) FILTER (WHERE ${c.when}) AS c${i}`).join(', ')} FROM ${countFrom}`,
  );
  const found: { check: Check; hits: Hit[]; count: number }[] = [];
  for (let i = 0; i < checks.length; i++) {
    const count = Number(counts[0][`c${i}`]);
    if (!count) continue;
    const c = checks[i];
    const hits = await ws.all<Hit>(
      `SELECT rid, CAST(${c.column} AS VARCHAR) AS column, CAST(${c.value} AS VARCHAR) AS value FROM ${view} WHERE ${c.when} ORDER BY rid LIMIT ${examples}`,
    );
    found.push({ check: c, hits, count });
  }
  return locate(src, found);
}

/** Turns rids into file line numbers and builds the problems. */
export async function locate(src: Source, found: { check: Pick<Check, 'message' | 'severity'>; hits: Hit[]; count: number }[]): Promise<Problem[]> {
  const lines = await linesOf(src, found.flatMap((f) => f.hits.map((h) => Number(h.rid))));
  const problems: Problem[] = [];
  for (const f of found) {
    f.hits.forEach((h, k) => {
      const more = k === 0 && f.count > f.hits.length ? ` (${f.count} rows in all)` : '';
      problems.push({
        file: src.name, row: lines.get(Number(h.rid)), column: h.column ?? undefined, value: h.value ?? undefined,
        message: f.check.message + more, severity: f.check.severity,
      });
    });
  }
  return problems;
}
