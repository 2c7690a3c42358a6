/**
 * `harmonize(ws, options)`: joins summary, conversions, factors and touchpoint datasets into one table
 * of (period × geo × column) at week (starting `weekStart`, Monday by default) or month grain.
 *
 * - Resampling: metrics of kind `sum` add up within a period, `mean` average (kinds from ingest).
 * - Grain: the coarsest of the requested grain and every input's own grain (daily < weekly < monthly).
 * - Geos: geo-level and national inputs together are refused unless `geo: 'aggregate'`, which sums
 *   geo-level inputs to national (means average across geos).
 * - Choice: `datasets` names the datasets (all harmonizable ones by default) and, per dataset, the columns to take.
 * - Overlaps: a column with values from more than one dataset in the same period and geo is refused unless
 *   `overlap` says how to combine them: `sum` adds them, `priority` keeps the first dataset's in the order given.
 * - Gaps: missing media (summary, touchpoint) cells become 0 and are counted; missing outcomes and
 *   factors stay null and are flagged in the report, never invented.
 * - Derived columns by formula, touchpoint events as `<channel>_touchpoints` counts (and `_cost`).
 */
import { GRAINS, type TableGrain } from '../../calendar.ts';
import { MarginalError, badInput, conflict, notFound, onField } from '../../errors.ts';
import { isCalendarDate } from '../../calendar.ts';
import { lit, type Workspace } from '../workspace.ts';
import { registerNames } from '../schema.ts';
import { listDatasets, type DatasetInfo } from '../catalog.ts';
import { compileFormula } from './formula.ts';
import { reportFromWorkspace, type Report } from './report.ts';
import { ID_PATTERN } from '../ingest/ingest.ts';
import { ROLE_OF_KIND, columnNameSql, datasetColumns, harmonizable, hasGeo } from './sources.ts';
import { sourceMasks, type SourceMasks } from './sourceMasks.ts';
import { checkTableName } from './name.ts';
import { archiveCurrent, nextVersion } from './versions.ts';

export { GRAINS };
export type Grain = TableGrain;
const DAYS = ['sunday', 'monday', 'tuesday', 'wednesday', 'thursday', 'friday', 'saturday'];

/** A dataset to join and, when `columns` is given, only those of its harmonized columns (`tv_spend`, `revenue`…). */
export interface DatasetChoice { id: string; columns?: string[] }
export const OVERLAP_RULES = ['refuse', 'sum', 'priority'] as const;
/** What to do when a column has values from more than one dataset for the same period and geo. */
export type OverlapRule = typeof OVERLAP_RULES[number];

export interface HarmonizeOptions {
  name: string;
  grain: Grain;
  weekStart?: string;
  from?: string;
  to?: string;
  /** Datasets in priority order, each an id or `{ id, columns }`; default: every harmonizable dataset, all columns. */
  datasets?: (string | DatasetChoice)[];
  /** What to do when geo-level and national inputs meet: refuse (default) or aggregate geos to national. */
  geo?: 'refuse' | 'aggregate';
  /** Overlapping values of one column from several datasets: refuse (default), sum, or priority (the first dataset in `datasets` that has a value wins). */
  overlap?: OverlapRule;
  /** Derived columns, `name=expression`. */
  derive?: string[];
  replace?: boolean;
}

export interface HarmonizeResult { id: string; version: number; grain: Grain; rows: number; columns: string[]; geos: number; from: string; to: string; report: Report; notes: string[] }

