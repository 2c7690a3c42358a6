/**
 * Seeded, reproducible random numbers: xoshiro256** (Blackman & Vigna) seeded through splitmix64.
 * Pure integer arithmetic on BigInt-free 32-bit halves, so the same seed gives the same stream on any
 * machine and any JS engine. Normals by the Marsaglia polar method (exact, no tables).
 *
 * Example: `new Rng(1).uniform()` → a number in [0, 1); two Rng(1) give identical sequences.
 */
import { badInput } from '../errors.ts';
export class Rng {
  // State as eight 32-bit words: s0 = (h[0], l[0]) … s3 = (h[3], l[3]).
  private readonly h = new Uint32Array(4);
  private readonly l = new Uint32Array(4);
  private spareNormal = NaN;

  constructor(seed: number) {
    if (!Number.isFinite(seed)) throw badInput(`Rng seed must be a finite number; got ${seed}`);
    let x = BigInt.asUintN(64, BigInt(Math.floor(seed)));
    for (let i = 0; i < 4; i++) {
      // splitmix64
      x = BigInt.asUintN(64, x + 0x9e3779b97f4a7c15n);
      let z = x;
      z = BigInt.asUintN(64, (z ^ (z >> 30n)) * 0xbf58476d1ce4e5b9n);
      z = BigInt.asUintN(64, (z ^ (z >> 27n)) * 0x94d049bb133111ebn);
      z = z ^ (z >> 31n);
      this.h[i] = Number(z >> 32n);
      this.l[i] = Number(z & 0xffffffffn);
    }
  }

  /** A new generator for stream `k` (e.g. chain k), independent of this one's future draws. */
  fork(k: number): Rng {
    const r = new Rng(0);
    r.h.set(this.h); r.l.set(this.l);
    for (let i = 0; i <= k; i++) r.jump();
    return r;
  }

  /** Next 64 bits, returned as a double in [0, 1) built from the top 53 bits. */
  uniform(): number {
    const h = this.h, l = this.l;
    // result = rotl(s1 * 5, 7) * 9
    const [m5h, m5l] = mul64(h[1], l[1], 0, 5);
    const [rh, rl] = rotl64(m5h, m5l, 7);
    const [oh, ol] = mul64(rh, rl, 0, 9);
    // t = s1 << 17
    const th = ((h[1] << 17) | (l[1] >>> 15)) >>> 0;
    const tl = (l[1] << 17) >>> 0;
    h[2] ^= h[0]; l[2] ^= l[0];
    h[3] ^= h[1]; l[3] ^= l[1];
    h[1] ^= h[2]; l[1] ^= l[2];
    h[0] ^= h[3]; l[0] ^= l[3];
    h[2] ^= th; l[2] ^= tl;
    const [r3h, r3l] = rotl64(h[3], l[3], 45);
    h[3] = r3h; l[3] = r3l;
    return oh * 2 ** -32 + (ol >>> 11) * 2 ** -53; // top 53 bits of the output
  }

  /** Standard normal draw (Marsaglia polar method). */
  normal(): number {
    if (!Number.isNaN(this.spareNormal)) {
      const s = this.spareNormal;
      this.spareNormal = NaN;
      return s;
    }
    let u: number, v: number, s: number;
    do {
      u = 2 * this.uniform() - 1;
      v = 2 * this.uniform() - 1;
      s = u * u + v * v;
    } while (s >= 1 || s === 0);
    const f = Math.sqrt((-2 * Math.log(s)) / s);
    this.spareNormal = v * f;
    return u * f;
  }

  /** Integer in [0, n). */
  int(n: number): number {
    return Math.floor(this.uniform() * n);
  }

  /** Exponential(1) draw. */
  exponential(): number {
    return -Math.log1p(-this.uniform());
  }

  /** Fills `out` with standard normals and returns it. */
  normals(out: Float64Array): Float64Array {
    for (let i = 0; i < out.length; i++) out[i] = this.normal();
    return out;
  }

  /** The xoshiro256 jump: equivalent to 2^128 calls, for non-overlapping parallel streams. */
  private jump(): void {
    const JUMP = [0x180ec6d33cfd0aban, 0xd5a61266f0c9392cn, 0xa9582618e03fc9aan, 0x39abdc4529b1661cn];
    const acc = new Uint32Array(8);
    for (const j of JUMP) {
      for (let b = 0n; b < 64n; b++) {
        if ((j >> b) & 1n) {
          for (let i = 0; i < 4; i++) { acc[2 * i] ^= this.h[i]; acc[2 * i + 1] ^= this.l[i]; }
        }
        this.uniform();
      }
    }
    for (let i = 0; i < 4; i++) { this.h[i] = acc[2 * i]; this.l[i] = acc[2 * i + 1]; }
    this.spareNormal = NaN;
  }
}

function mul64(ah: number, al: number, bh: number, bl: number): [number, number] {
  // 64-bit wrapping multiply on 16-bit limbs (exact in doubles).
  const a0 = al & 0xffff, a1 = al >>> 16, a2 = ah & 0xffff, a3 = ah >>> 16;
  const b0 = bl & 0xffff, b1 = bl >>> 16, b2 = bh & 0xffff, b3 = bh >>> 16;
  let c0 = a0 * b0;
  let c1 = (c0 >>> 16) + a1 * b0; c0 &= 0xffff;
  let c2 = c1 >>> 16; c1 = (c1 & 0xffff) + a0 * b1;
  c2 += c1 >>> 16; c1 &= 0xffff;
  c2 += a2 * b0;
  let c3 = c2 >>> 16; c2 &= 0xffff;
  c2 += a1 * b1; c3 += c2 >>> 16; c2 &= 0xffff;
  c2 += a0 * b2; c3 += c2 >>> 16; c2 &= 0xffff;
  c3 += a3 * b0 + a2 * b1 + a1 * b2 + a0 * b3; c3 &= 0xffff;
  return [((c3 << 16) | c2) >>> 0, ((c1 << 16) | c0) >>> 0];
}

function rotl64(h: number, l: number, k: number): [number, number] {
  if (k >= 32) { const t = h; h = l; l = t; k -= 32; }
  if (k === 0) return [h >>> 0, l >>> 0];
  return [((h << k) | (l >>> (32 - k))) >>> 0, ((l << k) | (h >>> (32 - k))) >>> 0];
}
