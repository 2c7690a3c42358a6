import { geometricAdstockBackward, geometricAdstockForward } from '../kernels/geometricAdstock.ts';
import type { MediaTransform, TransformParam } from '../types.ts';

/**
 * A carry-over decay as the Bayesian model samples it: Beta(2, 3) (mean 0.4), the curve role `decay`
 * (geometric and delayed adstock share it). Classic fits use 0.25 (the mean of a Beta(1, 3), their
 * default from the start) and the ridge search Robyn's range up to 0.9.
 */
export const decayParam = (description: string): TransformParam => ({
  name: 'alpha', key: 'alpha', role: 'decay', description,
  support: { type: 'interval', lower: 0, upper: 1 }, prior: { dist: 'beta', a: 2, b: 3 },
  fixed: 0.25, search: { lo: 0, hi: 0.9 },
});

/**
 * Geometric adstock: weights α^l for lags l = 0…maxLag−1 (maxLag may be Infinity), divided by their sum
 * when `normalize` (default, as PyMC-Marketing and Meridian). Computed by an O(T) recursion.
 */
export const geometric: MediaTransform = {
  kind: 'adstock',
  name: 'geometric',
  description: 'y[t] = Σ_{l<L} α^l x[t−l] (÷ Σ_{l<L} α^l when normalized); O(T) recursion.',
  params: [decayParam('decay per period (share carried to the next period)')],
  defaultOptions: { maxLag: 8, normalize: true },
  workSize: (d) => d.T,
  forward(x, d, [alpha], out, o) {
    geometricAdstockForward(x, d.series, d.T, d.C, alpha, o.maxLag ?? 8, o.normalize ?? true, out);
  },
  backward(x, d, [alpha], out, gOut, gx, [galpha], o, work) {
    geometricAdstockBackward(x, d.series, d.T, d.C, alpha, o.maxLag ?? 8, o.normalize ?? true, out, gOut, gx, galpha, work);
  },
};
