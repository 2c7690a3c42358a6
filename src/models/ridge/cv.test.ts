import assert from 'node:assert/strict';
import { test } from 'node:test';
import { Rng } from '../../util/rng.ts';
import type { ClassicDesign } from '../linear/design.ts';
import { chooseLambda, LAMBDA_GRID } from './cv.ts';

function design(n: number, P: number, rng: Rng): ClassicDesign {
  return {
    X: Float64Array.from({ length: n * P }, () => rng.normal()), n, P, names: [], kinds: [],
    inRows: Int32Array.from({ length: n }, (_, i) => i), outRows: new Int32Array(0), scale: new Float64Array(0),
  };
}

test('time-series CV: a strong signal gets the smallest penalty, pure noise a large one', () => {
  const rng = new Rng(7);
  const n = 120, P = 10;
  const d = design(n, P, rng);
  const free = new Float64Array(P).fill(-Infinity), none = new Float64Array(P).fill(Infinity);
  const signal = Float64Array.from({ length: n }, (_, i) => { let s = 0; for (let j = 0; j < P; j++) s += d.X[i * P + j] * (j + 1); return s + 0.01 * rng.normal(); });
  const strong = chooseLambda(d, signal, n, 1, n, free, none);
  assert.ok(strong.lambda <= 0.1 && LAMBDA_GRID.includes(strong.lambda), `λ for a strong signal: ${strong.lambda}`);
  const noise = Float64Array.from({ length: n }, () => rng.normal());
  const weak = chooseLambda(d, noise, n, 1, n, free, none);
  assert.ok(weak.lambda >= 100, `λ for pure noise: ${weak.lambda}`);
  // The CV error is the mean squared error of the forward folds: never below the noise floor by much.
  assert.ok(Math.min(...weak.cvError) > 0.5);
});

test('too few periods: λ = 1 with a warning instead of a failed cross-validation', () => {
  const rng = new Rng(1);
  const d = design(8, 3, rng);
  const r = chooseLambda(d, Float64Array.from({ length: 8 }, () => rng.normal()), 8, 1, 8, new Float64Array(3).fill(-Infinity), new Float64Array(3).fill(Infinity));
  assert.equal(r.lambda, 1);
  assert.match(r.warning!, /too few to cross-validate/);
});
