/**
 * `ingestFile(ws, file, options)`: reads a file, detects its shape, validates every row and stores it,
 * all in one transaction: a file that fails anywhere (even on its last row) leaves the workspace as it was.
 */
import { basename } from 'node:path';
import { MarginalError, badInput, conflict, formatProblem, onField, type Problem } from '../../errors.ts';
import type { Workspace } from '../workspace.ts';
import { defaultMetricKind } from '../schema.ts';
import { checksum, openSource } from '../readers/source.ts';
import { sniff } from '../readers/sniff.ts';
import { loadStage, readCsvSql, readingFile, type ColumnType } from '../validate/stage.ts';
import { locate, runChecks } from '../validate/checks.ts';
import { makePlan, type Plan } from './plan.ts';
import { normalize } from './normalize.ts';
import { OBSERVATION_TEMPS, hasDuplicateKeys, stageObservations } from './observations.ts';
import type { NumberFormat } from '../detect/numbers.ts';
import type { IngestOptions } from './options.ts';
import type { Source } from '../readers/source.ts';
import type { Sample } from '../readers/sniff.ts';

export interface IngestResult {
  id: string;
  kind: string;
  layout: string;
  source: string;
  checksum: string;
  /** Data rows read from the file. */
  rows: number;
  /** Rows stored in the workspace (long form: one per value). */
  stored: number;
  dateFormat: string | null;
  mapping: Record<string, unknown>;
  metricKinds: Record<string, string>;
  /** Warnings (errors throw). */
  problems: Problem[];
}

export const ID_PATTERN = /^[A-Za-z0-9][A-Za-z0-9_.-]{0,63}$/;

/** A dataset id from a file name: `dt_simulated_weekly.csv` → `dt_simulated_weekly`. */
export function slugOf(file: string): string {
  const s = basename(file).replace(/\.[^.]+$/, '').toLowerCase().replace(/[^a-z0-9_.-]+/g, '-').replace(/^[-.]+|-+$/g, '');
  return (s || 'dataset').slice(0, 60);
}

export async function ingestFile(ws: Workspace, file: string, opts: IngestOptions): Promise<IngestResult> {
  const id = opts.name ?? slugOf(file);
  if (!ID_PATTERN.test(id)) throw onField('name', badInput(`the dataset name must be 1–64 letters, digits, '_', '-' or '.', starting with a letter or digit; got '${id}'`));
  return (await ingestSplit(ws, file, opts.sheet, () => [{ ...opts, name: id }]))[0];
}

/**
 * One file stored as one or more datasets: `split` plans them from the file's sample (each with its
 * name), and they are stored in one transaction, so either every one is stored or none is.
 */
export async function ingestSplit(ws: Workspace, file: string, sheet: string | undefined, split: (name: string, sample: Sample) => IngestOptions[]): Promise<IngestResult[]> {
  const src = await openSource(file, { sheet });
  try {
    const sample = await sniff(src);
    const parts = split(src.name, sample);
    const plans = parts.map((opts) => makePlan(src.name, sample, opts));
    // The checksum streams on the JS thread while DuckDB reads the file on its own threads.
    const summing = checksum(file);
    summing.catch(() => {});
    return await ws.transaction(async () => {
      const out: IngestResult[] = [];
      for (const [i, opts] of parts.entries()) {
        const id = opts.name!, plan = plans[i];
        await claimId(ws, id, !!opts.replace);
        const result = await storeRows(ws, src, sample.header, plan, id, opts);
        const sum = await summing;
        await ws.run(`INSERT INTO datasets VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, now())`, [
          id, opts.kind, src.name, file, src.format, sum, result.rows, result.stored, plan.currency ?? null, plan.layout,
          plan.dateFormat ?? null, JSON.stringify(result.mapping), JSON.stringify(plan.metricKinds), JSON.stringify(result.problems),
        ]);
        out.push({ id, kind: opts.kind, layout: plan.layout, source: src.name, checksum: sum, dateFormat: plan.dateFormat ?? null, metricKinds: plan.metricKinds, ...result });
        await dropTemps(ws);
      }
      return out;
    });
  } finally {
    await dropTemps(ws);
    src.cleanup();
  }
}

