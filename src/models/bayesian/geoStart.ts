/**
 * Where a geo model's fit starts: the pooling sds by empirical Bayes, then the mode of everything
 * else given them.
 *
 * Why not the joint MAP: in the non-centred hierarchy (effect e[g,c] = geo_sd[c]·geo_z[g,c],
 * geo_z ~ N(0, 1)) the joint density is highest where the z are small and the sd large — with G geos
 * and effects of size ē the mode sits near geo_sd⁴ ≈ 0.3²·G·ē², whatever the data say. Measured on
 * the simulator's 40 geos × 156 weeks (true sd 0.15, NUTS posterior 0.14–0.19): joint-MAP geo_sd
 * 0.56–0.97. A Laplace approximation there (`--fast`) leaves each geo's effects nearly unpooled, and
 * NUTS starts out of its typical set with a metric that is too narrow for the z.
 *
 * Empirical Bayes instead: at the joint MAP, each geo's effect has a likelihood-only estimate ẽ[g,c]
 * and variance v[g,c] (from the curvature of the log density in z[g,c], the prior's 1 taken off), so
 * marginally ẽ[g,c] ~ N(0, sd_c² + v[g,c]). That 1-D marginal likelihood times the sd's prior is the
 * sd's approximate marginal posterior; on a grid in log sd we take its median and its variance. The
 * z are then the effects' posterior means given that sd, and the other parameters their mode given
 * it (L-BFGS with geo_sd held). The diagonal approximation ignores the effects' correlation with the
 * other parameters; it only has to be good enough to start from.
 */
import { lbfgs } from '../../inference/index.ts';
import type { Model } from '../../inference/model.ts';
import type { Target } from '../../inference/target.ts';
import { GEO_SD_PRIOR_SD } from './model.ts';

export interface GeoStart {
  /** θ with geo_sd at its empirical-Bayes value and everything else at its mode given it. */
  theta: Float64Array;
  /** Indices of θ that stay free (all but the log geo_sd). */
  free: Int32Array;
  /** Indices of θ holding log geo_sd, and the variance of each from its marginal posterior. */
  held: Int32Array;
  heldVariance: Float64Array;
  /** The empirical-Bayes pooling sd per channel (constrained scale). */
  geoSd: Float64Array;
  /** Whether the conditional L-BFGS converged. */
  converged: boolean;
}

const GRID = 600;
const LOG_SD_MIN = Math.log(1e-3), LOG_SD_MAX = Math.log(5);

/** Null for a model without geo_sd/geo_z (national), or where the start is not finite. */
export function geoEmpiricalBayesStart(model: Model, mode: Float64Array, geos: number, channels: number): GeoStart | null {
  const sdInfo = model.params.find((p) => p.name === 'geo_sd');
  const zInfo = model.params.find((p) => p.name === 'geo_z');
  if (!sdInfo || !zInfo) return null;
  const d = model.dim, G = geos, C = channels;
  const zIndex = (g: number, c: number) => zInfo.offset + g * C + c;
  const curvature = diagonalNegHessian(model, mode, Int32Array.from({ length: G * C }, (_, i) => zInfo.offset + i));
  const theta = Float64Array.from(mode);
  const geoSd = new Float64Array(C), heldVariance = new Float64Array(C);
  for (let c = 0; c < C; c++) {
    const sd0 = Math.exp(mode[sdInfo.offset + c]);
    const effect = new Float64Array(G), variance = new Float64Array(G);
    for (let g = 0; g < G; g++) {
      // Likelihood information about z beyond the N(0, 1) prior's; in effect units it is info / sd0².
      // (A non-finite curvature counts as no information: that geo then barely moves the sd.)
      const raw = curvature[g * C + c] - 1;
      const info = Number.isFinite(raw) ? Math.max(raw, 1e-12) : 1e-12;
      variance[g] = (sd0 * sd0) / info;
      effect[g] = (sd0 * mode[zIndex(g, c)] * (info + 1)) / info;
    }
    const { median, logVariance } = marginalOfSd(effect, variance);
    geoSd[c] = median;
    heldVariance[c] = logVariance;
    theta[sdInfo.offset + c] = Math.log(median);
    for (let g = 0; g < G; g++) theta[zIndex(g, c)] = (effect[g] * median) / (median * median + variance[g]);
  }
  const held = Int32Array.from({ length: C }, (_, c) => sdInfo.offset + c);
  const free = Int32Array.from({ length: d }, (_, i) => i).filter((i) => i < sdInfo.offset || i >= sdInfo.offset + C);
  const conditional = withHeld(model, free, theta);
  const fit = lbfgs(conditional, Int32Array.from(free).reduce((x, j, k) => { x[k] = theta[j]; return x; }, new Float64Array(free.length)), { maxIterations: 5000, history: Math.min(100, free.length) });
  free.forEach((j, k) => { theta[j] = fit.theta[k]; });
  // Anything non-finite: no start from here; the caller keeps the joint MAP.
  if (!theta.every(Number.isFinite) || !heldVariance.every(Number.isFinite)) return null;
  return { theta, free, held, heldVariance, geoSd, converged: fit.converged };
}

