// AssemblyScript source of src/models/bayesian/kernels/mmmMediaF32Wasm.ts (build: `npm run build:wasm`).
//
// The single-precision twin of mmm-media.ts, for NUTS sampling only: geometric adstock, Hill
// saturation and the media contribution, forward and reverse, over four geos at a time in the four f32
// lanes of a v128 (twice the lanes of the f64 kernel, and f32 exp and log need half the polynomial).
// Why single precision is enough there: the sampler needs a log density and a gradient that are
// consistent to far below its own integration error (Meridian samples in float32 throughout); an f32
// media term moves the log density by at most 5e-5 on 40 geos × 156 weeks (measured at 8 points near
// the mode; the gradient by 1–5e-6 relative), next to leapfrog energy errors of order 0.1. The optimizer and the Laplace Hessian (finite differences of the gradient) need f64 smoothness,
// so they keep mmm-media.ts.
//
// The adstock is the direct finite sum a[t] = Σ_{l<L} α^l·x[t−l] / Σ_{l<L} α^l rather than the f64
// kernel's running recursion: in f32 the recursion's add-then-subtract leaves residues of ~1e-7
// where a run of zero spend should give exactly 0, and each of them would feed a spurious Hill slope.
//
// Memory layout (byte offsets from the caller, 16-byte aligned). q indexes geo quads (G4 of them;
// padding geos have x = 0 and w = 0), lanes are geos 4q … 4q + 3:
//   X, A, LG, H  [C][G4][T] f32x4   activity, adstocked activity, log of it, saturated activity
//   W, GO, OUT   [G4][T] f32x4      revenue weights, ∂/∂out, Σ_c h·b
//   HW, B, GB, GHW [C][G4] f32x4    Σ_t w·h, coefficients b, ∂/∂b, ∂/∂hw
//   PAR          f64 [C] ×3         alpha, K, S;  GPAR  f64 [C] ×3: ∂/∂alpha, ∂/∂K, ∂/∂S (written, not added)
//   TAPS         [L] f32x4          scratch: the adstock's tap weights
//   ROWS         [G][T] f64         OUT and GO in the caller's layout (unpackOut, packGrad)

// Every polynomial coefficient and constant, splatted, in one static table: read with a load. (A v128
// constant inside the loop costs V8 several instructions to build at each use.)
const KT: usize = memory.data<f32>([
  87.0, 87.0, 87.0, 87.0,
  -87.0, -87.0, -87.0, -87.0,
  1.4426950408889634, 1.4426950408889634, 1.4426950408889634, 1.4426950408889634,
  12582912.0, 12582912.0, 12582912.0, 12582912.0,
  0.693359375, 0.693359375, 0.693359375, 0.693359375,
  -0.00021219444, -0.00021219444, -0.00021219444, -0.00021219444,
  0.000198756915, 0.000198756915, 0.000198756915, 0.000198756915,
  0.0013981999507, 0.0013981999507, 0.0013981999507, 0.0013981999507,
  0.0083334519073, 0.0083334519073, 0.0083334519073, 0.0083334519073,
  0.041665795894, 0.041665795894, 0.041665795894, 0.041665795894,
  0.16666665459, 0.16666665459, 0.16666665459, 0.16666665459,
  0.50000001201, 0.50000001201, 0.50000001201, 0.50000001201,
  1.0, 1.0, 1.0, 1.0,
  1.41421356237, 1.41421356237, 1.41421356237, 1.41421356237,
  0.5, 0.5, 0.5, 0.5,
  0.070376836292, 0.070376836292, 0.070376836292, 0.070376836292,
  -0.1151461031, -0.1151461031, -0.1151461031, -0.1151461031,
  0.1167699874, 0.1167699874, 0.1167699874, 0.1167699874,
  -0.12420140846, -0.12420140846, -0.12420140846, -0.12420140846,
  0.14249322787, 0.14249322787, 0.14249322787, 0.14249322787,
  -0.16668057665, -0.16668057665, -0.16668057665, -0.16668057665,
  0.20000714765, 0.20000714765, 0.20000714765, 0.20000714765,
  -0.24999993993, -0.24999993993, -0.24999993993, -0.24999993993,
  0.33333331174, 0.33333331174, 0.33333331174, 0.33333331174,
], 16);
// Slots of KT, in order.
const K_87 = 0;
const K_M87 = 1;
const K_LOG2E = 2;
const K_SHIFT = 3;
const K_LN2HI = 4;
const K_LN2LO = 5;
const E0 = 6;
const E1 = 7;
const E2 = 8;
const E3 = 9;
const E4 = 10;
const E5 = 11;
const ONE = 12;
const K_SQRT2 = 13;
const HALF = 14;
const L0 = 15;
const L1 = 16;
const L2 = 17;
const L3 = 18;
const L4 = 19;
const L5 = 20;
const L6 = 21;
const L7 = 22;
const L8 = 23;
@inline function kc(i: i32): v128 { return v128.load(KT + (<usize>i << 4)); }
// Integer masks for vlog and the exponent bias, the same way.
const KI: usize = memory.data<i32>([127, 127, 127, 127, 0x007FFFFF, 0x007FFFFF, 0x007FFFFF, 0x007FFFFF, 0x3F800000, 0x3F800000, 0x3F800000, 0x3F800000], 16);
@inline function ki(i: i32): v128 { return v128.load(KI + (<usize>i << 4)); }

