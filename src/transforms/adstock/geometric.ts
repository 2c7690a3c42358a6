import { geometricAdstockBackward, geometricAdstockForward } from '../kernels/geometricAdstock.ts';
import type { MediaTransform } from '../types.ts';

/**
 * Geometric adstock: weights α^l for lags l = 0…maxLag−1 (maxLag may be Infinity), divided by their sum
 * when `normalize` (default, as PyMC-Marketing and Meridian). Computed by an O(T) recursion.
 */
export const geometric: MediaTransform = {
  kind: 'adstock',
  name: 'geometric',
  description: 'y[t] = Σ_{l<L} α^l x[t−l] (÷ Σ_{l<L} α^l when normalized); O(T) recursion.',
  params: [{ name: 'alpha', support: { type: 'interval', lower: 0, upper: 1 }, prior: { dist: 'beta', a: 1, b: 3 }, description: 'decay per period (share carried to the next period)' }],
  defaultOptions: { maxLag: 8, normalize: true },
  workSize: (d) => d.T,
  forward(x, d, [alpha], out, o) {
    geometricAdstockForward(x, d.series, d.T, d.C, alpha, o.maxLag ?? 8, o.normalize ?? true, out);
  },
  backward(x, d, [alpha], out, gOut, gx, [galpha], o, work) {
    geometricAdstockBackward(x, d.series, d.T, d.C, alpha, o.maxLag ?? 8, o.normalize ?? true, out, gOut, gx, galpha, work);
  },
};
