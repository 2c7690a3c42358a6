/**
 * Forecasts: the expected outcome per period (or per calendar month) after the data, with prediction
 * intervals that carry every uncertainty the model knows of. A forecast is a sum of per-draw pieces,
 * then observation noise per draw, and its interval is equal-tailed over the samples (default 90%).
 *
 * With a model that can draw its own future (`FittedModel.futureDraws`: the Bayesian family), per
 * posterior draw:
 * - Base: intercept, the trend continued past the data with the draw's slope (parameter uncertainty of
 *   the extrapolation: the slope's posterior), the Fourier seasonality at the future dates, and the
 *   carry-in (adstock of spend before the forecast still acting in it, through the draw's transforms).
 * - Controls: at their values when they are known (a back-test passes those of the held-out periods);
 *   otherwise unknown, so the draw takes the control's in-sample contribution over a block of
 *   consecutive periods starting at a random in-sample period (a circular block bootstrap: the
 *   control's own spread and autocorrelation, around its in-sample mean, enter the interval).
 * - Media: a plan's curves, per draw (`forecastPlan`), spread over time by the reference pattern
 *   convolved with the channel's adstock weights; or the model's media of the actual future activity
 *   (`forecastOutcome`, for back-tests).
 * - Noise: Normal(0, σ_d) per period, σ_d the draw's likelihood sd in the outcome's units (summed over
 *   geos in quadrature), as the fit's posterior predictive check draws it (bayesian/posterior.ts).
 * - Baseline drift beyond the trend: a random walk whose step sd is what the in-sample residuals show of
 *   a level that wanders (`residualDrift`: 0 when they are white), so a baseline the model does not
 *   follow widens the interval the further ahead it reaches.
 * Families without `futureDraws` (the classic ones): the base from the posterior-mean decomposition
 * summed over geos (intercept and trend at their last value, the trend held flat; seasonality from the
 * same date a year earlier; other pieces at their mean over the last 4 periods), carry-in valued at each
 * channel's return per unit of adstocked spend in the last period, noise with the sd of the in-sample
 * residuals; controls and drift as above.
 *
 * Each draw's pieces are sampled `replicates` times with fresh noise (≥ 2,000 samples in all), so the
 * interval's tails do not rest on a hundred values.
 */
import { quantiles } from '../analysis/index.ts';
import { badInput, internal } from '../errors.ts';
import { Rng } from '../inference/index.ts';
import type { FittedModel, FutureDraws } from '../models/fitted.ts';
import type { ModelCurve } from './model.ts';

export interface ForecastPeriod { period: string; base: number; media: number; expected: number; expectedInterval: [number, number] }

/** What the intervals are made of (see the module comment). */
export interface ForecastUncertainty {
  /** 'posterior-predictive': per-draw base, media and noise from the model; 'residual': posterior-mean base, media draws, residual noise. */
  method: 'posterior-predictive' | 'residual';
  /** How controls enter: at their given values, 'unknown' (block bootstrap of their in-sample contribution), or 'none' (the model has none). */
  controls: 'given' | 'unknown' | 'none';
  /** Mean sd of the observation noise per period (outcome units, summed over geos). */
  noiseSd: number;
  /** Step sd of the baseline drift per period (outcome units; 0 when the in-sample residuals show none). */
  driftStep: number;
  /** Samples behind each interval (draws × replicates). */
  samples: number;
}

export interface Forecast {
  grain: 'period' | 'month';
  periods: ForecastPeriod[];
  total: { expected: number; expectedInterval: [number, number]; media: number; base: number };
  /** Effect of spend before the plan period acting in it (in the base), summed over the plan periods. */
  carryIn: number;
  /** Mean media effect of the plan's spend that falls after the plan period (adstock tail). */
  carryOverAfter: number;
  /** Sd of the noise added per period (= uncertainty.noiseSd). */
  residualSd: number;
  uncertainty: ForecastUncertainty;
}

const DAY = 86_400_000;
const addDays = (iso: string, n: number) => new Date(Date.parse(`${iso}T00:00:00Z`) + n * DAY).toISOString().slice(0, 10);
const addMonths = (iso: string, n: number) => { const d = new Date(`${iso}T00:00:00Z`); d.setUTCMonth(d.getUTCMonth() + n); return d.toISOString().slice(0, 10); };