export async function harmonize(ws: Workspace, opts: HarmonizeOptions): Promise<HarmonizeResult> {
  // Messages name the field in words (the web shows them beside it; the CLI adds its flag).
  if (!ID_PATTERN.test(opts.name)) throw onField('name', badInput(`the table name must be 1–64 letters, digits, '_', '-' or '.', starting with a letter or digit; got '${opts.name}'`));
  if (!GRAINS.includes(opts.grain)) throw onField('grain', badInput(`the grain must be week, month or year; got '${opts.grain}'`));
  const weekStart = (opts.weekStart ?? 'monday').toLowerCase();
  const dow = DAYS.indexOf(weekStart);
  if (dow < 0) throw onField('weekStart', badInput(`the first day of the week must be one of ${DAYS.join(', ')}; got '${opts.weekStart}'`));
  for (const [field, what, v] of [['from', 'the start date', opts.from], ['to', 'the end date', opts.to]] as const) {
    if (v !== undefined && !isCalendarDate(v)) throw onField(field, badInput(`${what} must be a real date written YYYY-MM-DD; got '${v}'`));
  }
  if (opts.from && opts.to && opts.from > opts.to) throw onField('to', badInput(`the end date ${opts.to} is before the start date ${opts.from}`));
  if (opts.geo !== undefined && opts.geo !== 'refuse' && opts.geo !== 'aggregate') throw onField('geo', badInput(`the geo alignment must be refuse or aggregate; got '${opts.geo}'`));
  const rule: OverlapRule = opts.overlap ?? 'refuse';
  if (!OVERLAP_RULES.includes(rule)) throw onField('overlap', badInput(`the overlap rule must be one of ${OVERLAP_RULES.join(', ')}; got '${rule}'`));
  const all = await listDatasets(ws);
  await checkTableName(ws, opts.name, !!opts.replace, all);
  const { chosen, columns: picked } = await pickDatasets(ws, all, opts.datasets);
  const notes: string[] = [];

  // Grain: the coarsest present.
  let grain: Grain = opts.grain;
  for (const d of chosen) {
    const g = await nativeGrain(ws, d);
    if (g === 'coarser') throw badInput(`dataset '${d.id}' is coarser than annual; harmonize needs daily, weekly, monthly or annual data`);
    if (g !== 'day' && GRAINS.indexOf(g) > GRAINS.indexOf(grain)) {
      grain = g;
      notes.push(`dataset '${d.id}' is ${g === 'year' ? 'annual' : 'monthly'}, so the table is ${g === 'year' ? 'annual' : 'monthly'} (the coarsest granularity present)`);
    }
  }
  const period = (e: string) => grain !== 'week' ? `CAST(date_trunc('${grain}', ${e}) AS DATE)` : `CAST(${e} - CAST((dayofweek(${e}) - ${dow} + 7) % 7 AS INTEGER) AS DATE)`;

  // Geo alignment, explicitly.
  const geoLevel = new Map<string, boolean>();
  for (const d of chosen) geoLevel.set(d.id, await hasGeo(ws, d));
  const geoSets = chosen.filter((d) => geoLevel.get(d.id));
  const national = chosen.filter((d) => !geoLevel.get(d.id));
  let aggregate = false;
  if (geoSets.length && national.length) {
    if (opts.geo !== 'aggregate') {
      throw onField('geo', badInput(`geo mismatch: ${geoSets.map((d) => `'${d.id}'`).join(', ')} ${geoSets.length > 1 ? 'are' : 'is'} by geo but ${national.map((d) => `'${d.id}'`).join(', ')} ${national.length > 1 ? 'are' : 'is'} national; choose to aggregate the geos to national (summing the geo-level data), or harmonize them separately`));
    }
    aggregate = true;
    notes.push(`geo-level datasets ${geoSets.map((d) => d.id).join(', ')} were aggregated to national`);
  } else if (opts.geo === 'aggregate' && geoSets.length) {
    aggregate = true;
    notes.push('geo-level data were aggregated to national (as asked)');
  }
  const geoExpr = aggregate ? 'NULL::VARCHAR' : 'geo';

  return ws.transaction(async () => {
    const version = await claim(ws, opts.name, !!opts.replace, all);
    await ws.run('DROP TABLE IF EXISTS h_kinds; CREATE TEMP TABLE h_kinds (dataset VARCHAR, metric VARCHAR, kind VARCHAR)');
    for (const d of chosen) for (const [m, k] of Object.entries(d.metricKinds)) await ws.run('INSERT INTO h_kinds VALUES (?, ?, ?)', [d.id, m, k]);
    const obs = chosen.filter((d) => d.kind !== 'touchpoints');
    const events = chosen.filter((d) => d.kind === 'touchpoints');
    const parts: string[] = [];
    if (obs.length) {
      // Aggregate the coded rows first (10M → one row per period, geo and series), then attach names and kinds to the few series.
      const period0 = period('o.date');
      const inObs = `o.ds IN (SELECT id FROM obs_names WHERE name IN (${obs.map((d) => lit(d.id)).join(', ')}))`;
      // Rows with a sub-channel also become columns of their own, `<channel>__<subchannel>_<metric>`
      // (`search__brand_spend`), beside the channel's total (`search_spend`, their sum): a model
      // config's `subchannels` names them (docs/data.md).
      const withSub = Number(await ws.value<number>(`SELECT count(*) FROM (SELECT 1 FROM obs_values o WHERE ${inObs} AND o.subchannel IS NOT NULL AND o.channel IS NOT NULL LIMIT 1)`)) > 0;
      const code = await metricCodes(ws);
      const withReach = Number(await ws.value<number>(`SELECT count(*) FROM (SELECT 1 FROM obs_values o WHERE ${inObs} AND o.metric IN (${code.reach}, ${code.frequency}) LIMIT 1)`)) > 0;
      for (const sub of withSub ? [false, true] : [false]) {
        // Reach and frequency are not summed over time (rf.ts in the models): per date the geos' reach
        // adds up (different people), over a period's dates reach is the largest date's (people reached
        // again are not counted again: the fewest the period can have reached), and frequency is the
        // mean weighted by reach (Σ reach·frequency / Σ reach, so impressions keep their total).
        const where = `WHERE ${inObs}${sub ? ' AND o.subchannel IS NOT NULL AND o.channel IS NOT NULL' : ''}`;
        const cols = `${aggregate ? 'NULL::INTEGER' : 'o.geo'} AS geo, o.channel, ${sub ? 'o.subchannel' : 'NULL::INTEGER AS subchannel'}, o.metric`;
        // Without reach and frequency rows every metric simply adds up: one GROUP BY period straight from the rows.
        const perPeriod = withReach
          ? `a0 AS (SELECT o.ds, o.date AS d, ${period0} AS p, ${cols}, sum(o.value) AS s, count(o.value) AS n,
            sum(o.value * w.value) AS sw, sum(w.value) FILTER (WHERE o.value IS NOT NULL) AS wt
          FROM obs_values o LEFT JOIN obs_values w ON o.metric = ${code.frequency} AND w.metric = ${code.reach} AND w.ds = o.ds AND w.date = o.date
            AND w.geo IS NOT DISTINCT FROM o.geo AND w.channel IS NOT DISTINCT FROM o.channel AND w.subchannel IS NOT DISTINCT FROM o.subchannel
          ${where} GROUP BY ALL),
        a AS (SELECT ds, p, geo, channel, subchannel, metric, CASE WHEN metric = ${code.reach} THEN max(s) ELSE sum(s) END AS s, sum(n) AS n, sum(sw) AS sw, sum(wt) AS wt
          FROM a0 GROUP BY ds, p, geo, channel, subchannel, metric),`
          : `a AS (SELECT o.ds, ${period0} AS p, ${cols}, sum(o.value) AS s, count(o.value) AS n, NULL::DOUBLE AS sw, NULL::DOUBLE AS wt
          FROM obs_values o ${where} GROUP BY ALL),`;
        parts.push(`WITH ${perPeriod}
        keys AS (SELECT DISTINCT ds, channel, subchannel, metric FROM a),
        k AS (SELECT keys.ds, keys.channel, keys.subchannel, keys.metric, dn.name AS dataset,
            ${columnNameSql(sub ? "cn.name || '__' || sn.name" : 'cn.name', 'mn.name')} AS col,
            CASE d.kind ${Object.entries(ROLE_OF_KIND).map(([k, r]) => `WHEN ${lit(k)} THEN ${lit(r)}`).join(' ')} END AS role,
            CASE mn.name WHEN 'reach' THEN 'reach' WHEN 'frequency' THEN 'frequency' ELSE coalesce(hk.kind, hk2.kind, 'sum') END AS kind
          FROM keys JOIN obs_names dn ON dn.id = keys.ds JOIN datasets d ON d.id = dn.name JOIN obs_names mn ON mn.id = keys.metric
          LEFT JOIN obs_names cn ON cn.id = keys.channel LEFT JOIN obs_names sn ON sn.id = keys.subchannel
          LEFT JOIN h_kinds hk ON hk.dataset = dn.name AND hk.metric = mn.name
          LEFT JOIN h_kinds hk2 ON hk2.dataset = dn.name AND hk2.metric LIKE '%\\_*' ESCAPE '\\' AND starts_with(mn.name, rtrim(hk2.metric, '*')))
      SELECT k.dataset, a.p, gn.name AS geo, k.col, k.role, k.kind, a.s, a.n, a.sw, a.wt FROM a JOIN k ON k.ds = a.ds AND k.metric = a.metric AND k.channel IS NOT DISTINCT FROM a.channel AND k.subchannel IS NOT DISTINCT FROM a.subchannel
        LEFT JOIN obs_names gn ON gn.id = a.geo`);
      }
    }
    for (const d of events) {
      const ev = `FROM touchpoint_events WHERE dataset = ${lit(d.id)}`;
      const g = aggregate ? 'NULL::VARCHAR' : 'geo';
      const v = (e: string) => `${e} AS s, CAST(${e} IS NOT NULL AS INTEGER) AS n, NULL::DOUBLE AS sw, NULL::DOUBLE AS wt`;
      parts.push(`SELECT dataset, ${period('CAST(ts AS DATE)')} AS p, ${g} AS geo, regexp_replace(channel, '\\s+', '_', 'g') || '_touchpoints' AS col, 'media' AS role, 'sum' AS kind, ${v('1.0')} ${ev} AND (interaction IS NULL OR interaction <> 'conversion') AND channel IS NOT NULL`);
      parts.push(`SELECT dataset, ${period('CAST(ts AS DATE)')}, ${g}, regexp_replace(channel, '\\s+', '_', 'g') || '_cost', 'media', 'sum', ${v('cost')} ${ev} AND cost IS NOT NULL AND channel IS NOT NULL`);
      parts.push(`SELECT dataset, ${period('CAST(ts AS DATE)')}, ${g}, 'touchpoint_conversions', 'outcome', 'sum', ${v('coalesce(conversion, 1.0)')} ${ev} AND (interaction = 'conversion' OR (interaction IS NULL AND conversion > 0))`);
      parts.push(`SELECT dataset, ${period('CAST(ts AS DATE)')}, ${g}, 'touchpoint_conversion_value', 'outcome', 'sum', ${v('value')} ${ev} AND (interaction = 'conversion' OR (interaction IS NULL AND conversion > 0)) AND value IS NOT NULL`);
    }
    if (!parts.length) throw badInput('nothing to harmonize: no summary, conversions, factors or touchpoint event datasets');
    const range = [opts.from ? `p >= ${period(`DATE ${lit(opts.from)}`)}` : null, opts.to ? `p <= DATE ${lit(opts.to)}` : null].filter(Boolean);
    // Chosen columns: a dataset given with `columns` keeps only those.
    for (const [id, cols] of picked) range.push(`(dataset <> ${lit(id)} OR col IN (${cols.map(lit).join(', ')}))`);
    // Each dataset's value per cell first (sum or mean within the period), then the datasets of a cell combined by the rule.
    const rank = `CASE dataset ${chosen.map((d, i) => `WHEN ${lit(d.id)} THEN ${i}`).join(' ')} END`;
    const combine = rule === 'priority' ? 'arg_min(v, rank) FILTER (WHERE n > 0)' : 'sum(v) FILTER (WHERE n > 0)';
    const sources = sourceMasks('rank', chosen.length);
    await ws.run(`CREATE OR REPLACE TEMP TABLE h_agg AS
      WITH per AS (SELECT dataset, p, geo, col, any_value(role) AS role, any_value(kind) AS kind, CASE WHEN any_value(kind) = 'reach' THEN max(s) ELSE sum(s) END AS s, sum(n) AS n, sum(sw) AS sw, sum(wt) AS wt
          FROM (${parts.map((q) => `(${q})`).join('\nUNION ALL\n')}) ${range.length ? `WHERE ${range.join(' AND ')}` : ''} GROUP BY dataset, p, geo, col),
        cell AS (SELECT *, CASE kind WHEN 'mean' THEN s / nullif(n, 0) WHEN 'frequency' THEN coalesce(sw / nullif(wt, 0), s / nullif(n, 0)) ELSE s END AS v, ${rank} AS rank FROM per)
      SELECT p, geo, col, any_value(role) AS role, ${sources.select}, ${combine} AS value, sum(n) AS n
      FROM cell GROUP BY p, geo, col`);
    notes.push(...await overlaps(ws, rule, chosen.map((d) => d.id), sources));
    if (obs.length) notes.push(...await reachResampled(ws, obs.map((d) => d.id), period('o.date')));
    const bounds = await ws.all<{ lo: string; hi: string; n: number }>(`SELECT CAST(min(p) AS VARCHAR) AS lo, CAST(max(p) AS VARCHAR) AS hi, count(*) AS n FROM h_agg`);
    if (!bounds[0].n) throw onField(opts.from || opts.to ? 'from' : 'datasets', badInput(`no data between ${opts.from ?? 'the start'} and ${opts.to ?? 'the end'}`));
    const step = grain === 'year' ? 'INTERVAL 1 YEAR' : grain === 'month' ? 'INTERVAL 1 MONTH' : 'INTERVAL 7 DAY';
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
    await ws.run(`INSERT INTO harmonized (id, grain, week_start, date_from, date_to, geo_level, datasets, recipe, report, columns, row_count, created_at, version)
      VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, now(), ?)`, [
      opts.name, grain, grain === 'week' ? weekStart : null, bounds[0].lo, bounds[0].hi, recipe.geo, JSON.stringify(chosen.map((d) => d.id)),
      JSON.stringify(recipe), JSON.stringify(report), JSON.stringify(columns.map((c) => ({ name: c, role: roleOf[c] ?? 'media' }))), report.rows, version,
    ]);
    await ws.run('DROP TABLE IF EXISTS h_agg; DROP TABLE IF EXISTS h_kinds');
    return { id: opts.name, version, grain, rows: report.rows, columns, geos: report.geos, from: bounds[0].lo, to: bounds[0].hi, report, notes };
  });
}

