/**
 * `ingestByRole(ws, file, options)`: one wide file whose columns each have a role (byRole.ts), stored
 * as up to three datasets — media, outcome, factors — in one transaction: all or nothing.
 */
import type { Workspace } from '../workspace.ts';
import { ingestSplit, slugOf, type IngestResult } from './ingest.ts';
import { planRoles, type RoleColumn, type RoleIngestOptions } from './byRole.ts';

export interface RoleIngestResult { datasets: IngestResult[]; columns: RoleColumn[] }

export async function ingestByRole(ws: Workspace, file: string, opts: RoleIngestOptions): Promise<RoleIngestResult> {
  let columns: RoleColumn[] = [];
  const datasets = await ingestSplit(ws, file, opts.sheet, (name, sample) => {
    const plan = planRoles(name, sample.header, sample, opts, opts.name ?? slugOf(file));
    columns = plan.columns;
    return plan.parts.map((p) => p.options);
  });
  return { datasets, columns };
}
