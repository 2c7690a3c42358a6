/**
 * The data-driven incremental model: a discrete-time hazard (survival) model of conversion with
 * adstocked exposure per channel, fitted by MAP (the mode of the posterior in the constrained space) on converting and non-converting journeys.
 *
 * Time runs in calendar steps (default one UTC day) from the step of the journey's first touch. At step t a customer still
 * unconverted converts with probability
 *   h_t = σ(α + Σ_c β_c · a_tc),   a_tc = Σ_{s ≤ t} λ_c^(t−s) · x_sc,
 * where x_sc counts the touches of channel c in step s, β_c ≥ 0 is channel c's effect per touch on
 * the log-odds, λ_c ∈ (0, 1) its carry-over from one step to the next. A converting journey is at
 * risk until its conversion step; a non-converting one until it is censored (its end plus
 * `censorAfterDays`, capped at the last instant in the data). Aggregated paths use the touch index as
 * the step. Priors: α ~ N(−4, 4), β_c ~ N⁺(0, 2), λ_c ~ Beta(2, 2).
 *
 * Scores, per touch i of journey j (P_j = 1 − Π_t(1 − h_t), P0_j the same with no touch, P_j^(−i)
 * without touch i, m_i = P_j − P_j^(−i)):
 * - incremental_i = w_j · (P_j − P0_j) · m_i / Σ_k m_k: the expected conversions this touch caused
 *   (w_j = customers the journey stands for); summed over all journeys, converting or not;
 * - influenced_i = conversions_j · m_i / Σ_k m_k: the journey's observed conversions shared by
 *   marginal effect (sums to all touched conversions).
 */
import { lbfgs } from '../inference/index.ts';
import { badInput, fitFailed } from '../errors.ts';
import type { Journeys, Scores } from './types.ts';
import { touchCount } from './types.ts';

export interface IncrementalOptions {
  /** Length of a time step in hours (default 24). Ignored for aggregated paths (one step per touch). */
  stepHours?: number;
  /** Longest journey in steps (older touches are folded into the first step; default 30). */
  maxSteps?: number;
  /** A non-converting journey stays at risk this many days after its end (default 7). */
  censorAfterDays?: number;
  /** L-BFGS iterations at most (default 300). */
  maxIterations?: number;
  /** The last instant in the data (epoch s), where non-converting journeys are censored at the latest; default `j.dataEnd`, else the latest journey end of `j` (give it when `j` is a part of the data). */
  dataEnd?: number;
}

export interface HazardParams { alpha: number; beta: Float64Array; lambda: Float64Array }

export interface IncrementalResult {
  params: HazardParams;
  incremental: Scores;
  influenced: Scores;
  /** Expected conversions without any touch (journeys with touches). */
  base: number;
  iterations: number;
  converged: boolean;
  seconds: number;
  logp: number;
}

/** Discretized journeys: step of each touch, number of at-risk steps of each journey. */
export interface Steps { touchStep: Int32Array; length: Int32Array; maxLen: number }

export function discretize(j: Journeys, opts: IncrementalOptions = {}): Steps {
  const dt = (opts.stepHours ?? 24) * 3600, maxSteps = opts.maxSteps ?? 30, censor = (opts.censorAfterDays ?? 7) * 86400;
  if (!(dt > 0)) throw badInput(`--step must be a positive number of hours; got ${opts.stepHours}`);
  const J = j.offsets.length - 1, N = touchCount(j);
  const touchStep = new Int32Array(N), length = new Int32Array(J);
  let dataEnd = opts.dataEnd ?? j.dataEnd ?? -Infinity;
  if (opts.dataEnd === undefined && j.dataEnd === undefined) for (let q = 0; q < J; q++) if (Number.isFinite(j.endTime[q])) dataEnd = Math.max(dataEnd, j.endTime[q]);
  let maxLen = 1;
  for (let q = 0; q < J; q++) {
    const a = j.offsets[q], b = j.offsets[q + 1];
    const timed = Number.isFinite(j.touchTime[a]) && Number.isFinite(j.endTime[q]);
    let L: number;
    if (!timed) {
      for (let i = a; i < b; i++) touchStep[i] = Math.max(0, (i - a) - Math.max(0, b - a - maxSteps));
      L = Math.min(b - a, maxSteps);
    } else {
      const end = j.conversions[q] > 0 ? j.endTime[q] : Math.min(j.endTime[q] + censor, Math.max(dataEnd, j.endTime[q]));
      const s0 = Math.floor(j.touchTime[a] / dt);
      const Lraw = Math.floor(end / dt) - s0 + 1;
      const shift = Math.max(0, Lraw - maxSteps);
      L = Math.min(Lraw, maxSteps);
      for (let i = a; i < b; i++) touchStep[i] = Math.min(L - 1, Math.max(0, Math.floor(j.touchTime[i] / dt) - s0 - shift));
    }
    length[q] = Math.max(1, L);
    maxLen = Math.max(maxLen, length[q]);
  }
  return { touchStep, length, maxLen };
}

