import { logisticBackward, logisticForward } from '../kernels/saturation.ts';
import type { MediaTransform } from '../types.ts';

/** Logistic saturation (PyMC-Marketing): (1 − e^(−λx)) / (1 + e^(−λx)). */
export const logistic: MediaTransform = {
  kind: 'saturation',
  name: 'logistic',
  description: 'y = (1 − e^(−λx)) / (1 + e^(−λx)) = tanh(λx/2); 0 at x = 0, → 1.',
  params: [{
    name: 'lambda', key: 'lambda', description: 'steepness, per unit of x',
    // Bayesian prior median 1 per typical activity; the classic default 3 is the mean of the Gamma(3, 1)
    // this descriptor carried first.
    support: { type: 'positive' }, prior: { dist: 'logNormal', mu: 0, sigma: 0.7 }, fixed: 3, search: { lo: 0.1, hi: 5 },
  }],
  defaultOptions: {},
  workSize: () => 0,
  forward(x, d, [lam], out) { logisticForward(x, d.series * d.T, d.C, lam, out); },
  backward(x, d, [lam], out, gOut, gx, [glam]) { logisticBackward(x, d.series * d.T, d.C, lam, out, gOut, gx, glam); },
};
