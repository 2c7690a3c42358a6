/**
 * Response curves of a fitted model over a plan period, for the optimizer.
 *
 * Reference pattern: the last `periods` observed periods (the window [T − periods, T)) or `periods`
 * periods from a chosen date (e.g. last year's same quarter), per channel, or
 * per channel × geo with `byGeo`. A plan spending `s` on a curve spends the reference pattern scaled by
 * the multiplier m = s / reference, where reference is the curve's observed spend in the window.
 *
 * Carry-over, explicitly:
 * - *In*: spend before the window stays as observed, so the adstock it carries into the window sets where
 *   the window's spend lands on the saturation curve (the "last observed weeks" are accounted for); its
 *   own effect is not counted (it is the same with or without the plan).
 * - *Out*: the model's `response()` counts carry-over only inside the data, and the window ends with the
 *   data, so the effect of the window's last periods after the data's end would be lost. Each curve is
 *   divided by the captured fraction φ (for an earlier window, only the part past the data end is added) = Σₖ xₖ·Σ_{l < P−k} wₗ / Σₖ xₖ (x the reference pattern, w the
 *   channel's adstock weights): the tail is added back as if it had the window's average saturation —
 *   exact without saturation, an approximation with it. φ is reported per curve; with P ≥ the adstock's
 *   max lag it is close to 1.
 *
 * The model's response is evaluated per draw on a multiplier grid (0, then 2^(k/3) from ~0.01 to
 * max(4, 1.5·maxSpend/reference), the same nodes for every budget) and interpolated monotonically (analysis/interp.ts), so each call
 * of `expected` or `draws` costs a lookup, not a model evaluation.
 */
import { gridInterpolants, windowSpend, type Interpolant, type ResponseGrid } from '../analysis/index.ts';
import { badInput } from '../errors.ts';
import type { FittedModel } from '../models/fitted.ts';
import type { ResponseCurve } from './types.ts';

export interface ModelCurveOptions {
  /** Length of the plan period in the model's periods; the reference window is the last `periods` periods. */
  periods: number;
  /** First date of the reference window (default: the last `periods` periods). */
  start?: string;
  /** One curve per channel × geo (geo models); default one per channel (all geos scaled together). */
  byGeo?: boolean;
  /** The largest spend any curve must cover precisely (e.g. the budget); beyond it curves continue linearly. */
  maxSpend?: number;
  /** Grid nodes per doubling of spend (default 3): multipliers 2^(k/n) from ~0.01 up, the same for every budget. */
  perDoubling?: number;
  /**
   * Model responses at grid nodes (key `nodeKey(…)` → one value per draw), read and filled in: pass the
   * same map (e.g. stored in the workspace per model) to reuse them across plans. Default: an in-memory
   * cache per FittedModel object.
   */
  cache?: Map<string, Float64Array>;
  /** Reach & frequency channels held at an average frequency in the plan period (by channel name): their curves at the same impressions per unit of spend. */
  frequency?: Record<string, number>;
}

export interface ModelCurve extends ResponseCurve {
  channelIndex: number;
  geoIndex?: number;
  /** Fraction of the reference spend's effect the data window captures (see carry-over above). */
  captured: number;
  /** Reference spend per period of the window (the pattern the plan scales). */
  pattern: Float64Array;
  /** Largest spend in any `periods` consecutive observed periods: beyond it the curve is extrapolation. */
  observedMax: number;
  /** Interpolants on the spend axis (carry-over corrected): the mean, and one per draw. */
  mean: Interpolant;
  perDraw: Interpolant[];
}

/**
 * Multipliers 0 and 2^(k/n) for k from ⌊n·log2(0.01)⌋ until ≥ top: fixed nodes (1 among them), so curves
 * built for different budgets agree exactly where they overlap. Example: planGrid(2, 1) → [0, 2^-7 … 1, 2].
 */
export function planGrid(top: number, n: number): number[] {
  const out = [0];
  for (let k = Math.floor(n * Math.log2(0.01)); ; k++) { const m = Math.pow(2, k / n); out.push(m); if (m >= top) break; }
  return out;
}

