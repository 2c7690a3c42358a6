import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Rng } from '../../util/rng.ts';
import { identification } from './identification.ts';

const normals = (n: number, mean: number, sd: number, seed = 1) => Float64Array.from(new Rng(seed).normals(new Float64Array(n)), (z) => mean + sd * z);

test('overlap of two normals against the closed form 2Φ(−|Δ|/2σ) (equal sds)', () => {
  // Equal sds σ, means Δ apart: OVL = 2Φ(−Δ/(2σ)). Δ = σ → 2Φ(−0.5) = 0.6171.
  const r = identification(normals(20000, 1.1, 0.9), { mu: 0.2, sigma: 0.9 });
  assert.ok(Math.abs(r.overlap - 0.6171) < 0.02, `overlap ${r.overlap}`);
  assert.ok(Math.abs(r.shift - 1) < 0.03 && Math.abs(r.contraction - 1) < 0.03);
  // KL of N(1.1, 0.9) from N(0.2, 0.9): Δ²/(2σ²) = 0.5 nats.
  assert.ok(Math.abs(r.information - 0.5) < 0.05, `information ${r.information}`);
});

test('a posterior that is the prior overlaps it fully; a narrow shifted one barely', () => {
  assert.ok(identification(normals(4000, 0.2, 0.9, 2), { mu: 0.2, sigma: 0.9 }).overlap > 0.93);
  // Robyn's tv: posterior 4.62 [2.43, 7.20] against the default prior (median 1.22).
  const tv = identification(normals(4000, Math.log(4.4), 0.33, 3), { mu: 0.2, sigma: 0.9 });
  assert.ok(tv.overlap < 0.5, `tv overlap ${tv.overlap}`);
  // As wide as the prior but moved by two prior sds: the data spoke, though the spread did not shrink.
  assert.ok(identification(normals(4000, 2.0, 0.85, 4), { mu: 0.2, sigma: 0.9 }).overlap < 0.35);
});
