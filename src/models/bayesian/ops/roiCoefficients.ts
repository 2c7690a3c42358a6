/**
 * The ROI parameterization's coefficients, shared by the fused media ops: from hw[g,c] = Σ_t w·h
 * (revenue per unit of coefficient), ROI, spend and geo multipliers u (null: u ≡ 1),
 *
 *   rpb[c] = Σ_g u[g,c]·hw[g,c],   β[c] = roi[c]·spend[c] / rpb[c],   b[g,c] = u[g,c]·β[c],
 *
 * and the reverse pass from b̄ to roi̅, ū and hw̄. Buffers are allocated once per op.
 */
import type { Node } from '../../../autodiff/graph.ts';

export class RoiCoefficients {
  readonly hw: Float64Array;
  readonly b: Float64Array;
  /** ∂/∂b on input to `backward`; ∂/∂hw on output. */
  readonly gb: Float64Array;
  readonly ghw: Float64Array;
  private readonly rpb: Float64Array;
  private readonly beta: Float64Array;

  constructor(private readonly G: number, private readonly C: number, private readonly roi: Node, private readonly spend: Float64Array, private readonly u: Node | null) {
    this.hw = new Float64Array(G * C); this.b = new Float64Array(G * C);
    this.gb = new Float64Array(G * C); this.ghw = new Float64Array(G * C);
    this.rpb = new Float64Array(C); this.beta = new Float64Array(C);
  }

  /** b from `hw` (filled by the caller). */
  forward(): void {
    const { G, C, hw, b, rpb, beta, spend } = this;
    const uv = this.u ? this.u.value : null, rv = this.roi.value;
    rpb.fill(0);
    for (let g = 0; g < G; g++) for (let c = 0; c < C; c++) rpb[c] += (uv ? uv[g * C + c] : 1) * hw[g * C + c];
    for (let c = 0; c < C; c++) beta[c] = (rv[c] * spend[c]) / rpb[c];
    for (let g = 0; g < G; g++) for (let c = 0; c < C; c++) b[g * C + c] = (uv ? uv[g * C + c] : 1) * beta[c];
  }

  /** From `gb` (filled by the caller): adds into roi.grad and u.grad, writes `ghw`. */
  backward(): void {
    const { G, C, hw, gb, ghw, rpb, beta, spend, roi, u } = this;
    const uv = u ? u.value : null;
    for (let c = 0; c < C; c++) {
      let gbeta = 0;
      for (let g = 0; g < G; g++) gbeta += gb[g * C + c] * (uv ? uv[g * C + c] : 1);
      if (roi.requiresGrad) roi.grad[c] += (gbeta * spend[c]) / rpb[c];
      const grpb = (-gbeta * beta[c]) / rpb[c];
      for (let g = 0; g < G; g++) {
        const i = g * C + c;
        ghw[i] = grpb * (uv ? uv[i] : 1);
        if (u && u.requiresGrad) u.grad[i] += gb[i] * beta[c] + grpb * hw[i];
      }
    }
  }
}