/**
 * The reference window: the last `periods` periods, or `periods` periods from the date `start` (a date of
 * the data, e.g. last year's same quarter). BAD_INPUT when it does not fit in the data.
 */
export function referenceWindow(fitted: FittedModel, periods: number, start?: string): [number, number] {
  const T = fitted.dates.length;
  if (!Number.isInteger(periods) || periods < 1 || periods > T) throw badInput(`periods must be an integer from 1 to ${T} (the model's periods); got ${periods}`);
  if (start === undefined) return [T - periods, T];
  const t0 = fitted.dates.indexOf(start);
  if (t0 < 0) throw badInput(`reference.start '${start}' is not a period of the model's data (${fitted.dates[0]} to ${fitted.dates[T - 1]})`);
  if (t0 + periods > T) throw badInput(`reference.start '${start}' + ${periods} periods runs past the data's end (${fitted.dates[T - 1]})`);
  return [t0, t0 + periods];
}

/**
 * Share of the effect of `pattern` (spend per period) counted before the data end, given adstock weights
 * w, when `room` periods (default the pattern's length) remain from the pattern's start to the data end.
 * Example: pattern [1, 1], w [0.5, 0.5] → 0.75; with room 3 → 1.
 */
export function capturedFraction(pattern: ArrayLike<number>, w: ArrayLike<number>, room = pattern.length): number {
  const P = room;
  let wAll = 0;
  for (let l = 0; l < w.length; l++) wAll += w[l];
  let inside = 0, all = 0;
  for (let k = 0; k < pattern.length; k++) {
    let s = 0;
    for (let l = 0; l < Math.min(w.length, P - k); l++) s += w[l];
    inside += pattern[k] * s;
    all += pattern[k] * wAll;
  }
  return all > 0 ? inside / all : 1;
}

/** Model responses per (channel, geo, window, multiplier) node, kept per fitted model: nodes are fixed, so plans reuse them. */
const nodeCache = new WeakMap<FittedModel, Map<string, Float64Array>>();

/** Key of one node in a node cache: channel, geo, window, multiplier, number of draws. */
export const nodeKey = (fitted: FittedModel, channel: number, geo: number | undefined, window: [number, number], m: number, frequency?: number) =>
  `${fitted.channels[channel]}|${geo === undefined ? '' : fitted.geos[geo]}|${window[0]}|${window[1]}|${m}|${fitted.nDraws}${frequency === undefined ? '' : `|f${frequency}`}`;

function cachedGrid(fitted: FittedModel, req: { channel: number; geo?: number; window: [number, number]; multipliers: number[]; frequency?: number }, external?: Map<string, Float64Array>): ResponseGrid {
  let cache = external ?? nodeCache.get(fitted);
  if (!cache) { cache = new Map(); nodeCache.set(fitted, cache); }
  const draws = req.multipliers.map((m) => {
    const key = nodeKey(fitted, req.channel, req.geo, req.window, m, req.frequency);
    let v = cache!.get(key);
    if (!v) {
      v = m === 0 ? new Float64Array(fitted.nDraws) : fitted.response({ channel: req.channel, multiplier: m, window: req.window, geo: req.geo, ...(req.frequency !== undefined ? { frequency: req.frequency } : {}) });
      cache!.set(key, v);
    }
    return v;
  });
  return {
    channel: fitted.channels[req.channel], ...(req.geo !== undefined ? { geo: fitted.geos[req.geo] } : {}),
    spend: windowSpend(fitted, req.channel, req.window, req.geo),
    multipliers: Float64Array.from(req.multipliers), draws,
    mean: Float64Array.from(draws, (d) => d.reduce((a, b) => a + b, 0) / d.length),
  };
}