/** The chosen datasets in the order given (the priority order), and the columns chosen per dataset (absent: all). */
async function pickDatasets(ws: Workspace, all: DatasetInfo[], choices?: (string | DatasetChoice)[]): Promise<{ chosen: DatasetInfo[]; columns: Map<string, string[]> }> {
  const columns = new Map<string, string[]>();
  if (!choices?.length) {
    const chosen = all.filter(harmonizable);
    if (!chosen.length) throw onField('datasets', badInput('nothing to harmonize: add summary (media), conversions (outcome) or factors datasets first'));
    return { chosen, columns };
  }
  const chosen: DatasetInfo[] = [];
  for (const choice of choices) {
    const { id, columns: cols } = typeof choice === 'string' ? { id: choice, columns: undefined } : choice;
    const d = all.find((x) => x.id === id);
    if (!d) throw onField('datasets', notFound('dataset', id, all.map((x) => x.id)));
    if (!harmonizable(d)) throw onField('datasets', badInput(`dataset '${id}' is ${d.kind}${d.kind === 'touchpoints' ? ' (aggregated paths)' : ''} and cannot be harmonized; choose summary (media), conversions (outcome), factors or touchpoint-event datasets`));
    if (chosen.includes(d)) throw onField('datasets', badInput(`dataset '${id}' is chosen twice`));
    chosen.push(d);
    if (cols === undefined) continue;
    if (!cols.length) throw onField('datasets', badInput(`no column of dataset '${id}' is chosen; choose at least one, or leave the dataset out`));
    const have = (await datasetColumns(ws, d)).map((c) => c.name);
    const unknown = cols.find((c) => !have.includes(c));
    if (unknown !== undefined) throw onField('datasets', badInput(`dataset '${id}' has no column '${unknown}'; its columns: ${have.join(', ')}`));
    columns.set(id, [...new Set(cols)]);
  }
  return { chosen, columns };
}

