/**
 * The data layer's tables in the workspace. Raw rows are stored long and normalized so that one
 * schema serves every file shape; the catalog row of each dataset keeps how they were read.
 *
 * - `datasets`: one row per ingested file (id, kind, source file name and path, sha256 checksum,
 *   row count, currency, layout, date format, mapping JSON, metric kinds JSON, warnings JSON, created_at).
 * - `observations` (a view): summary, conversions and factors rows: (dataset, date, geo, channel, subchannel, metric, value);
 *   `channel` is null for conversions and factors, `geo` is null for national data, `value` null when the cell was empty.
 *   Stored as `obs_values` (ds, date, geo, channel, subchannel, metric as INTEGER codes, value) with the names in
 *   `obs_names` (id, name): writing 10 million rows of small integers costs a fraction of writing them as text.
 * - `touchpoint_events`: (dataset, journey_id, ts, channel, interaction, conversion, value, cost, geo, campaign).
 * - `touchpoint_paths`: aggregated paths as given: (dataset, path, conversions, value, nulls).
 * - `touchpoint_segments`: customer attributes declared at ingest (role `segment`): (dataset, journey_id, attribute, value),
 *   one row per customer and attribute, the value of the customer's latest event that has one.
 * - `experiments`: lift tests (dataset, channel, geo, start_date, end_date, lift, lift_se).
 * - `harmonized`: one row per harmonized table (id, grain, recipe JSON, report JSON, columns JSON, …).
 * - `harmonized_values` (a view): the harmonized cells, long: (harmonized, date, geo, column, value); stored as
 *   `hv_values` (h, date, geo, col as codes in `obs_names`, value).
 */
import type { SqlSession } from './sqlSession.ts';

/** Customer attributes of touchpoint events (added 2026-12: a workspace from before gets it when opened). */
const SEGMENTS_DDL = `CREATE TABLE IF NOT EXISTS touchpoint_segments (
  dataset VARCHAR NOT NULL, journey_id VARCHAR NOT NULL, attribute VARCHAR NOT NULL, value VARCHAR NOT NULL);`;

export const DDL = `
CREATE TABLE IF NOT EXISTS datasets (
  id VARCHAR PRIMARY KEY, kind VARCHAR NOT NULL, source_name VARCHAR, source_path VARCHAR, format VARCHAR,
  checksum VARCHAR, row_count BIGINT, stored_rows BIGINT, currency VARCHAR, layout VARCHAR, date_format VARCHAR,
  mapping VARCHAR, metric_kinds VARCHAR, warnings VARCHAR, created_at TIMESTAMP);
CREATE TABLE IF NOT EXISTS obs_names (id INTEGER NOT NULL, name VARCHAR NOT NULL);
CREATE TABLE IF NOT EXISTS obs_values (
  ds INTEGER NOT NULL, date DATE NOT NULL, geo INTEGER, channel INTEGER, subchannel INTEGER, metric INTEGER NOT NULL, value DOUBLE);
CREATE VIEW IF NOT EXISTS observations AS
  SELECT d.name AS dataset, o.date, g.name AS geo, c.name AS channel, s.name AS subchannel, m.name AS metric, o.value
  FROM obs_values o JOIN obs_names d ON d.id = o.ds JOIN obs_names m ON m.id = o.metric
  LEFT JOIN obs_names g ON g.id = o.geo LEFT JOIN obs_names c ON c.id = o.channel LEFT JOIN obs_names s ON s.id = o.subchannel;
CREATE TABLE IF NOT EXISTS touchpoint_events (
  dataset VARCHAR NOT NULL, journey_id VARCHAR NOT NULL, ts TIMESTAMP NOT NULL, channel VARCHAR, interaction VARCHAR,
  conversion DOUBLE, value DOUBLE, cost DOUBLE, geo VARCHAR, campaign VARCHAR);
${SEGMENTS_DDL}
CREATE TABLE IF NOT EXISTS touchpoint_paths (
  dataset VARCHAR NOT NULL, path VARCHAR NOT NULL, conversions DOUBLE, value DOUBLE, nulls DOUBLE);
CREATE TABLE IF NOT EXISTS experiments (
  dataset VARCHAR NOT NULL, channel VARCHAR NOT NULL, geo VARCHAR, start_date DATE NOT NULL, end_date DATE NOT NULL,
  lift DOUBLE NOT NULL, lift_se DOUBLE);
CREATE TABLE IF NOT EXISTS harmonized (
  id VARCHAR PRIMARY KEY, grain VARCHAR NOT NULL, week_start VARCHAR, date_from DATE, date_to DATE, geo_level VARCHAR,
  datasets VARCHAR, recipe VARCHAR, report VARCHAR, columns VARCHAR, row_count BIGINT, created_at TIMESTAMP);
CREATE TABLE IF NOT EXISTS hv_values (h INTEGER NOT NULL, date DATE NOT NULL, geo INTEGER, col INTEGER NOT NULL, value DOUBLE);
CREATE VIEW IF NOT EXISTS harmonized_values AS
  SELECT hn.name AS harmonized, v.date, gn.name AS geo, cn.name AS "column", v.value
  FROM hv_values v JOIN obs_names hn ON hn.id = v.h JOIN obs_names cn ON cn.id = v.col LEFT JOIN obs_names gn ON gn.id = v.geo;
`;

