import { test } from 'node:test';
import assert from 'node:assert/strict';
import { comparePlans, type ComparablePlan } from './compare.ts';

const plan = (id: string, spend: number, expected: number, iv: [number, number]): ComparablePlan => ({
  id, model: 'm-1', budget: spend, periods: 13, units: { expected: 'conversions' },
  allocation: [{ key: 'tv', channel: 'tv', spend, expected, mroi: 1 }], total: { spend, expected, expectedInterval: iv, roi: expected / spend },
});

test('a conversions plan comparison gives each side its cost per conversion, with the interval from the outcome\'s (ends swapped)', () => {
  const c = comparePlans(plan('a', 1000, 50, [40, 60]), plan('b', 1200, 55, [44, 66]));
  assert.equal(c.a.total.cpa, 20);
  assert.deepEqual(c.a.total.cpaInterval, [1000 / 60, 1000 / 40]);
  assert.ok(Math.abs(c.b.total.cpa! - 1200 / 55) < 1e-12);
  const revenue = comparePlans({ ...plan('a', 1000, 50, [40, 60]), units: { expected: 'currency' } }, { ...plan('b', 1200, 55, [44, 66]), units: { expected: 'currency' } });
  assert.equal(revenue.a.total.cpa, undefined, 'no CPA for a revenue model');
});
