import { test } from 'node:test';
import assert from 'node:assert/strict';
import { fitMetrics } from './metrics.ts';

test('fit metrics match hand-computed values', () => {
  const m = fitMetrics([1, 2, 3], [1, 2, 4]);
  assert.ok(Math.abs(m.rmse - Math.sqrt(1 / 3)) < 1e-12);
  assert.ok(Math.abs(m.mape - 1 / 9) < 1e-12);
  assert.ok(Math.abs(m.r2 - 0.5) < 1e-12);
  assert.ok(Math.abs(m.nrmse - Math.sqrt(1 / 3) / 2) < 1e-12);
  assert.ok(Math.abs(m.smape - (2 / 7) / 3) < 1e-12);
});

test('a perfect fit has r2 1 and zero errors; empty input gives NaN', () => {
  const m = fitMetrics([3, 5, 9], [3, 5, 9]);
  assert.equal(m.r2, 1);
  assert.equal(m.rmse, 0);
  assert.ok(Number.isNaN(fitMetrics([], []).r2));
});
