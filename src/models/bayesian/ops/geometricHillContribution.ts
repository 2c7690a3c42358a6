/**
 * The default media block of the MMM — geometric adstock (normalized, finite max lag), Hill
 * saturation and the ROI-parameterized contribution — as one tape op computed by a WebAssembly
 * kernel: ../kernels/mmmMediaWasm.ts (f64, built from wasm/mmm-media.ts; why WebAssembly: see there)
 * or, for sampling, ../kernels/mmmMediaF32Wasm.ts (f32, from wasm/mmm-media-f32.ts).
 *
 * out[g,t] = Σ_c hill(adstock(x[g,·,c]))[t]·b[g,c], b as in `mediaContribution` (same formula, same
 * inputs, which the tests hold it to). x is data: it is copied into the kernel's memory once, here.
 * Measured on 40 geos × 156 weeks × 5 channels: f64 0.65 ms (0.50 forward + 0.15 reverse), f32
 * 0.37 ms (0.26 + 0.11), against 1.6 ms for the adstock, Hill and mediaContribution tape ops it replaces.
 */
import { badInput } from '../../../errors.ts';
import { mmmMediaWasm } from '../kernels/mmmMediaWasm.ts';
import { mmmMediaF32Wasm } from '../kernels/mmmMediaF32Wasm.ts';
import type { Node } from '../../../autodiff/graph.ts';
import { RoiCoefficients } from './roiCoefficients.ts';

interface Kernel {
  memory: WebAssembly.Memory;
  // Byte offsets into `memory`; G2: vectors across the geos; TAPS (f32 kernel only) a scratch block.
  forward(X: number, A: number, LG: number, H: number, W: number, HW: number, T: number, G2: number, C: number, PAR: number, L: number, TAPS: number): void;
  combine(H: number, B: number, OUT: number, T: number, G2: number, C: number): void;
  gradB(H: number, GO: number, GB: number, T: number, G2: number, C: number): void;
  backward(X: number, A: number, LG: number, H: number, W: number, GO: number, B: number, GHW: number, T: number, G2: number, C: number, PAR: number, L: number, GPAR: number, TAPS: number): void;
  // f32 kernel only: OUT to f64 rows [G][T], and GO from them.
  unpackOut?(OUT: number, ROWS: number, T: number, G4: number, G: number): void;
  packGrad?(ROWS: number, GO: number, T: number, G4: number, G: number): void;
}

const compiled: Partial<Record<KernelPrecision, WebAssembly.Module>> = {};
/** The compiled module, once per thread and precision; each op gets its own instance (and memory). */
function kernelModule(precision: KernelPrecision): WebAssembly.Module {
  return (compiled[precision] ??= new WebAssembly.Module(Uint8Array.from(atob(precision === 'f32' ? mmmMediaF32Wasm : mmmMediaWasm), (ch) => ch.charCodeAt(0))));
}

/**
 * 'f64' (default): wasm/mmm-media.ts, two geos per vector, exp and log to ~3e-16. 'f32':
 * wasm/mmm-media-f32.ts, four geos per vector, for NUTS only (its output and gradient agree with the
 * f64 kernel to ~1e-6 relative, which a sampler does not see but a finite-difference Hessian does).
 */
export type KernelPrecision = 'f64' | 'f32';

