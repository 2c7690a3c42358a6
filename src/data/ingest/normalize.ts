/**
 * SQL that reads the typed `stage` table of a touchpoint, path or experiment file as normalized rows (a temp
 * table `norm` with the stage rowid as `rid`), the checks to run on it, and the INSERT that stores it.
 * Summary, conversions and factors rows take the coded path in observations.ts.
 */
import { internal } from '../../errors.ts';
import { ident, lit } from '../workspace.ts';
import { NUMBER_REGEX, normalizeNumberSql, type NumberFormat } from '../detect/numbers.ts';
import { dateSql, timestampSql } from '../validate/stage.ts';
import type { Check } from '../validate/checks.ts';
import type { Plan } from './plan.ts';

/** Largest magnitude accepted in a numeric cell: beyond it sums lose meaning (1e308 would overflow to Infinity). */
export const MAX_ABS = 1e15;
/** Longest channel, geo or metric name accepted. */
export const MAX_NAME = 200;

export interface Normalized { view: string; checks: Check[]; insert: (dataset: string) => string }

const text = (c: string | undefined) => (c ? `NULLIF(nfc_normalize(trim(${ident(c)})), '')` : 'NULL::VARCHAR');

function num(c: string | undefined, fmt: NumberFormat): { value: string; raw: string } {
  if (!c) return { value: 'NULL::DOUBLE', raw: 'NULL::VARCHAR' };
  if (fmt === 'plain') return { value: ident(c), raw: 'NULL::VARCHAR' };
  const n = normalizeNumberSql(ident(c), fmt);
  return { value: `CASE WHEN regexp_full_match(${n}, '${NUMBER_REGEX}') THEN CAST(${n} AS DOUBLE) END`, raw: ident(c) };
}

const TOO_LARGE = 'the value is implausibly large (|x| > 1e15); sums would overflow or lose precision';

const numberChecks = (sign: 'any' | 'nonneg' | 'warnneg', what: string): Check[] => [
  { when: `raw IS NOT NULL AND trim(raw) <> '' AND value IS NULL`, column: 'src', value: 'raw', message: 'is not a number in the chosen number format (1,234.5 for us, 1.234,5 for eu; a currency symbol is read)', severity: 'error' },
  { when: 'isnan(value) OR isinf(value)', column: 'src', value: 'value', message: 'NaN and Infinity are not numbers, nor is a number too long to store (it reads as inf); leave the cell empty for a missing value', severity: 'error' },
  { when: `abs(value) > ${MAX_ABS} AND NOT isinf(value) AND NOT isnan(value)`, column: 'src', value: 'value', message: TOO_LARGE, severity: 'error' },
  ...(sign === 'any' ? [] : [{ when: 'value < 0', column: 'src', value: 'value', message: `negative ${what}`, severity: sign === 'nonneg' ? 'error' as const : 'warning' as const }]),
];

