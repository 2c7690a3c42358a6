import { test } from 'node:test';
import assert from 'node:assert/strict';
import { figureUnits, formatInterval, formatValue, roiName, significant, unitLabel } from './units.ts';

test('units follow the target: revenue, conversions with and without revenue per conversion', () => {
  assert.deepEqual(figureUnits({ kind: 'revenue' }, 'USD'), { currency: 'USD', spend: 'currency', outcome: 'currency', roi: 'revenue-per-spend', mroi: 'revenue-per-spend', cpa: null });
  const conv = figureUnits({ kind: 'conversions', revenuePerConversion: 'rpc' }, 'EUR');
  assert.equal(conv.outcome, 'conversions');
  assert.equal(conv.roi, 'revenue-per-spend', 'a revenue per conversion makes ROI revenue per spend');
  assert.equal(conv.cpa, 'currency-per-conversion');
  const bare = figureUnits({ kind: 'conversions' });
  assert.equal(bare.roi, 'conversions-per-spend');
  assert.equal(roiName(bare), 'Conversions per unit of spend');
  assert.equal(roiName(conv), 'ROI');
  assert.equal(unitLabel('currency-per-conversion', 'USD'), 'USD per conversion');
});

test('formatting keeps significant digits and the unit: no "$0" cost per conversion, no money for conversions', () => {
  assert.equal(formatValue(0.004213, 'currency-per-conversion', 'USD'), '$0.00421');
  assert.equal(formatValue(12.3456, 'currency-per-conversion', 'USD'), '$12.3');
  assert.equal(formatValue(2_030_000_000, 'conversions'), '2.03B');
  assert.equal(formatValue(2_030_000_000, 'conversions', null, { withUnit: true }), '2.03B conversions');
  assert.equal(formatValue(2_030_000_000, 'currency', 'USD'), '$2.03B');
  assert.equal(formatValue(-1500, 'currency', 'USD', { compact: false }), '-$1,500');
  assert.equal(formatValue(5048.46, 'revenue-per-spend'), '5,048');
  assert.equal(formatValue(2.1616, 'revenue-per-spend'), '2.16');
  assert.equal(formatValue(0.47, 'share'), '47.0%');
  assert.equal(formatInterval([0.0012, 0.0391], 'currency-per-conversion', 'USD'), '[$0.00120, $0.0391]');
  assert.equal(formatValue(NaN, 'currency'), '–');
  assert.equal(significant(0.000123456, 3), '0.000123');
  assert.equal(formatValue(1234, 'currency', 'CHF', { compact: false }), 'CHF 1,234');
});

test('numbers in sentences: grouped, significant, an exponent only when astronomical', async () => {
  const { plainNumber } = await import('./units.ts');
  assert.equal(plainNumber(27_290_000), '27,290,000');
  assert.equal(plainNumber(0.004213), '0.004213');
  assert.equal(plainNumber(12.34567), '12.35');
  assert.equal(plainNumber(1e308), '1.0e+308');
});
