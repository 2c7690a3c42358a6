/**
 * From a validated config and a wide table (a row per date and geo) to the arrays every model family
 * fits: outcome, spend, exposure and controls as Float64Arrays in [geo, time, channel] order, calendar
 * features, and the holdout split. Checks that every named column exists and holds clean numbers,
 * naming the file, row and column of the first bad value.
 */
import type { TableGrain } from '../calendar.ts';
import { refuseDegenerateTarget, refuseExplainedByControls, refuseTargetAsInput } from './targetChecks.ts';
import { badConfig, badFile } from '../errors.ts';
import type { ModelConfig } from './config.ts';

/** A wide table, column by column, as the data layer reads it. Row i is line i + 2 of the file. */
export interface WideTable {
  source: string;
  rowCount: number;
  columns: Record<string, (string | number | null)[]>;
  /** File line of each row (header = line 1); default i + 2. */
  lines?: number[];
}

export type Grain = 'day' | TableGrain;

export interface ModelData {
  dates: string[];
  geos: string[];
  grain: Grain;
  /** Periods T, geos G (1 for a national model), channels C, controls K. */
  T: number; G: number; C: number; K: number;
  channels: string[];
  controls: string[];
  controlSigns: ('auto' | 'positive' | 'negative')[];
  /** Outcome per [g, t] in the target's units. */
  y: Float64Array;
  /** Revenue per unit of outcome per [g, t] (1 for revenue targets). */
  revenuePerUnit: Float64Array;
  /** Spend per [g, t, c]; the activity the model sees per [g, t, c] (exposure when given, else spend). */
  spend: Float64Array;
  activity: Float64Array;
  /** Raw control values per [g, t, k]. */
  controlValues: Float64Array;
  /** Population per geo (1 when not given). */
  population: Float64Array;
  /** 1 for periods used in the fit, 0 for the holdout (the last `holdout.periods` dates). */
  inSample: Uint8Array;
  /** Fraction of a year elapsed at each date since 2000-01-01, for Fourier terms. */
  yearPhase: Float64Array;
  /** Days from the first date, scaled to [0, 1] over the data's range. */
  time01: Float64Array;
}