/**
 * Columns with values from more than one dataset in a cell (period × geo): refused by default, naming
 * the column and the datasets; with `sum` or `priority`, a note per column says what was done.
 */
async function overlaps(ws: Workspace, rule: OverlapRule, order: string[], sources: SourceMasks): Promise<string[]> {
  const rows = await ws.all<Record<string, string | null> & { col: string; cells: number }>(`SELECT col, ${sources.columns.map((c) => `CAST(bit_or(${c}) AS VARCHAR) AS ${c}`).join(', ')}, count(DISTINCT p) AS cells
    FROM h_agg WHERE ${sources.several} GROUP BY col ORDER BY col`);
  if (!rows.length) return [];
  const names = (r: Record<string, string | null>) => sources.positions(sources.columns.map((c) => r[c])).map((i) => order[i]);
  const quoted = (ids: string[]) => andList(ids.map((id) => `'${id}'`));
  if (rule === 'refuse') {
    const r = rows[0];
    const more = rows.length > 1 ? ` (and ${rows.length - 1} more column${rows.length > 2 ? 's' : ''}: ${rows.slice(1, 6).map((x) => x.col).join(', ')}${rows.length > 6 ? ', …' : ''})` : '';
    throw onField('overlap', conflict(`column '${r.col}' has values from ${names(r).length === 2 ? 'both ' : ''}${quoted(names(r))} for the same periods${more}; choose how to combine them: add them up (sum), or take the first dataset's value in the order given (priority); or leave the column out of all but one dataset`));
  }
  return rows.map((r) => {
    const ids = names(r);
    const cells = `${Number(r.cells)} period${Number(r.cells) > 1 ? 's' : ''}`;
    return rule === 'sum' ? `${r.col}: ${cells} had values from ${quoted(ids)}; they were added up`
      : `${r.col}: ${cells} had values from ${quoted(ids)}; '${ids[0]}' was kept (first in the order given)`;
  });
}

