/**
 * Incremental conversions by customer segment: the incremental (hazard) model of incremental.ts with
 * segment terms. Each level s of one customer attribute (device, region, value tier…) gets its own
 * baseline α_s and its own effect per touch β_sc for every channel; the carry-over λ_c stays per
 * channel (how long a touch lasts belongs to the channel, how much it moves a customer to the segment):
 *   h_t = σ(α_s + Σ_c β_sc · a_tc),   a_tc = Σ_{u ≤ t} λ_c^(t−u) · x_uc.
 * Priors as in incremental.ts: α_s ~ N(−4, 4), β_sc ~ N⁺(0, 2), λ_c ~ Beta(2, 2).
 *
 * Uncertainty: the posterior's mode over (α, β, logit λ) — β ≥ 0 found through log β, so a channel with
 * no effect sits at β = 0 — and the Laplace approximation there in the same coordinates
 * (inference/laplace.ts), with β drawn below 0 set to 0: a censored Gaussian, so a channel the data
 * cannot tell from no effect gets an interval that reaches 0 (a Gaussian in log β would keep it off zero).
 * Each draw scores the journeys as scoreHazard does — a journey's expected conversions caused by its
 * touches, w·(P − P0), shared among its touches by marginal effect — and the sums per segment and per
 * segment × channel give the 90% intervals. The estimate is the same sum at the mode. Not a rule
 * split: the segments' own effects decide the credit.
 *
 * The gradient is written by hand (one pass over journeys × steps × channels, no tape): the model's
 * cost is dominated by this loop, and the tape of a [journeys, steps, segments × channels] tensor
 * would not fit in memory at ten million events.
 */
import { badInput, fitFailed } from '../errors.ts';
import { laplace, lbfgs } from '../inference/index.ts';
import { discretize, journeyMarginals, sigmoid, type HazardParams, type IncrementalOptions, type Steps } from './incremental.ts';
import type { Journeys, SegmentAttribute } from './types.ts';

/** Most levels an attribute may have for a segment analysis (each adds a baseline and an effect per channel). */
export const MAX_SEGMENT_LEVELS = 20;
/** Below this many conversions a segment's figures are flagged as rough. */
export const FEW_CONVERSIONS = 100;
/** The level of journeys whose customer has no value for the attribute. */
export const NOT_GIVEN = '(not given)';

export interface SegmentOptions extends IncrementalOptions {
  /** Laplace draws for the intervals (default 200). */
  draws?: number;
  seed?: number;
  /**
   * Journeys the model is fitted on at most (default 100,000): above it a systematic sample, unweighted,
   * so the intervals carry the information of the sample, not more. Every journey is scored.
   */
  maxJourneysFit?: number;
  /** Journeys scored per draw at most: above it a systematic sample (every k-th journey, weight k) gives the intervals' spread (default 5,000). */
  maxJourneysPerDraw?: number;
}

export interface Estimate { estimate: number; lower: number; upper: number }

export interface SegmentLevel {
  segment: string;
  /** Distinct customers with a journey in the segment. */
  customers: number;
  conversions: number;
  /** Conversions the touches caused in the segment (all channels), with the 90% interval. */
  incremental: Estimate;
  /** The same per customer: what ranks segments. */
  perCustomer: Estimate;
  /** 1 = most incremental conversions per customer. */
  rank: number;
}

export interface SegmentCell {
  segment: string;
  channel: string;
  /** Distinct customers of the segment with a touch of the channel. */
  exposedCustomers: number;
  incremental: Estimate;
  perExposed: Estimate;
}

export interface SegmentAnalysis {
  attribute: string;
  channels: string[];
  levels: SegmentLevel[];
  cells: SegmentCell[];
  /** What the reader should know in words (segments with few conversions). */
  notes: string[];
  /** The fitted effects: per segment its baseline and effect per touch of each channel; λ per channel. */
  params: { segment: string; alpha: number; beta: Record<string, number> }[];
  lambda: Record<string, number>;
  draws: number;
  journeys: number;
  /** Journeys the model was fitted on (all of them, or a systematic sample). */
  journeysFitted: number;
  /** Journeys each draw scored (all of them, or the systematic sample). */
  journeysPerDraw: number;
  iterations: number;
  converged: boolean;
  seconds: number;
}

/** The segments a model is fitted on: the attribute's levels, plus NOT_GIVEN when some journeys lack it. */
export function segmentLevels(attr: SegmentAttribute): { names: string[]; of: Int32Array } {
  const missing = attr.journeyLevel.some((l) => l < 0);
  const names = missing ? [...attr.levels, NOT_GIVEN] : [...attr.levels];
  return { names, of: Int32Array.from(attr.journeyLevel, (l) => (l < 0 ? attr.levels.length : l)) };
}