/** Step between periods: a month or a year (calendar steps) when dates are about that far apart, else a fixed number of days. */
export function periodStep(dates: string[]): { months: number } | { days: number } {
  if (dates.length < 2) return { days: 7 };
  const diffs = dates.slice(1).map((d, i) => Math.round((Date.parse(d) - Date.parse(dates[i])) / DAY)).sort((a, b) => a - b);
  const med = diffs[diffs.length >> 1];
  return med >= 28 && med <= 31 ? { months: 1 } : med >= 365 && med <= 366 ? { months: 12 } : { days: med };
}

/**
 * Periods between the data's last date and `start` (1 = the next period). BAD_INPUT unless `start` is a
 * later period on the data's calendar (same weekday for weekly data, same day of month for monthly).
 */
export function periodsAhead(dates: string[], start: string): number {
  const last = dates[dates.length - 1], step = periodStep(dates);
  for (let k = 1; k <= 520; k++) {
    const d = 'months' in step ? addMonths(last, step.months * k) : addDays(last, step.days * k);
    if (d === start) return k;
    if (d > start) break;
  }
  throw badInput(`plan start '${start}' must be a period after the data's last (${last}) on the same calendar (every ${'months' in step ? (step.months === 12 ? 'year' : 'month') : `${step.days} days`})`);
}

export function futureDates(dates: string[], n: number, ahead = 1): string[] {
  const step = periodStep(dates), last = dates[dates.length - 1];
  return Array.from({ length: n }, (_, k) => ('months' in step ? addMonths(last, step.months * (k + ahead)) : addDays(last, step.days * (k + ahead))));
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
  /** Raw control values per [g, p, k] in the plan periods when they are known; default unknown. */
  controls?: Float64Array;
  /** Organic channels' volume as a multiple of their last year's (FutureRequest.organic); default held. */
  organic?: Record<string, number>;
}

/** Forecast of a plan: base + the plan's media from its curves + noise, per period of the plan. */
export function forecastPlan(input: ForecastInput): Forecast {
  const { fitted, curves, periods: P } = input;
  const weight = input.weight ?? 1;
  const ahead = input.start ? periodsAhead(fitted.dates, input.start) : 1;
  const dates = futureDates(fitted.dates, P, ahead);
  const nd = curves[0]?.perDraw.length ?? fitted.nDraws;
  const base = baseDraws(fitted, P, ahead, nd, input.controls, input.seed ?? 1, undefined, input.organic);

  // Media per draw and period.
  const media = Array.from({ length: P }, () => new Float64Array(nd));
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
      for (let d = 0; d < nd; d++) media[k][d] += share * total[d];
    }
    let tail = 0;
    for (let k = P; k < profile.length; k++) tail += profile[k] / sum;
    after += (weight * tail * total.reduce((a, b) => a + b, 0)) / nd;
  });
  if (weight !== 1) for (const row of media) for (let d = 0; d < nd; d++) row[d] *= weight;
  scale(base, weight);
  return assemble({ ...base, dates, media, grain: input.grain ?? 'period', mass: input.intervalMass ?? 0.9, seed: input.seed ?? 1, carryOverAfter: after });
}

export interface OutcomeForecastInput {
  fitted: FittedModel;
  /** Number of periods right after the data's last. */
  periods: number;
  /** Activity per [g, p, c] in those periods (the channel's exposure where the config names one, else spend). */
  activity: Float64Array;
  /** Raw control values per [g, p, k] in those periods when known (a back-test); default unknown. */
  controls?: Float64Array;
  grain?: 'period' | 'month';
  intervalMass?: number;
  seed?: number;
}

/**
 * Forecast of the outcome in the periods right after the data for a given activity per period (not a
 * plan's reference pattern): the model's own media of that activity, carry-over included. Needs a model
 * with `futureDraws` (the Bayesian family); a back-test of other families goes through `forecastPlan`.
 */
export function forecastOutcome(input: OutcomeForecastInput): Forecast {
  const { fitted, periods: P } = input;
  if (!fitted.futureDraws) throw badInput(`forecastOutcome: a ${fitted.family} model cannot draw its future; use forecastPlan`);
  const dates = futureDates(fitted.dates, P, 1);
  const fd = fitted.futureDraws({ dates, activity: input.activity, controls: input.controls });
  const base = baseDraws(fitted, P, 1, fd.nDraws, input.controls, input.seed ?? 1, fd);
  // baseDraws put the carry-in in the base; here the media of the periods include it (the model's media
  // of past and future activity together), so take it out of the base again.
  const carry = national(fd, fd.carryIn, 0, P);
  base.base.forEach((row, k) => { for (let d = 0; d < row.length; d++) row[d] -= carry[k][d]; });
  return assemble({ ...base, dates, media: national(fd, fd.media, 0, P), grain: input.grain ?? 'period', mass: input.intervalMass ?? 0.9, seed: input.seed ?? 1, carryOverAfter: 0 });
}

