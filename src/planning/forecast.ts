/**
 * Forecast of a plan: the expected outcome per period (or per calendar month) over the plan period,
 * with intervals, as base + media + noise.
 *
 * - Base (what the model predicts without media), from the decomposition, summed over geos: intercept
 *   and trend at their last value (the trend is not extrapolated), controls at their mean over the data
 *   (their future values are unknown), the seasonality component from the same date one year earlier
 *   (364 days back for weekly and daily data, 12 months for monthly; 0 where the data do not reach back
 *   a year), any other component at its mean over the last 4 periods.
 * - Media: each curve's incremental outcome at the plan's spend, one value per draw (carry-over out of
 *   the plan period included, see model.ts), spread over time by the reference pattern convolved with
 *   the channel's adstock weights; the part that falls after the plan period is reported as
 *   `carryOverAfter`, not in the periods.
 * - Carry-in: the effect of spend before the plan period that still acts in it (adstock of the last
 *   observed periods, valued at each channel's return per unit of adstocked spend in the last period),
 *   added to the base (it happens whatever the plan).
 * - Noise: a normal with the standard deviation of the model's in-sample residuals (summed over geos),
 *   drawn per draw and period with a seeded generator, so intervals are prediction intervals.
 * Intervals are equal-tailed over draws (default 90%).
 */
import { quantiles } from '../analysis/index.ts';
import { badInput } from '../errors.ts';
import { Rng } from '../inference/index.ts';
import type { FittedModel } from '../models/fitted.ts';
import type { ModelCurve } from './model.ts';

export interface ForecastPeriod { period: string; base: number; media: number; expected: number; expectedInterval: [number, number] }
export interface Forecast {
  grain: 'period' | 'month';
  periods: ForecastPeriod[];
  total: { expected: number; expectedInterval: [number, number]; media: number; base: number };
  /** Effect of spend before the plan period acting in it (in the base), summed over the plan periods. */
  carryIn: number;
  /** Mean media effect of the plan's spend that falls after the plan period (adstock tail). */
  carryOverAfter: number;
  residualSd: number;
}

const DAY = 86_400_000;
const addDays = (iso: string, n: number) => new Date(Date.parse(`${iso}T00:00:00Z`) + n * DAY).toISOString().slice(0, 10);
const addMonths = (iso: string, n: number) => { const d = new Date(`${iso}T00:00:00Z`); d.setUTCMonth(d.getUTCMonth() + n); return d.toISOString().slice(0, 10); };

/** Step between periods: 'month' when dates are about a month apart, else a fixed number of days. */
export function periodStep(dates: string[]): { months: number } | { days: number } {
  if (dates.length < 2) return { days: 7 };
  const diffs = dates.slice(1).map((d, i) => Math.round((Date.parse(d) - Date.parse(dates[i])) / DAY)).sort((a, b) => a - b);
  const med = diffs[diffs.length >> 1];
  return med >= 28 && med <= 31 ? { months: 1 } : { days: med };
}

/**
 * Periods between the data's last date and `start` (1 = the next period). BAD_INPUT unless `start` is a
 * later period on the data's calendar (same weekday for weekly data, same day of month for monthly).
 */
export function periodsAhead(dates: string[], start: string): number {
  const last = dates[dates.length - 1], step = periodStep(dates);
  for (let k = 1; k <= 520; k++) {
    const d = 'months' in step ? addMonths(last, k) : addDays(last, step.days * k);
    if (d === start) return k;
    if (d > start) break;
  }
  throw badInput(`plan start '${start}' must be a period after the data's last (${last}) on the same calendar (every ${'months' in step ? 'month' : `${step.days} days`})`);
}

export function futureDates(dates: string[], n: number, ahead = 1): string[] {
  const step = periodStep(dates), last = dates[dates.length - 1];
  return Array.from({ length: n }, (_, k) => ('months' in step ? addMonths(last, k + ahead) : addDays(last, step.days * (k + ahead))));
}

export interface ForecastInput {
  fitted: FittedModel;
  curves: ModelCurve[];
  /** Plan spend per curve (same order as curves). */
  spend: number[];
  periods: number;
  grain?: 'period' | 'month';
  intervalMass?: number;
  seed?: number;
  /** First date of the plan period (default: the period after the data's last). */
  start?: string;
  /** Multiply the media (and the base) by this weight (joint plans); default 1. */
  weight?: number;
}