export function geometricHillContribution(
  x: Float64Array, shape: readonly [number, number, number], maxLag: number,
  alpha: Node, K: Node, S: Node, roi: Node, spend: Float64Array, w: Float64Array, u: Node | null,
  precision: KernelPrecision = 'f64',
): Node {
  const [G, T, C] = shape;
  const g = roi.graph;
  if (x.length !== G * T * C || w.length !== G * T) throw badInput(`geometricHillContribution: x needs ${G * T * C} values and w ${G * T}`);
  for (const [name, n] of [['alpha', alpha], ['K', K], ['S', S], ['roi', roi]] as const) {
    if (n.size !== C) throw badInput(`geometricHillContribution: ${name} needs ${C} values; got ${n.size}`);
  }
  if (spend.length !== C) throw badInput(`geometricHillContribution: spend needs ${C} values`);
  if (u && u.size !== G * C) throw badInput(`geometricHillContribution: u needs ${G * C} values; got ${u.size}`);
  if (!Number.isInteger(maxLag) || maxLag < 1) throw badInput(`geometricHillContribution: maxLag must be a positive integer; got ${maxLag}`);
  if (precision !== 'f64' && precision !== 'f32') throw badInput(`geometricHillContribution: precision must be f64 or f32; got ${String(precision)}`);

  // Geos per 128-bit vector. The kernel runs over "lanes": a geo's whole series, or — when there are
  // fewer geos than a vector holds (a national model fills one f32 lane of four) — consecutive pieces
  // of it (laneLayout below), so that no lane is padding.
  const lanes = precision === 'f32' ? 4 : 2, bytes = 16 / lanes;
  const layout = laneLayout(G, T, maxLag, lanes);
  const { count: GL, length: TL, geoOf, cellOf, dataOf } = layout;
  const G2 = Math.ceil(GL / lanes);
  const instance = new WebAssembly.Instance(kernelModule(precision), {});
  const k = instance.exports as unknown as Kernel;
  // Layout in bytes, after the module's own memory (constants, stack), every block 16-byte aligned.
  let next = k.memory.buffer.byteLength;
  const take = (elements: number, size = bytes) => { const at = next; next += Math.ceil((elements * size) / 16) * 16; return at; };
  const series = C * G2 * TL * lanes, perGeoTime = G2 * TL * lanes, perChannelGroup = C * G2 * lanes;
  const X = take(series), A = take(series), LG = take(series), H = take(series);
  const W = take(perGeoTime), GO = take(perGeoTime), OUT = take(perGeoTime);
  const HW = take(perChannelGroup), B = take(perChannelGroup), GB = take(perChannelGroup), GHW = take(perChannelGroup);
  const PAR = take(3 * C, 8), GPAR = take(3 * C, 8), TAPS = take(4 * maxLag, 4), ROWS = take(GL * TL, 8);
  const needBytes = next - k.memory.buffer.byteLength;
  if (needBytes > 0) k.memory.grow(Math.ceil(needBytes / 65536));
  // Vector data through `mem` (f64 or f32 elements, indexed from byte offset / element size); the
  // per-channel scalars PAR and GPAR are f64 in both kernels.
  const mem = precision === 'f32' ? new Float32Array(k.memory.buffer) : new Float64Array(k.memory.buffer);
  const mem64 = new Float64Array(k.memory.buffer);
  const at = (byteOffset: number) => byteOffset / bytes;
  const x0 = at(X), w0 = at(W), go0 = at(GO), out0 = at(OUT), hw0 = at(HW), b0 = at(B), gb0 = at(GB), ghw0 = at(GHW), par0 = PAR / 8, gpar0 = GPAR / 8;
  /** Where lane v's period τ sits in a kernel block of one value per lane and period. */
  const laneCell = (v: number, tau: number) => (Math.floor(v / lanes) * TL + tau) * lanes + (v % lanes);
  /** Where lane v's value for channel c sits in a per-channel block (HW, B, GB, GHW). */
  const laneGroup = (v: number, c: number) => (c * G2 + Math.floor(v / lanes)) * lanes + (v % lanes);

  // Interleave: lane v's period τ of channel c goes to X[c][v / lanes][τ][v % lanes]; its weight only
  // where the lane owns the cell (not its lead-in), so only owned cells reach the outcome and HW.
  for (let v = 0; v < GL; v++) {
    for (let tau = 0; tau < TL; tau++) {
      const cell = cellOf[v * TL + tau], data = dataOf[v * TL + tau];
      mem[w0 + laneCell(v, tau)] = cell >= 0 ? w[cell] : 0;
      if (data >= 0) for (let c = 0; c < C; c++) mem[x0 + laneCell(v, tau) + c * G2 * TL * lanes] = x[data * C + c];
    }
  }
  const coef = new RoiCoefficients(G, C, roi, spend, u);
  const { hw, b, gb, ghw } = coef;
  // ∂/∂b from ops that read this one's coefficients (geometricHillWindowSums), added before its reverse pass.
  const gbExtra = new Float64Array(G * C);
  const inputs = [alpha, K, S, roi, ...(u ? [u] : [])];
  const rows = mem64.subarray(ROWS / 8, ROWS / 8 + GL * TL);
  // One lane per geo: the kernel's rows are the caller's cells, copied whole (the per-cell mapping
  // below cost a 40-geo gradient ~10%).
  const identity = GL === G && TL === T;

  const node = g.op('geometricHillContribution', inputs, [G * T], (out) => ({
    forward() {
      mem64.set(alpha.value, par0); mem64.set(K.value, par0 + C); mem64.set(S.value, par0 + 2 * C);
      k.forward(X, A, LG, H, W, HW, TL, G2, C, PAR, maxLag, TAPS);
      hw.fill(0);
      for (let v = 0; v < GL; v++) for (let c = 0; c < C; c++) hw[geoOf[v] * C + c] += mem[hw0 + laneGroup(v, c)];
      coef.forward();
      for (let v = 0; v < GL; v++) for (let c = 0; c < C; c++) mem[b0 + laneGroup(v, c)] = b[geoOf[v] * C + c];
      k.combine(H, B, OUT, TL, G2, C);
      const ov = out.value;
      if (k.unpackOut) {
        k.unpackOut(OUT, ROWS, TL, G2, GL);
        if (identity) ov.set(rows);
        else for (let i = 0; i < GL * TL; i++) { const cell = cellOf[i]; if (cell >= 0) ov[cell] = rows[i]; }
        return;
      }
      for (let v = 0; v < GL; v++) for (let tau = 0; tau < TL; tau++) { const cell = cellOf[v * TL + tau]; if (cell >= 0) ov[cell] = mem[out0 + laneCell(v, tau)]; }
    },
    backward() {
      const og = out.grad;
      if (k.packGrad) {
        if (identity) rows.set(og);
        else for (let i = 0; i < GL * TL; i++) { const cell = cellOf[i]; rows[i] = cell >= 0 ? og[cell] : 0; }
        k.packGrad(ROWS, GO, TL, G2, GL);
      } else {
        for (let v = 0; v < GL; v++) for (let tau = 0; tau < TL; tau++) { const cell = cellOf[v * TL + tau]; mem[go0 + laneCell(v, tau)] = cell >= 0 ? og[cell] : 0; }
      }
      k.gradB(H, GO, GB, TL, G2, C);
      gb.set(gbExtra);
      for (let v = 0; v < GL; v++) for (let c = 0; c < C; c++) gb[geoOf[v] * C + c] += mem[gb0 + laneGroup(v, c)];
      gbExtra.fill(0);
      coef.backward();
      // hw sums its geo's lanes, so each lane's share of ∂/∂hw is the geo's.
      for (let v = 0; v < GL; v++) for (let c = 0; c < C; c++) mem[ghw0 + laneGroup(v, c)] = ghw[geoOf[v] * C + c];
      if (!alpha.requiresGrad && !K.requiresGrad && !S.requiresGrad) return;
      k.backward(X, A, LG, H, W, GO, B, GHW, TL, G2, C, PAR, maxLag, GPAR, TAPS);
      for (let c = 0; c < C; c++) {
        if (alpha.requiresGrad) alpha.grad[c] += mem64[gpar0 + c];
        if (K.requiresGrad) K.grad[c] += mem64[gpar0 + C + c];
        if (S.requiresGrad) S.grad[c] += mem64[gpar0 + 2 * C + c];
      }
    },
  }));
  const saturated = (into: Float64Array) => {
    const h0 = at(H);
    for (let v = 0; v < GL; v++) for (let tau = 0; tau < TL; tau++) {
      const cell = cellOf[v * TL + tau];
      if (cell < 0) continue;
      for (let c = 0; c < C; c++) into[cell * C + c] = mem[h0 + laneCell(v, tau) + c * G2 * TL * lanes];
    }
    return into;
  };
  blocks.set(node, { x, G, T, C, maxLag, alpha, K, S, b, gbExtra, saturated });
  return node;
}