export function modelCurves(fitted: FittedModel, opts: ModelCurveOptions): { curves: ModelCurve[]; skipped: string[] } {
  const window = referenceWindow(fitted, opts.periods, opts.start);
  const T = fitted.dates.length, C = fitted.channels.length;
  const G = fitted.geos.length || 1;
  const byGeo = !!opts.byGeo && G > 1;
  const curves: ModelCurve[] = [];
  const skipped: string[] = [];
  fitted.channels.forEach((channel, c) => {
    const adstock = fitted.adstockWeights(c);
    for (const geo of byGeo ? fitted.geos.map((_, g) => g) : [undefined]) {
      const reference = windowSpend(fitted, c, window, geo);
      const key = geo === undefined ? channel : `${channel}@${fitted.geos[geo]}`;
      if (!(reference > 0)) { skipped.push(key); continue; }
      const pattern = new Float64Array(window[1] - window[0]);
      for (let g = 0; g < G; g++) {
        if (geo !== undefined && g !== geo) continue;
        for (let t = window[0]; t < window[1]; t++) pattern[t - window[0]] += fitted.spend[(g * T + t) * C + c];
      }
      const captured = capturedFraction(pattern, adstock, T - window[0]);
      const series = new Float64Array(T);
      for (let g = 0; g < G; g++) {
        if (geo !== undefined && g !== geo) continue;
        for (let t = 0; t < T; t++) series[t] += fitted.spend[(g * T + t) * C + c];
      }
      let observedMax = 0, run = 0;
      for (let t = 0; t < T; t++) { run += series[t] - (t >= pattern.length ? series[t - pattern.length] : 0); if (t >= pattern.length - 1) observedMax = Math.max(observedMax, run); }
      const top = Math.max(4, (1.5 * (opts.maxSpend ?? 0)) / reference);
      const ms = planGrid(top, opts.perDoubling ?? 3);
      const frequency = opts.frequency?.[channel];
      const grid = cachedGrid(fitted, { channel: c, geo, window, multipliers: ms, ...(frequency !== undefined ? { frequency } : {}) }, opts.cache);
      const { mean, draws } = gridInterpolants(grid, 1 / captured);
      curves.push({
        key, channel, ...(geo !== undefined ? { geo: fitted.geos[geo] } : {}), reference,
        channelIndex: c, ...(geo !== undefined ? { geoIndex: geo } : {}), captured, pattern, observedMax, mean, perDraw: draws,
        expected: (s: number) => mean.value(s),
        draws: (s: number) => Float64Array.from(draws, (d) => d.value(s)),
      });
    }
  });
  return { curves, skipped };
}

/**
 * Curves of several models (lines of business) on the same channels, weighted and summed: for each key,
 * Σ weightᵢ · curveᵢ(s) (per draw: evenly spaced draws of each model summed, as many as the model
 * with fewest gives). The reference spend is the first model's.
 */
export function jointCurves(sets: { curves: ModelCurve[]; weight: number; label: string }[]): ResponseCurve[] {
  const keys = new Map<string, { first: ModelCurve; parts: { c: ModelCurve; w: number }[] }>();
  for (const set of sets) for (const c of set.curves) {
    const k = c.key.toLowerCase();
    if (!keys.has(k)) keys.set(k, { first: c, parts: [] });
    keys.get(k)!.parts.push({ c, w: set.weight });
  }
  // Models may give different numbers of draws (a Bayesian model's posterior draws, a classic one's
  // bootstrap replicates): every joint curve uses the smallest, so all of them give the same count.
  const n = Math.min(...sets.flatMap((set) => set.curves.map((c) => c.perDraw.length)));
  if (!(n > 0)) throw badInput('joint plan: a model gives no draws to plan with');
  return [...keys.values()].map(({ first, parts }) => ({
    key: first.key, channel: first.channel, ...(first.geo !== undefined ? { geo: first.geo } : {}), reference: first.reference,
    expected: (s: number) => parts.reduce((t, p) => t + p.w * p.c.expected(s), 0),
    draws: (s: number) => {
      const out = new Float64Array(n);
      for (const p of parts) {
        // Evenly spaced draws of each model: draws of different models are independent, so which
        // pairs are summed does not matter, only that every model's spread is kept.
        const m = p.c.perDraw.length;
        for (let d = 0; d < n; d++) out[d] += p.w * p.c.perDraw[Math.floor((d * m) / n)].value(s);
      }
      return out;
    },
  }));
}
