import { michaelisMentenBackward, michaelisMentenForward } from '../kernels/saturation.ts';
import type { MediaTransform } from '../types.ts';
import { halfSaturationParam } from './halfSaturation.ts';

/** Michaelis–Menten saturation x / (K + x); the maximum effect is the channel's coefficient. */
export const michaelisMenten: MediaTransform = {
  kind: 'saturation',
  name: 'michaelis-menten',
  label: 'Michaelis–Menten',
  description: 'y = x / (K + x); 0 at x = 0, 1/2 at x = K, → 1 (the coefficient in front is the maximum effect).',
  params: [halfSaturationParam('half-saturation point, in units of x')],
  defaultOptions: {},
  workSize: () => 0,
  forward(x, d, [K], out) { michaelisMentenForward(x, d.series * d.T, d.C, K, out); },
  backward(x, d, [K], _out, gOut, gx, [gK]) { michaelisMentenBackward(x, d.series * d.T, d.C, K, gOut, gx, gK); },
};