/** The target restricted to the `free` coordinates of θ, the others held at `at`'s values. */
export function withHeld(target: Target, free: Int32Array, at: Float64Array): Target {
  const full = Float64Array.from(at), grad = new Float64Array(target.dim);
  return {
    dim: free.length,
    logDensityGradient(x, out) {
      for (let k = 0; k < free.length; k++) full[free[k]] = x[k];
      const lp = target.logDensityGradient(full, grad);
      for (let k = 0; k < free.length; k++) out[k] = grad[free[k]];
      return lp;
    },
  };
}

/**
 * Median and variance of log sd under p(sd | ẽ) ∝ HalfNormal(sd; 0.3) · Π_g N(ẽ_g; 0, sd² + v_g),
 * on a grid in log sd (the grid's density carries the Jacobian sd).
 */
export function marginalOfSd(effect: Float64Array, variance: Float64Array): { median: number; logVariance: number } {
  const logDensity = new Float64Array(GRID);
  const step = (LOG_SD_MAX - LOG_SD_MIN) / (GRID - 1);
  let top = -Infinity;
  for (let i = 0; i < GRID; i++) {
    const ls = LOG_SD_MIN + i * step, s2 = Math.exp(2 * ls);
    let lp = ls - s2 / (2 * GEO_SD_PRIOR_SD * GEO_SD_PRIOR_SD);
    for (let g = 0; g < effect.length; g++) { const w = s2 + variance[g]; lp += -0.5 * Math.log(w) - (effect[g] * effect[g]) / (2 * w); }
    logDensity[i] = lp;
    if (lp > top) top = lp;
  }
  let total = 0, mean = 0, second = 0;
  const weight = Float64Array.from(logDensity, (lp) => Math.exp(lp - top));
  for (let i = 0; i < GRID; i++) { const ls = LOG_SD_MIN + i * step; total += weight[i]; mean += weight[i] * ls; second += weight[i] * ls * ls; }
  mean /= total;
  let run = 0, median = LOG_SD_MAX;
  for (let i = 0; i < GRID; i++) { run += weight[i]; if (run >= total / 2) { median = LOG_SD_MIN + i * step; break; } }
  return { median: Math.exp(median), logVariance: Math.max(second / total - mean * mean, step * step) };
}

/** −∂²logp/∂θ_i² for the listed i, by central differences of the gradient. */
function diagonalNegHessian(target: Target, at: Float64Array, indices: Int32Array): Float64Array {
  const x = Float64Array.from(at), gp = new Float64Array(target.dim), gm = new Float64Array(target.dim);
  return Float64Array.from(indices, (j) => {
    const e = 1e-5 * Math.max(1, Math.abs(at[j]));
    x[j] = at[j] + e; target.logDensityGradient(x, gp);
    x[j] = at[j] - e; target.logDensityGradient(x, gm);
    x[j] = at[j];
    return -(gp[j] - gm[j]) / (2 * e);
  });
}
