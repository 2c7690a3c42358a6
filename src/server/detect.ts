/**
 * What the Data page previews before a file is ingested: its header, first rows, and the plan ingest
 * would follow (layout, date column and format, roles, series) for a kind and a mapping. Same
 * detection code as `ingestFile`, so the preview and the ingest agree; detection errors carry the
 * same file/row/column problems.
 */
import { makePlan, openSource, sniff, type IngestOptions } from '../data/index.ts';

export interface Detection {
  header: string[];
  rows: string[][];
  more: boolean;
  plan: { layout: string; dateFormat: string | null; dateAmbiguous: boolean; roles: Record<string, string>; series: { source: string; channel: string | null; metric: string }[]; categorical: string[]; ignored: string[]; metricKinds: Record<string, string>; notes: unknown[] };
  /** Per column: the role or series it maps to ('ignore' when ignored). */
  columns: { name: string; role: string }[];
}

export async function detect(file: string, opts: IngestOptions): Promise<Detection> {
  const src = await openSource(file, { sheet: opts.sheet });
  try {
    const sample = await sniff(src, 200);
    const plan = makePlan(src.name, sample, opts);
    const roleOf = new Map<string, string>();
    for (const [role, col] of Object.entries(plan.roles)) if (col) roleOf.set(col, role);
    for (const s of plan.series) roleOf.set(s.source, s.channel ? `${s.channel}_${s.metric}` : s.metric);
    for (const c of plan.categorical) roleOf.set(c, c);
    for (const c of plan.ignored) roleOf.set(c, 'ignore');
    for (const c of plan.segments ?? []) roleOf.set(c, 'segment');
    return {
      header: sample.header, rows: sample.rows.slice(0, 20), more: sample.more || sample.rows.length > 20,
      plan: { layout: plan.layout, dateFormat: plan.dateFormat ?? null, dateAmbiguous: plan.dateAmbiguous, roles: plan.roles as Record<string, string>, series: plan.series, categorical: plan.categorical, ignored: plan.ignored, metricKinds: plan.metricKinds, notes: plan.notes },
      columns: sample.header.map((name) => ({ name, role: roleOf.get(name) ?? 'ignore' })),
    };
  } finally {
    src.cleanup();
  }
}
