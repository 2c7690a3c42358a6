/**
 * The MMM's likelihood as one fused tape op: Σ over in-sample cells of log Normal(y[g,t] | μ[g,t], σ),
 * with μ assembled as `centredPredictor` does and the control terms folded in:
 *
 *   rest[g,t] = Σ_i parts_i[g,t] + Σ_k z[g,t,k]·γ[g,k] + perPeriod[t]
 *   τ[g]      = level[g] − Σ_t m[g,t]·rest[g,t]           (m: 1/tIn on in-sample periods, else 0)
 *   μ[g,t]    = rest[g,t] + τ[g]
 *
 * γ is per geo ([G·K]) or shared ([K]). Why fused: the same composition as tape ops (a batched
 * matvec for the controls, centredPredictor, a gather of the in-sample cells, normalLpdf) made five
 * passes over [G, T] each way and zeroed a gradient buffer per node — measured on 40 geos × 156 weeks,
 * 0.45 ms of a 1.3 ms gradient. The passes run on a WebAssembly SIMD kernel (wasm/mmm-likelihood.ts):
 * as a fused JS op they still took 85 µs, on the kernel 35–50 µs (copies in and out included).
 * `centredPredictor` stays for the generated μ, which is off the gradient's tape.
 */
import { badInput } from '../../../errors.ts';
import type { Node } from '../../../autodiff/graph.ts';
import { mmmLikelihoodWasm } from '../kernels/mmmLikelihoodWasm.ts';

const HALF_LOG_2PI = 0.5 * Math.log(2 * Math.PI);

export interface CentredNormalLikelihoodInputs {
  /** Terms of μ, each [G·T] (e.g. the media contribution). */
  parts: readonly Node[];
  /** Standardized controls [G·T·K] and their coefficients, [G·K] (per geo) or [K] (shared). */
  controls: { z: Float64Array; K: number; gamma: Node } | null;
  /** A term shared by every geo, [T]. */
  perPeriod: Node | null;
  /**
   * Shared terms given as a design [T, J] (row-major) and its coefficients [J] — trend and seasonality —
   * added to perPeriod inside this op: as their own matvec and add ops they cost a third of a national
   * gradient (tape dispatch and gradient buffers for a few hundred multiply-adds).
   */
  calendar?: readonly { design: Float64Array; coef: Node }[];
  /** Mean fitted level per geo over the in-sample periods, [G]. */
  level: Node;
  /** m[g,t]: 1/tIn on in-sample cells, else 0. */
  meanWeight: Float64Array;
  /** Observed scaled outcome [G·T]; only in-sample cells (inSample[i] = 1) enter the likelihood. */
  y: Float64Array;
  inSample: Uint8Array;
  sigma: Node;
}

interface Kernel {
  memory: WebAssembly.Memory;
  forward(MU: number, Z: number, GAM: number, K: number, PP: number, LV: number, M: number, Y: number, IN: number, G: number, Tp: number): number;
  backward(E: number, Z: number, K: number, M: number, c: number, G: number, Tp: number, RB: number, LG: number, PG: number, GG: number): void;
}

let compiled: WebAssembly.Module | null = null;

