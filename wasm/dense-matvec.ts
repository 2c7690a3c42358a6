// AssemblyScript source of src/inference/kernels/denseMatVecWasm.ts (build: `npm run build:wasm`).
//
// out = M·v for NUTS's dense inverse metric (src/inference/nuts.ts), once per leapfrog step. In V8 the
// same product with four running sums costs 93–143 µs at d = 312; here two f64 lanes and four vector
// sums make it a stream through the matrix (d² doubles, which stay in L2 at this size): 18 µs.
//
// Layout (byte offsets, 16-byte aligned): M [d][dp] f64 row-major with rows padded to an even
// length dp (padding zero), v and out [dp] f64.

export function matvec(M: usize, v: usize, out: usize, d: i32, dp: i32): void {
  const rowBytes = <usize>dp << 3;
  for (let i = 0; i < d; i++) {
    const row = M + <usize>i * rowBytes;
    let s0 = f64x2.splat(0.0), s1 = f64x2.splat(0.0), s2 = f64x2.splat(0.0), s3 = f64x2.splat(0.0);
    let k = 0;
    for (; k + 8 <= dp; k += 8) {
      const o = <usize>k << 3;
      s0 = f64x2.add(s0, f64x2.mul(v128.load(row + o), v128.load(v + o)));
      s1 = f64x2.add(s1, f64x2.mul(v128.load(row + o + 16), v128.load(v + o + 16)));
      s2 = f64x2.add(s2, f64x2.mul(v128.load(row + o + 32), v128.load(v + o + 32)));
      s3 = f64x2.add(s3, f64x2.mul(v128.load(row + o + 48), v128.load(v + o + 48)));
    }
    for (; k < dp; k += 2) {
      const o = <usize>k << 3;
      s0 = f64x2.add(s0, f64x2.mul(v128.load(row + o), v128.load(v + o)));
    }
    const s = f64x2.add(f64x2.add(s0, s1), f64x2.add(s2, s3));
    store<f64>(out + (<usize>i << 3), f64x2.extract_lane(s, 0) + f64x2.extract_lane(s, 1));
  }
}