/**
 * How the kernel's lanes cover the geos × periods. With at least as many geos as a vector has lanes,
 * one lane per geo. With fewer (a national model: one geo, four f32 lanes), each geo's periods are cut
 * into consecutive pieces, one per lane, when that takes fewer vector steps: a piece starts with the
 * maxLag − 1 periods before it (its lead-in, weight 0: read only as the adstock's lags, since the
 * kernel's adstock at period τ sums x over τ − l ≥ 0, l < maxLag), so every owned period sees the same
 * lags as in the whole series. On 156 weeks with maxLag 8: 4 lanes of 46 periods instead of 1 of 156.
 *
 * count lanes of `length` periods each; for lane v and period τ (index v·length + τ): geoOf[v], the
 * cell g·T + t the lane owns there or −1 (lead-in, or past the end), and the cell whose activity it
 * reads there or −1 (before the series' start or past its end: zero activity).
 */
export function laneLayout(G: number, T: number, maxLag: number, lanes: number): { count: number; length: number; geoOf: Int32Array; cellOf: Int32Array; dataOf: Int32Array } {
  const cost = (pieces: number) => Math.ceil((G * pieces) / lanes) * (Math.ceil(T / pieces) + (pieces > 1 ? maxLag - 1 : 0));
  let pieces = 1;
  for (let p = 2; p * G <= lanes && p <= T; p++) if (cost(p) < cost(pieces)) pieces = p;
  const piece = Math.ceil(T / pieces), lead = pieces > 1 ? maxLag - 1 : 0;
  const count = G * pieces, length = piece + lead;
  const geoOf = new Int32Array(count), cellOf = new Int32Array(count * length), dataOf = new Int32Array(count * length);
  for (let v = 0; v < count; v++) {
    const gi = Math.floor(v / pieces), first = (v % pieces) * piece;
    geoOf[v] = gi;
    for (let tau = 0; tau < length; tau++) {
      const t = first - lead + tau, inSeries = t >= 0 && t < T;
      dataOf[v * length + tau] = inSeries ? gi * T + t : -1;
      cellOf[v * length + tau] = inSeries && tau >= lead ? gi * T + t : -1;
    }
  }
  return { count, length, geoOf, cellOf, dataOf };
}