/** The attribute by name, refused with the ones there are. */
export function findAttribute(j: Journeys, name: string): SegmentAttribute {
  const attr = j.segments?.find((a) => a.name === name);
  if (!attr) {
    const have = (j.segments ?? []).map((a) => a.name);
    throw badInput(have.length
      ? `these journeys have no customer attribute '${name}'; attributes: ${have.join(', ')}`
      : `these journeys carry no customer attributes: declare the attribute columns as segments when the touchpoint file is ingested`);
  }
  return attr;
}

/**
 * Log density over θ = [α (S), β (S·C), v = logit λ (C)] and its gradient, the coordinates of the
 * Laplace approximation (`space: 'linear'`, β itself, any sign: the likelihood and the half-normal's
 * log density extend smoothly below 0, so finite differences at the boundary are fine); with
 * `space: 'log'` the β coordinates are u = log β (the optimizer's, no Jacobian: the mode found is the
 * same point).
 */
export function segmentTarget(j: Journeys, st: Steps, of: Int32Array, S: number, space: 'log' | 'linear' = 'linear', which?: Int32Array) {
  const C = j.channels.length, n = which ? which.length : j.offsets.length - 1, dim = S + S * C + C;
  const beta = new Float64Array(S * C), lam = new Float64Array(C), a = new Float64Array(C), da = new Float64Array(C);
  const gBeta = new Float64Array(S * C), gLam = new Float64Array(C);
  return {
    dim,
    logDensityGradient(theta: Float64Array, grad: Float64Array): number {
      grad.fill(0, 0, dim); gBeta.fill(0); gLam.fill(0);
      for (let k = 0; k < S * C; k++) beta[k] = space === 'log' ? Math.exp(theta[S + k]) : theta[S + k];
      for (let c = 0; c < C; c++) lam[c] = sigmoid(theta[S + S * C + c]);
      let lp = 0;
      for (let k = 0; k < n; k++) {
        const q = which ? which[k] : k, w = j.conversions[q] + j.nulls[q];
        if (!(w > 0)) continue;
        const s = of[q], L = st.length[q], b = j.offsets[q + 1], alpha = theta[s], row = s * C;
        let i = j.offsets[q];
        a.fill(0); da.fill(0);
        for (let t = 0; t < L; t++) {
          // a_t = λ a_{t−1} + x_t, so ∂a_t/∂λ = a_{t−1} + λ ∂a_{t−1}/∂λ (read before a is carried over)
          for (let c = 0; c < C; c++) { da[c] = a[c] + lam[c] * da[c]; a[c] *= lam[c]; }
          for (; i < b && st.touchStep[i] === t; i++) a[j.touchChannel[i]] += 1;
          let eta = alpha;
          for (let c = 0; c < C; c++) eta += beta[row + c] * a[c];
          const event = t === L - 1 ? j.conversions[q] : 0;
          // softplus and σ from one exponential
          const e = Math.exp(-Math.abs(eta));
          lp += event * eta - w * (Math.max(eta, 0) + Math.log1p(e));
          const r = event - w * (eta >= 0 ? 1 / (1 + e) : e / (1 + e));
          grad[s] += r;
          for (let c = 0; c < C; c++) { gBeta[row + c] += r * a[c]; gLam[c] += r * beta[row + c] * da[c]; }
        }
      }
      for (let s = 0; s < S; s++) { lp -= (theta[s] + 4) ** 2 / 32; grad[s] -= (theta[s] + 4) / 16; }
      for (let k = 0; k < S * C; k++) {
        // half-normal(2) on β; in log coordinates the chain rule's β
        lp -= (beta[k] ** 2) / 8;
        const g = gBeta[k] - beta[k] / 4;
        grad[S + k] = space === 'log' ? g * beta[k] : g;
      }
      for (let c = 0; c < C; c++) {
        // λ = σ(v): Beta(2, 2) prior plus the Jacobian log λ(1 − λ)
        const l = lam[c];
        lp += 2 * (Math.log(l) + Math.log1p(-l));
        grad[S + S * C + c] = gLam[c] * l * (1 - l) + 2 * (1 - 2 * l);
      }
      return lp;
    },
  };
}

/** Hazard parameters of each segment from θ (linear coordinates; a β drawn below 0 is 0). */
export function segmentParams(theta: ArrayLike<number>, S: number, C: number, offset = 0): HazardParams[] {
  const lambda = new Float64Array(C);
  for (let c = 0; c < C; c++) lambda[c] = sigmoid(theta[offset + S + S * C + c]);
  return Array.from({ length: S }, (_, s) => {
    const beta = new Float64Array(C);
    for (let c = 0; c < C; c++) beta[c] = Math.max(0, theta[offset + S + s * C + c]);
    return { alpha: theta[offset + s], beta, lambda };
  });
}

