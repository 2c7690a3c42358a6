/**
 * What a test is expected to teach about a channel's ROI, before it runs (the preposterior analysis of
 * docs/experiments.md). The model's posterior draws d carry the channel's ROI r_d and the lift the test
 * would show λ_d (FittedModel.changeTestLifts). A test's result is read as L ~ Normal(λ, se²) — the
 * lift-test likelihood the model already has — so:
 *
 * 1. simulate J results: draw d_j from the posterior and L_j = λ_{d_j} + se·ε_j;
 * 2. for each, reweight the draws by the likelihood N(L_j; λ_d, se²) (importance sampling: the
 *    posterior after the test, as the refit would find it);
 * 3. take each reweighted posterior's 90% ROI interval and average the bounds and the widths; the
 *    10th and 90th percentiles of those widths are the range a realized width is expected in (one
 *    test's width depends on its result: one far from what the model expects can widen a skewed
 *    posterior, so the mean alone says little about a single test).
 *
 * When the likelihood is sharp against the draws' spread of λ, few draws carry the weight (effective
 * sample size under 30 on average) and the weighted quantiles are too noisy; the analysis then takes
 * the linear-Gaussian answer on log ROI instead — variance after = v − c²/(v_λ + se²), c the
 * covariance of log ROI and λ — and says so (`method`).
 */
import type { Rng } from '../../util/rng.ts';

export interface Preposterior {
  /** The ROI's 90% interval now (over the draws), and the expected one after the test. */
  now: [number, number];
  expected: [number, number];
  widthNow: number;
  expectedWidth: number;
  /** 10th and 90th percentiles of the width after the test over the simulated results. */
  widthRange: [number, number];
  /** Mean effective sample size of the reweighted draws. */
  ess: number;
  method: 'importance' | 'gaussian';
}

export const MIN_ESS = 30;

function weightedQuantiles(sortedValues: Float64Array, order: Int32Array, w: Float64Array, total: number, ps: readonly number[]): number[] {
  const out: number[] = [];
  let acc = 0, k = 0;
  for (let i = 0; i < order.length && k < ps.length; i++) {
    acc += w[order[i]] / total;
    while (k < ps.length && acc >= ps[k]) { out.push(sortedValues[i]); k++; }
  }
  while (out.length < ps.length) out.push(sortedValues[sortedValues.length - 1]);
  return out;
}

/** The unweighted 5% and 95% quantiles (linear interpolation, as diagnostics.ts `quantile`). */
export function interval(sorted: Float64Array, mass: number): [number, number] {
  const q = (p: number) => { const h = (sorted.length - 1) * p, lo = Math.floor(h); return sorted[lo] + (h - lo) * ((sorted[Math.min(lo + 1, sorted.length - 1)] ?? sorted[lo]) - sorted[lo]); };
  return [q((1 - mass) / 2), q((1 + mass) / 2)];
}

export const MASS = 0.9;

/** The 10th and 90th percentiles of the simulated widths (the same interpolation as `interval`). */
function widthRange(widths: number[]): [number, number] {
  return interval(Float64Array.from(widths).sort(), 0.8);
}

export function preposterior(roi: Float64Array, lift: Float64Array, se: number, rng: Rng, opts: { simulations?: number } = {}): Preposterior {
  const n = roi.length, mass = MASS, J = opts.simulations ?? Math.max(n, 400);
  const order = Int32Array.from({ length: n }, (_, i) => i).sort((a, b) => roi[a] - roi[b]);
  const sorted = Float64Array.from(order, (i) => roi[i]);
  const now = interval(sorted, mass);
  const ps = [(1 - mass) / 2, (1 + mass) / 2];
  const w = new Float64Array(n);
  let lo = 0, hi = 0, width = 0, essSum = 0;
  const sims: number[] = [], widths: number[] = [];
  for (let j = 0; j < J; j++) {
    const L = lift[rng.int(n)] + se * rng.normal();
    sims.push(L);
    let max = -Infinity;
    for (let d = 0; d < n; d++) { w[d] = -0.5 * ((L - lift[d]) / se) ** 2; if (w[d] > max) max = w[d]; }
    let total = 0, sq = 0;
    for (let d = 0; d < n; d++) { w[d] = Math.exp(w[d] - max); total += w[d]; sq += w[d] * w[d]; }
    essSum += (total * total) / sq;
    const [a, b] = weightedQuantiles(sorted, order, w, total, ps);
    lo += a; hi += b; width += b - a; widths.push(b - a);
  }
  const ess = essSum / J;
  if (ess >= MIN_ESS || !(se > 0)) return { now, expected: [lo / J, hi / J], widthNow: now[1] - now[0], expectedWidth: width / J, widthRange: widthRange(widths), ess, method: 'importance' };
  return { ...gaussianPreposterior(roi, lift, se, sims, now), ess };
}

/** The linear-Gaussian preposterior on log ROI, averaged over the same simulated results. */
function gaussianPreposterior(roi: Float64Array, lift: Float64Array, se: number, sims: readonly number[], now: [number, number]): Omit<Preposterior, 'ess'> {
  const n = roi.length;
  const lr = Float64Array.from(roi, (v) => Math.log(Math.max(v, 1e-12)));
  const mean = (x: Float64Array) => x.reduce((a, b) => a + b, 0) / n;
  const mr = mean(lr), ml = mean(lift);
  let v = 0, vl = 0, c = 0;
  for (let d = 0; d < n; d++) { v += (lr[d] - mr) ** 2; vl += (lift[d] - ml) ** 2; c += (lr[d] - mr) * (lift[d] - ml); }
  v /= n - 1; vl /= n - 1; c /= n - 1;
  const vAfter = Math.max(v - (c * c) / (vl + se * se), 1e-12 * v);
  const z = 1.6448536269514722; // half-width of the 90% interval in sds
  let lo = 0, hi = 0;
  const widths: number[] = [];
  for (const L of sims) {
    const m = mr + (c / (vl + se * se)) * (L - ml);
    const a = Math.exp(m - z * Math.sqrt(vAfter)), b = Math.exp(m + z * Math.sqrt(vAfter));
    lo += a; hi += b; widths.push(b - a);
  }
  lo /= sims.length; hi /= sims.length;
  return { now, expected: [lo, hi], widthNow: now[1] - now[0], expectedWidth: hi - lo, widthRange: widthRange(widths), method: 'gaussian' };
}
