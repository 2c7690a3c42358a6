import { logisticBackward, logisticForward } from '../kernels/saturation.ts';
import type { MediaTransform } from '../types.ts';

/** Logistic saturation (PyMC-Marketing): (1 − e^(−λx)) / (1 + e^(−λx)). */
export const logistic: MediaTransform = {
  kind: 'saturation',
  name: 'logistic',
  description: 'y = (1 − e^(−λx)) / (1 + e^(−λx)) = tanh(λx/2); 0 at x = 0, → 1.',
  params: [{ name: 'lambda', support: { type: 'positive' }, prior: { dist: 'gamma', shape: 3, rate: 1 }, description: 'steepness, per unit of x' }],
  defaultOptions: {},
  workSize: () => 0,
  forward(x, d, [lam], out) { logisticForward(x, d.series * d.T, d.C, lam, out); },
  backward(x, d, [lam], out, gOut, gx, [glam]) { logisticBackward(x, d.series * d.T, d.C, lam, out, gOut, gx, glam); },
};