async function dropTemps(ws: Workspace): Promise<void> {
  for (const t of ['TABLE norm', ...OBSERVATION_TEMPS, 'TABLE stage']) {
    const [type, name] = t.split(' ');
    await ws.run(`DROP ${type} IF EXISTS ${name}`).catch(() => {});
  }
}

async function claimId(ws: Workspace, id: string, replace: boolean): Promise<void> {
  const inHarmonized = await ws.value<number>('SELECT count(*) FROM harmonized WHERE id = ?', [id]);
  if (inHarmonized) throw onField('name', conflict(`the name '${id}' is taken by a harmonized table; choose another name for the dataset`));
  const exists = await ws.value<number>('SELECT count(*) FROM datasets WHERE id = ?', [id]);
  if (!exists) return;
  if (!replace) throw onField('name', conflict(`dataset '${id}' already exists; choose another name, or replace it`));
  await dropDatasetRows(ws, id);
}

/** Deletes a dataset's rows and catalog entry (inside the caller's transaction). */
export async function dropDatasetRows(ws: Workspace, id: string): Promise<void> {
  await ws.run('DELETE FROM obs_values WHERE ds IN (SELECT id FROM obs_names WHERE name = ?)', [id]);
  for (const t of ['touchpoint_events', 'touchpoint_segments', 'touchpoint_paths', 'experiments']) await ws.run(`DELETE FROM ${t} WHERE dataset = ?`, [id]);
  await ws.run('DELETE FROM datasets WHERE id = ?', [id]);
}

async function storeRows(ws: Workspace, src: Source, header: string[], plan: Plan, id: string, opts: IngestOptions) {
  const fmt = plan.numberFormat;
  const types = { ...plan.types };
  if (fmt !== 'plain') for (const [k, t] of Object.entries(types)) if (t === 'number') types[k] = 'text';
  const today = opts.today ?? new Date().toISOString().slice(0, 10);
  if (plan.layout === 'wide' || plan.layout === 'long') return storeObservations(ws, src, header, types, plan, id, opts, fmt, today);
  const { rows, problems } = await loadStage(ws, src, header, { types, dateFormat: plan.dateFormat });
  const n = normalize(plan, fmt, today);
  // Temporary tables number their rows from a large offset: make `rid` the 0-based record index.
  await ws.run(`CREATE OR REPLACE TEMP TABLE norm AS ${n.view.replaceAll('rowid AS rid', '(rowid - (SELECT min(rowid) FROM stage)) AS rid')}`);
  problems.push(...plan.notes, ...(await runChecks(ws, src, 'norm', n.checks)));
  await ws.run('DROP TABLE IF EXISTS stage');
  const errors = problems.filter((p) => p.severity !== 'warning');
  if (errors.length) {
    throw new MarginalError('BAD_FILE', formatProblem(errors[0]) + (errors.length > 1 ? ` (and ${errors.length - 1} more problems)` : ''), problems);
  }
  const before = await ws.value<number>(`SELECT count(*) FROM ${table(plan)} WHERE dataset = ?`, [id]) ?? 0;
  await ws.run(n.insert(id));
  const stored = ((await ws.value<number>(`SELECT count(*) FROM ${table(plan)} WHERE dataset = ?`, [id])) ?? 0) - before;
  const mapping = { layout: plan.layout, roles: plan.roles, ...(plan.segments?.length ? { segments: plan.segments } : {}), series: plan.series, categorical: plan.categorical, ignored: plan.ignored, numberFormat: fmt };
  return { rows, stored, mapping, problems };
}

