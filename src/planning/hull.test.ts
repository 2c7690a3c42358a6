import { test } from 'node:test';
import assert from 'node:assert/strict';
import { envelopeOf, upperHull, waterFill } from './hull.ts';

test('upperHull drops points on or below the chord: [0,1,2]×[0,0,2] → [0,2]; a concave set keeps all', () => {
  const out = new Int32Array(3);
  assert.equal(upperHull(Float64Array.of(0, 1, 2), Float64Array.of(0, 0, 2), 3, out), 2);
  assert.deepEqual([...out.subarray(0, 2)], [0, 2]);
  assert.equal(upperHull(Float64Array.of(0, 1, 2), Float64Array.of(0, 2, 3), 3, out), 3);
  assert.equal(upperHull(Float64Array.of(5), Float64Array.of(1), 1, out), 1);
});

test('waterFill funds the steepest envelope segments first and ends inside at most one segment', () => {
  // Curve A: slopes 3 then 1 (segments of length 2); curve B: slope 2 for 3 units. Budget 6 → A 2, B 3, A +1.
  const a = envelopeOf(Float64Array.of(0, 2, 4), Float64Array.of(0, 6, 8), 3);
  const b = envelopeOf(Float64Array.of(0, 3), Float64Array.of(0, 6), 2);
  const spend = new Float64Array(2);
  const f = waterFill([a, b], 6, false, spend);
  assert.deepEqual([...spend], [3, 3]);
  assert.equal(f.partial, 0); assert.equal(f.partialFrom, 2); assert.equal(f.partialTo, 4); assert.equal(f.level, 1);
  // Profit mode: nothing with slope ≤ 0 is funded, the rest of the budget stays unspent.
  const c = envelopeOf(Float64Array.of(0, 1, 2), Float64Array.of(0, 1, 0.5), 3);
  const g = waterFill([c], 10, true, new Float64Array(1));
  assert.equal(g.spend[0], 1);
});