// e^x, |x| ≤ 87 (clamped beyond): x = n·ln2 + r (ln2 split in two, as Cephes' expf), e^r by Cephes'
// degree-7 minimax polynomial (~1 ulp), times 2^n built in the exponent bits.
@inline function vexp(x: v128): v128 {
  const xc = f32x4.pmax(f32x4.pmin(x, kc(K_87)), kc(K_M87));
  // n = round(x/ln2) by the shifter trick: adding 1.5·2^23 leaves n in the low mantissa bits.
  const shifted = f32x4.add(f32x4.mul(xc, kc(K_LOG2E)), kc(K_SHIFT));
  const n = f32x4.sub(shifted, kc(K_SHIFT));
  const r = f32x4.sub(f32x4.sub(xc, f32x4.mul(n, kc(K_LN2HI))), f32x4.mul(n, kc(K_LN2LO)));
  const r2 = f32x4.mul(r, r);
  const a = f32x4.add(f32x4.mul(kc(E0), r), kc(E1));
  const b = f32x4.add(f32x4.mul(kc(E2), r), kc(E3));
  const c = f32x4.add(f32x4.mul(kc(E4), r), kc(E5));
  const poly = f32x4.add(f32x4.mul(f32x4.add(f32x4.mul(a, r2), b), r2), c);
  const p = f32x4.add(f32x4.add(f32x4.mul(poly, r2), r), kc(ONE));
  // 2^n = (n + 127) << 23; the shifter's own bits shift out past bit 31.
  return f32x4.mul(p, i32x4.shl(i32x4.add(shifted, ki(0)), 23));
}

// log x for normal x > 0: x = m·2^e with m in [√½, √2), log m by Cephes' logf polynomial in m − 1
// (no division).
@inline function vlog(x: v128): v128 {
  let e = i32x4.sub(i32x4.shr_u(x, 23), ki(0));
  let m = v128.or(v128.and(x, ki(1)), ki(2));
  const big = f32x4.gt(m, kc(K_SQRT2));
  m = v128.bitselect(f32x4.mul(m, kc(HALF)), m, big);
  e = i32x4.sub(e, big); // a true comparison lane is −1
  const ef = f32x4.convert_i32x4_s(e);
  const f = f32x4.sub(m, kc(ONE));
  const z = f32x4.mul(f, f), z2 = f32x4.mul(z, z);
  // P(f) = c0 f^8 + … + c8 = f·((q0 f² + q1) f⁴ + q2 f² + q3) + c8 with q pairs of coefficients (Estrin:
  // a shorter dependency chain than Horner's).
  const q0 = f32x4.add(f32x4.mul(kc(L0), f), kc(L1));
  const q1 = f32x4.add(f32x4.mul(kc(L2), f), kc(L3));
  const q2 = f32x4.add(f32x4.mul(kc(L4), f), kc(L5));
  const q3 = f32x4.add(f32x4.mul(kc(L6), f), kc(L7));
  const hi = f32x4.add(f32x4.mul(q0, z), q1);
  const lo = f32x4.add(f32x4.mul(q2, z), q3);
  const P = f32x4.add(f32x4.mul(f32x4.add(f32x4.mul(hi, z2), lo), f), kc(L8));
  let y = f32x4.mul(f32x4.mul(f, z), P);
  y = f32x4.add(y, f32x4.mul(ef, kc(K_LN2LO)));
  y = f32x4.sub(y, f32x4.mul(z, kc(HALF)));
  return f32x4.add(f32x4.add(f, y), f32x4.mul(ef, kc(K_LN2HI)));
}