export function buildModelData(config: ModelConfig, table: WideTable): ModelData {
  const file = table.source;
  const line = (i: number) => table.lines?.[i] ?? i + 2;
  const col = (key: string, name: string) => {
    const values = table.columns[name];
    if (!values) throw badConfig(`${file}: \`${key}\` names column '${name}', which is not in the file; columns are: ${Object.keys(table.columns).join(', ')}`);
    return values;
  };
  const dateCol = col('data.date', config.data.date);
  const geoCol = config.data.geo ? col('data.geo', config.data.geo) : null;

  // Index rows by (geo, date); every combination must be present exactly once.
  const dateSet = new Set<string>();
  const geoSet = new Set<string>();
  const dateOf: string[] = [];
  for (let i = 0; i < table.rowCount; i++) {
    const d = normalizeDate(dateCol[i]);
    if (!d) throw badFile({ file, row: line(i), column: config.data.date, value: dateCol[i], message: 'not a date (expected YYYY-MM-DD)' });
    dateOf.push(d);
    dateSet.add(d);
    geoSet.add(geoCol ? String(geoCol[i] ?? '') : 'national');
  }
  if (table.rowCount === 0) throw badFile({ file, message: 'has no data rows' });
  const dates = [...dateSet].sort();
  const geos = [...geoSet].sort();
  const T = dates.length, G = geos.length, C = config.channels.length;
  const tIndex = new Map(dates.map((d, t) => [d, t]));
  const gIndex = new Map(geos.map((g, i) => [g, i]));
  const rowAt = new Int32Array(G * T).fill(-1);
  for (let i = 0; i < table.rowCount; i++) {
    const g = gIndex.get(geoCol ? String(geoCol[i] ?? '') : 'national')!;
    const t = tIndex.get(dateOf[i])!;
    if (rowAt[g * T + t] >= 0) {
      throw badFile({ file, row: line(i), column: config.data.date, value: dateOf[i], message: `duplicate row for ${geoCol ? `geo '${geos[g]}' and ` : ''}date ${dateOf[i]} (first at row ${line(rowAt[g * T + t])})` });
    }
    rowAt[g * T + t] = i;
  }
  const missing = rowAt.indexOf(-1);
  if (missing >= 0) {
    throw badFile({ file, message: `no row for ${geoCol ? `geo '${geos[Math.floor(missing / T)]}' and ` : ''}date ${dates[missing % T]}: every geo needs every date` });
  }

  const numeric = (key: string, name: string, opts: { nonNegative?: boolean; positive?: boolean } = {}) => {
    const values = col(key, name);
    const out = new Float64Array(G * T);
    for (let k = 0; k < G * T; k++) {
      const i = rowAt[k];
      const v = values[i];
      const x = typeof v === 'number' ? v : v === null || v === '' ? NaN : Number(v);
      if (!Number.isFinite(x)) throw badFile({ file, row: line(i), column: name, value: v, message: 'not a finite number' });
      if (opts.nonNegative && x < 0) throw badFile({ file, row: line(i), column: name, value: v, message: 'must be >= 0' });
      if (opts.positive && x <= 0) throw badFile({ file, row: line(i), column: name, value: v, message: 'must be > 0' });
      out[k] = x;
    }
    return out;
  };

  const y = numeric('target.column', config.target.column, { nonNegative: true });
  refuseDegenerateTarget(file, config.target.column, y);
  const rpc = config.target.revenuePerConversion;
  const revenuePerUnit = typeof rpc === 'string' ? numeric('target.revenuePerConversion', rpc, { nonNegative: true })
    : new Float64Array(G * T).fill(typeof rpc === 'number' ? rpc : 1);
  const spend = new Float64Array(G * T * C);
  const activity = new Float64Array(G * T * C);
  config.channels.forEach((ch, c) => {
    const s = numeric(`channels[${c}].spend`, ch.spend, { nonNegative: true });
    const a = ch.exposure ? numeric(`channels[${c}].exposure`, ch.exposure, { nonNegative: true }) : s;
    refuseTargetAsInput(file, `channels[${c}].spend`, ch.spend, config.target.column, s, y, G);
    if (ch.exposure) refuseTargetAsInput(file, `channels[${c}].exposure`, ch.exposure, config.target.column, a, y, G);
    let total = 0;
    for (let k = 0; k < G * T; k++) { spend[k * C + c] = s[k]; activity[k * C + c] = a[k]; total += s[k]; }
    if (total <= 0) throw badConfig(`${file}: channel '${ch.name}' has no spend in column '${ch.spend}': a channel needs some spend to be measured`);
  });
  const controls = config.controls.map((c) => (typeof c === 'string' ? c : c.column));
  const controlSigns = config.controls.map((c) => (typeof c === 'string' ? 'auto' : c.sign));
  const K = controls.length;
  const controlValues = new Float64Array(G * T * K);
  controls.forEach((name, k) => {
    const v = numeric(`controls[${k}]`, name);
    refuseTargetAsInput(file, `controls[${k}]`, name, config.target.column, v, y, G);
    for (let i = 0; i < G * T; i++) controlValues[i * K + k] = v[i];
  });
  refuseExplainedByControls(file, config.target.column, y, controlValues, K, controls, G);
  const population = new Float64Array(G).fill(1);
  if (config.data.population) {
    const p = numeric('data.population', config.data.population, { positive: true });
    for (let g = 0; g < G; g++) population[g] = p[g * T];
  }

  const holdout = config.holdout.periods;
  if (holdout > 0 && holdout >= T - 8) throw badConfig(`\`holdout.periods\` must leave at least 8 periods to fit; got ${holdout} of ${T}`);
  const inSample = new Uint8Array(T).fill(1);
  for (let t = T - holdout; t < T; t++) inSample[t] = 0;
  const ms = dates.map((d) => Date.parse(`${d}T00:00:00Z`));
  const epoch = Date.UTC(2000, 0, 1);
  const yearPhase = Float64Array.from(ms, (m) => (m - epoch) / (365.25 * 86400000));
  const span = Math.max(ms[T - 1] - ms[0], 1);
  const time01 = Float64Array.from(ms, (m) => (m - ms[0]) / span);
  return {
    dates, geos, grain: detectGrain(ms), T, G, C, K, channels: config.channels.map((c) => c.name), controls, controlSigns,
    y, revenuePerUnit, spend, activity, controlValues, population, inSample, yearPhase, time01,
  };
}

/** Accepts ISO dates, ISO date-times and Excel-free strings the data layer has already normalized. */
function normalizeDate(v: string | number | null): string | null {
  if (typeof v !== 'string') return null;
  const m = /^(\d{4})-(\d{2})-(\d{2})/.exec(v.trim());
  if (!m) return null;
  const d = `${m[1]}-${m[2]}-${m[3]}`;
  return Number.isNaN(Date.parse(`${d}T00:00:00Z`)) ? null : d;
}

function detectGrain(ms: number[]): Grain {
  if (ms.length < 2) return 'week';
  const gaps = ms.slice(1).map((m, i) => (m - ms[i]) / 86400000).sort((a, b) => a - b);
  const median = gaps[Math.floor(gaps.length / 2)];
  // Months are 28–31 days apart (quarters too are read as months); a year is 365 or 366, so 300 is clear of both.
  return median <= 1.5 ? 'day' : median <= 10 ? 'week' : median < 300 ? 'month' : 'year';
}
