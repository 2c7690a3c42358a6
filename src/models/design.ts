/**
 * From a validated config and a wide table (a row per date and geo) to the arrays every model family
 * fits: outcome, spend, exposure and controls as Float64Arrays in [geo, time, channel] order, calendar
 * features, and the holdout split. Checks that every named column exists and holds clean numbers,
 * naming the file, row and column of the first bad value.
 *
 * Panels may be unbalanced: a geo may enter late, leave early or miss periods. A (geo, date) with no
 * row means the geo was not in the panel then: its media are zero (nothing ran there, and adstock
 * carries nothing across the gap that was not spent before it) and its outcome is unobserved — not
 * zero: the likelihood, the scales and every metric skip it (`observed`). An empty outcome cell in a
 * present row is unobserved too. An empty media cell in a present row is refused unless
 * `data.missingMedia` is 'zero': a blank there is as often a broken export as no spend.
 */
import type { TableGrain } from '../calendar.ts';
import { refuseDegenerateTarget, refuseExplainedByControls, refuseTargetAsInput } from './targetChecks.ts';
import { badConfig, badFile } from '../errors.ts';
import { organicChannels, paidChannels, type ModelConfig } from './config.ts';
import { sumSubchannels, type SubchannelSeries } from './subchannels.ts';

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
  /** Outcome per [g, t] in the target's units; NaN where not observed (read it only where `observed`). */
  y: Float64Array;
  /** 1 where the outcome of [g, t] is observed (a row exists and its outcome cell is not empty), else 0. */
  observed: Uint8Array;
  /**
   * 1 where [g, t] has a row: the geo is in the panel that period. Where 0 its media are zero and it
   * contributes nothing (no outcome, no revenue, no baseline) to any total or decomposition.
   */
  present: Uint8Array;
  /**
   * Revenue per unit of outcome per [g, t] (1 for revenue targets). Where the row is absent: the
   * constant, or the geo's mean of the column (the model weighs those cells by 0 through `present`).
   */
  revenuePerUnit: Float64Array;
  /** Spend per [g, t, c]; the activity the model sees per [g, t, c] (exposure when given, else spend). */
  spend: Float64Array;
  activity: Float64Array;
  /**
   * Organic channels (no spend): their names and activity per [g, t, o]. Absent or empty without them.
   * The Bayesian model appends them after the paid channels; analysis reports them as parts of the
   * outcome (`organic:NAME`), never with an ROI.
   */
  organic?: { names: string[]; activity: Float64Array };
  /**
   * Reach and frequency of the paid channels that have them, by channel index: reach (people reached)
   * and average frequency per [g, t]. Their `activity` is reach × frequency (impressions).
   */
  rf?: ({ reach: Float64Array; frequency: Float64Array } | null)[];
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
  /** Each sub-channel's own series (channels with `subchannels`: their sums are the channel's spend and activity); absent when none. */
  subchannels?: SubchannelSeries[];
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

  // Index rows by (geo, date); a combination may be absent (unbalanced panel) but not repeated.
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
  const paid = paidChannels(config), organic = organicChannels(config);
  const T = dates.length, G = geos.length, C = paid.length;
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
  const present = Uint8Array.from(rowAt, (i) => (i >= 0 ? 1 : 0));
  const missingMedia = config.data.missingMedia ?? 'refuse';
  const where = (k: number) => `${geoCol ? `geo '${geos[Math.floor(k / T)]}', ` : ''}date ${dates[k % T]}`;

  /**
   * A numeric column per [g, t]. `absent` fills the cells of absent rows; `empty` says what an empty
   * cell in a present row becomes ('refuse': an error naming geo, date and column).
   */
  const numeric = (key: string, name: string, opts: { nonNegative?: boolean; positive?: boolean; absent?: number; empty?: 'refuse' | 'nan' | 'zero' | 'media' } = {}) => {
    const values = col(key, name);
    const out = new Float64Array(G * T);
    for (let k = 0; k < G * T; k++) {
      const i = rowAt[k];
      if (i < 0) { out[k] = opts.absent ?? NaN; continue; }
      const v = values[i];
      if (v === null || v === '') {
        const empty = opts.empty === 'media' ? missingMedia : opts.empty ?? 'refuse';
        if (empty === 'nan') { out[k] = NaN; continue; }
        if (empty === 'zero') { out[k] = 0; continue; }
        const hint = opts.empty === 'media'
          ? `: an empty media cell is refused, not read as zero; if nothing ran there, fill it with 0 or set \`data.missingMedia\` to 'zero' (a geo with no row for a date is read as not in the panel then, and needs neither)`
          : '';
        throw badFile({ file, row: line(i), column: name, value: v, message: `empty (${where(k)})${hint}` });
      }
      const x = typeof v === 'number' ? v : Number(v);
      if (!Number.isFinite(x)) throw badFile({ file, row: line(i), column: name, value: v, message: 'not a finite number' });
      if (opts.nonNegative && x < 0) throw badFile({ file, row: line(i), column: name, value: v, message: 'must be >= 0' });
      if (opts.positive && x <= 0) throw badFile({ file, row: line(i), column: name, value: v, message: 'must be > 0' });
      out[k] = x;
    }
    return out;
  };

  const y = numeric('target.column', config.target.column, { nonNegative: true, empty: 'nan' });
  const observed = Uint8Array.from(y, (v) => (Number.isNaN(v) ? 0 : 1));
  // A holdout as long as the data is the config's mistake: say so before any geo looks unobserved.
  const inSample = holdoutMask(config, T);
  refuseUnobservedGeos(file, config.target.column, observed, geos, T, config.holdout.periods);
  refuseDegenerateTarget(file, config.target.column, y, observed);
  const rpc = config.target.revenuePerConversion;
  const revenuePerUnit = typeof rpc === 'string' ? numeric('target.revenuePerConversion', rpc, { nonNegative: true })
    : new Float64Array(G * T).fill(typeof rpc === 'number' ? rpc : 1);
  for (let g = 0; g < G; g++) {
    // Absent rows of a column: the geo's mean, so means and "is it constant" checks downstream read
    // the geo's own values (no revenue is counted there: prepare.ts weighs absent cells by 0).
    const cells = revenuePerUnit.subarray(g * T, (g + 1) * T);
    let s = 0, n = 0;
    cells.forEach((v, t) => { if (present[g * T + t]) { s += v; n++; } });
    cells.forEach((_, t) => { if (!present[g * T + t]) cells[t] = s / n; });
  }
  const spend = new Float64Array(G * T * C);
  const activity = new Float64Array(G * T * C);
  // Media columns: a geo's absent rows are zero; an empty cell in a present row follows `data.missingMedia`.
  const media = (key: string, name: string, o: { nonNegative?: boolean }) => numeric(key, name, { ...o, absent: 0, empty: 'media' });
  // Field paths name the channel's own entry in the config (organic channels sit between paid ones there).
  const at = (ch: { name: string }) => config.channels.findIndex((c) => c.name === ch.name);
  const rf: NonNullable<ModelData['rf']> = paid.map(() => null);
  const subchannels: SubchannelSeries[] = [];
  paid.forEach((ch, c) => {
    const i = at(ch);
    // Sub-channels: the model sees their sum; their own series stay for the analysis's split.
    const subs = ch.subchannels ? sumSubchannels({ ...ch, subchannels: ch.subchannels }, c, G * T, media,
      (k, column, value, message) => badFile({ file, row: line(rowAt[k]), column, value, message })) : null;
    if (subs) subchannels.push(...subs.series);
    subs?.series.forEach((x, j) => refuseTargetAsInput(file, `channels[${i}].subchannels[${j}].spend`, ch.subchannels![j].spend, config.target.column, x.spend, y, G, observed));
    const s = subs ? subs.spend : media(`channels[${i}].spend`, ch.spend!, { nonNegative: true });
    if (ch.spend) refuseTargetAsInput(file, `channels[${i}].spend`, ch.spend, config.target.column, s, y, G, observed);
    let a = subs ? subs.activity : s;
    if (ch.reach !== undefined && ch.frequency !== undefined) {
      const reach = media(`channels[${i}].reach`, ch.reach, { nonNegative: true });
      const frequency = media(`channels[${i}].frequency`, ch.frequency, { nonNegative: true });
      refuseFrequencyBelowOne(file, ch.frequency, frequency, reach, geos, dates, T, (k) => line(rowAt[k]));
      rf[c] = { reach, frequency };
      a = Float64Array.from(reach, (r, k) => r * frequency[k]);
    } else if (ch.exposure && !subs) {
      a = media(`channels[${i}].exposure`, ch.exposure, { nonNegative: true });
    }
    if (ch.exposure) refuseTargetAsInput(file, `channels[${i}].exposure`, ch.exposure, config.target.column, a, y, G, observed);
    let total = 0;
    for (let k = 0; k < G * T; k++) { spend[k * C + c] = s[k]; activity[k * C + c] = a[k]; total += s[k]; }
    const columns = ch.spend ? `column '${ch.spend}'` : `columns ${ch.subchannels!.map((x) => `'${x.spend}'`).join(', ')}`;
    if (total <= 0) throw badConfig(`${file}: channel '${ch.name}' has no spend in ${columns}: a channel needs some spend to be measured; a channel with activity and no spend (a newsletter, posts) is organic: give only its activity column`);
  });
  const O = organic.length;
  const organicActivity = new Float64Array(G * T * O);
  organic.forEach((ch, o) => {
    const i = at(ch), column = ch.exposure!;
    const a = media(`channels[${i}].exposure`, column, { nonNegative: true });
    refuseTargetAsInput(file, `channels[${i}].exposure`, column, config.target.column, a, y, G, observed);
    let total = 0;
    for (let k = 0; k < G * T; k++) { organicActivity[k * O + o] = a[k]; total += a[k]; }
    if (total <= 0) throw badConfig(`${file}: organic channel '${ch.name}' has no activity in column '${column}': it cannot be measured`);
  });
  const controls = config.controls.map((c) => (typeof c === 'string' ? c : c.column));
  const controlSigns = config.controls.map((c) => (typeof c === 'string' ? 'auto' : c.sign));
  const K = controls.length;
  const controlValues = new Float64Array(G * T * K);
  controls.forEach((name, k) => {
    const v = numeric(`controls[${k}]`, name, { empty: 'nan' });
    // A control may be empty only where the outcome is too (e.g. a harmonized table's rows for a geo
    // not yet in the panel): that cell is outside the likelihood. Beside an observed outcome it is refused.
    for (let i = 0; i < G * T; i++) {
      if (Number.isNaN(v[i]) && observed[i]) throw badFile({ file, row: line(rowAt[i]), column: name, value: null, message: `empty (${where(i)}) where the outcome is observed: a control needs a value wherever the outcome has one` });
    }
    // Absent rows and those empty cells take the control's mean over the others (0 once standardized):
    // a neutral value that keeps them out of its scale.
    let s = 0, n = 0;
    for (let i = 0; i < G * T; i++) if (present[i] && !Number.isNaN(v[i])) { s += v[i]; n++; }
    for (let i = 0; i < G * T; i++) if (!present[i] || Number.isNaN(v[i])) v[i] = s / n;
    refuseTargetAsInput(file, `controls[${k}]`, name, config.target.column, v, y, G, observed);
    for (let i = 0; i < G * T; i++) controlValues[i * K + k] = v[i];
  });
  refuseExplainedByControls(file, config.target.column, y, controlValues, K, controls, G, observed);
  const population = new Float64Array(G).fill(1);
  if (config.data.population) {
    const p = numeric('data.population', config.data.population, { positive: true });
    for (let g = 0; g < G; g++) population[g] = p[g * T + present.subarray(g * T, (g + 1) * T).indexOf(1)];
  }

  const ms = dates.map((d) => Date.parse(`${d}T00:00:00Z`));
  const epoch = Date.UTC(2000, 0, 1);
  const yearPhase = Float64Array.from(ms, (m) => (m - epoch) / (365.25 * 86400000));
  const span = Math.max(ms[T - 1] - ms[0], 1);
  const time01 = Float64Array.from(ms, (m) => (m - ms[0]) / span);
  return {
    dates, geos, grain: detectGrain(ms), T, G, C, K, channels: paid.map((c) => c.name), controls, controlSigns,
    y, observed, present, revenuePerUnit, spend, activity,
    ...(O ? { organic: { names: organic.map((c) => c.name), activity: organicActivity } } : {}),
    ...(rf.some((r) => r !== null) ? { rf } : {}),
    controlValues, population, inSample, yearPhase, time01,
    ...(subchannels.length ? { subchannels } : {}),
  };
}