export function centredNormalLikelihood(inp: CentredNormalLikelihoodInputs): Node {
  const { parts, controls, perPeriod, level, meanWeight: m, y, inSample, sigma } = inp;
  const calendar = inp.calendar ?? [];
  const g = level.graph, G = level.size, n = m.length, T = n / G;
  if (!Number.isInteger(T)) throw badInput(`centredNormalLikelihood: ${n} weights for ${G} geos`);
  if (y.length !== n || inSample.length !== n) throw badInput(`centredNormalLikelihood: y and inSample need ${n} values`);
  for (const p of parts) if (p.size !== n) throw badInput(`centredNormalLikelihood: a part has size ${p.size}; expected ${n}`);
  if (perPeriod && perPeriod.size !== T) throw badInput(`centredNormalLikelihood: perPeriod has size ${perPeriod.size}; expected ${T}`);
  for (const c of calendar) if (c.design.length !== T * c.coef.size) throw badInput(`centredNormalLikelihood: a calendar design needs ${T * c.coef.size} values (${T} periods × ${c.coef.size}); got ${c.design.length}`);
  if (sigma.size !== 1) throw badInput(`centredNormalLikelihood: sigma must be a scalar; got size ${sigma.size}`);
  const K = controls ? controls.K : 0;
  if (controls) {
    if (controls.z.length !== n * K) throw badInput(`centredNormalLikelihood: z needs ${n * K} values; got ${controls.z.length}`);
    if (controls.gamma.size !== K && controls.gamma.size !== G * K) throw badInput(`centredNormalLikelihood: gamma needs ${K} or ${G * K} values; got ${controls.gamma.size}`);
  }
  const gammaPerGeo = controls !== null && controls.gamma.size === G * K && G > 1;
  let nIn = 0;
  for (let i = 0; i < n; i++) nIn += inSample[i];
  const inputs = [...parts, ...(controls ? [controls.gamma] : []), ...(perPeriod ? [perPeriod] : []), ...calendar.map((c) => c.coef), level, sigma];

  // Kernel memory, in doubles after the module's own; rows padded to an even length Tp.
  compiled ??= new WebAssembly.Module(Uint8Array.from(atob(mmmLikelihoodWasm), (ch) => ch.charCodeAt(0)));
  const k = new WebAssembly.Instance(compiled, {}).exports as unknown as Kernel;
  const Tp = T + (T % 2);
  let next = Math.ceil(k.memory.buffer.byteLength / 16) * 2;
  const take = (doubles: number) => { const at = next; next += doubles + (doubles % 2); return at; };
  // With one geo the calendar's columns join the controls' in the kernel (Kz columns in all); with
  // several, its sum is formed once per period in PP rather than once per geo and period.
  const calendarInKernel = G === 1 && calendar.length > 0;
  const J = calendar.reduce((a, c) => a + c.coef.size, 0);
  const Kz = K + (calendarInKernel ? J : 0);
  const MU = take(G * Tp), Z = take(G * Kz * Tp), GAM = take(G * Kz), PP = take(Tp), LV = take(G), M = take(G * Tp), Y = take(G * Tp), IN = take(G * Tp);
  const RB = take(G * Tp), LG = take(G), PG = take(Tp), GG = take(G * Kz);
  const needBytes = next * 8 - k.memory.buffer.byteLength;
  if (needBytes > 0) k.memory.grow(Math.ceil(needBytes / 65536));
  const mem = new Float64Array(k.memory.buffer);
  mem.fill(0, MU);
  for (let gi = 0; gi < G; gi++) {
    for (let t = 0; t < T; t++) {
      const i = gi * T + t, o = gi * Tp + t;
      mem[M + o] = m[i];
      mem[Y + o] = inSample[i] ? y[i] : 0;
      mem[IN + o] = inSample[i] ? 1 : 0;
      for (let kk = 0; kk < K; kk++) mem[Z + (gi * Kz + kk) * Tp + t] = controls!.z[i * K + kk];
    }
  }
  if (calendarInKernel) {
    let col = K;
    for (const { design, coef } of calendar) {
      const Jc = coef.size;
      for (let j = 0; j < Jc; j++, col++) for (let t = 0; t < T; t++) mem[Z + col * Tp + t] = design[t * Jc + j];
    }
  }
  const padded = Tp !== T;
  /** Copies a [G·T] array into (or adds the kernel's [G][Tp] rows to) the caller's layout. */
  const toKernel = (src: Float64Array, at: number) => { if (!padded) { mem.set(src, at); return; } for (let gi = 0; gi < G; gi++) mem.set(src.subarray(gi * T, (gi + 1) * T), at + gi * Tp); };
  const sum = parts.length === 1 ? null : new Float64Array(n); // Σ parts, when there are several (or none)
  let ss = 0;
  let partGrads: Float64Array[] | null = null; // the parts' gradient buffers, once the tape is built

  return g.op('centredNormalLikelihood', inputs, [], (out) => ({
    forward() {
      if (parts.length === 1) toKernel(parts[0].value, MU);
      else {
        sum!.fill(0);
        for (const p of parts) { const v = p.value; for (let i = 0; i < n; i++) sum![i] += v[i]; }
        toKernel(sum!, MU);
      }
      if (calendarInKernel) {
        let col = K;
        for (const { coef } of calendar) { mem.set(coef.value, GAM + col); col += coef.size; }
        if (perPeriod) mem.set(perPeriod.value, PP);
      } else if (calendar.length) {
        for (let t = 0; t < T; t++) mem[PP + t] = perPeriod ? perPeriod.value[t] : 0;
        for (const { design, coef } of calendar) {
          const b = coef.value, J = b.length;
          for (let t = 0; t < T; t++) { let v = 0; for (let j = 0; j < J; j++) v += design[t * J + j] * b[j]; mem[PP + t] += v; }
        }
      } else if (perPeriod) mem.set(perPeriod.value, PP);
      mem.set(level.value, LV);
      if (controls) {
        const gv = controls.gamma.value;
        if (gammaPerGeo) for (let gi = 0; gi < G; gi++) mem.set(gv.subarray(gi * K, (gi + 1) * K), GAM + gi * Kz);
        else for (let gi = 0; gi < G; gi++) mem.set(gv, GAM + gi * Kz);
      }
      ss = k.forward(MU * 8, Z * 8, GAM * 8, Kz, PP * 8, LV * 8, M * 8, Y * 8, IN * 8, G, Tp);
      const s = sigma.value[0];
      out.value[0] = -0.5 * ss / (s * s) - nIn * (Math.log(s) + HALF_LOG_2PI);
    },
    backward() {
      const up = out.grad[0], s = sigma.value[0];
      k.backward(MU * 8, Z * 8, Kz, M * 8, up / (s * s), G, Tp, RB * 8, LG * 8, PG * 8, GG * 8);
      partGrads ??= parts.filter((p) => p.requiresGrad).map((p) => p.grad);
      for (const pg of partGrads) {
        for (let gi = 0; gi < G; gi++) { const o = gi * T, r = RB + gi * Tp; for (let t = 0; t < T; t++) pg[o + t] += mem[r + t]; }
      }
      if (level.requiresGrad) for (let gi = 0; gi < G; gi++) level.grad[gi] += mem[LG + gi];
      if (perPeriod && perPeriod.requiresGrad) for (let t = 0; t < T; t++) perPeriod.grad[t] += mem[PG + t];
      if (calendarInKernel) {
        let col = K;
        for (const { coef } of calendar) {
          if (coef.requiresGrad) for (let j = 0; j < coef.size; j++) coef.grad[j] += mem[GG + col + j];
          col += coef.size;
        }
      } else for (const { design, coef } of calendar) {
        if (!coef.requiresGrad) continue;
        const cg = coef.grad, J = cg.length;
        for (let t = 0; t < T; t++) { const pg = mem[PG + t]; for (let j = 0; j < J; j++) cg[j] += pg * design[t * J + j]; }
      }
      if (controls && controls.gamma.requiresGrad) {
        const gg = controls.gamma.grad;
        for (let gi = 0; gi < G; gi++) for (let kk = 0; kk < K; kk++) gg[(gammaPerGeo ? gi * K : 0) + kk] += mem[GG + gi * Kz + kk];
      }
      if (sigma.requiresGrad) sigma.grad[0] += up * (ss / (s * s * s) - nIn / s);
    },
  }));
}
