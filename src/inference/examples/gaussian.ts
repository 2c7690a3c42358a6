/**
 * Multivariate normal target N(mean, cov) with a hand-written gradient, and a seeded generator of
 * correlated covariances. Used by the tests and by `npm run bench -- nuts` (also as a worker factory).
 */
import { badInput } from '../../errors.ts';
import { Rng } from '../../util/rng.ts';
import { spdInverse } from '../linalg.ts';
import type { Target } from '../target.ts';

export interface GaussianArgs {
  mean: number[];
  /** [dim, dim] row-major covariance. */
  cov: number[];
}

/** logp(θ) = -½ (θ-μ)ᵀ Σ⁻¹ (θ-μ) (up to a constant); ∇ = -Σ⁻¹ (θ-μ). O(dim²) per call. */
export function gaussianTarget(args: GaussianArgs): Target {
  const d = args.mean.length;
  if (args.cov.length !== d * d) throw badInput(`gaussian cov must have ${d * d} entries; got ${args.cov.length}`);
  const prec = spdInverse(Float64Array.from(args.cov), d);
  if (!prec) throw badInput('gaussian cov is not positive definite');
  const mu = Float64Array.from(args.mean);
  const r = new Float64Array(d);
  return {
    dim: d,
    logDensityGradient(theta, grad) {
      for (let i = 0; i < d; i++) r[i] = theta[i] - mu[i];
      let q = 0;
      for (let i = 0; i < d; i++) {
        let s = 0;
        const row = i * d;
        for (let k = 0; k < d; k++) s += prec[row + k] * r[k];
        grad[i] = -s;
        q += r[i] * s;
      }
      return -0.5 * q;
    },
  };
}

/**
 * A seeded correlated covariance: sd_i = exp(U(-1, 1)), correlation ρ^|i-j| (AR(1) structure),
 * means N(0, 1). Example: `correlatedGaussian(2, 0.9, 1)` → a 2-D Gaussian with correlation 0.9.
 */
export function correlatedGaussian(dim: number, rho: number, seed: number): GaussianArgs {
  const rng = new Rng(seed);
  const sd = Array.from({ length: dim }, () => Math.exp(2 * rng.uniform() - 1));
  const mean = Array.from({ length: dim }, () => rng.normal());
  const cov: number[] = new Array(dim * dim);
  for (let i = 0; i < dim; i++) for (let j = 0; j < dim; j++) cov[i * dim + j] = sd[i] * sd[j] * rho ** Math.abs(i - j);
  return { mean, cov };
}
