/**
 * What the Data page previews before a wide file is ingested by role: its header and first rows, each
 * column's role (proposed, or as the user set it) and the name it is stored under, and the datasets
 * the file becomes. Same planning code as `ingestByRole` (and each dataset's plan as `ingestFile`
 * makes it), so the preview and the ingest agree and a column ingest would refuse is refused here,
 * named in the error's problems.
 */
import { makePlan, openSource, planRoles, sniff, type RoleColumn, type RoleIngestOptions } from '../data/index.ts';
import type { Problem } from '../errors.ts';

export interface RoleDetection {
  header: string[];
  rows: string[][];
  more: boolean;
  dateFormat: string | null;
  dateAmbiguous: boolean;
  columns: RoleColumn[];
  /** The datasets the file becomes: `<name><suffix>` of `kind`, with the columns it takes. */
  datasets: { suffix: string; kind: string; role: string; columns: string[] }[];
  notes: Problem[];
}

export async function detectRoles(file: string, opts: RoleIngestOptions): Promise<RoleDetection> {
  const src = await openSource(file, { sheet: opts.sheet });
  try {
    const sample = await sniff(src, 200);
    // The dataset name is checked when ingesting; the preview only needs the parts.
    const plan = planRoles(src.name, sample.header, sample, opts, 'dataset');
    const plans = plan.parts.map((p) => makePlan(src.name, sample, p.options));
    return {
      header: sample.header, rows: sample.rows.slice(0, 20), more: sample.more || sample.rows.length > 20,
      dateFormat: plans[0]?.dateFormat ?? null, dateAmbiguous: plans.some((p) => p.dateAmbiguous),
      columns: plan.columns,
      datasets: plan.parts.map((p) => ({ suffix: p.suffix, kind: p.kind, role: p.role, columns: p.columns })),
      // Each dataset's plan repeats the notes about the shared date column: keep one of each.
      notes: [...new Map(plans.flatMap((p) => p.notes).map((n) => [`${n.column ?? ''}\u0000${n.message}`, n])).values()],
    };
  } finally {
    src.cleanup();
  }
}