/**
 * summary, conversions and factors (see observations.ts). Clean files, the common case, take the direct
 * path: the coded rows go from the stage into obs_values in one INSERT … SELECT and are checked there
 * with set-based SQL (values, future dates, duplicate keys, date gaps). When anything is found (or
 * names are invalid), the rows are materialized with their row numbers in `normc` and every check runs
 * there to say where; errors roll the whole transaction back.
 */
async function storeObservations(ws: Workspace, src: Source, header: string[], types: Record<string, ColumnType>, plan: Plan, id: string, opts: IngestOptions,
  fmt: NumberFormat, today: string) {
  const mapping = { layout: plan.layout, roles: plan.roles, ...(plan.segments?.length ? { segments: plan.segments } : {}), series: plan.series, categorical: plan.categorical, ignored: plan.ignored, numberFormat: fmt };
  const spec = { types, dateFormat: plan.dateFormat, totalRows: plan.totalRows };
  let inserted = false;
  if (fmt === 'plain' && !plan.categorical.length) {
    // Direct: names from one pass over the file, then one INSERT … SELECT straight from the file, checked where it landed.
    const csv = readCsvSql(src, header, spec);
    await ws.run('DROP TABLE IF EXISTS stage_rejects; DROP TABLE IF EXISTS stage_scans');
    const direct = await readingFile(src, () => stageObservations(ws, plan, fmt, today, id, csv));
    if (direct.direct) {
      await readingFile(src, () => ws.run(`INSERT INTO obs_values SELECT ${direct.dsCode}, date, geo, channel, subchannel, metric, value FROM (${direct.rowsSql})`));
      inserted = true;
      const rejected = Number(await ws.value<number>('SELECT count(*) FROM stage_rejects'));
      const mine = `(SELECT * FROM obs_values WHERE ds = ${direct.dsCode})`;
      const stored = Number(await ws.value<number>(`SELECT count(*) FROM ${mine}`));
      if (!rejected && stored > 0) {
        const flagged = `${direct.valueChecks.map((c) => `(${c.when})`).join(' OR ')}`;
        if (!(await hasDuplicateKeys(ws, direct.seriesBound, mine, flagged)) && !(await gapHoles(ws, mine)).holes.length) {
          for (const metric of direct.metrics) plan.metricKinds[metric] ??= opts.metricKinds?.[metric] ?? defaultMetricKind(metric, plan.kind);
          return { rows: stored / direct.rows, stored, mapping, problems: [...plan.notes] };
        }
      }
    }
  }
  // With row numbers: stage the file, materialize normc, run every check there to say where.
  const { rows, problems } = await loadStage(ws, src, header, spec);
  const staged = await stageObservations(ws, plan, fmt, today, id);
  for (const metric of staged.metrics) plan.metricKinds[metric] ??= opts.metricKinds?.[metric] ?? defaultMetricKind(metric, plan.kind);
  await staged.buildNorm();
  await ws.run('DROP TABLE IF EXISTS stage');
  problems.push(...plan.notes, ...(await runChecks(ws, src, 'norm', staged.checks, 3, 'normc')));
  if (await hasDuplicateKeys(ws, staged.seriesBound)) problems.push(...(await duplicates(ws, src, true)));
  problems.push(...(await gaps(ws, src, 'normc')));
  const errors = problems.filter((p) => p.severity !== 'warning');
  if (errors.length) {
    throw new MarginalError('BAD_FILE', formatProblem(errors[0]) + (errors.length > 1 ? ` (and ${errors.length - 1} more problems)` : ''), problems);
  }
  if (!inserted) await ws.run(`INSERT INTO obs_values SELECT ${staged.dsCode}, date, geo, channel, subchannel, metric, value FROM normc`);
  return { rows, stored: Number(await ws.value<number>('SELECT count(*) FROM normc')), mapping, problems };
}

