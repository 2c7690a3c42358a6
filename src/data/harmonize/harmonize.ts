/**
 * `harmonize(ws, options)`: joins summary, conversions, factors and touchpoint datasets into one table
 * of (period × geo × column) at week (starting `weekStart`, Monday by default) or month grain.
 *
 * - Resampling: metrics of kind `sum` add up within a period, `mean` average (kinds from ingest).
 * - Grain: the coarsest of the requested grain and every input's own grain (daily < weekly < monthly).
 * - Geos: geo-level and national inputs together are refused unless `geo: 'aggregate'`, which sums
 *   geo-level inputs to national (means average across geos).
 * - Gaps: missing media (summary, touchpoint) cells become 0 and are counted; missing outcomes and
 *   factors stay null and are flagged in the report, never invented.
 * - Derived columns by formula, touchpoint events as `<channel>_touchpoints` counts (and `_cost`).
 */
import { badInput, conflict, notFound } from '../../errors.ts';
import { isCalendarDate } from '../../calendar.ts';
import { lit, type Workspace } from '../workspace.ts';
import { registerNames } from '../schema.ts';
import { listDatasets, type DatasetInfo } from '../catalog.ts';
import { compileFormula } from './formula.ts';
import { reportFromWorkspace, type Report } from './report.ts';
import { ID_PATTERN } from '../ingest/ingest.ts';

export type Grain = 'week' | 'month';
const DAYS = ['sunday', 'monday', 'tuesday', 'wednesday', 'thursday', 'friday', 'saturday'];

export interface HarmonizeOptions {
  name: string;
  grain: Grain;
  weekStart?: string;
  from?: string;
  to?: string;
  datasets?: string[];
  /** What to do when geo-level and national inputs meet: refuse (default) or aggregate geos to national. */
  geo?: 'refuse' | 'aggregate';
  /** Derived columns, `name=expression`. */
  derive?: string[];
  replace?: boolean;
}

export interface HarmonizeResult { id: string; grain: Grain; rows: number; columns: string[]; geos: number; from: string; to: string; report: Report; notes: string[] }

const ROLE: Record<string, string> = { summary: 'media', conversions: 'outcome', factors: 'factor', touchpoints: 'media' };

