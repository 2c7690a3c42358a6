/**
 * The preview of a harmonized table before it is written: harmonize runs as it would for real, inside
 * a transaction that is always rolled back (`Workspace.rolledBack`), so the preview is exactly the
 * table a save would store — same columns, values, report and refusals — and nothing is stored.
 */
import type { Workspace } from '../workspace.ts';
import { getDataset } from '../catalog.ts';
import { harmonize, type HarmonizeOptions, type Grain } from './harmonize.ts';
import { getHarmonized, wideRows } from './load.ts';
import { datasetColumns } from './sources.ts';
import type { Report } from './report.ts';

export interface HarmonizePreview {
  /** The name the table would be saved under. */
  id: string;
  grain: Grain;
  from: string;
  to: string;
  /** Rows of the whole table (periods × geos), and geos (0: national). */
  rows: number;
  geos: number;
  /** Every column of the wide table in order, with its role and the datasets its values come from (`date`, `geo`: keys). */
  columns: { name: string; role: string; datasets: string[] }[];
  /** The first rows of the wide table (`date`, `geo` for geo tables, then one key per column; null = missing). */
  sample: Record<string, string | number | null>[];
  report: Report;
  notes: string[];
}

export const PREVIEW_ROWS = 10;

export async function previewHarmonize(ws: Workspace, opts: HarmonizeOptions, limit = PREVIEW_ROWS): Promise<HarmonizePreview> {
  return ws.rolledBack(async () => {
    const result = await harmonize(ws, opts);
    const sample = await wideRows(ws, result.id, limit);
    const origin = new Map<string, string[]>();
    const chosen = new Map((opts.datasets ?? []).map((c) => (typeof c === 'string' ? [c, undefined] : [c.id, c.columns])));
    for (const id of (await getHarmonized(ws, result.id)).datasets) {
      const only = chosen.get(id);
      for (const c of await datasetColumns(ws, await getDataset(ws, id))) {
        if (only && !only.includes(c.name)) continue;
        origin.set(c.name, [...(origin.get(c.name) ?? []), id]);
      }
    }
    const keys = [{ name: 'date', role: 'date', datasets: [] }, ...(result.geos ? [{ name: 'geo', role: 'geo', datasets: [] }] : [])];
    const columns = [...keys, ...result.report.columns.map((c) => ({ name: c.column, role: c.role, datasets: origin.get(c.column) ?? [] }))];
    return { id: result.id, grain: result.grain, from: result.from, to: result.to, rows: result.rows, geos: result.geos, columns, sample, report: result.report, notes: result.notes };
  });
}