/**
 * An average frequency below 1 where people were reached is not a frequency (exposures per person
 * reached are at least 1): usually the columns are swapped or frequency is a share.
 */
function refuseFrequencyBelowOne(file: string, column: string, frequency: Float64Array, reach: Float64Array, geos: string[], dates: string[], T: number, rowOf: (k: number) => number): void {
  const k = frequency.findIndex((f, i) => reach[i] > 0 && f < 1 - 1e-9);
  if (k < 0) return;
  const where = geos.length > 1 ? `geo '${geos[Math.floor(k / T)]}', ` : '';
  throw badFile({ file, row: rowOf(k), column, value: frequency[k], message: `${where}date ${dates[k % T]}: an average frequency is at least 1 where anyone was reached (exposures per person reached); check that the reach and frequency columns are not swapped` });
}

/**
 * Refuses a geo whose outcome is observed in no fit period: nothing would pin its level. Named so the
 * user can drop the geo or shorten the holdout.
 */
function refuseUnobservedGeos(file: string, column: string, observed: Uint8Array, geos: readonly string[], T: number, holdout: number): void {
  const fitT = Math.max(T - holdout, 0);
  geos.forEach((geo, g) => {
    if (observed.subarray(g * T, g * T + fitT).includes(1)) return;
    throw badFile({ file, column, message: `geo '${geo}' has no observed outcome in the fit periods (${holdout ? 'before the holdout' : 'any period'}): a geo needs some outcome to be fitted; leave it out of the data${holdout ? ' or shorten the holdout' : ''}` });
  });
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

/** 1 for the periods fitted, 0 for the holdout (the last `holdout.periods`); BAD_CONFIG when it leaves fewer than 8 to fit. */
function holdoutMask(config: ModelConfig, T: number): Uint8Array {
  const holdout = config.holdout.periods;
  if (holdout > 0 && holdout >= T - 8) throw badConfig(`\`holdout.periods\` must leave at least 8 periods to fit; got ${holdout} of the data's ${T} periods`);
  const inSample = new Uint8Array(T).fill(1);
  for (let t = T - holdout; t < T; t++) inSample[t] = 0;
  return inSample;
}
