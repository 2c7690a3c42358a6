/**
 * The media part of the MMM's expected outcome as one fused tape op (the hot path of every gradient).
 *
 * For saturated activity h [G, T, C], ROI per channel, spend per channel, revenue weights w [G, T] and
 * (geo models) multipliers u [G, C]:
 *
 *   hw[g,c]  = Σ_t w[g,t]·h[g,t,c]                  revenue per unit of coefficient, per geo
 *   β[c]     = roi[c]·spend[c] / Σ_g u[g,c]·hw[g,c]  the coefficient that makes the channel's revenue roi × spend
 *   b[g,c]   = u[g,c]·β[c]
 *   out[g,t] = Σ_c h[g,t,c]·b[g,c]
 *
 * Written with generic ops this is a vecmat, a matvec and a dozen small ops: measured on 40 geos ×
 * 156 weeks × 5 channels, 0.58 ms of a 2.5 ms gradient, because each op makes its own passes over the
 * [G, T, C] array. Here the forward pass reads h twice and the backward pass twice.
 * Without `u` (a national model, or geos without multipliers) u ≡ 1.
 */
import { badInput } from '../../../errors.ts';
import type { Node } from '../../../autodiff/graph.ts';

export function mediaContribution(h: Node, roi: Node, spend: Float64Array, w: Float64Array, u: Node | null): Node {
  const g = h.graph;
  if (h.shape.length !== 3) throw badInput(`mediaContribution: h must be [G, T, C]; got [${h.shape.join(', ')}]`);
  const [G, T, C] = h.shape;
  if (roi.size !== C || spend.length !== C) throw badInput(`mediaContribution: roi and spend need one value per channel (${C})`);
  if (w.length !== G * T) throw badInput(`mediaContribution: w needs ${G * T} weights; got ${w.length}`);
  if (u && u.size !== G * C) throw badInput(`mediaContribution: u needs ${G * C} multipliers; got ${u.size}`);
  const hw = new Float64Array(G * C), rpb = new Float64Array(C), beta = new Float64Array(C), b = new Float64Array(G * C);
  const gb = new Float64Array(G * C), ghw = new Float64Array(G * C);
  const inputs = u ? [h, roi, u] : [h, roi];
  return g.op('mediaContribution', inputs, [G * T], (out) => ({
    forward() {
      const hv = h.value, uv = u ? u.value : null, ov = out.value, rv = roi.value;
      hw.fill(0);
      for (let gi = 0; gi < G; gi++) {
        const o = gi * C;
        for (let t = 0; t < T; t++) {
          const wt = w[gi * T + t], row = (gi * T + t) * C;
          for (let c = 0; c < C; c++) hw[o + c] += wt * hv[row + c];
        }
      }
      rpb.fill(0);
      for (let gi = 0; gi < G; gi++) for (let c = 0; c < C; c++) rpb[c] += (uv ? uv[gi * C + c] : 1) * hw[gi * C + c];
      for (let c = 0; c < C; c++) beta[c] = (rv[c] * spend[c]) / rpb[c];
      for (let gi = 0; gi < G; gi++) for (let c = 0; c < C; c++) b[gi * C + c] = (uv ? uv[gi * C + c] : 1) * beta[c];
      for (let gi = 0; gi < G; gi++) {
        const o = gi * C;
        for (let t = 0; t < T; t++) {
          const row = (gi * T + t) * C;
          let s = 0;
          for (let c = 0; c < C; c++) s += hv[row + c] * b[o + c];
          ov[gi * T + t] = s;
        }
      }
    },
    backward() {
      const hv = h.value, uv = u ? u.value : null, og = out.grad;
      // Pass 1: ∂/∂b[g,c] = Σ_t out̄[g,t]·h[g,t,c], and the direct part of h̄ = out̄[g,t]·b[g,c].
      gb.fill(0);
      const hg = h.requiresGrad ? h.grad : null;
      for (let gi = 0; gi < G; gi++) {
        const o = gi * C;
        for (let t = 0; t < T; t++) {
          const ot = og[gi * T + t], row = (gi * T + t) * C;
          for (let c = 0; c < C; c++) {
            gb[o + c] += ot * hv[row + c];
            if (hg) hg[row + c] += ot * b[o + c];
          }
        }
      }
      // Through β = roi·spend / rpb and b = u·β.
      for (let c = 0; c < C; c++) {
        let gbeta = 0;
        for (let gi = 0; gi < G; gi++) gbeta += gb[gi * C + c] * (uv ? uv[gi * C + c] : 1);
        if (roi.requiresGrad) roi.grad[c] += (gbeta * spend[c]) / rpb[c];
        const grpb = (-gbeta * beta[c]) / rpb[c];
        for (let gi = 0; gi < G; gi++) {
          const i = gi * C + c;
          ghw[i] = grpb * (uv ? uv[i] : 1);
          if (u && u.requiresGrad) u.grad[i] += gb[i] * beta[c] + grpb * hw[i];
        }
      }
      // Pass 2: h̄[g,t,c] += hw̄[g,c]·w[g,t].
      if (hg) {
        for (let gi = 0; gi < G; gi++) {
          const o = gi * C;
          for (let t = 0; t < T; t++) {
            const wt = w[gi * T + t], row = (gi * T + t) * C;
            for (let c = 0; c < C; c++) hg[row + c] += ghw[o + c] * wt;
          }
        }
      }
    },
  }));
}