export function normalize(plan: Plan, fmt: NumberFormat, today: string): Normalized {
  const r = plan.roles;
  if (plan.layout === 'paths') {
    const conv = num(r.conversions, fmt);
    const view = `SELECT rowid AS rid, ${text(r.path)} AS path, ${conv.value} AS conversions, ${num(r.value, fmt).value} AS value, ${num(r.nulls, fmt).value} AS nulls,
      ${conv.raw} AS raw, ${lit(r.conversions!)} AS src FROM stage`;
    return {
      view,
      checks: [
        { when: 'path IS NULL', column: lit(r.path!), value: 'path', message: 'the path is empty', severity: 'error' },
        // numberChecks read a column called `value`, which here is the paths' revenue: the counts are
        // checked by name (a negative count passed, and scoring printed "-1 journeys").
        { ...numberChecks('any', '')[0], when: `raw IS NOT NULL AND trim(raw) <> '' AND conversions IS NULL` },
        ...(['conversions', 'value', 'nulls'] as const).flatMap((col): Check[] => {
          const role = r[col];
          if (!role) return [];
          const what = col === 'conversions' ? 'conversion count' : col === 'nulls' ? 'count of journeys without conversion' : 'conversion value';
          return [
            { when: `isnan(${col}) OR isinf(${col})`, column: lit(role), value: col, message: 'NaN and Infinity are not numbers; leave the cell empty for a missing value', severity: 'error' },
            { when: `${col} < 0`, column: lit(role), value: col, message: `negative ${what}`, severity: 'error' },
            { when: `abs(${col}) > ${MAX_ABS} AND NOT isinf(${col})`, column: lit(role), value: col, message: TOO_LARGE, severity: 'error' },
          ];
        }),
      ],
      insert: (ds) => `INSERT INTO touchpoint_paths SELECT ${lit(ds)}, path, conversions, value, nulls FROM norm ORDER BY rid`,
    };
  }
  if (plan.layout === 'events') {
    const cost = num(r.cost, fmt);
    const segs = plan.segments ?? [];
    const view = `SELECT rowid AS rid, ${text(r.journey_id)} AS journey_id, ${timestampSql(r.timestamp!, plan.dateFormat)} AS ts, ${text(r.channel)} AS channel,
      lower(${text(r.interaction)}) AS interaction, ${num(r.conversion, fmt).value} AS conversion, ${num(r.value, fmt).value} AS value, ${cost.value} AS cost,
      ${text(r.geo)} AS geo, ${text(r.campaign)} AS campaign, ${cost.raw} AS raw, ${lit(r.cost ?? '')} AS src${segs.map((c, k) => `, ${text(c)} AS seg_${k}`).join('')} FROM stage`;
    return {
      view,
      checks: [
        { when: 'journey_id IS NULL', column: lit(r.journey_id!), value: 'journey_id', message: 'the journey id is empty', severity: 'error' },
        { when: 'ts IS NULL', column: lit(r.timestamp!), value: 'ts', message: 'the timestamp is empty', severity: 'error' },
        { when: `length(channel) > ${MAX_NAME}`, column: lit(r.channel!), value: 'channel', message: `the channel name is longer than ${MAX_NAME} characters`, severity: 'error' },
        ...segs.map((c, k): Check => ({ when: `length(seg_${k}) > ${MAX_NAME}`, column: lit(c), value: `seg_${k}`, message: `the segment value is longer than ${MAX_NAME} characters`, severity: 'error' })),
        { when: 'cost < 0', column: 'src', value: 'cost', message: 'negative cost', severity: 'error' },
        ...(r.conversion ? [{ when: 'conversion < 0', column: lit(r.conversion), value: 'conversion', message: 'negative conversion count', severity: 'error' as const },
          { when: 'isnan(conversion) OR isinf(conversion)', column: lit(r.conversion), value: 'conversion', message: 'NaN and Infinity are not numbers', severity: 'error' as const }] : []),
        ...(r.value ? [{ when: 'value < 0', column: lit(r.value), value: 'value', message: 'negative conversion value', severity: 'error' as const }] : []),
        { when: 'isnan(cost) OR isinf(cost) OR isnan(value) OR isinf(value)', column: 'src', value: 'cost', message: 'NaN and Infinity are not numbers', severity: 'error' },
        { when: `CAST(ts AS DATE) > DATE ${lit(today)}`, column: lit(r.timestamp!), value: 'ts', message: 'the timestamp is in the future', severity: 'warning' },
      ],
      insert: (ds) => `INSERT INTO touchpoint_events SELECT ${lit(ds)}, journey_id, ts, channel, interaction, conversion, value, cost, geo, campaign FROM norm ORDER BY rid`
        // Each customer's attribute: the value on their latest event that has one (attributes change rarely; the latest is current).
        + segs.map((c, k) => `;\nINSERT INTO touchpoint_segments SELECT ${lit(ds)}, journey_id, ${lit(c)}, arg_max(seg_${k}, ts) FROM norm WHERE seg_${k} IS NOT NULL GROUP BY journey_id ORDER BY journey_id`).join(''),
    };
  }
  if (plan.layout === 'table') {
    const lift = num(r.lift, fmt);
    const view = `SELECT rowid AS rid, ${text(r.channel)} AS channel, ${text(r.geo)} AS geo, ${dateSql(r.start!, 'date', plan.dateFormat)} AS start_date,
      ${dateSql(r.end!, 'date', plan.dateFormat)} AS end_date, ${lift.value} AS value, ${num(r.lift_se, fmt).value} AS lift_se, ${lift.raw} AS raw, ${lit(r.lift!)} AS src FROM stage`;
    return {
      view,
      checks: [
        { when: 'channel IS NULL', column: lit(r.channel!), value: 'channel', message: 'the channel is empty', severity: 'error' },
        { when: 'start_date IS NULL OR end_date IS NULL', column: lit(r.start!), value: 'start_date', message: 'start and end dates are required', severity: 'error' },
        { when: 'end_date < start_date', column: lit(r.end!), value: 'end_date', message: 'the experiment ends before it starts', severity: 'error' },
        { when: 'value IS NULL', column: 'src', value: 'value', message: 'the lift is empty', severity: 'error' },
        { when: 'lift_se <= 0', column: lit(r.lift_se ?? ''), value: 'lift_se', message: 'the standard error must be positive', severity: 'error' },
        ...numberChecks('any', 'lift'),
      ],
      insert: (ds) => `INSERT INTO experiments SELECT ${lit(ds)}, channel, geo, start_date, end_date, value, lift_se FROM norm ORDER BY rid`,
    };
  }
  // summary, conversions, factors: stored as codes by observations.ts.
  throw internal(`normalize: ${plan.layout} rows are staged by ingest/observations.ts`);
}
