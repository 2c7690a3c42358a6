/** The workspace catalog: list, describe, preview and drop datasets and harmonized tables. */
import { notFound } from '../errors.ts';
import type { Workspace } from './workspace.ts';
import { dropDatasetRows } from './ingest/ingest.ts';
import { archiveCurrent } from './harmonize/versions.ts';

export interface DatasetInfo {
  id: string; kind: string; source: string; format: string; checksum: string; rows: number; stored: number;
  currency: string | null; layout: string; dateFormat: string | null; mapping: unknown; metricKinds: Record<string, string>;
  warnings: unknown[]; createdAt: string;
}

export async function listDatasets(ws: Workspace): Promise<DatasetInfo[]> {
  const rows = await ws.all<Record<string, string | number | null>>(
    `SELECT id, kind, source_name, format, checksum, row_count, stored_rows, currency, layout, date_format, mapping, metric_kinds, warnings,
      strftime(created_at, '%Y-%m-%dT%H:%M:%S') AS created_at FROM datasets ORDER BY created_at, id`,
  );
  return rows.map((r) => ({
    id: String(r.id), kind: String(r.kind), source: String(r.source_name), format: String(r.format), checksum: String(r.checksum),
    rows: Number(r.row_count), stored: Number(r.stored_rows), currency: r.currency === null ? null : String(r.currency), layout: String(r.layout),
    dateFormat: r.date_format === null ? null : String(r.date_format), mapping: JSON.parse(String(r.mapping)),
    metricKinds: JSON.parse(String(r.metric_kinds)), warnings: JSON.parse(String(r.warnings ?? '[]')), createdAt: String(r.created_at),
  }));
}

export async function getDataset(ws: Workspace, id: string): Promise<DatasetInfo> {
  const all = await listDatasets(ws);
  const d = all.find((x) => x.id === id);
  if (!d) throw notFound('dataset', id, all.map((x) => x.id));
  return d;
}

const TABLE: Record<string, string> = { summary: 'observations', conversions: 'observations', factors: 'observations', experiments: 'experiments' };

/** The table holding a dataset's rows. */
export function rowsTable(info: DatasetInfo): string {
  if (info.kind === 'touchpoints') return info.layout === 'paths' ? 'touchpoint_paths' : 'touchpoint_events';
  return TABLE[info.kind];
}

/** The first `limit` stored rows of a dataset (dates as ISO text). */
export async function previewDataset(ws: Workspace, id: string, limit = 20): Promise<Record<string, unknown>[]> {
  const info = await getDataset(ws, id);
  const t = rowsTable(info);
  const cols = await ws.all<{ column_name: string; data_type: string }>(`SELECT column_name, data_type FROM information_schema.columns WHERE table_name = ? AND table_schema = 'main' ORDER BY ordinal_position`, [t]);
  const select = cols.filter((c) => c.column_name !== 'dataset')
    .map((c) => (/DATE|TIMESTAMP/.test(c.data_type) ? `CAST("${c.column_name}" AS VARCHAR) AS "${c.column_name}"` : `"${c.column_name}"`)).join(', ');
  return ws.all(`SELECT ${select} FROM ${t} WHERE dataset = ? LIMIT ${Math.max(0, Math.floor(limit))}`, [id]);
}

/**
 * Removes a dataset (or, when no dataset has that id, a harmonized table) in one transaction; returns
 * what was dropped. A dropped table's version stays readable by the models fitted on it (versions.ts).
 */
export async function dropEntry(ws: Workspace, id: string): Promise<'dataset' | 'harmonized'> {
  return ws.transaction(async () => {
    if (await ws.value<number>('SELECT count(*) FROM datasets WHERE id = ?', [id])) {
      await dropDatasetRows(ws, id);
      return 'dataset' as const;
    }
    if (await ws.value<number>('SELECT count(*) FROM harmonized WHERE id = ?', [id])) {
      // Its current version goes to the history; its cells stay while a model was fitted on it.
      await archiveCurrent(ws, id, 'dropped');
      return 'harmonized' as const;
    }
    const known = [...(await ws.all<{ id: string }>('SELECT id FROM datasets UNION ALL SELECT id FROM harmonized ORDER BY 1')).map((r) => r.id)];
    throw notFound('dataset or harmonized table', id, known);
  });
}