/**
 * The state of a geometricHillContribution node after its last forward pass: h[g,t,c] (saturated
 * activity, [G, T, C]) copied out of the kernel, b[g,c] and the Hill shapes S[c]. Generated
 * quantities read it instead of recomputing adstock and Hill with generic ops.
 */
export function geometricHillState(contribution: Node, into?: Float64Array): { h: Float64Array; b: Float64Array; S: Float64Array } {
  const block = blocks.get(contribution);
  if (!block) throw badInput('geometricHillState: the node is not a geometricHillContribution');
  const h = into ?? new Float64Array(block.G * block.T * block.C);
  if (h.length !== block.G * block.T * block.C) throw badInput(`geometricHillState: into needs ${block.G * block.T * block.C} values`);
  return { h: block.saturated(h), b: block.b, S: block.S.value };
}

/** What geometricHillWindowSums needs of a contribution op: its data, parameters and coefficients. */
interface Block {
  x: Float64Array; G: number; T: number; C: number; maxLag: number;
  alpha: Node; K: Node; S: Node;
  /** b[g,c] of the current forward pass, and where ∂/∂b goes for the op's reverse pass. */
  b: Float64Array; gbExtra: Float64Array;
  /** Copies h[g,t,c] of the last forward pass into a [G, T, C] array. */
  saturated(into: Float64Array): Float64Array;
}
const blocks = new WeakMap<Node, Block>();

/** A weighted sum of one channel's contribution: Σ over `cells` (g·T + t) of weight·b[g,c]·h[g,t,c]. */
export interface MediaWindow { channel: number; cells: Int32Array; weights: Float64Array }

/**
 * The implied outcome of one channel over a window (a lift test), or over every period (a contribution
 * share), from a geometricHillContribution node: one value per window.
 *
 * Why its own op: written with generic ops (vecmat of the weights against h, times b) it put the whole
 * adstock + Hill of every channel, geo and period back on the tape — measured 0.44 → 2.2 ms per
 * gradient on 40 geos × 156 weeks × 5 channels with one lift test. Here h and its derivatives are
 * recomputed in f64 for the window's cells only, b is read from the contribution op's forward pass,
 * and ∂/∂b is handed back to that op, whose reverse pass carries it to ROI, geo multipliers and the
 * normalization (it runs after this op's, since this op takes its output as an input).
 */