@inline function lanes(v: v128): f64 {
  return <f64>f32x4.extract_lane(v, 0) + <f64>f32x4.extract_lane(v, 1) + <f64>f32x4.extract_lane(v, 2) + <f64>f32x4.extract_lane(v, 3);
}

/**
 * Σ_{l = first…last} TAPS[l]·x[t−l], with o the byte offset of x[t] in its series: the adstock sum
 * (forward) and its α-derivative (backward). Two running sums halve the chain of dependent adds.
 */
@inline function tapSum(X: usize, o: usize, TAPS: usize, first: i32, last: i32): v128 {
  let s0 = f32x4.splat(0.0), s1 = f32x4.splat(0.0), l = first;
  for (; l + 1 <= last; l += 2) {
    s0 = f32x4.add(s0, f32x4.mul(v128.load(TAPS + (<usize>l << 4)), v128.load(X + o - (<usize>l << 4))));
    s1 = f32x4.add(s1, f32x4.mul(v128.load(TAPS + (<usize>(l + 1) << 4)), v128.load(X + o - (<usize>(l + 1) << 4))));
  }
  if (l <= last) s0 = f32x4.add(s0, f32x4.mul(v128.load(TAPS + (<usize>l << 4)), v128.load(X + o - (<usize>l << 4))));
  return f32x4.add(s0, s1);
}

/** Σ_{l<L} α^l and its derivative in α. */
@inline function weightSum(a: f64, L: i32): f64 { let w = 0.0, p = 1.0; for (let l = 0; l < L; l++) { w += p; p *= a; } return w; }
@inline function weightSumDerivative(a: f64, L: i32): f64 { let d = 0.0, p = 1.0; for (let l = 1; l < L; l++) { d += <f64>l * p; p *= a; } return d; }

/** Adstock, saturation and HW = Σ_t w·h for every channel and geo quad. */
export function forward(X: usize, A: usize, LG: usize, H: usize, W: usize, HW: usize, T: i32, G4: i32, C: i32, PAR: usize, L: i32, TAPS: usize): void {
  const zero = f32x4.splat(0.0);
  for (let c = 0; c < C; c++) {
    const a = load<f64>(PAR + (<usize>c << 3));
    const k = load<f64>(PAR + (<usize>(C + c) << 3));
    const s = load<f64>(PAR + (<usize>(2 * C + c) << 3));
    const scale = 1.0 / weightSum(a, L);
    const vlk = f32x4.splat(<f32>Math.log(k)), vs = f32x4.splat(<f32>s);
    // Tap weights α^l / W, splatted once per channel.
    let wl: f64 = scale;
    for (let l = 0; l < L; l++) { v128.store(TAPS + (<usize>l << 4), f32x4.splat(<f32>wl)); wl *= a; }
    for (let q = 0; q < G4; q++) {
      const base = (<usize>(c * G4 + q) * <usize>T) << 4;
      const wbase = (<usize>q * <usize>T) << 4;
      // The adstock sums first, then the saturation (independent iterations, so that the CPU overlaps
      // their exp/log dependency chains).
      for (let t = 0; t < T; t++) {
        const o = base + (<usize>t << 4);
        // a[t] = Σ_{l ≤ min(L−1, t)} (α^l / W)·x[t−l]
        v128.store(A + o, tapSum(X, o, TAPS, 0, t < L - 1 ? t : L - 1));
      }
      let hw = zero;
      for (let t = 0; t < T; t++) {
        const o = base + (<usize>t << 4);
        const acc = v128.load(A + o);
        const pos = f32x4.gt(acc, zero);
        const lg = vlog(v128.bitselect(acc, kc(ONE), pos));
        const y = v128.and(f32x4.div(kc(ONE), f32x4.add(kc(ONE), vexp(f32x4.mul(vs, f32x4.sub(vlk, lg))))), pos);
        v128.store(LG + o, lg);
        v128.store(H + o, y);
        hw = f32x4.add(hw, f32x4.mul(v128.load(W + wbase + (<usize>t << 4)), y));
      }
      v128.store(HW + ((<usize>(c * G4 + q)) << 4), hw);
    }
  }
}

