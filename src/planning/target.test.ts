import { test } from 'node:test';
import assert from 'node:assert/strict';
import { MarginalError } from '../errors.ts';
import { minimizeCostForTarget } from './index.ts';
import { logCurve } from './testing.ts';

const close = (a: number, b: number, rel: number, what = '') => assert.ok(Math.abs(a - b) <= rel * Math.abs(b), `${what}: ${a} vs ${b}`);

test('one log curve: 100·log(1 + s/10) reaches 100·log 3 at s = 20', () => {
  const r = minimizeCostForTarget({ curves: [logCurve('a', 100, 10)], target: 100 * Math.log(3) });
  close(r.budget, 20, 1e-5, 'budget');
  assert.ok(r.total.expected >= 100 * Math.log(3));
});

test('two log curves: the least budget is the closed-form B with Σ a_i log(a_i/(λ b_i)) = target, λ = Σa/(B + Σb)', () => {
  const a = [100, 60], b = [10, 15], B0 = 75;
  const lambda = (a[0] + a[1]) / (B0 + b[0] + b[1]);
  const target = a[0] * Math.log(a[0] / (lambda * b[0])) + a[1] * Math.log(a[1] / (lambda * b[1]));
  const r = minimizeCostForTarget({ curves: [logCurve('x', a[0], b[0]), logCurve('y', a[1], b[1])], target });
  close(r.budget, B0, 1e-5, 'budget');
  close(r.allocation[0].spend, a[0] / lambda - b[0], 1e-4, 'x');
  // With a floor from a lock, a target already met by the floor costs just the floor.
  const floor = minimizeCostForTarget({ curves: [logCurve('x', a[0], b[0]), logCurve('y', a[1], b[1])], target: 1, constraints: { y: { locked: 5 } } });
  close(floor.budget, 5, 1e-9, 'floor');
});

test('an unreachable target (saturating curve, or capped by max) is a BAD_INPUT saying so', () => {
  const sat = { key: 's', channel: 's', reference: 1, expected: (x: number) => 10 * x / (1 + x) };
  assert.throws(() => minimizeCostForTarget({ curves: [sat], target: 20 }), (e: unknown) => e instanceof MarginalError && /target 20 is out of reach/.test(e.message));
  assert.throws(() => minimizeCostForTarget({ curves: [logCurve('a', 100, 10)], target: 1000, constraints: { a: { max: 50 } } }), (e: unknown) => e instanceof MarginalError && /out of reach/.test(e.message));
});