const andList = (xs: string[]) => (xs.length < 2 ? xs.join('') : `${xs.slice(0, -1).join(', ')} and ${xs[xs.length - 1]}`);

/**
 * Claims the name for the table about to be written and returns its version: 1 for a new name; for an
 * existing table (with `replace`) one past its last, the current version moving to the history with
 * its cells kept while a model was fitted on it (versions.ts).
 */
async function claim(ws: Workspace, id: string, replace: boolean, all: DatasetInfo[]): Promise<number> {
  // The same check as before any work (name.ts), again inside the transaction against a name taken meanwhile.
  await checkTableName(ws, id, replace, all);
  if (await ws.value<number>('SELECT count(*) FROM harmonized WHERE id = ?', [id])) await archiveCurrent(ws, id, 'replaced');
  return nextVersion(ws, id);
}

/** A dataset's own grain from the median gap between its distinct dates. */
async function nativeGrain(ws: Workspace, d: DatasetInfo): Promise<'day' | Grain | 'coarser'> {
  if (d.kind === 'touchpoints') return 'day';
  const step = await ws.value<number>(`WITH d AS (SELECT DISTINCT date FROM obs_values WHERE ds IN (SELECT id FROM obs_names WHERE name = ?))
    SELECT median(diff) FROM (SELECT date_diff('day', lag(date) OVER (ORDER BY date), date) AS diff FROM d) WHERE diff IS NOT NULL`, [d.id]);
  if (step === undefined || step === null || step < 7) return 'day';
  if (step < 28) return 'week';
  if (step <= 31) return 'month';
  // Quarterly data (about 91 days) is refused rather than read as months with two thirds missing.
  if (step >= 365 && step <= 366) return 'year';
  return 'coarser';
}