/** OUT[q,t] = Σ_c H[c,q,t]·B[c,q]. */
export function combine(H: usize, B: usize, OUT: usize, T: i32, G4: i32, C: i32): void {
  const n = <usize>G4 * <usize>T;
  for (let i: usize = 0; i < n; i++) v128.store(OUT + (i << 4), f32x4.splat(0.0));
  for (let c = 0; c < C; c++) {
    for (let q = 0; q < G4; q++) {
      const b = v128.load(B + ((<usize>(c * G4 + q)) << 4));
      const base = (<usize>(c * G4 + q) * <usize>T) << 4, obase = (<usize>q * <usize>T) << 4;
      for (let t = 0; t < T; t++) {
        const o = obase + (<usize>t << 4);
        v128.store(OUT + o, f32x4.add(v128.load(OUT + o), f32x4.mul(v128.load(H + base + (<usize>t << 4)), b)));
      }
    }
  }
}

/** OUT as f64 rows [G][T] at ROWS (geos past G, the padding lanes, are dropped). */
export function unpackOut(OUT: usize, ROWS: usize, T: i32, G4: i32, G: i32): void {
  for (let q = 0; q < G4; q++) {
    for (let lane = 0; lane < 4; lane++) {
      const g = q * 4 + lane;
      if (g >= G) break;
      const src = OUT + ((<usize>q * <usize>T) << 4) + (<usize>lane << 2), dst = ROWS + ((<usize>g * <usize>T) << 3);
      for (let t = 0; t < T; t++) store<f64>(dst + (<usize>t << 3), <f64>load<f32>(src + (<usize>t << 4)));
    }
  }
}

/** GO quads from f64 rows [G][T] at ROWS (padding lanes 0). */
export function packGrad(ROWS: usize, GO: usize, T: i32, G4: i32, G: i32): void {
  for (let q = 0; q < G4; q++) {
    for (let lane = 0; lane < 4; lane++) {
      const g = q * 4 + lane;
      const dst = GO + ((<usize>q * <usize>T) << 4) + (<usize>lane << 2);
      if (g >= G) { for (let t = 0; t < T; t++) store<f32>(dst + (<usize>t << 4), 0.0); continue; }
      const src = ROWS + ((<usize>g * <usize>T) << 3);
      for (let t = 0; t < T; t++) store<f32>(dst + (<usize>t << 4), <f32>load<f64>(src + (<usize>t << 3)));
    }
  }
}

/** GB[c,q] = Σ_t GO[q,t]·H[c,q,t]. */
export function gradB(H: usize, GO: usize, GB: usize, T: i32, G4: i32, C: i32): void {
  for (let c = 0; c < C; c++) {
    for (let q = 0; q < G4; q++) {
      const base = (<usize>(c * G4 + q) * <usize>T) << 4, obase = (<usize>q * <usize>T) << 4;
      let s = f32x4.splat(0.0);
      for (let t = 0; t < T; t++) s = f32x4.add(s, f32x4.mul(v128.load(GO + obase + (<usize>t << 4)), v128.load(H + base + (<usize>t << 4))));
      v128.store(GB + ((<usize>(c * G4 + q)) << 4), s);
    }
  }
}