interface BaseDraws {
  /** [k][d]: base per period and draw (controls, carry-in included). */
  base: Float64Array[];
  /** [d]: sd of the noise per period. */
  noiseSd: Float64Array;
  driftStep: number;
  carryIn: number;
  method: ForecastUncertainty['method'];
  controls: ForecastUncertainty['controls'];
}

function scale(b: BaseDraws, w: number): void {
  if (w === 1) return;
  for (const row of b.base) for (let d = 0; d < row.length; d++) row[d] *= w;
  for (let d = 0; d < b.noiseSd.length; d++) b.noiseSd[d] *= Math.abs(w);
  b.driftStep *= Math.abs(w);
  b.carryIn *= w;
}

/** Σ over geos of a [d, g, p] array, periods [from, from + P), as [p][d]. */
function national(fd: FutureDraws, x: Float64Array, from: number, P: number): Float64Array[] {
  const { nDraws: n, geos: G, periods: H } = fd;
  return Array.from({ length: P }, (_, k) => {
    const out = new Float64Array(n);
    for (let d = 0; d < n; d++) for (let g = 0; g < G; g++) out[d] += x[(d * G + g) * H + from + k];
    return out;
  });
}

/**
 * The base per draw over the P periods starting `ahead` periods after the data's last (1 = the next),
 * its noise sd per draw and the drift step: from the model's own future draws when it has them, else
 * from the posterior-mean decomposition.
 */
function baseDraws(fitted: FittedModel, P: number, ahead: number, nd: number, controls: Float64Array | undefined, seed: number, given?: FutureDraws, organic?: Record<string, number>): BaseDraws {
  const T = fitted.dates.length, G = fitted.geos.length || 1;
  const dec = fitted.decomposition();
  const nationalSeries = (x: Float64Array) => Float64Array.from({ length: T }, (_, t) => { let s = 0; for (let g = 0; g < G; g++) s += x[g * T + t]; return s; });
  const controlNames = Object.keys(dec.components).filter((k) => k.startsWith('control:'));
  const drift = residualDrift(fitted, dec.predicted);
  let base: Float64Array[], noiseSd: Float64Array, carryIn: number, method: ForecastUncertainty['method'];
  if (fitted.futureDraws) {
    const H = ahead + P - 1;
    let full: Float64Array | undefined;
    if (controls) {
      const K = controls.length / (G * P);
      if (!Number.isInteger(K)) throw badInput(`forecast: ${controls.length} control values for ${G} geos × ${P} periods`);
      full = new Float64Array(G * H * K);
      for (let g = 0; g < G; g++) for (let k = 0; k < P; k++) for (let q = 0; q < K; q++) full[(g * H + ahead - 1 + k) * K + q] = controls[(g * P + k) * K + q];
    }
    // Organic channels go on at their volume (times the plan's scenario, when it has one), in the carry-in.
    const fd = given ?? fitted.futureDraws({ dates: futureDates(fitted.dates, H, 1), controls: full, ...(organic ? { organic } : {}) });
    if (fd.nDraws !== nd) throw internal(`forecast: the model gives ${fd.nDraws} draws, the curves ${nd}`);
    const b = national(fd, fd.base, ahead - 1, P), c = national(fd, fd.controls, ahead - 1, P), carry = national(fd, fd.carryIn, ahead - 1, P);
    base = b.map((row, k) => row.map((v, d) => v + c[k][d] + carry[k][d]));
    carryIn = carry.reduce((s, row) => s + row.reduce((a, v) => a + v, 0) / nd, 0);
    noiseSd = new Float64Array(nd);
    for (let d = 0; d < nd; d++) { let s = 0; for (let g = 0; g < G; g++) s += fd.sigma[d * G + g] ** 2; noiseSd[d] = Math.sqrt(s); }
    method = 'posterior-predictive';
  } else {
    const mean = posteriorMeanBase(fitted, dec, P, ahead);
    base = mean.base.map((v) => new Float64Array(nd).fill(v));
    carryIn = mean.carryIn;
    noiseSd = new Float64Array(nd).fill(mean.residualSd);
    method = 'residual';
  }
  // Unknown controls: a block of their in-sample contribution (centred) per draw.
  let controlMode: ForecastUncertainty['controls'] = controlNames.length === 0 ? 'none' : controls ? 'given' : 'unknown';
  if (controlMode === 'unknown') {
    const series = new Float64Array(T);
    for (const name of controlNames) nationalSeries(dec.components[name]).forEach((v, t) => { series[t] += v; });
    const m = series.reduce((a, b) => a + b, 0) / T;
    const starts = Array.from({ length: T }, (_, t) => t).filter((t) => fitted.inSample[t]);
    const rng = new Rng(seed * 7919 + 17);
    for (let d = 0; d < nd; d++) {
      const s0 = starts[rng.int(starts.length)];
      for (let k = 0; k < P; k++) base[k][d] += series[(s0 + k) % T] - m;
    }
  }
  if (controlNames.length === 0) controlMode = 'none';
  return { base, noiseSd, driftStep: drift, carryIn, method, controls: controlMode };
}