async function derive(ws: Workspace, id: string, formulas: string[], columns: string[]) {
  if (!formulas.length) return [];
  const compiled = formulas.map((f) => { try { return compileFormula(f, columns); } catch (e) { throw e instanceof MarginalError ? onField('derive', e) : e; } });
  const names = new Set<string>();
  for (const c of compiled) { if (names.has(c.name)) throw onField('derive', badInput(`derived column '${c.name}' is defined twice`)); names.add(c.name); }
  const h = `(SELECT id FROM obs_names WHERE name = ${lit(id)})`;
  await ws.run(`CREATE OR REPLACE TEMP TABLE h_wide AS PIVOT (SELECT v.date, v.geo, n.name AS "column", v.value FROM hv_values v JOIN obs_names n ON n.id = v.col WHERE v.h = ${h})
    ON "column" USING first(value) GROUP BY date, geo`);
  await registerNames(ws, compiled.map((c) => `SELECT ${lit(c.name)} AS name`).join(' UNION ALL '));
  for (const c of compiled) await ws.run(`INSERT INTO hv_values SELECT ${h}, date, geo, (SELECT id FROM obs_names WHERE name = ${lit(c.name)}), ${c.sql} FROM h_wide`);
  await ws.run('DROP TABLE IF EXISTS h_wide');
  return compiled;
}

