/**
 * The lift estimators a designed test is read with, and their standard errors (docs/experiments.md).
 *
 * Geo test (treatment geos S_T, controls S_C, pre-period of P periods (RATIO_WEEKS), window of W): with
 * Y_T,t = Σ_{g∈S_T} y[g,t] and Y_C,t likewise, the ratio ρ̂ = Σ_pre Y_T / Σ_pre Y_C, and
 *   lift = sign · Σ_{t∈window} (ρ̂·Y_C,t − Y_T,t)          (sign +1 for a cut, −1 for a raise)
 * the treatment's outcome against its synthetic control. Its standard error comes from the
 * pre-period residuals e_t = Y_T,t − ρ̂·Y_C,t, read as AR(1) with variance s² and lag-1 correlation
 * r: the window's sum of errors plus the error of ρ̂ carried over the window's control outcome,
 *   se² = s²·Σ_{t,u∈window} r^|t−u| + (W·Ȳ_C)²·s²·Σ_{t,u∈pre} r^|t−u| / (Σ_pre Y_C)².
 *
 * Time-based test (national): blocks changed, unchanged, unchanged, changed (ABBA). On the outcome net of the model's
 * baseline, controls, other channels and the channel's carry-in (a_t), with n_c changed and n_u
 * unchanged periods,
 *   lift = sign · (n_c/n_u·Σ_unchanged a_t − Σ_changed a_t),
 * and se² = s²·Σ_{t,u} w_t·w_u·r^|t−u| with s and r those of the model's in-sample residuals.
 */

/**
 * Weeks of pre-period the geo estimator's ratio is fitted on: a year. Measured over 400 simulated
 * worlds each of 20 and 40 geos (156 weeks of data, dark tests of 4–16 weeks; bench/geoestimators.ts,
 * bench/results/geoestimators.json): with 52 weeks the spread of the estimate around the true lift was
 * 0.98–1.05× the standard error, with 26 weeks 0.92–0.99×, and the standard error relative to the
 * lift 3–12% smaller (the more, the longer the test): ρ̂'s error is carried over the whole window, so
 * a longer test needs the longer fit. (An earlier measurement, 200 worlds on 104 weeks of data, had
 * preferred 26 weeks for the season's drift of the ratio; on these worlds it did not show.)
 * Time-Based Regression (Y_T = a + b·Y_C on the same weeks) measured within 2% of the ratio's standard
 * error — the simulated geos move in proportion, so an intercept adds nothing — and is not used.
 */
export const RATIO_WEEKS = 52;

/** Lag-1 autocorrelation of a series, clipped to [0, 0.95] (negative correlation is not credited). */
export function lagOneCorrelation(e: ArrayLike<number>): number {
  const n = e.length;
  if (n < 3) return 0;
  let mean = 0;
  for (let i = 0; i < n; i++) mean += e[i];
  mean /= n;
  let num = 0, den = 0;
  for (let i = 0; i < n; i++) { den += (e[i] - mean) ** 2; if (i > 0) num += (e[i] - mean) * (e[i - 1] - mean); }
  return den > 0 ? Math.min(0.95, Math.max(0, num / den)) : 0;
}

/** Σ_t Σ_u w_t·w_u·r^|t−u|: the variance of Σ w_t·e_t for AR(1) errors of unit variance. */
export function ar1SumVariance(w: ArrayLike<number>, r: number): number {
  let v = 0;
  for (let t = 0; t < w.length; t++) {
    if (w[t] === 0) continue;
    let p = 1;
    for (let u = t; u < w.length; u++, p *= r) v += (u === t ? 1 : 2) * w[t] * w[u] * p;
  }
  return v;
}

/** Group totals per period [from, to) of y [g·T + t]. */
export function groupTotals(y: ArrayLike<number>, T: number, geos: readonly number[], from: number, to: number): Float64Array {
  const out = new Float64Array(to - from);
  for (const g of geos) for (let t = from; t < to; t++) out[t - from] += y[g * T + t];
  return out;
}

export interface RatioFit { rho: number; residualSd: number; r: number; controlMean: number; controlSum: number; P: number }

/** The ratio fit of treatment on control totals over the pre-period. */
export function ratioFit(yT: Float64Array, yC: Float64Array): RatioFit {
  const P = yT.length;
  const sumT = yT.reduce((a, b) => a + b, 0), sumC = yC.reduce((a, b) => a + b, 0);
  const rho = sumC > 0 ? sumT / sumC : 0;
  const e = yT.map((v, i) => v - rho * yC[i]);
  const s2 = e.reduce((a, b) => a + b * b, 0) / Math.max(P - 1, 1);
  return { rho, residualSd: Math.sqrt(s2), r: lagOneCorrelation(e), controlMean: sumC / P, controlSum: sumC, P };
}

/** Standard error of the geo estimator for a window of W periods, from the pre-period fit. */
export function geoLiftSe(fit: RatioFit, W: number): number {
  const s2 = fit.residualSd ** 2;
  const window = ar1SumVariance(new Float64Array(W).fill(1), fit.r);
  const pre = ar1SumVariance(new Float64Array(fit.P).fill(1), fit.r);
  const rhoVar = fit.controlSum > 0 ? (s2 * pre) / fit.controlSum ** 2 : 0;
  return Math.sqrt(s2 * window + (W * fit.controlMean) ** 2 * rhoVar);
}

/** The geo estimator on outcomes y [g·T + t]: pre-period [preFrom, preTo), window [from, to). */
export function geoLiftEstimate(y: ArrayLike<number>, T: number, treatment: readonly number[], control: readonly number[], pre: [number, number], window: [number, number], spendChange: number): number {
  const fit = ratioFit(groupTotals(y, T, treatment, pre[0], pre[1]), groupTotals(y, T, control, pre[0], pre[1]));
  const yT = groupTotals(y, T, treatment, window[0], window[1]), yC = groupTotals(y, T, control, window[0], window[1]);
  let s = 0;
  for (let i = 0; i < yT.length; i++) s += fit.rho * yC[i] - yT[i];
  return (spendChange < 0 ? 1 : -1) * s;
}

/** Weights of the time-based estimator per window period: −1 changed, n_c/n_u unchanged. */
export function pulseWeights(changed: readonly boolean[]): Float64Array {
  const nc = changed.filter(Boolean).length, nu = changed.length - nc;
  return Float64Array.from(changed, (c) => (c ? -1 : nu > 0 ? nc / nu : 0));
}

export function pulseLiftSe(residualSd: number, r: number, changed: readonly boolean[]): number {
  return residualSd * Math.sqrt(ar1SumVariance(pulseWeights(changed), r));
}

/** The time-based estimator on the adjusted outcome a_t of the window's periods. */
export function pulseLiftEstimate(adjusted: ArrayLike<number>, changed: readonly boolean[], spendChange: number): number {
  const w = pulseWeights(changed);
  let s = 0;
  for (let i = 0; i < w.length; i++) s += w[i] * adjusted[i];
  return (spendChange < 0 ? 1 : -1) * s;
}
