import { convolveBackward, convolveForward, normalizeWeights } from '../kernels/convolveAdstock.ts';
import type { MediaTransform, TransformParam } from '../types.ts';

/** Computes L raw weights for one channel's two parameters and their Jacobian [L, 2]. */
export type WeightFn = (p0: number, p1: number, L: number, r: Float64Array, ro: number, dr: Float64Array, dro: number) => void;

/**
 * Builds a finite-lag adstock descriptor from a two-parameter weight function: weights computed per
 * channel (normalized to sum 1 when `normalize`), then a convolution along T. Work layout:
 * weights [C, L], their Jacobian [C, L, 2], weight adjoints [C, L].
 */
export function weightedAdstock(spec: {
  name: string; label?: string; description: string; params: readonly [TransformParam, TransformParam]; weights: WeightFn; maxLag: number;
}): MediaTransform {
  const P = 2;
  const lagOf = (o: { maxLag?: number }) => o.maxLag ?? spec.maxLag;
  return {
    kind: 'adstock',
    name: spec.name,
    ...(spec.label ? { label: spec.label } : {}),
    description: spec.description,
    params: spec.params,
    defaultOptions: { maxLag: spec.maxLag, normalize: true },
    workSize: (d, o) => d.C * lagOf(o) * (2 + P),
    forward(x, d, [p0, p1], out, o, work) {
      const L = lagOf(o), C = d.C;
      const w = work.subarray(0, C * L), J = work.subarray(C * L, C * L * (1 + P));
      for (let c = 0; c < C; c++) {
        spec.weights(p0[c], p1[c], L, w, c * L, J, c * L * P);
        if (o.normalize ?? true) normalizeWeights(w, c * L, J, c * L * P, L, P);
      }
      convolveForward(x, d.series, d.T, C, w, L, out);
    },
    backward(x, d, _p, _out, gOut, gx, [g0, g1], o, work) {
      const L = lagOf(o), C = d.C;
      const w = work.subarray(0, C * L), J = work.subarray(C * L, C * L * (1 + P)), gw = work.subarray(C * L * (1 + P), C * L * (2 + P));
      gw.fill(0);
      convolveBackward(x, d.series, d.T, C, w, L, gOut, gx, gw);
      for (let c = 0; c < C; c++) {
        let a = 0, b = 0;
        for (let l = 0; l < L; l++) {
          const j = (c * L + l) * P;
          a += gw[c * L + l] * J[j];
          b += gw[c * L + l] * J[j + 1];
        }
        if (g0) g0[c] += a;
        if (g1) g1[c] += b;
      }
    },
  };
}