/** The codes of the reach and frequency metrics in `obs_names` (−1 when no dataset has one: no row matches). */
async function metricCodes(ws: Workspace): Promise<{ reach: number; frequency: number }> {
  const rows = await ws.all<{ name: string; id: number }>(`SELECT name, id FROM obs_names WHERE name IN ('reach', 'frequency')`);
  const of = (n: string) => Number(rows.find((r) => r.name === n)?.id ?? -1);
  return { reach: of('reach'), frequency: of('frequency') };
}

/**
 * A warning when reach or frequency were resampled: several dates of a dataset fell into one period, so
 * the period's reach is its largest date's and its frequency the reach-weighted mean (see above).
 */
async function reachResampled(ws: Workspace, datasets: string[], period: string): Promise<string[]> {
  const rows = await ws.all<{ metric: string; dates: number }>(`SELECT mn.name AS metric, max(c) AS dates FROM (
      SELECT o.metric, ${period} AS p, count(DISTINCT o.date) AS c FROM obs_values o
      WHERE o.ds IN (SELECT id FROM obs_names WHERE name IN (${datasets.map(lit).join(', ')})) AND o.metric IN (SELECT id FROM obs_names WHERE name IN ('reach', 'frequency'))
      GROUP BY ALL) x JOIN obs_names mn ON mn.id = x.metric GROUP BY mn.name HAVING max(c) > 1`);
  if (!rows.length) return [];
  const n = Math.max(...rows.map((r) => Number(r.dates)));
  return [`reach and frequency were resampled (up to ${n} dates in one period): reach is not added up over time — people reached on several dates would be counted again — so each period's reach is its largest date's (the fewest people it can have reached), and its frequency is the mean weighted by reach. Give reach and frequency at the table's grain where the platform reports them.`];
}
