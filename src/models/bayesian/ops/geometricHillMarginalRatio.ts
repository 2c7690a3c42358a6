/**
 * The ratio that turns a sampled marginal ROI into an ROI (priors.mroi; see model.ts), for the default
 * media block (normalized geometric adstock with an integer max lag, Hill):
 *
 *   R[c] = Σ_g u[g,c]·Σ_t w[g,t]·h(a[g,t,c]) / (Σ_g u[g,c]·Σ_t w[g,t]·(h(a[g,t,c]·(1+ε)) − h(a[g,t,c])) / ε)
 *
 * revenue over marginal revenue at +ε spend (adstock is linear, so the adstock of the raised spend is
 * (1+ε)·a), for the channels where `only[c]`; R[c] = 1 for the others (their `roi` is the ROI).
 * Without u (national) every u is 1.
 *
 * Why its own op: written with generic ops it put the whole adstock and Hill of every cell on the
 * tape twice (at a and at a·(1+ε)), which made fits with an mROI prior about twice as slow as
 * without (bench stage `mroi`). Here one pass computes the adstock, both Hill values and their
 * derivatives in alpha, K and S per cell; the reverse pass is a weighted sum of them.
 */
import { badInput } from '../../../errors.ts';
import type { Node } from '../../../autodiff/graph.ts';

export function geometricHillMarginalRatio(
  x: Float64Array, shape: readonly [number, number, number], maxLag: number,
  alpha: Node, K: Node, S: Node, w: Float64Array, u: Node | null, step: number, only: readonly boolean[],
): Node {
  const [G, T, C] = shape, L = maxLag;
  if (x.length !== G * T * C || w.length !== G * T) throw badInput(`geometricHillMarginalRatio: x needs ${G * T * C} values and w ${G * T}`);
  for (const [name, n] of [['alpha', alpha], ['K', K], ['S', S]] as const) {
    if (n.size !== C) throw badInput(`geometricHillMarginalRatio: ${name} needs ${C} values; got ${n.size}`);
  }
  if (u && u.size !== G * C) throw badInput(`geometricHillMarginalRatio: u needs ${G * C} values; got ${u.size}`);
  if (!Number.isInteger(L) || L < 1) throw badInput(`geometricHillMarginalRatio: maxLag must be a positive integer; got ${L}`);
  if (!(step > 0 && step < 1)) throw badInput(`geometricHillMarginalRatio: step must be in (0, 1); got ${step}`);
  if (only.length !== C) throw badInput(`geometricHillMarginalRatio: only needs ${C} values; got ${only.length}`);
  const channels = Array.from({ length: C }, (_, c) => c).filter((c) => only[c]);
  const logStep = Math.log1p(step);

  // Per geo and channel: n = Σ_t w·h, m = Σ_t w·(h⁺ − h)/ε, and their derivatives in α, K, S.
  const n = new Float64Array(G * C), m = new Float64Array(G * C);
  const dn = new Float64Array(3 * G * C), dm = new Float64Array(3 * G * C);
  const num = new Float64Array(C), den = new Float64Array(C);
  const inputs = [alpha, K, S, ...(u ? [u] : [])];
  const g = alpha.graph;

  return g.op('geometricHillMarginalRatio', inputs, [C], (out) => ({
    forward() {
      n.fill(0); m.fill(0); dn.fill(0); dm.fill(0);
      for (const c of channels) {
        const a = alpha.value[c], k = K.value[c], s = S.value[c], logK = Math.log(k);
        // hill(v) = 1 / (1 + e), e = (k/v)^s; at (1+ε)·v, e·(1+ε)^−s: one exp and one log per cell.
        const upFactor = Math.exp(-s * logStep);
        // Normalization Σ_{l<L} α^l and its α-derivative.
        let norm = 0, dNorm = 0, p = 1;
        for (let l = 0; l < L; l++) { norm += p; if (l + 1 < L) dNorm += (l + 1) * p; p *= a; }
        for (let gi = 0; gi < G; gi++) {
          const gc = gi * C + c;
          for (let t = 0; t < T; t++) {
            let s1 = 0, ds1 = 0, pl = 1, plm1 = 0;
            for (let l = 0; l < L && l <= t; l++) {
              const v = x[(gi * T + t - l) * C + c];
              s1 += pl * v; ds1 += l * plm1 * v;
              plm1 = pl; pl *= a;
            }
            if (!(s1 > 0)) continue;
            const ad = s1 / norm, logRatio = logK - Math.log(ad);
            const e = Math.exp(s * logRatio);
            const lo = 1 / (1 + e), hi = 1 / (1 + e * upFactor);
            const lo1 = lo * (1 - lo), hi1 = hi * (1 - hi);
            // Derivatives of hill(c·ad) (c = 1 or 1+ε), through y(1−y): in α (by ∂ad/∂α ÷ ad, the same
            // for both), in k (−s/k) and in s (log(c·ad) − log k).
            const dLogAd = (ds1 - ad * dNorm) / norm / ad;
            const wt = w[gi * T + t], we = wt / step;
            n[gc] += wt * lo;
            m[gc] += we * (hi - lo);
            dn[gc] += wt * lo1 * s * dLogAd;
            dn[G * C + gc] -= (wt * lo1 * s) / k;
            dn[2 * G * C + gc] -= wt * lo1 * logRatio;
            dm[gc] += we * (hi1 - lo1) * s * dLogAd;
            dm[G * C + gc] -= (we * (hi1 - lo1) * s) / k;
            dm[2 * G * C + gc] -= we * (hi1 * (logRatio - logStep) - lo1 * logRatio);
          }
        }
      }
      const ov = out.value;
      ov.fill(1);
      for (const c of channels) {
        let N = 0, M = 0;
        for (let gi = 0; gi < G; gi++) { const ug = u ? u.value[gi * C + c] : 1; N += ug * n[gi * C + c]; M += ug * m[gi * C + c]; }
        num[c] = N; den[c] = M;
        ov[c] = N / M;
      }
    },
    backward() {
      const og = out.grad;
      const params = [alpha, K, S];
      for (const c of channels) {
        const N = num[c], M = den[c];
        // ∂R = (∂N·M − N·∂M) / M².
        const gN = og[c] / M, gM = (-og[c] * N) / (M * M);
        for (let gi = 0; gi < G; gi++) {
          const gc = gi * C + c, ug = u ? u.value[gc] : 1;
          if (u && u.requiresGrad) u.grad[gc] += gN * n[gc] + gM * m[gc];
          for (let j = 0; j < 3; j++) {
            if (params[j].requiresGrad) params[j].grad[c] += ug * (gN * dn[j * G * C + gc] + gM * dm[j * G * C + gc]);
          }
        }
      }
    },
  }));
}