/** The logistic function and log(1 + eˣ), stable at both ends (the hazard models' link). */
export const sigmoid = (x: number) => (x >= 0 ? 1 / (1 + Math.exp(-x)) : Math.exp(x) / (1 + Math.exp(x)));
export const softplus = (x: number) => (x > 0 ? x + Math.log1p(Math.exp(-x)) : Math.log1p(Math.exp(x)));

// Per (channel, step) of the journey being scored: its touches' marginal effect, valid where `stamp` is the call's.
let memoScratch = { stamp: new Uint32Array(256), m: new Float64Array(256) };
let memoStamp = 0;
function deltaMemo(n: number): { stamp: Uint32Array; m: Float64Array } {
  if (memoScratch.stamp.length < n) memoScratch = { stamp: new Uint32Array(Math.max(n, 2 * memoScratch.stamp.length)), m: new Float64Array(Math.max(n, 2 * memoScratch.m.length)) };
  // A stamp that wrapped around could match an old entry: start the table afresh.
  if (memoStamp >= 0xfffffff0) { memoScratch.stamp.fill(0); memoStamp = 0; }
  return memoScratch;
}

let spScratch = new Float64Array(64);
function softplusScratch(n: number): Float64Array {
  if (spScratch.length < n) spScratch = new Float64Array(Math.max(n, 2 * spScratch.length));
  return spScratch;
}

/** Fits the hazard model by MAP (L-BFGS) and scores every touch. */
export function fitIncremental(j: Journeys, opts: IncrementalOptions = {}): IncrementalResult {
  const t0 = performance.now();
  const st = discretize(j, opts);
  const fit = fitHazard(j, opts, st);
  const s = scoreHazard(j, fit.params, st);
  return { ...fit, ...s, seconds: (performance.now() - t0) / 1000 };
}

export interface HazardFit { params: HazardParams; iterations: number; converged: boolean; logp: number }

/** The hazard model's parameters by MAP on journeys `j` (L-BFGS on `hazardLogPosterior`); no scores. `st`: `j` in steps, when the caller has it. */
export function fitHazard(j: Journeys, opts: IncrementalOptions = {}, st = discretize(j, opts)): HazardFit {
  const C = j.channels.length, J = j.offsets.length - 1;
  let risk = 0, events = 0;
  for (let q = 0; q < J; q++) { risk += (j.conversions[q] + j.nulls[q]) * st.length[q]; events += j.conversions[q]; }
  if (!(events > 0)) throw badInput('the incremental model needs at least one converting journey');
  const base = Math.min(0.5, events / risk);
  // θ = (α, log β, logit λ): MAP in the constrained space, so no log-Jacobian is added.
  const init = new Float64Array(1 + 2 * C);
  init[0] = Math.log(base / (1 - base));
  for (let c = 0; c < C; c++) { init[1 + c] = Math.log(0.1); init[1 + C + c] = 0; }
  const scratch = new Float64Array(2 * st.maxLen);
  const target = { dim: 1 + 2 * C, logDensityGradient: (theta: Float64Array, grad: Float64Array) => hazardLogPosterior(j, st, theta, grad, scratch) };
  // β at the boundary (0) makes the objective flat in log β: stop on a small relative change.
  const r = lbfgs(target, init, { maxIterations: opts.maxIterations ?? 300, relTol: 1e-9 });
  if (!Number.isFinite(r.logp)) throw fitFailed('the incremental model did not reach a finite log density');
  const params = hazardParams(r.theta, C);
  return { params, iterations: r.iterations, converged: r.converged, logp: r.logp };
}

/** The constrained parameters of θ = (α, log β, logit λ). */
export function hazardParams(theta: ArrayLike<number>, C: number): HazardParams {
  return { alpha: theta[0], beta: Float64Array.from({ length: C }, (_, c) => Math.exp(theta[1 + c])), lambda: Float64Array.from({ length: C }, (_, c) => sigmoid(theta[1 + C + c])) };
}

const LOG_SQRT_2PI = 0.5 * Math.log(2 * Math.PI);

/**
 * The hazard model's log posterior at θ = (α, log β, logit λ), and its gradient in θ (written into
 * `grad`), with the priors α ~ N(−4, 4), β ~ N⁺(0, 2), λ ~ Beta(2, 2) in the constrained space.
 * Written by hand over touches, not on the autodiff tape: a journey costs its touches × its steps,
 * where the tape's dense journeys × steps × channels grid cost 8× more and held gigabytes at scale
 * (the tape's model is the reference in incremental.test.ts).
 *
 * Journey q at step t: η_t = α + Σ_touches i, s_i ≤ t β_c(i) λ_c(i)^(t − s_i); its log-likelihood
 * conv_q · η_(L−1) − w_q Σ_t softplus(η_t) (w_q the customers it stands for), so
 * ∂/∂η_t = [t = L−1] conv_q − w_q σ(η_t).
 */
