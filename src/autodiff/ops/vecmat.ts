/**
 * Vector–matrix product over the row dimension (the transpose of `matvec`):
 * y[..., c] = Σ_r v[..., r]·A[..., r, c].
 * - A [R, C], v [R] → [C] (e.g. a weighted column sum: Σ_t w[t]·h[t, c]);
 * - A [G, R, C], v [R] → [G, C] (the same weights for every batch);
 * - A [G, R, C], v [G, R] → [G, C] (weights per batch, e.g. per geo and period).
 * Example: A = [[1, 2], [3, 4]], v = [1, 1] → [4, 6].
 */
import type { Node } from '../graph.ts';
import { batchedMatrix } from './linear.ts';

export function vecmat(v: Node, A: Node): Node {
  const sh = A.shape;
  const { G, R, C, vBatch } = batchedMatrix('vecmat', A, v, 'rows');
  const Av = A.value, vv = v.value;
  const outShape = [...sh.slice(0, -2), C];
  return A.graph.op('vecmat', [v, A], outShape, (out) => {
    const ov = out.value;
    return {
      forward() {
        ov.fill(0);
        for (let g = 0; g < G; g++) {
          const vo = g * vBatch, oo = g * C;
          for (let r = 0; r < R; r++) {
            const w = vv[vo + r], row = (g * R + r) * C;
            for (let c = 0; c < C; c++) ov[oo + c] += w * Av[row + c];
          }
        }
      },
      backward() {
        const og = out.grad, Ag = A.grad, vg = v.grad, gA = A.requiresGrad, gv = v.requiresGrad;
        for (let g = 0; g < G; g++) {
          const vo = g * vBatch, oo = g * C;
          for (let r = 0; r < R; r++) {
            const row = (g * R + r) * C, w = vv[vo + r];
            if (gA) for (let c = 0; c < C; c++) Ag[row + c] += w * og[oo + c];
            if (gv) { let s = 0; for (let c = 0; c < C; c++) s += og[oo + c] * Av[row + c]; vg[vo + r] += s; }
          }
        }
      },
    };
  });
}
