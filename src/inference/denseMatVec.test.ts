import { test } from 'node:test';
import assert from 'node:assert/strict';
import { DenseMatVec } from './denseMatVec.ts';
import { Rng } from '../util/rng.ts';

test('DenseMatVec equals the plain row-by-row product (odd and even sizes, a matrix replaced)', () => {
  const rng = new Rng(11);
  for (const d of [1, 2, 7, 8, 9, 33, 312]) {
    const product = new DenseMatVec(d);
    for (let round = 0; round < 2; round++) {
      const m = Float64Array.from({ length: d * d }, () => rng.normal());
      const v = Float64Array.from({ length: d }, () => rng.normal());
      product.setMatrix(m);
      const out = new Float64Array(d);
      product.apply(v, out);
      for (let i = 0; i < d; i++) {
        let s = 0, scale = 0;
        for (let k = 0; k < d; k++) { s += m[i * d + k] * v[k]; scale += Math.abs(m[i * d + k] * v[k]); }
        assert.ok(Math.abs(out[i] - s) <= 1e-14 * scale, `d=${d} row ${i}: ${out[i]} vs ${s}`);
      }
    }
  }
});
