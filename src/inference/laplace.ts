/**
 * Laplace approximation at a mode: the Hessian of logp by central finite differences of the gradient
 * (symmetrized), and draws from N(mode, H⁻¹) where H = −∇²logp, via the Cholesky factor of H:
 * θ = mode + L⁻ᵀ z, z ~ N(0, I), H = L Lᵀ.
 */
import { badConfig, fitFailed } from '../errors.ts';
import { choleskyInPlace, solveLowerTransposeInPlace, spdInverse } from './linalg.ts';
import { Rng } from '../util/rng.ts';
import type { Target } from './target.ts';

export interface LaplaceOptions {
  draws: number;
  seed: number;
  /** Relative finite-difference step (default 1e-5): h_j = step·max(1, |mode_j|). */
  step?: number;
}

export interface LaplaceResult {
  /** [draws, dim] row-major, unconstrained space. */
  draws: Float64Array;
  mode: Float64Array;
  /** H = −∇²logp at the mode, [dim, dim] row-major. */
  hessian: Float64Array;
  /** H⁻¹, [dim, dim] row-major. */
  covariance: Float64Array;
}

/** −∇²logp at `at` by central differences of the gradient (2·dim gradient calls), symmetrized. */
export function negHessian(target: Target, at: Float64Array, step = 1e-5): Float64Array {
  const d = target.dim;
  const h = new Float64Array(d * d), x = Float64Array.from(at), gp = new Float64Array(d), gm = new Float64Array(d);
  for (let j = 0; j < d; j++) {
    const e = step * Math.max(1, Math.abs(at[j]));
    x[j] = at[j] + e; target.logDensityGradient(x, gp);
    x[j] = at[j] - e; target.logDensityGradient(x, gm);
    x[j] = at[j];
    for (let i = 0; i < d; i++) h[i * d + j] = -(gp[i] - gm[i]) / (2 * e);
  }
  for (let i = 0; i < d; i++) for (let j = 0; j < i; j++) { const m = 0.5 * (h[i * d + j] + h[j * d + i]); h[i * d + j] = m; h[j * d + i] = m; }
  return h;
}

/**
 * Draws from the Laplace approximation at `mode` (e.g. `lbfgs(...).theta`). Throws FIT_FAILED when
 * −∇²logp is not positive definite there (not a strict maximum). Example: on N(μ, Σ) the draws have
 * mean ≈ μ and covariance ≈ Σ.
 */
export function laplace(target: Target, mode: Float64Array, opts: LaplaceOptions): LaplaceResult {
  const d = target.dim;
  if (mode.length !== d) throw badConfig(`laplace mode must have length ${d}; got ${mode.length}`);
  if (!Number.isInteger(opts.draws) || opts.draws < 0) throw badConfig(`\`draws\` must be a non-negative integer; got ${opts.draws}`);
  const hessian = negHessian(target, mode, opts.step);
  for (let i = 0; i < d * d; i++) if (!Number.isFinite(hessian[i])) throw fitFailed('laplace: the Hessian at the mode is not finite');
  const l = Float64Array.from(hessian);
  if (!choleskyInPlace(l, d)) throw fitFailed('laplace: −∇²logp is not positive definite at the given point (not a strict maximum)');
  const covariance = spdInverse(hessian, d)!;
  const rng = new Rng(opts.seed);
  const draws = new Float64Array(opts.draws * d), z = new Float64Array(d);
  for (let k = 0; k < opts.draws; k++) {
    for (let i = 0; i < d; i++) z[i] = rng.normal();
    solveLowerTransposeInPlace(l, z, d);
    for (let i = 0; i < d; i++) draws[k * d + i] = mode[i] + z[i];
  }
  return { draws, mode: Float64Array.from(mode), hessian, covariance };
}