export function geometricHillWindowSums(contribution: Node, windows: readonly MediaWindow[]): Node {
  const block = blocks.get(contribution);
  if (!block) throw badInput('geometricHillWindowSums: the node is not a geometricHillContribution');
  const { x, G, T, C, maxLag: L, alpha, K, S, b, gbExtra } = block;
  for (const [i, w] of windows.entries()) {
    if (!Number.isInteger(w.channel) || w.channel < 0 || w.channel >= C) throw badInput(`geometricHillWindowSums: window ${i} channel must be in 0..${C - 1}; got ${w.channel}`);
    if (w.cells.length !== w.weights.length) throw badInput(`geometricHillWindowSums: window ${i} needs one weight per cell`);
    for (const cell of w.cells) if (!(cell >= 0 && cell < G * T)) throw badInput(`geometricHillWindowSums: window ${i} cell ${cell} is outside 0..${G * T - 1}`);
  }
  const n = windows.reduce((a, w) => a + w.cells.length, 0);
  // Per cell of every window: h and its derivatives in alpha, K and S.
  const cells = cellBuffers(n), { h, dAlpha, dK, dS } = cells;
  const g = contribution.graph;
  return g.op('geometricHillWindowSums', [contribution, alpha, K, S], [windows.length], (out) => ({
    forward() {
      const ov = out.value;
      let i = 0;
      windows.forEach((w, e) => {
        const c = w.channel, a = alpha.value[c], k = K.value[c], s = S.value[c];
        // Normalization Σ_{l<L} α^l and its α-derivative, as the kernel's.
        let norm = 0, dNorm = 0, p = 1;
        for (let l = 0; l < L; l++) { norm += p; if (l + 1 < L) dNorm += (l + 1) * p; p *= a; }
        let sum = 0;
        for (let j = 0; j < w.cells.length; j++, i++) {
          const cell = w.cells[j], gi = Math.floor(cell / T), t = cell - gi * T;
          hillCell(x, gi * T * C + c, C, t, L, a, k, s, norm, dNorm, cells, i);
          sum += w.weights[j] * b[gi * C + c] * h[i];
        }
        ov[e] = sum;
      });
    },
    backward() {
      const og = out.grad;
      let i = 0;
      windows.forEach((w, e) => {
        const c = w.channel, ge = og[e];
        let ga = 0, gk = 0, gs = 0;
        for (let j = 0; j < w.cells.length; j++, i++) {
          const gi = Math.floor(w.cells[j] / T), bw = ge * w.weights[j];
          gbExtra[gi * C + c] += bw * h[i];
          const gh = bw * b[gi * C + c];
          ga += gh * dAlpha[i]; gk += gh * dK[i]; gs += gh * dS[i];
        }
        if (alpha.requiresGrad) alpha.grad[c] += ga;
        if (K.requiresGrad) K.grad[c] += gk;
        if (S.requiresGrad) S.grad[c] += gs;
      });
    },
  }));
}

interface CellBuffers { h: Float64Array; dAlpha: Float64Array; dK: Float64Array; dS: Float64Array }
const cellBuffers = (n: number): CellBuffers => ({ h: new Float64Array(n), dAlpha: new Float64Array(n), dK: new Float64Array(n), dS: new Float64Array(n) });

/** Σ_{l<L} α^l and its α-derivative: the kernel's adstock normalization. */
function normalization(a: number, L: number): { norm: number; dNorm: number } {
  let norm = 0, dNorm = 0, p = 1;
  for (let l = 0; l < L; l++) { norm += p; if (l + 1 < L) dNorm += (l + 1) * p; p *= a; }
  return { norm, dNorm };
}

/**
 * h at period t of a series read as x[base + t'·stride] (t' ≤ t), and its derivatives in α, K and S,
 * into cell i of the buffers: normalized geometric adstock over L lags, then Hill, as the kernel.
 */
