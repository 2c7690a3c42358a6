/** How fresh each dataset is: its first and last date (observations, touchpoint events, lift tests). */
import type { Workspace } from './workspace.ts';

export interface DatasetDates { id: string; from: string | null; to: string | null }

/** First and last date per dataset (null for one without dates, e.g. aggregated touchpoint paths). */
export async function datasetDates(ws: Workspace): Promise<Map<string, DatasetDates>> {
  const rows = await ws.all<{ id: string; f: string | null; t: string | null }>(`
    SELECT n.name AS id, CAST(min(o.date) AS VARCHAR) AS f, CAST(max(o.date) AS VARCHAR) AS t FROM obs_values o JOIN obs_names n ON n.id = o.ds GROUP BY n.name
    UNION ALL SELECT dataset, CAST(CAST(min(ts) AS DATE) AS VARCHAR), CAST(CAST(max(ts) AS DATE) AS VARCHAR) FROM touchpoint_events GROUP BY dataset
    UNION ALL SELECT dataset, CAST(min(start_date) AS VARCHAR), CAST(max(end_date) AS VARCHAR) FROM experiments GROUP BY dataset`);
  return new Map(rows.map((r) => [r.id, { id: r.id, from: r.f, to: r.t }]));
}
