import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Rng } from './rng.ts';

/** Reference xoshiro256** in BigInt, straight from the published algorithm, seeded the same way. */
function referenceStream(seed: number, n: number): number[] {
  const M = (x: bigint) => BigInt.asUintN(64, x);
  const rotl = (x: bigint, k: bigint) => M((x << k) | (x >> (64n - k)));
  let x = M(BigInt(seed));
  const s: bigint[] = [];
  for (let i = 0; i < 4; i++) {
    x = M(x + 0x9e3779b97f4a7c15n);
    let z = x;
    z = M((z ^ (z >> 30n)) * 0xbf58476d1ce4e5b9n);
    z = M((z ^ (z >> 27n)) * 0x94d049bb133111ebn);
    s.push(z ^ (z >> 31n));
  }
  const out: number[] = [];
  for (let i = 0; i < n; i++) {
    const result = M(rotl(M(s[1] * 5n), 7n) * 9n);
    const t = M(s[1] << 17n);
    s[2] ^= s[0]; s[3] ^= s[1]; s[1] ^= s[2]; s[0] ^= s[3]; s[2] ^= t; s[3] = rotl(s[3], 45n);
    out.push(Number(result >> 11n) * 2 ** -53);
  }
  return out;
}

test('uniform stream equals a BigInt reference xoshiro256** bit for bit', () => {
  const r = new Rng(42);
  const ref = referenceStream(42, 1000);
  for (let i = 0; i < ref.length; i++) assert.equal(r.uniform(), ref[i]);
});

test('same seed gives the same normals; forks differ', () => {
  const a = new Rng(7), b = new Rng(7);
  for (let i = 0; i < 100; i++) assert.equal(a.normal(), b.normal());
  const f0 = new Rng(7).fork(0), f1 = new Rng(7).fork(1);
  assert.notEqual(f0.uniform(), f1.uniform());
});

test('normals have mean 0 and variance 1 within sampling error', () => {
  const r = new Rng(3);
  const n = 200000;
  let s = 0, ss = 0, s4 = 0;
  for (let i = 0; i < n; i++) { const z = r.normal(); s += z; ss += z * z; s4 += z ** 4; }
  const mean = s / n, variance = ss / n - mean * mean;
  assert.ok(Math.abs(mean) < 4 / Math.sqrt(n), `mean ${mean}`);
  assert.ok(Math.abs(variance - 1) < 4 * Math.sqrt(2 / n), `variance ${variance}`);
  assert.ok(Math.abs(s4 / n - 3) < 4 * Math.sqrt(96 / n), `kurtosis ${s4 / n}`);
});