function hillCell(x: Float64Array, base: number, stride: number, t: number, L: number, a: number, k: number, s: number, norm: number, dNorm: number, out: CellBuffers, i: number): void {
  let s1 = 0, ds1 = 0, pl = 1, plm1 = 0;
  for (let l = 0; l < L && l <= t; l++) {
    const v = x[base + (t - l) * stride];
    s1 += pl * v; ds1 += l * plm1 * v;
    plm1 = pl; pl *= a;
  }
  const ad = s1 / norm;
  if (ad > 0) {
    const y = 1 / (1 + Math.exp(s * (Math.log(k) - Math.log(ad))));
    const yy = y * (1 - y);
    out.h[i] = y;
    out.dAlpha[i] = ((yy * s) / ad) * ((ds1 - ad * dNorm) / norm);
    out.dK[i] = (-yy * s) / k;
    out.dS[i] = yy * (Math.log(ad) - Math.log(k));
  } else {
    out.h[i] = 0; out.dAlpha[i] = 0; out.dK[i] = 0; out.dS[i] = 0;
  }
}

/** One channel's activity on rows of its own (a test's geos and paths), and weights on h: see changeTest.ts. */
export interface MediaSeries { channel: number; rowGeo: Int32Array; length: number; x: Float64Array; weights: Float64Array }

/**
 * Σ over rows r and periods t of weight[r,t]·b[rowGeo[r], c]·h(x[r, ·])[t], one value per series:
 * the implied lift of a test that changed spend (changeTest.ts), with the contribution op's α, K, S
 * and b, like `geometricHillWindowSums` but on activity the data do not hold. Cells of zero weight
 * (the carry-in periods) are only read as lags.
 */
export function geometricHillSeriesSums(contribution: Node, series: readonly MediaSeries[]): Node {
  const block = blocks.get(contribution);
  if (!block) throw badInput('geometricHillSeriesSums: the node is not a geometricHillContribution');
  const { G, C, maxLag: L, alpha, K, S, b, gbExtra } = block;
  for (const [i, w] of series.entries()) {
    if (!Number.isInteger(w.channel) || w.channel < 0 || w.channel >= C) throw badInput(`geometricHillSeriesSums: series ${i} channel must be in 0..${C - 1}; got ${w.channel}`);
    if (w.x.length !== w.rowGeo.length * w.length || w.weights.length !== w.x.length) throw badInput(`geometricHillSeriesSums: series ${i} needs rows × length values and weights`);
    for (const gi of w.rowGeo) if (!(gi >= 0 && gi < G)) throw badInput(`geometricHillSeriesSums: series ${i} geo ${gi} is outside 0..${G - 1}`);
  }
  const n = series.reduce((a, w) => a + w.x.length, 0);
  const cells = cellBuffers(n), { h, dAlpha, dK, dS } = cells;
  const g = contribution.graph;
  return g.op('geometricHillSeriesSums', [contribution, alpha, K, S], [series.length], (out) => ({
    forward() {
      let i = 0;
      series.forEach((w, e) => {
        const c = w.channel, a = alpha.value[c], k = K.value[c], s = S.value[c];
        const { norm, dNorm } = normalization(a, L);
        let sum = 0;
        for (let r = 0; r < w.rowGeo.length; r++) {
          const bg = b[w.rowGeo[r] * C + c];
          for (let t = 0; t < w.length; t++, i++) {
            const wt = w.weights[r * w.length + t];
            if (wt === 0) { h[i] = 0; dAlpha[i] = 0; dK[i] = 0; dS[i] = 0; continue; }
            hillCell(w.x, r * w.length, 1, t, L, a, k, s, norm, dNorm, cells, i);
            sum += wt * bg * h[i];
          }
        }
        out.value[e] = sum;
      });
    },
    backward() {
      let i = 0;
      series.forEach((w, e) => {
        const c = w.channel, ge = out.grad[e];
        let ga = 0, gk = 0, gs = 0;
        for (let r = 0; r < w.rowGeo.length; r++) {
          const gi = w.rowGeo[r];
          for (let t = 0; t < w.length; t++, i++) {
            const bw = ge * w.weights[r * w.length + t];
            if (bw === 0) continue;
            gbExtra[gi * C + c] += bw * h[i];
            const gh = bw * b[gi * C + c];
            ga += gh * dAlpha[i]; gk += gh * dK[i]; gs += gh * dS[i];
          }
        }
        if (alpha.requiresGrad) alpha.grad[c] += ga;
        if (K.requiresGrad) K.grad[c] += gk;
        if (S.requiresGrad) S.grad[c] += gs;
      });
    },
  }));
}
