import { test } from 'node:test';
import assert from 'node:assert/strict';
import { figureUnits, formatAmount, formatAmountInterval, formatCount, formatDecimals, formatInterval, formatParameter, formatPercent, formatRange, formatTimestamp, formatValue, roiName, significant, unitLabel } from './units.ts';

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

test('compact amounts: 3 significant digits everywhere, K/M/B/T from 1,000, edge cases decided', async () => {
  const { compactNumber, commonCurrency, trimZeros, MISSING } = await import('./units.ts');
  assert.equal(trimZeros('$5.00M'), '$5M');
  assert.equal(trimZeros('$5.30M'), '$5.3M');
  assert.equal(trimZeros('0.500'), '0.5');
  assert.equal(trimZeros('-$4.69K'), '-$4.69K');
  assert.equal(trimZeros('1,250'), '1,250');
  // The same digits for neighbours: never "$446.3K" beside "$775.56K".
  assert.equal(formatValue(446_300, 'currency', 'USD'), '$446K');
  assert.equal(formatValue(775_560, 'currency', 'USD'), '$776K');
  assert.equal(formatValue(10_145_058, 'currency', 'USD'), '$10.1M');
  assert.equal(formatValue(10_145_058, 'currency', 'USD', { compact: false }), '$10,145,058');
  assert.equal(formatValue(-4689, 'currency', 'USD'), '-$4.69K');
  assert.equal(formatValue(1234, 'count'), '1.23K');
  // 999.5 rounds (to 3 significant digits) to 1,000, so it reads "1.00K"; 999.4 stays below.
  assert.equal(compactNumber(999.5), '1.00K');
  assert.equal(compactNumber(999.4), '999');
  assert.equal(compactNumber(1000), '1.00K');
  assert.equal(compactNumber(5_300_000), '5.30M', 'three digits, trailing zero kept, so a column lines up');
  assert.equal(compactNumber(0), '0');
  assert.equal(compactNumber(-0), '0');
  assert.equal(compactNumber(446.3), '446');
  assert.equal(compactNumber(12.345), '12.3');
  assert.equal(compactNumber(2.5), '2.50');
  assert.equal(compactNumber(12), '12', 'whole numbers below 1,000 as they are');
  assert.equal(compactNumber(-0.004213), '-0.00421');
  assert.equal(compactNumber(999_999_999_999), '1.00T');
  assert.equal(compactNumber(2.5e15), '2.50e+15', 'an exponent past 10^15, where K/M/B/T run out');
  assert.equal(compactNumber(1.234e-9), '1.23e-9', 'an exponent below 10^-6');
  for (const v of [NaN, Infinity, -Infinity]) assert.equal(compactNumber(v), MISSING);
  for (const v of [null, undefined, NaN]) {
    assert.equal(formatValue(v, 'currency', 'USD'), MISSING);
    assert.equal(formatPercent(v), MISSING);
    assert.equal(formatDecimals(v), MISSING);
  }
  assert.equal(MISSING, '–');
  // Percents: no negative zero.
  assert.equal(formatPercent(-0.00001), '0.0%');
  assert.equal(formatPercent(-0.0315), '-3.2%');
  assert.equal(formatPercent(0), '0.0%');
  assert.equal(formatPercent(12.5), '1,250.0%');
  assert.equal(formatPercent(0.0315), '3.2%', 'the decimal 3.15 rounds up, as Intl does everywhere else');
  // ROI stays a ratio to 3 significant digits.
  assert.equal(formatValue(0.957, 'revenue-per-spend'), '0.957');
  assert.equal(formatValue(2, 'revenue-per-spend'), '2.00');
  // No currency: no symbol, never another model's.
  assert.equal(formatValue(446_300, 'currency', null), '446K');
  assert.equal(formatValue(446_300, 'currency', 'EUR'), '€446K');
  assert.equal(commonCurrency(['USD', null, 'USD']), 'USD');
  assert.equal(commonCurrency(['USD', 'EUR']), null);
  assert.equal(commonCurrency([null, undefined]), null);
});

test('formatTimestamp: a stored instant to the minute in UTC; anything else as given', () => {
  assert.equal(formatTimestamp('2026-12-06T09:33:26.174Z'), '2026-12-06 09:33 UTC');
  assert.equal(formatTimestamp('yesterday'), 'yesterday');
});
