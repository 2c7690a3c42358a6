import { test } from 'node:test';
import assert from 'node:assert/strict';
import { quantile } from './diagnostics.ts';
import { selectQuantilesInPlace } from './selectQuantiles.ts';
import { Rng } from '../util/rng.ts';

test('selectQuantilesInPlace equals the sorted quantile (type 7), in any order of ps, with ties and tiny sets', () => {
  const rng = new Rng(5);
  for (const n of [1, 2, 3, 10, 999, 1000]) {
    for (const ties of [false, true]) {
      const values = Float64Array.from({ length: n }, () => (ties ? Math.floor(rng.uniform() * 4) : rng.normal()));
      const ps = [0.95, 0.05, 0.5, 0, 1, 0.25];
      const got = selectQuantilesInPlace(Float64Array.from(values), ps);
      ps.forEach((p, i) => assert.equal(got[i], quantile(values, p), `n ${n}, ties ${ties}, p ${p}`));
    }
  }
  assert.ok(Number.isNaN(selectQuantilesInPlace(new Float64Array(0), [0.5])[0]));
});