export async function harmonize(ws: Workspace, opts: HarmonizeOptions): Promise<HarmonizeResult> {
  if (!ID_PATTERN.test(opts.name)) throw badInput(`--name must be 1–64 letters, digits, '_', '-' or '.'; got '${opts.name}'`);
  if (opts.grain !== 'week' && opts.grain !== 'month') throw badInput(`--grain must be one of week, month; got '${opts.grain}'`);
  const weekStart = (opts.weekStart ?? 'monday').toLowerCase();
  const dow = DAYS.indexOf(weekStart);
  if (dow < 0) throw badInput(`--week-start must be one of ${DAYS.join(', ')}; got '${opts.weekStart}'`);
  for (const [flag, v] of [['--from', opts.from], ['--to', opts.to]] as const) {
    if (v !== undefined && !isCalendarDate(v)) throw badInput(`${flag} must be a real date written YYYY-MM-DD; got '${v}'`);
  }
  const all = await listDatasets(ws);
  const chosen = pickDatasets(all, opts.datasets);
  const notes: string[] = [];

  // Grain: the coarsest present.
  let grain: Grain = opts.grain;
  for (const d of chosen) {
    const g = await nativeGrain(ws, d);
    if (g === 'coarser') throw badInput(`dataset '${d.id}' is coarser than monthly; harmonize needs daily, weekly or monthly data`);
    if (g === 'month' && grain === 'week') { grain = 'month'; notes.push(`dataset '${d.id}' is monthly, so the table is monthly (the coarsest granularity present)`); }
  }
  const period = (e: string) => grain === 'month' ? `CAST(date_trunc('month', ${e}) AS DATE)` : `CAST(${e} - CAST((dayofweek(${e}) - ${dow} + 7) % 7 AS INTEGER) AS DATE)`;

  // Geo alignment, explicitly.
  const geoLevel = new Map<string, boolean>();
  for (const d of chosen) geoLevel.set(d.id, await hasGeo(ws, d));
  const geoSets = chosen.filter((d) => geoLevel.get(d.id));
  const national = chosen.filter((d) => !geoLevel.get(d.id));
  let aggregate = false;
  if (geoSets.length && national.length) {
    if (opts.geo !== 'aggregate') {
      throw badInput(`geo mismatch: ${geoSets.map((d) => `'${d.id}'`).join(', ')} ${geoSets.length > 1 ? 'are' : 'is'} by geo but ${national.map((d) => `'${d.id}'`).join(', ')} ${national.length > 1 ? 'are' : 'is'} national; pass --geo aggregate to sum the geo-level data to national, or harmonize them separately`);
    }
    aggregate = true;
    notes.push(`geo-level datasets ${geoSets.map((d) => d.id).join(', ')} were aggregated to national`);
  } else if (opts.geo === 'aggregate' && geoSets.length) {
    aggregate = true;
    notes.push('geo-level data were aggregated to national (--geo aggregate)');
  }
  const geoExpr = aggregate ? 'NULL::VARCHAR' : 'geo';

  return ws.transaction(async () => {
    await claim(ws, opts.name, !!opts.replace, all);
    await ws.run('DROP TABLE IF EXISTS h_kinds; CREATE TEMP TABLE h_kinds (dataset VARCHAR, metric VARCHAR, kind VARCHAR)');
    for (const d of chosen) for (const [m, k] of Object.entries(d.metricKinds)) await ws.run('INSERT INTO h_kinds VALUES (?, ?, ?)', [d.id, m, k]);
    const obs = chosen.filter((d) => d.kind !== 'touchpoints');
    const events = chosen.filter((d) => d.kind === 'touchpoints');
    const parts: string[] = [];
    if (obs.length) {
      // Aggregate the coded rows first (10M → one row per period, geo and series), then attach names and kinds to the few series.
      const period0 = period('o.date');
      parts.push(`WITH a AS (SELECT o.ds, ${period0} AS p, ${aggregate ? 'NULL::INTEGER' : 'o.geo'} AS geo, o.channel, o.metric, sum(o.value) AS s, count(o.value) AS n
          FROM obs_values o WHERE o.ds IN (SELECT id FROM obs_names WHERE name IN (${obs.map((d) => lit(d.id)).join(', ')})) GROUP BY ALL),
        keys AS (SELECT DISTINCT ds, channel, metric FROM a),
        k AS (SELECT keys.ds, keys.channel, keys.metric, dn.name AS dataset,
            CASE WHEN cn.name IS NULL THEN mn.name ELSE regexp_replace(cn.name, '\\s+', '_', 'g') || '_' || mn.name END AS col,
            CASE d.kind ${Object.entries(ROLE).map(([k, r]) => `WHEN ${lit(k)} THEN ${lit(r)}`).join(' ')} END AS role,
            coalesce(hk.kind, hk2.kind, 'sum') AS kind
          FROM keys JOIN obs_names dn ON dn.id = keys.ds JOIN datasets d ON d.id = dn.name JOIN obs_names mn ON mn.id = keys.metric
          LEFT JOIN obs_names cn ON cn.id = keys.channel
          LEFT JOIN h_kinds hk ON hk.dataset = dn.name AND hk.metric = mn.name
          LEFT JOIN h_kinds hk2 ON hk2.dataset = dn.name AND hk2.metric LIKE '%\\_*' ESCAPE '\\' AND starts_with(mn.name, rtrim(hk2.metric, '*')))
      SELECT k.dataset, a.p, gn.name AS geo, k.col, k.role, k.kind, a.s, a.n FROM a JOIN k ON k.ds = a.ds AND k.metric = a.metric AND k.channel IS NOT DISTINCT FROM a.channel
        LEFT JOIN obs_names gn ON gn.id = a.geo`);
    }
    for (const d of events) {
      const ev = `FROM touchpoint_events WHERE dataset = ${lit(d.id)}`;
      const g = aggregate ? 'NULL::VARCHAR' : 'geo';
      const v = (e: string) => `${e} AS s, CAST(${e} IS NOT NULL AS INTEGER) AS n`;
      parts.push(`SELECT dataset, ${period('CAST(ts AS DATE)')} AS p, ${g} AS geo, regexp_replace(channel, '\\s+', '_', 'g') || '_touchpoints' AS col, 'media' AS role, 'sum' AS kind, ${v('1.0')} ${ev} AND (interaction IS NULL OR interaction <> 'conversion') AND channel IS NOT NULL`);
      parts.push(`SELECT dataset, ${period('CAST(ts AS DATE)')}, ${g}, regexp_replace(channel, '\\s+', '_', 'g') || '_cost', 'media', 'sum', ${v('cost')} ${ev} AND cost IS NOT NULL AND channel IS NOT NULL`);
      parts.push(`SELECT dataset, ${period('CAST(ts AS DATE)')}, ${g}, 'touchpoint_conversions', 'outcome', 'sum', ${v('coalesce(conversion, 1.0)')} ${ev} AND (interaction = 'conversion' OR (interaction IS NULL AND conversion > 0))`);
      parts.push(`SELECT dataset, ${period('CAST(ts AS DATE)')}, ${g}, 'touchpoint_conversion_value', 'outcome', 'sum', ${v('value')} ${ev} AND (interaction = 'conversion' OR (interaction IS NULL AND conversion > 0)) AND value IS NOT NULL`);
    }
    if (!parts.length) throw badInput('nothing to harmonize: no summary, conversions, factors or touchpoint event datasets');
    const range = [opts.from ? `p >= ${period(`DATE ${lit(opts.from)}`)}` : null, opts.to ? `p <= DATE ${lit(opts.to)}` : null].filter(Boolean);
    await ws.run(`CREATE OR REPLACE TEMP TABLE h_agg AS
      SELECT p, geo, col, any_value(role) AS role, min(dataset) AS first_ds, max(dataset) AS last_ds,
        CASE WHEN any_value(kind) = 'mean' THEN sum(s) / nullif(sum(n), 0) ELSE sum(s) END AS value, sum(n) AS n
      FROM (${parts.map((q) => `(${q})`).join('\nUNION ALL\n')}) ${range.length ? `WHERE ${range.join(' AND ')}` : ''} GROUP BY p, geo, col`);
    const clash = await ws.all<{ col: string; names: string }>(`SELECT col, min(first_ds) || ', ' || max(last_ds) AS names FROM h_agg WHERE first_ds <> last_ds GROUP BY col ORDER BY col LIMIT 1`);
    if (clash.length) throw conflict(`column '${clash[0].col}' comes from more than one dataset (${clash[0].names}); harmonize them separately or pick with --datasets`);
    const bounds = await ws.all<{ lo: string; hi: string; n: number }>(`SELECT CAST(min(p) AS VARCHAR) AS lo, CAST(max(p) AS VARCHAR) AS hi, count(*) AS n FROM h_agg`);
    if (!bounds[0].n) throw badInput(`no data between ${opts.from ?? 'the start'} and ${opts.to ?? 'the end'}`);
    const step = grain === 'month' ? "INTERVAL 1 MONTH" : "INTERVAL 7 DAY";
    // A value observed in the period: the aggregate of non-null values; a period with no values at all is missing.
    // The cells, as codes: every (period, geo, column); media gaps are 0, other gaps stay null.
    await registerNames(ws, `SELECT ${lit(opts.name)} AS name UNION ALL SELECT DISTINCT geo FROM h_agg UNION ALL SELECT DISTINCT col FROM h_agg`);
    await ws.run(`INSERT INTO hv_values
      WITH periods AS (SELECT CAST(unnest(generate_series(DATE ${lit(bounds[0].lo)}, DATE ${lit(bounds[0].hi)}, ${step})) AS DATE) AS p),
        geos AS (SELECT g.geo, n.id AS code FROM (SELECT DISTINCT geo FROM h_agg) g LEFT JOIN obs_names n ON n.name = g.geo),
        cols AS (SELECT c.col, c.role, n.id AS code FROM (SELECT col, any_value(role) AS role FROM h_agg GROUP BY col) c JOIN obs_names n ON n.name = c.col)
      SELECT (SELECT id FROM obs_names WHERE name = ${lit(opts.name)}), periods.p, geos.code, cols.code,
        CASE WHEN a.n > 0 THEN a.value WHEN cols.role = 'media' THEN 0.0 ELSE NULL END
      FROM periods CROSS JOIN geos CROSS JOIN cols LEFT JOIN h_agg a ON a.p = periods.p AND a.geo IS NOT DISTINCT FROM geos.geo AND a.col = cols.col`);
    // Cells with no value in a period: media ones were filled with 0 (counted), others stay missing.
    const cells = Number(await ws.value<number>(`SELECT (SELECT count(*) FROM generate_series(DATE ${lit(bounds[0].lo)}, DATE ${lit(bounds[0].hi)}, ${step})) * (SELECT count(*) FROM (SELECT DISTINCT geo FROM h_agg))`));
    const roles = await ws.all<{ col: string; role: string; observed: number }>(`SELECT col, any_value(role) AS role, count(*) FILTER (WHERE n > 0) AS observed FROM h_agg GROUP BY col ORDER BY col`);
    const roleOf: Record<string, string> = Object.fromEntries(roles.map((r) => [r.col, r.role]));
    const filled: Record<string, number> = Object.fromEntries(roles.map((r) => [r.col, cells - Number(r.observed)]));
    const formulas = await derive(ws, opts.name, opts.derive ?? [], roles.map((r) => r.col));
    for (const f of formulas) roleOf[f.name] = 'derived';
    const report = await reportFromWorkspace(ws, opts.name, roleOf, filled, grain);
    report.warnings.unshift(...notes);
    const columns = report.columns.map((c) => c.column);
    const recipe = { grain, requestedGrain: opts.grain, weekStart, from: opts.from ?? null, to: opts.to ?? null, datasets: chosen.map((d) => ({ id: d.id, checksum: d.checksum })), geo: aggregate ? 'aggregate' : geoSets.length ? 'geo' : 'national', derive: opts.derive ?? [] };
    await ws.run(`INSERT INTO harmonized VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, now())`, [
      opts.name, grain, grain === 'week' ? weekStart : null, bounds[0].lo, bounds[0].hi, recipe.geo, JSON.stringify(chosen.map((d) => d.id)),
      JSON.stringify(recipe), JSON.stringify(report), JSON.stringify(columns.map((c) => ({ name: c, role: roleOf[c] ?? 'media' }))), report.rows,
    ]);
    await ws.run('DROP TABLE IF EXISTS h_agg; DROP TABLE IF EXISTS h_kinds');
    return { id: opts.name, grain, rows: report.rows, columns, geos: report.geos, from: bounds[0].lo, to: bounds[0].hi, report, notes };
  });
}