/**
 * Expected conversions the touches caused, per segment [S] and per segment × channel [S·C], under each
 * segment's parameters, over the journeys `which` (each counted `weight` times).
 */
export function segmentTotals(j: Journeys, st: Steps, of: Int32Array, params: HazardParams[], which?: Int32Array, weight = 1,
  scratch = { logit: new Float64Array(st.maxLen), m: new Float64Array(j.offsets[j.offsets.length - 1]) }): { bySegment: Float64Array; byCell: Float64Array } {
  const S = params.length, C = j.channels.length;
  const bySegment = new Float64Array(S), byCell = new Float64Array(S * C);
  const { logit, m } = scratch;
  const n = which ? which.length : j.offsets.length - 1;
  for (let k = 0; k < n; k++) {
    const q = which ? which[k] : k, s = of[q], a = j.offsets[q], b = j.offsets[q + 1];
    const { P, P0, sumM } = journeyMarginals(j, q, params[s], st, logit, m);
    const caused = weight * (j.conversions[q] + j.nulls[q]) * Math.max(0, P - P0);
    bySegment[s] += caused;
    for (let i = a; i < b; i++) byCell[s * C + j.touchChannel[i]] += caused * (sumM > 0 ? m[i] / sumM : 1 / (b - a));
  }
  return { bySegment, byCell };
}

/**
 * Customers per segment and per segment × channel: distinct ids (journey weights when there are none).
 * A customer's journeys (sessions) are adjacent (loadJourneys sorts by customer), so one run of equal
 * ids is one customer: no set of ids, which at millions of customers would cost gigabytes.
 */
function customerCounts(j: Journeys, of: Int32Array, S: number): { bySegment: Float64Array; byCell: Float64Array } {
  const C = j.channels.length, J = j.offsets.length - 1;
  const bySegment = new Float64Array(S), byCell = new Float64Array(S * C);
  const seen = new Uint8Array(C);
  for (let q = 0; q < J; ) {
    const id = j.ids?.[q];
    const w = id === undefined ? j.conversions[q] + j.nulls[q] : 1, s = of[q];
    seen.fill(0);
    let r = q;
    do {
      for (let i = j.offsets[r]; i < j.offsets[r + 1]; i++) seen[j.touchChannel[i]] = 1;
      r++;
    } while (id !== undefined && r < J && j.ids![r] === id && of[r] === s);
    bySegment[s] += w;
    for (let c = 0; c < C; c++) if (seen[c]) byCell[s * C + c] += w;
    q = r;
  }
  return { bySegment, byCell };
}

