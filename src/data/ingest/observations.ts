/**
 * The fast path for summary, conversions and factors rows (10 million rows in seconds): the typed
 * `stage` table becomes `normc`, long rows with integer name codes, and is validated and stored in SQL.
 *
 * - Names (geo, channel, subchannel, metric) are trimmed, NFC-normalized and coded once per distinct
 *   raw value (a few hundred), not once per row: small map tables `m_<role>` (raw → code) joined in SQL.
 * - Checks count offending rows in one scan of `normc`; only a check that fires reads the view `norm`
 *   (codes decoded to names) for its first rows, so messages name the row, column and value.
 * - Duplicate keys: one pass marking each series' dates in a bitstring (count ≠ distinct dates means a
 *   duplicate); the exact GROUP BY … HAVING count(*) > 1 runs only when one exists.
 * - The rows go into `obs_values` as codes with one INSERT … SELECT.
 */
import { ident, lit, type Workspace } from '../workspace.ts';
import { registerNames } from '../schema.ts';
import { NUMBER_REGEX, normalizeNumberSql, type NumberFormat } from '../detect/numbers.ts';
import { dateSql } from '../validate/stage.ts';
import type { Check } from '../validate/checks.ts';
import { MAX_ABS, MAX_NAME } from './normalize.ts';
import type { Plan } from './plan.ts';

type NameRole = 'geo' | 'channel' | 'subchannel' | 'metric';

export interface ObservationsStage {
  /** Stored rows per stage row (one per series). */
  rows: number;
  /** The checks on values and dates alone (they hold on obs_values too). */
  valueChecks: Check[];
  /** Whether the rows can be stored straight from the stage and checked afterwards (names already known to be valid). */
  direct: boolean;
  /** The dataset's name code. */
  dsCode: number;
  /** SQL over `stage` yielding the coded long rows (rid, date, geo, channel, subchannel, metric, value, [raw], si). */
  rowsSql: string;
  /** Materializes `normc` and the view `norm` (for the checks with row numbers). */
  buildNorm: () => Promise<void>;
  /** Checks: `when` is valid both on normc (counts) and on the view norm (first rows). */
  checks: Check[];
  /** Distinct metric names of a long file. */
  metrics: string[];
  /** Upper bound of distinct (geo, channel, subchannel, metric) series, for the duplicate pre-check. */
  seriesBound: number;
}

const normText = (e: string) => `NULLIF(nfc_normalize(trim(${e})), '')`;
const metricName = (m: string) => `CASE lower(${m}) WHEN 'impression' THEN 'impressions' WHEN 'click' THEN 'clicks' WHEN 'cost' THEN 'spend' ELSE ${m} END`;
const LEVEL_BASELINE = `('', 'na', 'n/a', 'none', 'null', '0', 'false', 'no')`;