function table(plan: Plan): string {
  return { paths: 'touchpoint_paths', events: 'touchpoint_events', table: 'experiments' }[plan.layout as string] ?? 'observations';
}

async function duplicates(ws: Workspace, src: Source, coded = false): Promise<Problem[]> {
  if (!coded) {
    const keys = await ws.value<number>('SELECT count(*) FROM (SELECT DISTINCT date, geo, channel, subchannel, metric FROM norm)');
    if (keys === (await ws.value<number>('SELECT count(*) FROM norm'))) return [];
  }
  // With codes (the view norm over normc), names come along as geo_name, channel_name, metric_name.
  const names = coded ? 'any_value(geo_name) AS geo, any_value(channel_name) AS channel, any_value(metric_name) AS metric' : 'geo, channel, metric';
  const groups = await ws.all<{ a: number; b: number; date: Date; geo: string | null; channel: string | null; metric: string; n: number; total: number }>(
    `SELECT min(rid) AS a, max(rid) AS b, date, ${names}, count(*) AS n, count(*) OVER () AS total FROM norm
     GROUP BY date, geo, channel, subchannel, metric HAVING count(*) > 1 ORDER BY a LIMIT 3`,
  );
  if (!groups.length) return [];
  const found = groups.map((g, i) => ({
    check: { severity: 'error' as const, message: `duplicate row: (date ${iso(g.date)}, geo ${g.geo ?? 'national'}${g.channel ? `, channel ${g.channel}` : ''}, ${g.metric}) appears ${g.n} times${i === 0 && g.total > 1 ? ` (${g.total} duplicated keys in all)` : ''}` },
    hits: [{ rid: g.b, column: null, value: null, count: 1 }],
    count: 1,
  }));
  return locate(src, found);
}

/** Date gaps: distinct dates whose step from the previous one exceeds the data's typical step (the median). */
async function gapHoles(ws: Workspace, from: string): Promise<{ holes: { date: Date; diff: number }[]; step: number; limit: number }> {
  const rows = await ws.all<{ date: Date; diff: number }>(
    `WITH d AS (SELECT DISTINCT date FROM ${from} WHERE date IS NOT NULL) SELECT date, date_diff('day', lag(date) OVER (ORDER BY date), date) AS diff FROM d ORDER BY date`,
  );
  const diffs = rows.map((r) => r.diff).filter((d) => d !== null && d !== undefined).sort((a, b) => a - b);
  if (diffs.length < 2) return { holes: [], step: 0, limit: 0 };
  const step = diffs[Math.floor(diffs.length / 2)];
  // Calendar months and years differ in length: a 31-day step in monthly data (366 in annual) is no gap.
  const limit = step >= 28 && step <= 31 ? 31 : step >= 365 && step <= 366 ? 366 : step;
  return { holes: rows.filter((r) => r.diff > limit), step, limit };
}

async function gaps(ws: Workspace, src: Source, from = 'norm'): Promise<Problem[]> {
  const { holes, step, limit } = await gapHoles(ws, from);
  if (!holes.length) return [];
  const grain = step === 1 ? 'daily' : step === 7 ? 'weekly' : limit === 31 ? 'monthly' : limit === 366 ? 'annual' : `every ${step} days`;
  const first = holes[0];
  const rid = await ws.value<number>(`SELECT min(rid) FROM ${from} WHERE date = ?`, [iso(first.date)]);
  const prev = new Date(first.date.getTime() - first.diff * 86400000);
  return locate(src, [{
    check: { severity: 'warning', message: `date gap: no rows between ${iso(prev)} and ${iso(first.date)} in ${grain} data${holes.length > 1 ? ` (${holes.length} gaps in all)` : ''}` },
    hits: [{ rid: Number(rid), column: null, value: iso(first.date), count: 1 }],
    count: 1,
  }]);
}

function iso(d: Date | string): string {
  return typeof d === 'string' ? d : d.toISOString().slice(0, 10);
}


