/**
 * Regression targets with hand-written gradients: Bayesian linear regression with known noise
 * (conjugate, closed-form posterior) and logistic regression. X is [n, p] row-major.
 */
import { Rng } from '../../util/rng.ts';
import { spdInverse } from '../linalg.ts';
import type { Target } from '../target.ts';

export interface RegressionData { n: number; p: number; x: number[]; y: number[] }

export interface LinearArgs extends RegressionData { sigma: number; priorSd: number }

/** β ~ N(0, priorSd² I), y ~ N(Xβ, σ² I), σ known. */
export function linearRegression(a: LinearArgs): Target {
  const { n, p } = a;
  const x = Float64Array.from(a.x), y = Float64Array.from(a.y);
  const s2 = a.sigma * a.sigma, t2 = a.priorSd * a.priorSd;
  return {
    dim: p,
    logDensityGradient(beta, grad) {
      let lp = 0;
      for (let j = 0; j < p; j++) { lp -= (0.5 * beta[j] * beta[j]) / t2; grad[j] = -beta[j] / t2; }
      for (let i = 0; i < n; i++) {
        let eta = 0;
        const row = i * p;
        for (let j = 0; j < p; j++) eta += x[row + j] * beta[j];
        const r = y[i] - eta;
        lp -= (0.5 * r * r) / s2;
        const w = r / s2;
        for (let j = 0; j < p; j++) grad[j] += w * x[row + j];
      }
      return lp;
    },
  };
}

/** The conjugate posterior: Σ = (XᵀX/σ² + I/τ²)⁻¹, μ = Σ Xᵀy/σ². Returns mean (p) and cov ([p, p]). */
export function linearPosterior(a: LinearArgs): { mean: Float64Array; cov: Float64Array } {
  const { n, p, x, y } = a;
  const s2 = a.sigma * a.sigma;
  const prec = new Float64Array(p * p), xty = new Float64Array(p);
  for (let i = 0; i < n; i++) for (let j = 0; j < p; j++) {
    xty[j] += (x[i * p + j] * y[i]) / s2;
    for (let k = 0; k < p; k++) prec[j * p + k] += (x[i * p + j] * x[i * p + k]) / s2;
  }
  for (let j = 0; j < p; j++) prec[j * p + j] += 1 / (a.priorSd * a.priorSd);
  const cov = spdInverse(prec, p)!;
  const mean = new Float64Array(p);
  for (let j = 0; j < p; j++) for (let k = 0; k < p; k++) mean[j] += cov[j * p + k] * xty[k];
  return { mean, cov };
}

export interface LogisticArgs extends RegressionData { priorSd: number }

/** β ~ N(0, priorSd² I), y_i ~ Bernoulli(logit⁻¹(x_iᵀβ)), y ∈ {0, 1}. */
export function logisticRegression(a: LogisticArgs): Target {
  const { n, p } = a;
  const x = Float64Array.from(a.x), y = Float64Array.from(a.y);
  const t2 = a.priorSd * a.priorSd;
  return {
    dim: p,
    logDensityGradient(beta, grad) {
      let lp = 0;
      for (let j = 0; j < p; j++) { lp -= (0.5 * beta[j] * beta[j]) / t2; grad[j] = -beta[j] / t2; }
      for (let i = 0; i < n; i++) {
        let eta = 0;
        const row = i * p;
        for (let j = 0; j < p; j++) eta += x[row + j] * beta[j];
        // log p(y|η) = yη - log(1 + e^η), computed stably
        const l1p = eta > 0 ? eta + Math.log1p(Math.exp(-eta)) : Math.log1p(Math.exp(eta));
        lp += y[i] * eta - l1p;
        const w = y[i] - 1 / (1 + Math.exp(-eta));
        for (let j = 0; j < p; j++) grad[j] += w * x[row + j];
      }
      return lp;
    },
  };
}

/** Simulated design: an intercept column and p-1 standard normal covariates; y from `beta`. */
export function simulateRegression(n: number, beta: number[], seed: number, kind: 'linear' | 'logistic', sigma = 1): RegressionData {
  const rng = new Rng(seed), p = beta.length;
  const x: number[] = [], y: number[] = [];
  for (let i = 0; i < n; i++) {
    let eta = 0;
    for (let j = 0; j < p; j++) { const v = j === 0 ? 1 : rng.normal(); x.push(v); eta += v * beta[j]; }
    y.push(kind === 'linear' ? eta + sigma * rng.normal() : rng.uniform() < 1 / (1 + Math.exp(-eta)) ? 1 : 0);
  }
  return { n, p, x, y };
}
