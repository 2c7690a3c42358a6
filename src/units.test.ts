import { test } from 'node:test';
import assert from 'node:assert/strict';
import { figureUnits, formatAmount, formatAmountInterval, formatCount, formatDecimals, formatInterval, formatParameter, formatPercent, formatRange, formatValue, roiName, significant, unitLabel } from './units.ts';

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

test('amounts whose unit is said beside them (CLI plans): every digit grouped, 3 significant digits below 100', () => {
  assert.equal(formatAmount(1_234_567.8), '1,234,568');
  assert.equal(formatAmount(-2500), '-2,500');
  assert.equal(formatAmount(12.345), '12.3');
  assert.equal(formatAmount(0.004213), '0.00421');
  assert.equal(formatAmount(0), '0');
  assert.equal(formatAmount(NaN), '–');
  assert.equal(formatAmount(undefined), '–');
  assert.equal(formatAmountInterval([900.4, 1_500_000]), '[900, 1,500,000]');
  assert.equal(formatAmountInterval(undefined), '');
});

test('counts, percents, decimals, model parameters and ranges', () => {
  assert.equal(formatCount(1234.6), '1,235');
  assert.equal(formatCount(Infinity), '–');
  assert.equal(formatPercent(0.4731), '47.3%');
  assert.equal(formatPercent(0.183, 0), '18%');
  assert.equal(formatPercent(null), '–');
  assert.equal(formatValue(0.4731, 'share'), formatPercent(0.4731));
  assert.equal(formatDecimals(2.5), '2.50');
  assert.equal(formatDecimals(1234.56, 1), '1,234.6');
  assert.equal(formatDecimals(0.004213, 3), '0.004');
  assert.equal(formatDecimals(undefined), '–');
  assert.equal(formatParameter(0.44774), '0.448');
  assert.equal(formatParameter(1234.5), '1,235');
  assert.equal(formatParameter(0.00001234), '1.23e-5');
  assert.equal(formatParameter(2_500_000), '2.50e+6');
  assert.equal(formatParameter(0), '0');
  assert.equal(formatRange([1.98, 2.37], (v) => significant(v, 3)), '1.98–2.37');
  assert.equal(formatRange(undefined, formatParameter), '–');
});