function pickDatasets(all: DatasetInfo[], ids?: string[]): DatasetInfo[] {
  const usable = (d: DatasetInfo) => ['summary', 'conversions', 'factors'].includes(d.kind) || (d.kind === 'touchpoints' && d.layout === 'events');
  if (!ids?.length) {
    const chosen = all.filter(usable);
    if (!chosen.length) throw badInput('nothing to harmonize: ingest summary, conversions or factors datasets first');
    return chosen;
  }
  return ids.map((id) => {
    const d = all.find((x) => x.id === id);
    if (!d) throw notFound('dataset', id, all.map((x) => x.id));
    if (!usable(d)) throw badInput(`dataset '${id}' is ${d.kind}${d.kind === 'touchpoints' ? ' (aggregated paths)' : ''} and cannot be harmonized; use summary, conversions, factors or touchpoint events`);
    return d;
  });
}

async function claim(ws: Workspace, id: string, replace: boolean, all: DatasetInfo[]): Promise<void> {
  if (all.some((d) => d.id === id)) throw conflict(`'${id}' is already a dataset; choose another --name`);
  if (!(await ws.value<number>('SELECT count(*) FROM harmonized WHERE id = ?', [id]))) return;
  if (!replace) throw conflict(`harmonized table '${id}' already exists; choose another --name, pass --replace, or run 'marginal drop ${id}'`);
  await ws.run('DELETE FROM hv_values WHERE h IN (SELECT id FROM obs_names WHERE name = ?)', [id]);
  await ws.run('DELETE FROM harmonized WHERE id = ?', [id]);
}