/** Fits the segment model on one attribute and reports incremental conversions per segment and per segment × channel. */
export function segmentIncremental(j: Journeys, attribute: string, opts: SegmentOptions = {}): SegmentAnalysis {
  const t0 = performance.now();
  const attr = findAttribute(j, attribute);
  const { names, of } = segmentLevels(attr);
  const S = names.length, C = j.channels.length, J = j.offsets.length - 1;
  if (S > MAX_SEGMENT_LEVELS) throw badInput(`customer attribute '${attribute}' has ${S} values; a segment analysis takes at most ${MAX_SEGMENT_LEVELS} (group them into fewer segments at ingest)`);
  const st = discretize(j, opts);
  const fitOn = systematicSample(J, opts.maxJourneysFit ?? 100_000);
  const target = segmentTarget(j, st, of, S, 'linear', fitOn.which), search = segmentTarget(j, st, of, S, 'log', fitOn.which);
  // Start from each segment's conversion rate per step at risk, small effects and mid carry-over.
  const init = new Float64Array(target.dim);
  const events = new Float64Array(S), risk = new Float64Array(S);
  for (let q = 0; q < J; q++) { events[of[q]] += j.conversions[q]; risk[of[q]] += (j.conversions[q] + j.nulls[q]) * st.length[q]; }
  for (let s = 0; s < S; s++) { const p = Math.min(0.5, Math.max(1e-6, events[s] / Math.max(risk[s], 1))); init[s] = Math.log(p / (1 - p)); }
  init.fill(Math.log(0.1), S, S + S * C);
  const r = lbfgs(search, init, { maxIterations: opts.maxIterations ?? 500, relTol: 1e-9 });
  if (!Number.isFinite(r.logp)) throw fitFailed('the segment model did not reach a finite log density');
  const mode = Float64Array.from(r.theta);
  for (let k = S; k < S + S * C; k++) mode[k] = Math.exp(r.theta[k]);
  const draws = opts.draws ?? 200;
  const lap = laplace(target, mode, { draws, seed: opts.seed ?? 1, step: 1e-4 });

  // The draws score a systematic sample when the journeys are many; the sample's own error at the mode is taken out (as a ratio: a zero stays zero).
  const { which: sample, stride } = systematicSample(J, opts.maxJourneysPerDraw ?? 5000);
  const atMode = segmentParams(mode, S, C);
  const scratch = { logit: new Float64Array(st.maxLen), m: new Float64Array(j.offsets[J]) };
  const full = segmentTotals(j, st, of, atMode, undefined, 1, scratch);
  const sampled = sample ? segmentTotals(j, st, of, atMode, sample, stride, scratch) : full;
  const segDraws = Array.from({ length: S }, () => new Float64Array(draws)), cellDraws = Array.from({ length: S * C }, () => new Float64Array(draws));
  for (let k = 0; k < draws; k++) {
    const t = segmentTotals(j, st, of, segmentParams(lap.draws, S, C, k * target.dim), sample, stride, scratch);
    for (let s = 0; s < S; s++) segDraws[s][k] = t.bySegment[s] * ratio(full.bySegment[s], sampled.bySegment[s]);
    for (let x = 0; x < S * C; x++) cellDraws[x][k] = t.byCell[x] * ratio(full.byCell[x], sampled.byCell[x]);
  }
  const counts = customerCounts(j, of, S);
  const estimate = (point: number, d: Float64Array, per = 1): Estimate => {
    const sorted = Float64Array.from(d).sort();
    // Sums of β clipped at 0 leave rounding dust (1e-17): below a billionth of the upper bound it is 0.
    const hi = Math.max(0, quantile(sorted, 0.95)), dust = (v: number) => (v > 1e-9 * hi ? v : 0);
    return { estimate: dust(Math.max(0, point)) / per, lower: dust(Math.max(0, quantile(sorted, 0.05))) / per, upper: hi / per };
  };
  const conversions = new Float64Array(S);
  for (let q = 0; q < J; q++) conversions[of[q]] += j.conversions[q];
  const levels: SegmentLevel[] = names.map((segment, s) => ({
    segment, customers: counts.bySegment[s], conversions: conversions[s],
    incremental: estimate(full.bySegment[s], segDraws[s]), perCustomer: estimate(full.bySegment[s], segDraws[s], Math.max(counts.bySegment[s], 1)), rank: 0,
  }));
  [...levels].sort((x, y) => y.perCustomer.estimate - x.perCustomer.estimate).forEach((l, k) => { l.rank = k + 1; });
  const notes = levels.filter((l) => l.conversions < FEW_CONVERSIONS).map((l) => `${attribute} '${l.segment}' has ${Math.round(l.conversions)} conversions: its effects rest on few events, so read its figures and their intervals as rough (the Laplace approximation needs a few hundred)`);
  const cells: SegmentCell[] = [];
  for (let s = 0; s < S; s++) for (let c = 0; c < C; c++) {
    const x = s * C + c;
    cells.push({ segment: names[s], channel: j.channels[c], exposedCustomers: counts.byCell[x], incremental: estimate(full.byCell[x], cellDraws[x]), perExposed: estimate(full.byCell[x], cellDraws[x], Math.max(counts.byCell[x], 1)) });
  }
  return {
    attribute, channels: [...j.channels], levels, cells, notes,
    params: atMode.map((p, s) => ({ segment: names[s], alpha: p.alpha, beta: Object.fromEntries(j.channels.map((ch, c) => [ch, p.beta[c]])) })),
    lambda: Object.fromEntries(j.channels.map((ch, c) => [ch, atMode[0]?.lambda[c] ?? 0])),
    draws, journeys: J, journeysFitted: fitOn.which ? fitOn.which.length : J, journeysPerDraw: sample ? sample.length : J, iterations: r.iterations, converged: r.converged, seconds: (performance.now() - t0) / 1000,
  };
}

/** Every k-th of n journeys, k the smallest that keeps at most `cap` (undefined: all of them). */
function systematicSample(n: number, cap: number): { which?: Int32Array; stride: number } {
  const stride = Math.max(1, Math.ceil(n / cap));
  return stride > 1 ? { which: Int32Array.from({ length: Math.ceil(n / stride) }, (_, k) => k * stride), stride } : { stride: 1 };
}

const ratio = (full: number, sampled: number) => (sampled > 0 ? full / sampled : 1);

function quantile(sorted: Float64Array, p: number): number {
  if (!sorted.length) return 0;
  const x = p * (sorted.length - 1), lo = Math.floor(x), hi = Math.ceil(x);
  return sorted[lo] + (sorted[hi] - sorted[lo]) * (x - lo);
}

