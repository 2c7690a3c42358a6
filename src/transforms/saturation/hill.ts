import { hillBackward, hillForward } from '../kernels/saturation.ts';
import type { MediaTransform } from '../types.ts';
import { halfSaturationParam } from './halfSaturation.ts';

/** Hill saturation x^S / (x^S + K^S), safe at x = 0 and x → ∞. */
export const hill: MediaTransform = {
  kind: 'saturation',
  name: 'hill',
  label: 'Hill',
  description: 'y = x^S / (x^S + K^S) = 1 / (1 + exp(S·(log K − log x))); 0 at x = 0, 1/2 at x = K, → 1.',
  params: [
    halfSaturationParam('half-saturation point, in units of x (1 = typical scaled spend)'),
    {
      name: 'S', key: 's', role: 'shape', description: 'shape (slope); > 1 gives an S-curve',
      // Bayesian prior median e^0.25 ≈ 1.28; the classic families' default e^0.3 is the median of the
      // LogNormal(0.3, 0.5) this descriptor carried first.
      support: { type: 'positive' }, prior: { dist: 'logNormal', mu: 0.25, sigma: 0.4 }, fixed: Math.exp(0.3), search: { lo: 0.5, hi: 3 },
    },
  ],
  defaultOptions: {},
  workSize: (d) => d.series * d.T * d.C,
  forward(x, d, [K, S], out, _o, work) { hillForward(x, d.series * d.T, d.C, K, S, out, work); },
  backward(x, d, [K, S], out, gOut, gx, [gK, gS], _o, work) { hillBackward(x, d.series * d.T, d.C, K, S, out, work, gOut, gx, gK, gS); },
};