export function hazardLogPosterior(j: Journeys, st: Steps, theta: Float64Array, grad: Float64Array, scratch: Float64Array): number {
  const C = j.channels.length, J = j.offsets.length - 1;
  const p = hazardParams(theta, C);
  const eta = scratch.subarray(0, st.maxLen), g = scratch.subarray(st.maxLen, 2 * st.maxLen);
  grad.fill(0);
  let lp = 0, dAlpha = 0;
  // ∂/∂β_c and ∂/∂λ_c accumulated in the constrained space, then taken to θ.
  const dBeta = new Float64Array(C), dLambda = new Float64Array(C);
  for (let q = 0; q < J; q++) {
    const a = j.offsets[q], b = j.offsets[q + 1], L = st.length[q], w = j.conversions[q] + j.nulls[q], conv = j.conversions[q];
    if (!(w > 0)) continue;
    eta.fill(p.alpha, 0, L);
    for (let i = a; i < b; i++) {
      const c = j.touchChannel[i], lam = p.lambda[c];
      let x = p.beta[c];
      for (let t = st.touchStep[i]; t < L; t++) { eta[t] += x; x *= lam; }
    }
    for (let t = 0; t < L; t++) { lp -= w * softplus(eta[t]); g[t] = -w * sigmoid(eta[t]); }
    lp += conv * eta[L - 1];
    g[L - 1] += conv;
    for (let t = 0; t < L; t++) dAlpha += g[t];
    for (let i = a; i < b; i++) {
      const c = j.touchChannel[i], lam = p.lambda[c];
      // Σ_t g_t λ^k and Σ_t g_t k λ^(k−1), k = t − s_i
      let pw = 1, sumB = 0, sumL = 0;
      const s = st.touchStep[i];
      sumB += g[s];
      for (let t = s + 1, k = 1; t < L; t++, k++) { sumL += g[t] * k * pw; pw *= lam; sumB += g[t] * pw; }
      dBeta[c] += sumB; dLambda[c] += p.beta[c] * sumL;
    }
  }
  // Priors: α ~ N(−4, 4), β ~ N⁺(0, 2), λ ~ Beta(2, 2) (log B(2, 2) = −log 6).
  lp += -0.5 * ((p.alpha + 4) / 4) ** 2 - Math.log(4) - LOG_SQRT_2PI;
  dAlpha += -(p.alpha + 4) / 16;
  grad[0] = dAlpha;
  for (let c = 0; c < C; c++) {
    const beta = p.beta[c], lam = p.lambda[c];
    lp += Math.LN2 - 0.5 * (beta / 2) ** 2 - Math.log(2) - LOG_SQRT_2PI;
    dBeta[c] += -beta / 4;
    lp += Math.log(lam) + Math.log1p(-lam) + Math.log(6);
    dLambda[c] += 1 / lam - 1 / (1 - lam);
    grad[1 + c] = dBeta[c] * beta;
    grad[1 + C + c] = dLambda[c] * lam * (1 - lam);
  }
  return lp;
}

/** Incremental and influenced scores of every touch under given hazard parameters (see the file comment). */
export function scoreHazard(j: Journeys, p: HazardParams, st: Steps, valuePerConversion?: number): { incremental: Scores; influenced: Scores; base: number } {
  const J = j.offsets.length - 1, N = touchCount(j);
  const inc = new Float64Array(N), incV = new Float64Array(N), inf = new Float64Array(N), infV = new Float64Array(N);
  const work = new Float64Array(st.maxLen), m = new Float64Array(N);
  let totalConv = 0, totalVal = 0;
  for (let q = 0; q < J; q++) { totalConv += j.conversions[q]; totalVal += j.value[q]; }
  // A non-converting journey's incremental conversions are valued at the data's value per conversion (give it when `j` is a part of the data).
  const valuePerConv = valuePerConversion ?? (totalConv > 0 ? totalVal / totalConv : 0);
  let base = 0;
  for (let q = 0; q < J; q++) {
    const a = j.offsets[q], b = j.offsets[q + 1];
    const { P, P0, sumM } = journeyMarginals(j, q, p, st, work, m);
    const wj = j.conversions[q] + j.nulls[q];
    base += wj * P0;
    const vpc = j.conversions[q] > 0 ? j.value[q] / j.conversions[q] : valuePerConv;
    for (let i = a; i < b; i++) {
      const share = sumM > 0 ? m[i] / sumM : 1 / (b - a);
      inc[i] = wj * Math.max(0, P - P0) * share; incV[i] = inc[i] * vpc;
      inf[i] = j.conversions[q] * share; infV[i] = j.value[q] * share;
    }
  }
  return { incremental: { method: 'incremental', conversions: inc, value: incV }, influenced: { method: 'influenced', conversions: inf, value: infV }, base };
}