/**
 * The base of a model without `futureDraws`, from its posterior-mean decomposition summed over geos:
 * intercept and trend at their last value (held flat), controls at their mean over the data, the
 * seasonality component from the same date a year earlier (364 days back for weekly and daily data, 12
 * months for monthly; 0 where the data do not reach back a year), anything else at its mean over the
 * last 4 periods; plus the carry-in, valued at each channel's return per unit of adstocked spend in the
 * last observed period.
 */
function posteriorMeanBase(fitted: FittedModel, dec: ReturnType<FittedModel['decomposition']>, P: number, ahead: number): { base: number[]; carryIn: number; residualSd: number } {
  const T = fitted.dates.length, G = fitted.geos.length || 1;
  const national = (x: Float64Array) => Float64Array.from({ length: T }, (_, t) => { let s = 0; for (let g = 0; g < G; g++) s += x[g * T + t]; return s; });
  // National residual over the observed cells (an unbalanced panel's unobserved ones have no actual).
  const residual = national(Float64Array.from(fitted.actual, (a, i) => (fitted.observed[i] ? a - dec.predicted[i] : 0)));
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
  for (let t = 0; t < T; t++) if (fitted.inSample[t]) { ss += residual[t] ** 2; n++; }
  const residualSd = n ? Math.sqrt(ss / n) : 0;
  const dates = futureDates(fitted.dates, P, ahead);
  const step = periodStep(fitted.dates);
  const index = new Map(fitted.dates.map((d, t) => [d, t]));
  const base = dates.map((d) => {
    const back = 'months' in step ? addMonths(d, -12) : addDays(d, -364);
    const t = index.get(back);
    return level + (t === undefined ? 0 : season[t]);
  });
  const C = fitted.channels.length;
  let carryIn = 0;
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
      base[k] += perUnit * a;
      carryIn += perUnit * a;
    }
  });
  return { base, carryIn, residualSd };
}

/**
 * Step sd of a random walk in the baseline beyond what the model follows, from its in-sample residuals
 * (national, actual − posterior-mean prediction): if r_t = level_t + noise_t with a level that takes
 * steps of sd η, then half the mean squared difference of residuals k periods apart (the variogram) is
 * σ² + k·η²/2. A least-squares line through the variogram at lags 1…min(13, n/4) gives η² = 2·slope
 * (0 when the slope is not positive: white residuals, a baseline the model follows). The fit's trend has
 * already absorbed part of any wandering in the data it saw, so this is a floor, not an estimate of all
 * the baseline can do.
 */
export function residualDrift(fitted: FittedModel, predicted: Float64Array): number {
  const T = fitted.dates.length, G = fitted.geos.length || 1;
  const r: number[] = [];
  for (let t = 0; t < T; t++) {
    if (!fitted.inSample[t]) continue;
    let s = 0;
    for (let g = 0; g < G; g++) if (fitted.observed[g * T + t]) s += fitted.actual[g * T + t] - predicted[g * T + t];
    r.push(s);
  }
  const n = r.length, K = Math.min(13, Math.floor(n / 4));
  if (K < 3) return 0;
  const lags: number[] = [], v: number[] = [];
  for (let k = 1; k <= K; k++) {
    let s = 0;
    for (let t = 0; t + k < n; t++) s += (r[t + k] - r[t]) ** 2;
    lags.push(k); v.push(s / (2 * (n - k)));
  }
  const mk = lags.reduce((a, b) => a + b, 0) / K, mv = v.reduce((a, b) => a + b, 0) / K;
  let sxy = 0, sxx = 0;
  for (let i = 0; i < K; i++) { sxy += (lags[i] - mk) * (v[i] - mv); sxx += (lags[i] - mk) ** 2; }
  const slope = sxy / sxx;
  return slope > 0 ? Math.sqrt(2 * slope) : 0;
}

