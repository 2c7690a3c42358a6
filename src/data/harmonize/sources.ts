/**
 * What a dataset brings to a harmonized table before anything is joined: the columns it would add
 * (named as harmonize names them, with their role) and whether it is by geo. The web's harmonize
 * form lists these so a user can untick columns, and harmonize checks a chosen column against them.
 */
import type { Workspace } from '../workspace.ts';
import type { DatasetInfo } from '../catalog.ts';

/** The role of a dataset kind's columns in the harmonized table. */
export const ROLE_OF_KIND: Record<string, string> = { summary: 'media', conversions: 'outcome', factors: 'factor', touchpoints: 'media' };

/** SQL naming a harmonized column from a channel name (or NULL) and a metric name: `tv` + `spend` → `tv_spend`, NULL + `revenue` → `revenue`. */
export const columnNameSql = (channel: string, metric: string) =>
  `CASE WHEN ${channel} IS NULL THEN ${metric} ELSE regexp_replace(${channel}, '\\s+', '_', 'g') || '_' || ${metric} END`;

/** Whether harmonize can take a dataset: observations (summary, conversions, factors) or touchpoint events. */
export const harmonizable = (d: DatasetInfo) => ['summary', 'conversions', 'factors'].includes(d.kind) || (d.kind === 'touchpoints' && d.layout === 'events');

export interface SourceColumn { name: string; role: string }

/** The harmonized columns a dataset brings, sorted by name. */
export async function datasetColumns(ws: Workspace, d: DatasetInfo): Promise<SourceColumn[]> {
  if (d.kind === 'touchpoints') {
    const ch = `regexp_replace(channel, '\\s+', '_', 'g')`;
    const conv = `(interaction = 'conversion' OR (interaction IS NULL AND conversion > 0))`;
    const rows = await ws.all<{ name: string; role: string }>(`SELECT DISTINCT name, role FROM (
        SELECT ${ch} || '_touchpoints' AS name, 'media' AS role FROM touchpoint_events WHERE dataset = $1 AND (interaction IS NULL OR interaction <> 'conversion') AND channel IS NOT NULL
        UNION ALL SELECT ${ch} || '_cost', 'media' FROM touchpoint_events WHERE dataset = $1 AND cost IS NOT NULL AND channel IS NOT NULL
        UNION ALL SELECT 'touchpoint_conversions', 'outcome' FROM touchpoint_events WHERE dataset = $1 AND ${conv}
        UNION ALL SELECT 'touchpoint_conversion_value', 'outcome' FROM touchpoint_events WHERE dataset = $1 AND ${conv} AND value IS NOT NULL) ORDER BY name`, [d.id]);
    return rows.map((r) => ({ name: String(r.name), role: String(r.role) }));
  }
  // Each channel's total, and a column per sub-channel (`search__brand_spend`) where rows name one (harmonize.ts).
  const rows = await ws.all<{ name: string }>(`SELECT DISTINCT name FROM (
      SELECT ${columnNameSql('cn.name', 'mn.name')} AS name
      FROM (SELECT DISTINCT channel, metric FROM obs_values WHERE ds = (SELECT id FROM obs_names WHERE name = $1)) k
      JOIN obs_names mn ON mn.id = k.metric LEFT JOIN obs_names cn ON cn.id = k.channel
      UNION ALL SELECT ${columnNameSql("cn.name || '__' || sn.name", 'mn.name')}
      FROM (SELECT DISTINCT channel, subchannel, metric FROM obs_values WHERE ds = (SELECT id FROM obs_names WHERE name = $1) AND subchannel IS NOT NULL AND channel IS NOT NULL) k
      JOIN obs_names mn ON mn.id = k.metric JOIN obs_names cn ON cn.id = k.channel JOIN obs_names sn ON sn.id = k.subchannel) ORDER BY name`, [d.id]);
  return rows.map((r) => ({ name: String(r.name), role: ROLE_OF_KIND[d.kind] }));
}

/** Whether a dataset has rows by geo (at least one row with a geo). */
export async function hasGeo(ws: Workspace, d: DatasetInfo): Promise<boolean> {
  const q = d.kind === 'touchpoints' ? 'SELECT 1 FROM touchpoint_events WHERE dataset = ? AND geo IS NOT NULL LIMIT 1'
    : 'SELECT 1 FROM obs_values WHERE ds IN (SELECT id FROM obs_names WHERE name = ?) AND geo IS NOT NULL LIMIT 1';
  return ((await ws.value<number>(`SELECT count(*) FROM (${q})`, [d.id])) ?? 0) > 0;
}

export interface HarmonizeSource { id: string; kind: string; role: string | null; harmonizable: boolean; geo: boolean; columns: SourceColumn[] }

/** What dataset `d` would bring to a harmonized table (nothing when harmonize cannot take it: experiments, aggregated paths). */
export async function harmonizeSource(ws: Workspace, d: DatasetInfo): Promise<HarmonizeSource> {
  if (!harmonizable(d)) return { id: d.id, kind: d.kind, role: null, harmonizable: false, geo: false, columns: [] };
  return { id: d.id, kind: d.kind, role: ROLE_OF_KIND[d.kind], harmonizable: true, geo: await hasGeo(ws, d), columns: await datasetColumns(ws, d) };
}
