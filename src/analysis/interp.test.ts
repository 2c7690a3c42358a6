import { test } from 'node:test';
import assert from 'node:assert/strict';
import { lastDownCrossing, monotoneCubic } from './interp.ts';

test('monotone cubic: exact on lines, through every node, monotone on monotone data, linear tail', () => {
  const lin = monotoneCubic([0, 1, 3], [1, 3, 7]);
  for (const x of [0, 0.3, 1, 2.2, 3]) { assert.ok(Math.abs(lin.value(x) - (1 + 2 * x)) < 1e-12); assert.ok(Math.abs(lin.slope(x) - 2) < 1e-12); }
  assert.ok(Math.abs(lin.value(5) - 11) < 1e-12);
  // A Hill curve sampled on 20 log-spaced nodes: monotone between nodes, close to the truth.
  const hill = (s: number) => s ** 2 / (1 + s ** 2);
  const xs = [0, ...Array.from({ length: 20 }, (_, i) => 0.01 * 1000 ** (i / 19))];
  const f = monotoneCubic(xs, xs.map(hill));
  xs.forEach((x) => assert.ok(Math.abs(f.value(x) - hill(x)) < 1e-15));
  let prev = -1;
  for (let x = 0; x <= 10; x += 0.001) { const v = f.value(x); assert.ok(v >= prev - 1e-15, `not monotone at ${x}`); prev = v; }
  for (const x of [0.5, 1, 2, 4]) assert.ok(Math.abs(f.value(x) - hill(x)) < 0.01, `value at ${x}`);
  // Slope is the derivative of value (finite differences).
  for (const x of [0.2, 0.7, 1.3, 5]) assert.ok(Math.abs((f.value(x + 1e-6) - f.value(x - 1e-6)) / 2e-6 - f.slope(x)) < 1e-5);
});

test('lastDownCrossing finds the last downward crossing, or null', () => {
  assert.ok(Math.abs(lastDownCrossing((x) => 2 - x, [0, 1, 2, 3], 1)! - 1) < 1e-9);
  // Rises through 1 then falls through it: the falling crossing (at 3) is the answer.
  assert.ok(Math.abs(lastDownCrossing((x) => 1.5 - 0.5 * (x - 2) ** 2, [0, 1, 2, 2.5, 4], 1)! - 3) < 1e-9);
  assert.equal(lastDownCrossing((x) => 0.5 + 0 * x, [0, 1, 2], 1), null);
  assert.equal(lastDownCrossing((x) => 5 + 0 * x, [0, 1, 2], 1), null);
});