/** A dataset's own grain from the median gap between its distinct dates. */
async function nativeGrain(ws: Workspace, d: DatasetInfo): Promise<'day' | 'week' | 'month' | 'coarser'> {
  if (d.kind === 'touchpoints') return 'day';
  const step = await ws.value<number>(`WITH d AS (SELECT DISTINCT date FROM obs_values WHERE ds IN (SELECT id FROM obs_names WHERE name = ?))
    SELECT median(diff) FROM (SELECT date_diff('day', lag(date) OVER (ORDER BY date), date) AS diff FROM d) WHERE diff IS NOT NULL`, [d.id]);
  if (step === undefined || step === null || step < 7) return 'day';
  if (step < 28) return 'week';
  if (step <= 31) return 'month';
  return 'coarser';
}

async function hasGeo(ws: Workspace, d: DatasetInfo): Promise<boolean> {
  const q = d.kind === 'touchpoints' ? 'SELECT 1 FROM touchpoint_events WHERE dataset = ? AND geo IS NOT NULL LIMIT 1'
    : 'SELECT 1 FROM obs_values WHERE ds IN (SELECT id FROM obs_names WHERE name = ?) AND geo IS NOT NULL LIMIT 1';
  return ((await ws.value<number>(`SELECT count(*) FROM (${q})`, [d.id])) ?? 0) > 0;
}

async function derive(ws: Workspace, id: string, formulas: string[], columns: string[]) {
  if (!formulas.length) return [];
  const compiled = formulas.map((f) => compileFormula(f, columns));
  const names = new Set<string>();
  for (const c of compiled) { if (names.has(c.name)) throw badInput(`--derive names '${c.name}' twice`); names.add(c.name); }
  const h = `(SELECT id FROM obs_names WHERE name = ${lit(id)})`;
  await ws.run(`CREATE OR REPLACE TEMP TABLE h_wide AS PIVOT (SELECT v.date, v.geo, n.name AS "column", v.value FROM hv_values v JOIN obs_names n ON n.id = v.col WHERE v.h = ${h})
    ON "column" USING first(value) GROUP BY date, geo`);
  await registerNames(ws, compiled.map((c) => `SELECT ${lit(c.name)} AS name`).join(' UNION ALL '));
  for (const c of compiled) await ws.run(`INSERT INTO hv_values SELECT ${h}, date, geo, (SELECT id FROM obs_names WHERE name = ${lit(c.name)}), ${c.sql} FROM h_wide`);
  await ws.run('DROP TABLE IF EXISTS h_wide');
  return compiled;
}
