import { hillBackward, hillForward } from '../kernels/saturation.ts';
import type { MediaTransform } from '../types.ts';

/** Hill saturation x^S / (x^S + K^S), safe at x = 0 and x → ∞. */
export const hill: MediaTransform = {
  kind: 'saturation',
  name: 'hill',
  description: 'y = x^S / (x^S + K^S) = 1 / (1 + exp(S·(log K − log x))); 0 at x = 0, 1/2 at x = K, → 1.',
  params: [
    { name: 'K', support: { type: 'positive' }, prior: { dist: 'logNormal', mu: 0, sigma: 1 }, description: 'half-saturation point, in units of x (1 = typical scaled spend)' },
    { name: 'S', support: { type: 'positive' }, prior: { dist: 'logNormal', mu: 0.3, sigma: 0.5 }, description: 'shape (slope); > 1 gives an S-curve' },
  ],
  defaultOptions: {},
  workSize: (d) => d.series * d.T * d.C,
  forward(x, d, [K, S], out, _o, work) { hillForward(x, d.series * d.T, d.C, K, S, out, work); },
  backward(x, d, [K, S], out, gOut, gx, [gK, gS], _o, work) { hillBackward(x, d.series * d.T, d.C, K, S, out, work, gOut, gx, gK, gS); },
};