/** Per-channel sums of the hazard model's scores, added into `into` ([C] each); incremental value of non-converting journeys is left out and their incremental conversions summed apart (`nonConverting`), to be valued at the data's value per conversion. */
export interface HazardSums { conv: Float64Array; val: Float64Array; nonConverting: Float64Array; infConv: Float64Array; infVal: Float64Array; base: number }

/** Adds journeys `j`'s hazard scores by channel into `into` (what `scoreHazard` gives per touch, summed, without a score per touch). */
export function addHazardSums(j: Journeys, p: HazardParams, st: Steps, into: HazardSums): void {
  const J = j.offsets.length - 1;
  const work = new Float64Array(st.maxLen), m = new Float64Array(touchCount(j));
  for (let q = 0; q < J; q++) {
    const a = j.offsets[q], b = j.offsets[q + 1];
    const { P, P0, sumM } = journeyMarginals(j, q, p, st, work, m);
    const conv = j.conversions[q], wj = conv + j.nulls[q];
    into.base += wj * P0;
    const vpc = conv > 0 ? j.value[q] / conv : 0;
    for (let i = a; i < b; i++) {
      const share = sumM > 0 ? m[i] / sumM : 1 / (b - a), c = j.touchChannel[i];
      const inc = wj * Math.max(0, P - P0) * share;
      into.conv[c] += inc;
      if (conv > 0) into.val[c] += inc * vpc; else into.nonConverting[c] += inc;
      into.infConv[c] += conv * share; into.infVal[c] += j.value[q] * share;
    }
  }
}

/**
 * One journey under hazard parameters p: P (converts with its touches), P0 (with none) and each
 * touch's marginal effect m[i] = P − P^(−i) (written into `m` at the journey's touch indices), with
 * their sum. `logit` is scratch of at least the journey's length.
 */
export function journeyMarginals(j: Journeys, q: number, p: HazardParams, st: Steps, logit: Float64Array, m: Float64Array): { P: number; P0: number; sumM: number } {
  const a = j.offsets[q], b = j.offsets[q + 1], L = st.length[q];
  logit.fill(p.alpha, 0, L);
  for (let i = a; i < b; i++) {
    const ch = j.touchChannel[i], lam = p.lambda[ch];
    let w = p.beta[ch];
    for (let t = st.touchStep[i]; t < L; t++) { logit[t] += w; w *= lam; }
  }
  // log(1 − σ(x)) = −softplus(x); the journey's own terms are kept in `logit` (overwritten: it is scratch).
  let logS = 0;
  const eta = logit, sig = softplusScratch(L);
  for (let t = 0; t < L; t++) { const sp = softplus(eta[t]); logS -= sp; sig[t] = Math.exp(eta[t] - sp); }
  const S = Math.exp(logS), P = -Math.expm1(logS), P0 = -Math.expm1(-L * softplus(p.alpha));
  let sumM = 0;
  // Touches of one channel in one step have the same effect: each (channel, step) is worked out once per journey.
  const C = j.channels.length, memo = deltaMemo(C * L);
  const stamp = ++memoStamp;
  for (let i = a; i < b; i++) {
    const ch = j.touchChannel[i], lam = p.lambda[ch], key = ch * L + st.touchStep[i];
    if (memo.stamp[key] === stamp) { m[i] = memo.m[key]; sumM += m[i]; continue; }
    // Without touch i its carried-over weight w leaves each later step: softplus(η − w) − softplus(η) = log(1 − d),
    // d = σ(η)(1 − e^(−w)), and log S rises by Δ = −Σ log(1 − d). Past 1e-12 on the log-odds nothing changes.
    let delta = 0, w = p.beta[ch];
    for (let t = st.touchStep[i]; t < L && w > 1e-12; t++) {
      // Most steps carry a small w: there the series cost no exp or log and stop where the next term is below 2e-17 of the sum
      // (w⁴/120 and d⁴/5 relatively, at w, d < 1e-4).
      const e = w < 1e-4 ? w * (1 - w * (0.5 - w * (1 / 6 - w / 24))) : -Math.expm1(-w);
      const d = sig[t] * e;
      delta -= d < 1e-4 ? -d * (1 + d * (0.5 + d * (1 / 3 + d / 4))) : Math.log1p(-d);
      w *= lam;
    }
    // m = P − P without touch i = S·(e^Δ − 1), with no cancellation.
    m[i] = S * Math.expm1(delta);
    memo.stamp[key] = stamp; memo.m[key] = m[i];
    sumM += m[i];
  }
  return { P, P0, sumM };
}