/**
 * With h̄[c,q,t] = GO[q,t]·B[c,q] + GHW[c,q]·W[q,t]: the reverse pass through the Hill saturation and
 * the adstock sum, writing ∂/∂alpha, ∂/∂K, ∂/∂S per channel into GPAR. With ā[t] the adjoint of the
 * adstocked activity, ∂a[t]/∂α = Σ_l l·α^(l−1)·x[t−l] / W − a[t]·W′/W.
 */
export function backward(X: usize, A: usize, LG: usize, H: usize, W: usize, GO: usize, B: usize, GHW: usize, T: i32, G4: i32, C: i32, PAR: usize, L: i32, GPAR: usize, TAPS: usize): void {
  const zero = f32x4.splat(0.0);
  for (let c = 0; c < C; c++) {
    const a = load<f64>(PAR + (<usize>c << 3));
    const k = load<f64>(PAR + (<usize>(C + c) << 3));
    const s = load<f64>(PAR + (<usize>(2 * C + c) << 3));
    const Wsum = weightSum(a, L), scale = 1.0 / Wsum, dlogW = weightSumDerivative(a, L) / Wsum;
    const vs = f32x4.splat(<f32>s), vlk = f32x4.splat(<f32>Math.log(k));
    // At a = 0 the Hill gradient in a is 1/K when S = 1 and 0 otherwise (as the f64 kernel).
    const atZero = f32x4.splat(s == 1.0 ? <f32>(1.0 / k) : 0.0);
    // Tap weights of ∂/∂α: l·α^(l−1) at slot l.
    let wl: f64 = 1.0;
    for (let l = 1; l < L; l++) { v128.store(TAPS + (<usize>l << 4), f32x4.splat(<f32>(<f64>l * wl))); wl *= a; }
    let sumD: f64 = 0, sumDl: f64 = 0, galpha: f64 = 0;
    for (let q = 0; q < G4; q++) {
      const idx = (<usize>(c * G4 + q)) << 4;
      const b = v128.load(B + idx), ghw = v128.load(GHW + idx);
      const base = (<usize>(c * G4 + q) * <usize>T) << 4, obase = (<usize>q * <usize>T) << 4;
      let vD = zero, vDl = zero, vGD = zero, vGA = zero;
      for (let t = 0; t < T; t++) {
        const o = base + (<usize>t << 4), oo = obase + (<usize>t << 4);
        const gh = f32x4.add(f32x4.mul(v128.load(GO + oo), b), f32x4.mul(ghw, v128.load(W + oo)));
        const y = v128.load(H + o), ad = v128.load(A + o);
        const d = f32x4.mul(gh, f32x4.mul(y, f32x4.sub(kc(ONE), y)));
        vD = f32x4.add(vD, d);
        vDl = f32x4.add(vDl, f32x4.mul(d, f32x4.sub(vlk, v128.load(LG + o))));
        const pos = f32x4.gt(ad, zero);
        const ga = v128.bitselect(f32x4.div(f32x4.mul(d, vs), v128.bitselect(ad, kc(ONE), pos)), f32x4.mul(gh, atZero), pos);
        // D[t] = Σ_{1 ≤ l ≤ min(L−1, t)} l·α^(l−1)·x[t−l]
        const D = tapSum(X, o, TAPS, 1, t < L - 1 ? t : L - 1);
        vGD = f32x4.add(vGD, f32x4.mul(ga, D));
        vGA = f32x4.add(vGA, f32x4.mul(ga, ad));
      }
      sumD += lanes(vD);
      sumDl += lanes(vDl);
      galpha += scale * lanes(vGD) - dlogW * lanes(vGA);
    }
    store<f64>(GPAR + (<usize>c << 3), galpha);
    store<f64>(GPAR + (<usize>(C + c) << 3), -(sumD * s) / k);
    store<f64>(GPAR + (<usize>(2 * C + c) << 3), -sumDl);
  }
}