interface AssembleInput extends BaseDraws {
  dates: string[];
  media: Float64Array[];
  grain: 'period' | 'month';
  mass: number;
  seed: number;
  carryOverAfter: number;
}

/** Samples (draw × replicate) of base + media + drift + noise per period, grouped and summarized. */
function assemble(x: AssembleInput): Forecast {
  const P = x.dates.length, nd = x.noiseSd.length;
  const R = Math.max(1, Math.ceil(2000 / nd)), S = nd * R;
  const rng = new Rng(x.seed);
  const samples = Array.from({ length: P }, () => new Float64Array(S));
  for (let s = 0; s < S; s++) {
    const d = s % nd;
    let walk = 0;
    for (let k = 0; k < P; k++) {
      if (x.driftStep > 0) walk += x.driftStep * rng.normal();
      samples[k][s] = x.base[k][d] + x.media[k][d] + walk + x.noiseSd[d] * rng.normal();
    }
  }
  const meanOf = (v: Float64Array) => v.reduce((a, b) => a + b, 0) / v.length;
  const groups = new Map<string, number[]>();
  x.dates.forEach((d, k) => { const key = x.grain === 'month' ? d.slice(0, 7) : d; groups.set(key, [...(groups.get(key) ?? []), k]); });
  const lo = (1 - x.mass) / 2, hi = (1 + x.mass) / 2;
  const periods: ForecastPeriod[] = [...groups].map(([period, ks]) => {
    const sum = new Float64Array(S);
    let b = 0, m = 0;
    for (const k of ks) { b += meanOf(x.base[k]); m += meanOf(x.media[k]); for (let s = 0; s < S; s++) sum[s] += samples[k][s]; }
    const [l, h] = quantiles(sum, [lo, hi]);
    return { period, base: b, media: m, expected: b + m, expectedInterval: [l, h] };
  });
  const total = new Float64Array(S);
  for (const row of samples) for (let s = 0; s < S; s++) total[s] += row[s];
  const baseTotal = periods.reduce((a, p) => a + p.base, 0), mediaTotal = periods.reduce((a, p) => a + p.media, 0);
  const [tl, th] = quantiles(total, [lo, hi]);
  const noiseSd = meanOf(x.noiseSd);
  return {
    grain: x.grain, periods, total: { expected: baseTotal + mediaTotal, expectedInterval: [tl, th], base: baseTotal, media: mediaTotal },
    carryIn: x.carryIn, carryOverAfter: x.carryOverAfter, residualSd: noiseSd,
    uncertainty: { method: x.method, controls: x.controls, noiseSd, driftStep: x.driftStep, samples: S },
  };
}

/** Coverage of a forecast's intervals against their mass, with a warning when it is too low to be chance. */
export interface CoverageCheck {
  inside: number; periods: number; coverage: number; mass: number;
  /** P(at most `inside` of `periods` actuals inside) if each were inside with probability `mass`. */
  pValue: number;
  warning?: string;
}

/**
 * Warns when the intervals held fewer actuals than their mass says, beyond what chance explains on so
 * few periods: a binomial tail below 5% (13 periods at 90%: 9 or fewer inside). Forecast errors of
 * neighbouring periods are correlated, so this is a lenient test; a coverage below the mass that passes
 * it is reported, not warned about.
 */
export function coverageCheck(inside: number, periods: number, mass = 0.9): CoverageCheck {
  let pValue = 0;
  for (let k = 0; k <= inside; k++) pValue += binomial(periods, k) * mass ** k * (1 - mass) ** (periods - k);
  const coverage = periods ? inside / periods : NaN;
  const pct = (v: number) => `${Math.round(100 * v)}%`;
  const warning = periods > 0 && pValue < 0.05
    ? `LOW COVERAGE: ${pct(mass)} intervals held ${pct(coverage)} of actuals (${inside} of ${periods}); if they were right, so few would fall inside with probability ${pValue < 0.001 ? '< 0.001' : pValue.toFixed(3)}. The forecast is surer of itself than it should be: its bias, the controls or a change in the baseline after the fit's data may explain it.`
    : undefined;
  return { inside, periods, coverage, mass, pValue: Math.min(1, pValue), ...(warning ? { warning } : {}) };
}

function binomial(n: number, k: number): number {
  let r = 1;
  for (let i = 1; i <= k; i++) r = (r * (n - k + i)) / i;
  return r;
}