export async function createSchema(ws: SqlSession): Promise<void> {
  const have = await ws.all<{ name: string; type: string }>(`SELECT table_name AS name, table_type AS type FROM information_schema.tables
    WHERE table_name IN ('harmonized_values', 'hv_values', 'obs_values', 'observations', 'touchpoint_segments') AND table_schema = 'main' AND table_catalog = current_database()`);
  const type = (n: string) => have.find((h) => h.name === n)?.type;
  if (type('hv_values') && type('obs_values')) {
    // Tables added since the workspace was made.
    if (!type('touchpoint_segments')) await ws.run(SEGMENTS_DDL);
    return;
  }
  await ws.transaction(async () => {
    // A workspace from before rows were stored as codes: move its rows over.
    const legacy = type('observations') === 'BASE TABLE';
    const legacyHv = type('harmonized_values') === 'BASE TABLE';
    if (legacy) await ws.run('ALTER TABLE observations RENAME TO observations_legacy');
    if (legacyHv) await ws.run('ALTER TABLE harmonized_values RENAME TO harmonized_values_legacy');
    await ws.run(DDL);
    if (legacyHv) {
      await registerNames(ws, `SELECT harmonized AS name FROM harmonized_values_legacy UNION SELECT geo FROM harmonized_values_legacy UNION SELECT "column" FROM harmonized_values_legacy`);
      await ws.run(`INSERT INTO hv_values SELECT h.id, v.date, g.id, c.id, v.value FROM harmonized_values_legacy v JOIN obs_names h ON h.name = v.harmonized
        JOIN obs_names c ON c.name = v."column" LEFT JOIN obs_names g ON g.name = v.geo`);
      await ws.run('DROP TABLE harmonized_values_legacy');
    }
    if (legacy) {
      await registerNames(ws, `SELECT dataset AS name FROM observations_legacy UNION SELECT geo FROM observations_legacy UNION SELECT channel FROM observations_legacy
        UNION SELECT subchannel FROM observations_legacy UNION SELECT metric FROM observations_legacy`);
      await ws.run(`INSERT INTO obs_values SELECT d.id, o.date, g.id, c.id, s.id, m.id, o.value FROM observations_legacy o
        JOIN obs_names d ON d.name = o.dataset JOIN obs_names m ON m.name = o.metric LEFT JOIN obs_names g ON g.name = o.geo
        LEFT JOIN obs_names c ON c.name = o.channel LEFT JOIN obs_names s ON s.name = o.subchannel`);
      await ws.run('DROP TABLE observations_legacy');
    }
  });
}

/**
 * Codes of names in `obs_names`, adding those not there yet (inside the caller's transaction).
 * `source` is SQL yielding one VARCHAR column `name`; returns nothing: join `obs_names` on name to read codes.
 */
export async function registerNames(ws: SqlSession, source: string): Promise<void> {
  await ws.run(`INSERT INTO obs_names SELECT (SELECT coalesce(max(id), 0) FROM obs_names) + row_number() OVER (ORDER BY name), name
    FROM (SELECT DISTINCT name FROM (${source}) WHERE name IS NOT NULL) n WHERE NOT EXISTS (SELECT 1 FROM obs_names o WHERE o.name = n.name)`);
}

/** The kinds of dataset `marginal ingest --kind` accepts. */
export const KINDS = ['summary', 'conversions', 'factors', 'touchpoints', 'experiments'] as const;
export type Kind = (typeof KINDS)[number];

/**
 * How a metric resamples to a coarser grain: `sum` (spend, impressions, orders, revenue…) or `mean`
 * (price, index, temperature…). Reach and frequency have rules of their own in harmonize: reach is
 * summed over geos but not over time, frequency is the mean weighted by reach.
 */
export type MetricKind = 'sum' | 'mean';

const MEAN_LIKE = /(frequency|freq$|price|index|rate|temperature|temp|score|per_|_per|share|ratio|avg|mean|pct|percent|population|cpm|cpc|ctr|roas|level|dayofyear|trend|^t$|flag|holiday|event|promo|weather|sentiment|seasonality)/i;
const SUM_LIKE = /(spend|cost|impression|click|reach|grp|view|order|revenue|sales|conversion|signup|lead|install|unit|transaction|visit|session|touchpoint)/i;

/** The default resampling kind of a metric or factor by its name: rates and levels average, everything additive sums. */
export function defaultMetricKind(name: string, kind: Kind): MetricKind {
  if (MEAN_LIKE.test(name) && !/^(orders|revenue|sales|conversions)$/i.test(name)) return 'mean';
  if (SUM_LIKE.test(name)) return 'sum';
  return kind === 'factors' ? 'mean' : 'sum';
}