export function forecastPlan(input: ForecastInput): Forecast {
  const { fitted, curves, periods: P } = input;
  const mass = input.intervalMass ?? 0.9;
  const weight = input.weight ?? 1;
  const T = fitted.dates.length, G = fitted.geos.length || 1;
  const dec = fitted.decomposition();
  const national = (x: Float64Array) => Float64Array.from({ length: T }, (_, t) => { let s = 0; for (let g = 0; g < G; g++) s += x[g * T + t]; return s; });
  const predicted = national(dec.predicted), actual = national(fitted.actual);
  // Base pieces: seasonality from a year earlier (below); trend and intercept at their last value (held
  // flat); controls (future values unknown) at their mean over the data; anything else at its mean over
  // the last 4 periods.
  const season = dec.components.seasonality ? national(dec.components.seasonality) : new Float64Array(T);
  const recent = Math.min(4, T);
  let level = 0;
  for (const [name, series] of Object.entries(dec.components)) {
    if (name === 'seasonality') continue;
    const x = national(series);
    if (name === 'intercept' || name === 'trend') level += x[T - 1];
    else if (name.startsWith('control:')) level += x.reduce((a, b) => a + b, 0) / T;
    else { let s = 0; for (let t = T - recent; t < T; t++) s += x[t]; level += s / recent; }
  }
  let ss = 0, n = 0;
  for (let t = 0; t < T; t++) if (fitted.inSample[t]) { ss += (actual[t] - predicted[t]) ** 2; n++; }
  const residualSd = n ? Math.sqrt(ss / n) : 0;

  const ahead = input.start ? periodsAhead(fitted.dates, input.start) : 1;
  const dates = futureDates(fitted.dates, P, ahead);
  const step = periodStep(fitted.dates);
  const index = new Map(fitted.dates.map((d, t) => [d, t]));
  const base = dates.map((d) => {
    const back = 'months' in step ? addMonths(d, -12) : addDays(d, -364);
    const t = index.get(back);
    return weight * (level + (t === undefined ? 0 : season[t]));
  });

  // Media per draw and period.
  const nd = curves[0]?.perDraw.length ?? 1;
  const draws = Array.from({ length: P }, () => new Float64Array(nd));
  let after = 0;
  curves.forEach((c, j) => {
    const total = c.draws!(input.spend[j]);
    const w = fitted.adstockWeights(c.channelIndex);
    const L = w.length, x = c.pattern;
    const profile = new Float64Array(x.length + L - 1);
    for (let k = 0; k < x.length; k++) for (let l = 0; l < L; l++) profile[k + l] += x[k] * w[l];
    const sum = profile.reduce((a, b) => a + b, 0);
    if (!(sum > 0)) return;
    for (let k = 0; k < P && k < profile.length; k++) {
      const share = profile[k] / sum;
      for (let d = 0; d < nd; d++) draws[k][d] += weight * share * total[d];
    }
    let tail = 0;
    for (let k = P; k < profile.length; k++) tail += profile[k] / sum;
    after += (weight * tail * total.reduce((a, b) => a + b, 0)) / nd;
  });
  // Carry-in: the adstock of spend before the plan period still acting in it, valued at each channel's
  // average return per unit of adstocked spend over the last observed period (linear in the tail).
  const C = fitted.channels.length;
  const carryIn = new Float64Array(P);
  fitted.channels.forEach((name, c) => {
    const w = fitted.adstockWeights(c), L = w.length;
    const contribution = national(dec.channels[name]);
    const x = Float64Array.from({ length: T }, (_, t) => { let s = 0; for (let g = 0; g < G; g++) s += fitted.spend[(g * T + t) * C + c]; return s; });
    let adstocked = 0;
    for (let l = 0; l < L && l < T; l++) adstocked += w[l] * x[T - 1 - l];
    if (!(adstocked > 0)) return;
    const perUnit = contribution[T - 1] / adstocked;
    for (let k = 0; k < P; k++) {
      let a = 0;
      const kk = k + ahead - 1; // periods after the data's last
      for (let l = kk + 1; l < L; l++) if (T + kk - l >= 0) a += w[l] * x[T + kk - l];
      carryIn[k] += weight * perUnit * a;
    }
  });
  for (let k = 0; k < P; k++) base[k] += carryIn[k];
  const rng = new Rng(input.seed ?? 1);
  const noisy = draws.map((row, k) => Float64Array.from(row, (v) => base[k] + v + residualSd * weight * rng.normal()));
  const meanOf = (x: Float64Array) => x.reduce((a, b) => a + b, 0) / x.length;

  // Group into output periods (each plan period, or calendar months).
  const groups = new Map<string, number[]>();
  dates.forEach((d, k) => { const key = input.grain === 'month' ? d.slice(0, 7) : d; groups.set(key, [...(groups.get(key) ?? []), k]); });
  const lo = (1 - mass) / 2, hi = (1 + mass) / 2;
  const out: ForecastPeriod[] = [...groups].map(([period, ks]) => {
    const sumDraws = new Float64Array(nd), sumMedia = new Float64Array(nd);
    let b = 0;
    for (const k of ks) { b += base[k]; for (let d = 0; d < nd; d++) { sumDraws[d] += noisy[k][d]; sumMedia[d] += draws[k][d]; } }
    const m = meanOf(sumMedia);
    const [l, h] = quantiles(sumDraws, [lo, hi]);
    return { period, base: b, media: m, expected: b + m, expectedInterval: [l, h] };
  });
  const totalDraws = new Float64Array(nd);
  noisy.forEach((row) => row.forEach((v, d) => { totalDraws[d] += v; }));
  const baseTotal = base.reduce((a, b) => a + b, 0), mediaTotal = out.reduce((a, p) => a + p.media, 0);
  const [tl, th] = quantiles(totalDraws, [lo, hi]);
  return { grain: input.grain ?? 'period', periods: out, total: { expected: baseTotal + mediaTotal, expectedInterval: [tl, th], base: baseTotal, media: mediaTotal }, carryIn: carryIn.reduce((a, b) => a + b, 0), carryOverAfter: after, residualSd };
}