/** Builds map tables and registers names; returns the SQL of the coded rows, the checks, and how to build `normc`. */
export async function stageObservations(ws: Workspace, plan: Plan, fmt: NumberFormat, today: string, dataset: string, source = 'stage'): Promise<ObservationsStage> {
  // `source` is the table `stage` (rows numbered by rowid) or a read_csv(…) call read straight from the file (no row numbers).
  const fromStage = source === 'stage';
  const from = fromStage ? 'stage' : `${source} AS stage`;
  const r = plan.roles;
  const isSummary = plan.kind === 'summary';
  const columns: Partial<Record<NameRole, string>> = {};
  if (r.geo) columns.geo = r.geo;
  if (isSummary && r.channel) columns.channel = r.channel;
  if (isSummary && r.subchannel) columns.subchannel = r.subchannel;
  const long = plan.layout === 'long' && !!r.metric && !!r.value;
  if (long) columns.metric = r.metric;

  // 1. Distinct raw names → normalized names (per distinct value, not per row).
  // One pass collects the distinct name combinations (and counts empty dates); the maps come from that small table.
  const sources: string[] = [`SELECT ${lit(dataset)} AS name`];
  const keyCols = Object.entries(columns) as [NameRole, string][];
  await ws.run(`CREATE OR REPLACE TEMP TABLE m_keys AS SELECT ${keyCols.map(([role, col]) => `stage.${ident(col)} AS ${role}, `).join('')}count(*) FILTER (WHERE ${dateSql(r.date!, 'date', plan.dateFormat).replaceAll(ident(r.date!), `stage.${ident(r.date!)}`)} IS NULL) AS nodate
    FROM ${from} GROUP BY ALL`);
  const emptyDates = Number(await ws.value<number>('SELECT coalesce(sum(nodate), 0) FROM m_keys'));
  for (const [role] of keyCols) {
    const name = role === 'metric' ? metricName(normText('raw')) : normText('raw');
    await ws.run(`CREATE OR REPLACE TEMP TABLE m_${role} AS SELECT raw, ${name} AS name FROM (SELECT DISTINCT ${role} AS raw FROM m_keys)`);
    sources.push(`SELECT name FROM m_${role}`);
  }
  const literals = new Set<string>();
  for (const s of plan.series) { literals.add(s.metric); if (s.channel !== null) literals.add(s.channel); }
  for (const l of literals) sources.push(`SELECT ${lit(l)} AS name`);
  plan.categorical.forEach((c, k) => {
    const t = `trim(${ident(c)})`;
    sources.push(`SELECT name FROM (SELECT ${lit(c + '_')} || regexp_replace(lvl, '\\s+', '_', 'g') AS name FROM (SELECT DISTINCT ${t} AS lvl FROM stage WHERE lower(coalesce(${t}, '')) NOT IN ${LEVEL_BASELINE}))`);
    void k;
  });
  await registerNames(ws, sources.join(' UNION ALL '));
  for (const role of Object.keys(columns) as NameRole[]) {
    await ws.run(`CREATE OR REPLACE TEMP TABLE mc_${role} AS SELECT m.raw, n.id AS code FROM m_${role} m LEFT JOIN obs_names n ON n.name = m.name WHERE m.raw IS NOT NULL`);
  }
  const codes = new Map<string, number>();
  const wanted = [dataset, ...literals];
  for (const row of await ws.all<{ id: number; name: string }>(`SELECT id, name FROM obs_names WHERE name IN (${wanted.map(lit).join(', ')})`)) codes.set(row.name, Number(row.id));
  const code = (name: string) => String(codes.get(name));

  // 2. normc: long rows with codes.
  const base = fromStage ? Number(await ws.value<number>('SELECT min(rowid) FROM stage')) : 0;
  const rid = fromStage ? `(stage.rowid - ${base})` : '0::BIGINT';
  const date = dateSql(r.date!, 'date', plan.dateFormat).replaceAll(ident(r.date!), `stage.${ident(r.date!)}`);
  const joins: string[] = [];
  const nameExpr: Record<NameRole, string> = { geo: 'NULL::INTEGER', channel: 'NULL::INTEGER', subchannel: 'NULL::INTEGER', metric: 'NULL::INTEGER' };
  for (const role of Object.keys(columns) as NameRole[]) {
    joins.push(`LEFT JOIN mc_${role} ON mc_${role}.raw = stage.${ident(columns[role]!)}`);
    nameExpr[role] = `mc_${role}.code`;
  }
  const withRaw = fmt !== 'plain';
  const num = (c: string) => {
    if (!withRaw) return { value: `stage.${ident(c)}`, raw: '' };
    const n = normalizeNumberSql(`stage.${ident(c)}`, fmt);
    return { value: `CASE WHEN regexp_full_match(${n}, '${NUMBER_REGEX}') THEN CAST(${n} AS DOUBLE) END`, raw: `, stage.${ident(c)} AS raw` };
  };
  const srcs: string[] = [];
  const parts: string[] = [];
  const part = (ch: string, metric: string, value: { value: string; raw: string }, src: string, extra = '') => {
    srcs.push(src);
    parts.push(`SELECT ${rid} AS rid, ${date} AS date, ${nameExpr.geo} AS geo, ${ch} AS channel, ${nameExpr.subchannel} AS subchannel,
      ${metric} AS metric, ${value.value} AS value${withRaw ? value.raw || ', NULL::VARCHAR AS raw' : ''}, ${srcs.length - 1} AS si FROM ${from} ${joins.join(' ')}${extra}`);
  };
  if (long) part(nameExpr.channel, nameExpr.metric, num(r.value!), r.value!);
  for (const s of plan.series) part(s.channel === null ? nameExpr.channel : code(s.channel), code(s.metric), num(s.source), s.source);
  plan.categorical.forEach((c, k) => {
    const t = `trim(stage.${ident(c)})`;
    srcs.push(c);
    parts.push(`SELECT ${rid} AS rid, ${date} AS date, ${nameExpr.geo} AS geo, NULL::INTEGER AS channel, NULL::INTEGER AS subchannel, lv.code AS metric,
      CASE WHEN ${t} = lv.lvl THEN 1.0 ELSE 0.0 END AS value${withRaw ? ', NULL::VARCHAR AS raw' : ''}, ${srcs.length - 1} AS si
      FROM stage ${joins.join(' ')} CROSS JOIN (SELECT l.lvl, n.id AS code FROM (SELECT DISTINCT trim(${ident(c)}) AS lvl FROM stage WHERE lower(coalesce(trim(${ident(c)}), '')) NOT IN ${LEVEL_BASELINE}) l
        JOIN obs_names n ON n.name = ${lit(c + '_')} || regexp_replace(l.lvl, '\\s+', '_', 'g')) lv`);
    void k;
  });
  const rowsSql = parts.join('\nUNION ALL\n');
  const dsCode = codes.get(dataset)!;

  // 3. Checks.
  const longCodes = (await ws.all<{ id: number }>(`SELECT id FROM obs_names WHERE length(name) > ${MAX_NAME}`)).map((x) => Number(x.id));
  const isLong = (c: string) => (longCodes.length ? `${c} IN (${longCodes.join(', ')})` : 'false');
  const nameCol = isSummary ? lit(r.channel ?? '') : lit(r.metric ?? '');
  const sign = isSummary ? 'nonneg' : plan.kind === 'conversions' ? 'warnneg' : 'any';
  const what = isSummary ? 'spend or exposure: media values must be ≥ 0' : 'outcome';
  const valueChecks: Check[] = [
    { when: 'isnan(value) OR isinf(value)', column: 'src', value: 'value', message: 'NaN and Infinity are not numbers, nor is a number too long to store (it reads as inf); leave the cell empty for a missing value', severity: 'error' },
    { when: `abs(value) > ${MAX_ABS} AND NOT isinf(value) AND NOT isnan(value)`, column: 'src', value: 'value', message: `the value is implausibly large (|x| > 1e15); sums would overflow or lose precision`, severity: 'error' },
    ...(sign === 'any' ? [] : [{ when: 'value < 0', column: 'src', value: 'value', message: `negative ${what}`, severity: sign === 'nonneg' ? 'error' as const : 'warning' as const }]),
    { when: `date > DATE ${lit(today)}`, column: lit(r.date!), value: 'date', message: 'the date is in the future', severity: 'warning' },
  ];
  const checks: Check[] = [
    { when: 'date IS NULL', column: lit(r.date!), value: "''", message: 'the date is empty', severity: 'error' },
    { when: 'metric IS NULL', column: lit(r.metric ?? ''), value: "''", message: `the ${plan.kind === 'factors' ? 'factor' : 'metric'} name is empty`, severity: 'error' },
    ...(isSummary ? [{ when: 'channel IS NULL', column: lit(r.channel ?? ''), value: "''", message: 'the channel is empty', severity: 'error' as const }] : []),
    { when: `${isLong('channel')} OR ${isLong('metric')}`, column: nameCol, value: 'coalesce(channel_name, metric_name)', message: `the name is longer than ${MAX_NAME} characters`, severity: 'error' },
    { when: isLong('geo'), column: lit(r.geo ?? ''), value: 'geo_name', message: `the geo name is longer than ${MAX_NAME} characters`, severity: 'error' },
    ...(withRaw ? [{ when: `raw IS NOT NULL AND trim(raw) <> '' AND value IS NULL`, column: 'src', value: 'raw', message: 'is not a number in the chosen number format (1,234.5 for us, 1.234,5 for eu; a currency symbol is read)', severity: 'error' as const }] : []),
    ...valueChecks,
  ];

  const metrics = long ? (await ws.all<{ name: string }>('SELECT DISTINCT name FROM m_metric WHERE name IS NOT NULL ORDER BY 1')).map((x) => x.name) : [];
  const count = async (role: NameRole) => (columns[role] ? Number(await ws.value<number>(`SELECT count(DISTINCT code) FROM mc_${role}`)) : 0) + 1;
  const seriesBound = plan.categorical.length ? Infinity
    : (await count('geo')) * (await count('channel')) * (await count('subchannel')) * ((await count('metric')) + plan.series.length);
  // The direct path needs names that cannot fail a check: no empty metric or channel, no name over the limit.
  const emptyName = async (role: NameRole) => !!columns[role] && Number(await ws.value<number>(`SELECT count(*) FROM m_${role} WHERE name IS NULL`)) > 0;
  const direct = !withRaw && !plan.categorical.length && !longCodes.length && !(await emptyName('metric')) && !(isSummary && (await emptyName('channel')))
    && (isSummary ? !!columns.channel || plan.series.every((x) => x.channel !== null) : true);
  const buildNorm = async () => {
    await ws.run(`CREATE OR REPLACE TEMP TABLE normc AS ${rowsSql}`);
    await ws.run(`CREATE OR REPLACE TEMP VIEW norm AS SELECT n.*, gn.name AS geo_name, cn.name AS channel_name, mn.name AS metric_name,
    (${srcs.length ? `[${srcs.map(lit).join(', ')}]` : '[]::VARCHAR[]'})[n.si + 1] AS src
    FROM normc n LEFT JOIN obs_names gn ON gn.id = n.geo LEFT JOIN obs_names cn ON cn.id = n.channel LEFT JOIN obs_names mn ON mn.id = n.metric`);
  };
  return { rows: parts.length, checks, valueChecks, metrics, seriesBound, direct: direct && emptyDates === 0, dsCode, rowsSql, buildNorm };
}

