// AssemblyScript source of src/models/bayesian/kernels/mmmLikelihoodWasm.ts (build: `npm run build:wasm`).
//
// The MMM's Normal likelihood around its centred predictor (ops/centredNormalLikelihood.ts has the
// formulas), forward and reverse, two periods at a time in the f64 lanes of a v128. In V8 its five
// passes over [G, T] cost ~85 µs a gradient on 40 × 156, a sixth of a NUTS step once the media
// kernel ran in f32.
//
// Memory layout (byte offsets from the caller, 16-byte aligned), every [G][Tp] array has rows padded
// to an even length Tp with zeros:
//   MU [G][Tp]     in: Σ of the parts; out: the residuals y − μ on in-sample cells, 0 elsewhere
//   Z  [G][K][Tp]  standardized controls, by geo, control, period
//   GAM [G][K]     the controls' coefficients per geo (the caller repeats shared ones)
//   PP [Tp]        the per-period term (zeros when there is none)
//   LV [G]         level per geo
//   M  [G][Tp]     the in-sample mean weights m[g,t]
//   Y  [G][Tp]     the scaled outcome (0 where not in sample)
//   IN [G][Tp]     1 on in-sample cells, 0 elsewhere
// Reverse: RB [G][Tp] the adjoint of the parts; LG [G], PG [Tp], GG [G][K] written (PG summed over geos).

/** Writes the residuals into MU and returns their sum of squares. */
export function forward(MU: usize, Z: usize, GAM: usize, K: i32, PP: usize, LV: usize, M: usize, Y: usize, IN: usize, G: i32, Tp: i32): f64 {
  const zero = f64x2.splat(0.0);
  const rowBytes = <usize>Tp << 3;
  let ss = zero;
  for (let g = 0; g < G; g++) {
    const row = <usize>g * rowBytes;
    let mean = zero;
    for (let t = 0; t < Tp; t += 2) {
      const o = row + (<usize>t << 3);
      let r = f64x2.add(v128.load(MU + o), v128.load(PP + (<usize>t << 3)));
      for (let k = 0; k < K; k++) {
        const gk = f64x2.splat(load<f64>(GAM + ((<usize>(g * K + k)) << 3)));
        r = f64x2.add(r, f64x2.mul(v128.load(Z + (<usize>(g * K + k)) * rowBytes + (<usize>t << 3)), gk));
      }
      v128.store(MU + o, r);
      mean = f64x2.add(mean, f64x2.mul(v128.load(M + o), r));
    }
    const tau = f64x2.splat(load<f64>(LV + (<usize>g << 3)) - (f64x2.extract_lane(mean, 0) + f64x2.extract_lane(mean, 1)));
    for (let t = 0; t < Tp; t += 2) {
      const o = row + (<usize>t << 3);
      const e = f64x2.sub(v128.load(Y + o), f64x2.add(v128.load(MU + o), tau));
      // Out-of-sample cells (and the padding) are 0, by selection: y there may be anything.
      const ein = v128.bitselect(e, zero, f64x2.ne(v128.load(IN + o), zero));
      v128.store(MU + o, ein);
      ss = f64x2.add(ss, f64x2.mul(ein, ein));
    }
  }
  return f64x2.extract_lane(ss, 0) + f64x2.extract_lane(ss, 1);
}

/**
 * With c = ∂out/∂lp / σ² and the residuals E (MU after `forward`): μ̄ = c·E, level̄[g] = Σ_t μ̄,
 * rest̄ = μ̄ − m·level̄ into RB, its sums over geos into PG and against the controls into GG.
 */
export function backward(E: usize, Z: usize, K: i32, M: usize, c: f64, G: i32, Tp: i32, RB: usize, LG: usize, PG: usize, GG: usize): void {
  const zero = f64x2.splat(0.0), vc = f64x2.splat(c);
  const rowBytes = <usize>Tp << 3;
  for (let t = 0; t < Tp; t += 2) v128.store(PG + (<usize>t << 3), zero);
  for (let g = 0; g < G; g++) {
    const row = <usize>g * rowBytes;
    let sum = zero;
    for (let t = 0; t < Tp; t += 2) sum = f64x2.add(sum, v128.load(E + row + (<usize>t << 3)));
    const s = c * (f64x2.extract_lane(sum, 0) + f64x2.extract_lane(sum, 1));
    store<f64>(LG + (<usize>g << 3), s);
    const vs = f64x2.splat(s);
    for (let t = 0; t < Tp; t += 2) {
      const o = row + (<usize>t << 3), op = <usize>t << 3;
      const rb = f64x2.sub(f64x2.mul(vc, v128.load(E + o)), f64x2.mul(v128.load(M + o), vs));
      v128.store(RB + o, rb);
      v128.store(PG + op, f64x2.add(v128.load(PG + op), rb));
    }
    for (let k = 0; k < K; k++) {
      const zrow = Z + (<usize>(g * K + k)) * rowBytes;
      let a = zero;
      for (let t = 0; t < Tp; t += 2) a = f64x2.add(a, f64x2.mul(v128.load(zrow + (<usize>t << 3)), v128.load(RB + row + (<usize>t << 3))));
      store<f64>(GG + ((<usize>(g * K + k)) << 3), f64x2.extract_lane(a, 0) + f64x2.extract_lane(a, 1));
    }
  }
}
