/**
 * The data layer's tables in the workspace. Raw rows are stored long and normalized so that one
 * schema serves every file shape; the catalog row of each dataset keeps how they were read.
 *
 * - `datasets`: one row per ingested file (id, kind, source file name and path, sha256 checksum,
 *   row count, currency, layout, date format, mapping JSON, metric kinds JSON, warnings JSON, created_at).
 * - `observations`: summary, conversions and factors rows: (dataset, date, geo, channel, subchannel, metric, value);
 *   `channel` is null for conversions and factors, `geo` is null for national data, `value` null when the cell was empty.
 * - `touchpoint_events`: (dataset, journey_id, ts, channel, interaction, conversion, value, cost, geo, campaign).
 * - `touchpoint_paths`: aggregated paths as given: (dataset, path, conversions, value, nulls).
 * - `experiments`: lift tests (dataset, channel, geo, start_date, end_date, lift, lift_se).
 * - `harmonized`: one row per harmonized table (id, grain, recipe JSON, report JSON, columns JSON, …).
 * - `harmonized_values`: the harmonized cells, long: (harmonized, date, geo, column, value).
 */
import type { Workspace } from './workspace.ts';

export const DDL = `
CREATE TABLE IF NOT EXISTS datasets (
  id VARCHAR PRIMARY KEY, kind VARCHAR NOT NULL, source_name VARCHAR, source_path VARCHAR, format VARCHAR,
  checksum VARCHAR, row_count BIGINT, stored_rows BIGINT, currency VARCHAR, layout VARCHAR, date_format VARCHAR,
  mapping VARCHAR, metric_kinds VARCHAR, warnings VARCHAR, created_at TIMESTAMP);
CREATE TABLE IF NOT EXISTS observations (
  dataset VARCHAR NOT NULL, date DATE NOT NULL, geo VARCHAR, channel VARCHAR, subchannel VARCHAR, metric VARCHAR NOT NULL, value DOUBLE);
CREATE TABLE IF NOT EXISTS touchpoint_events (
  dataset VARCHAR NOT NULL, journey_id VARCHAR NOT NULL, ts TIMESTAMP NOT NULL, channel VARCHAR, interaction VARCHAR,
  conversion DOUBLE, value DOUBLE, cost DOUBLE, geo VARCHAR, campaign VARCHAR);
CREATE TABLE IF NOT EXISTS touchpoint_paths (
  dataset VARCHAR NOT NULL, path VARCHAR NOT NULL, conversions DOUBLE, value DOUBLE, nulls DOUBLE);
CREATE TABLE IF NOT EXISTS experiments (
  dataset VARCHAR NOT NULL, channel VARCHAR NOT NULL, geo VARCHAR, start_date DATE NOT NULL, end_date DATE NOT NULL,
  lift DOUBLE NOT NULL, lift_se DOUBLE);
CREATE TABLE IF NOT EXISTS harmonized (
  id VARCHAR PRIMARY KEY, grain VARCHAR NOT NULL, week_start VARCHAR, date_from DATE, date_to DATE, geo_level VARCHAR,
  datasets VARCHAR, recipe VARCHAR, report VARCHAR, columns VARCHAR, row_count BIGINT, created_at TIMESTAMP);
CREATE TABLE IF NOT EXISTS harmonized_values (
  harmonized VARCHAR NOT NULL, date DATE NOT NULL, geo VARCHAR, "column" VARCHAR NOT NULL, value DOUBLE);
`;

export async function createSchema(ws: Workspace): Promise<void> {
  const have = await ws.all<{ n: number }>(`SELECT count(*) AS n FROM information_schema.tables WHERE table_name = 'harmonized_values' AND table_schema = 'main'`);
  if (have[0].n === 0) await ws.run(DDL);
}

/** The kinds of dataset `marginal ingest --kind` accepts. */
export const KINDS = ['summary', 'conversions', 'factors', 'touchpoints', 'experiments'] as const;
export type Kind = (typeof KINDS)[number];

/** How a metric resamples to a coarser grain: `sum` (spend, impressions, orders, revenue…) or `mean` (price, index, temperature…). */
export type MetricKind = 'sum' | 'mean';

const MEAN_LIKE = /(price|index|rate|temperature|temp|score|per_|_per|share|ratio|avg|mean|pct|percent|population|cpm|cpc|ctr|roas|level|dayofyear|trend|^t$|flag|holiday|event|promo|weather|sentiment|seasonality)/i;
const SUM_LIKE = /(spend|cost|impression|click|reach|grp|view|order|revenue|sales|conversion|signup|lead|install|unit|transaction|visit|session|touchpoint)/i;

/** The default resampling kind of a metric or factor by its name: rates and levels average, everything additive sums. */
export function defaultMetricKind(name: string, kind: Kind): MetricKind {
  if (MEAN_LIKE.test(name) && !/^(orders|revenue|sales|conversions)$/i.test(name)) return 'mean';
  if (SUM_LIKE.test(name)) return 'sum';
  return kind === 'factors' ? 'mean' : 'sum';
}