/** Temporary objects the fast path creates. */
export const OBSERVATION_TEMPS = ['VIEW norm', 'TABLE normc', 'TABLE m_keys', ...(['geo', 'channel', 'subchannel', 'metric'] as const).flatMap((r) => [`TABLE m_${r}`, `TABLE mc_${r}`])];

/**
 * Whether `from` (default normc) holds a duplicate (date, geo, channel, subchannel, metric) key, or a row
 * matching `flagged` (SQL condition; counted in the same scan). With few series and a short date span
 * each series' dates are marked in a bitstring (one pass, small state); otherwise keys are grouped.
 */
export async function hasDuplicateKeys(ws: Workspace, seriesBound: number, from = 'normc', flagged = 'false'): Promise<boolean> {
  const span = await ws.all<{ lo: number | null; days: number | null }>(`SELECT min(date) - DATE '1970-01-01' AS lo, max(date) - min(date) AS days FROM ${from}`);
  const { lo, days } = span[0];
  if (lo === null || days === null) return Number(await ws.value<number>(`SELECT count(*) FILTER (WHERE ${flagged}) FROM ${from}`)) > 0;
  if (seriesBound * (Number(days) + 1) / 8 < 64e6) {
    return Number(await ws.value<number>(`SELECT count(*) FILTER (WHERE n <> d OR f > 0) FROM (SELECT count(*) AS n, count(*) FILTER (WHERE ${flagged}) AS f,
      bit_count(bitstring_agg(CAST(date - DATE '1970-01-01' AS INTEGER), ${Number(lo)}, ${Number(lo) + Number(days)})) AS d
      FROM ${from} WHERE date IS NOT NULL GROUP BY geo, channel, subchannel, metric)`)) > 0;
  }
  if (Number(await ws.value<number>(`SELECT count(*) FILTER (WHERE ${flagged}) FROM ${from}`)) > 0) return true;
  return Number(await ws.value<number>(`SELECT count(*) FROM (SELECT 1 FROM ${from} GROUP BY date, geo, channel, subchannel, metric HAVING count(*) > 1 LIMIT 1)`)) > 0;
}
