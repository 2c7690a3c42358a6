import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Rng } from '../util/rng.ts';
import { fitBayesian } from './bayesian/fit.ts';
import { parseModelConfig, type ModelConfigInput } from './config.ts';
import { buildModelData, type WideTable } from './design.ts';
import { baselineFeatures, DAILY_WEEKLY_ORDER } from './features.ts';

/** Two years of daily data: weekend sales 35% above weekdays, two always-on channels, 2% noise. */
function dailyTable(days: number, stepDays = 1): WideTable {
  const rng = new Rng(7);
  const date: string[] = [], tv: number[] = [], search: number[] = [], revenue: number[] = [];
  const start = Date.parse('2024-01-01T00:00:00Z'); // a Monday
  for (let i = 0; i < days; i++) {
    const t = i * stepDays;
    date.push(new Date(start + t * 86400000).toISOString().slice(0, 10));
    const a = 1000 * Math.exp(0.3 * rng.normal()), b = 500 * Math.exp(0.3 * rng.normal());
    tv.push(a); search.push(b);
    const weekend = t % 7 >= 5 ? 1.35 : 1;
    revenue.push(20000 * weekend * (1 + 0.05 * Math.sin((2 * Math.PI * t) / 365.25)) + 2 * a + 3 * b + 400 * rng.normal());
  }
  return { source: 'daily.csv', rowCount: days, columns: { date, tv_spend: tv, search_spend: search, revenue } };
}

const config = (extra: Partial<ModelConfigInput> = {}) => parseModelConfig({
  data: { file: 'daily.csv' }, target: { column: 'revenue' },
  channels: [{ name: 'tv', spend: 'tv_spend' }, { name: 'search', spend: 'search_spend' }], ...extra,
});

test('daily data get day-of-week harmonics by default; weekly data and an explicit 0 do not', () => {
  const daily = dailyTable(120);
  const weeklyNames = (c: ReturnType<typeof config>, table: WideTable) => baselineFeatures(c, buildModelData(c, table)).names.filter((n) => n.startsWith('weekly_'));
  assert.equal(weeklyNames(config(), daily).length, 2 * DAILY_WEEKLY_ORDER);
  assert.deepEqual(weeklyNames(config({ seasonality: { yearly: 2, weekly: 1 } }), daily), ['weekly_sin1', 'weekly_cos1']);
  assert.equal(weeklyNames(config({ seasonality: { yearly: 2, weekly: 0 } }), daily).length, 0);
  assert.equal(weeklyNames(config(), dailyTable(60, 7)).length, 0);
});

test('with the default, a fit on daily data captures a weekend effect that it misses without it', async () => {
  const table = dailyTable(730);
  const fitWith = async (c: ReturnType<typeof config>) => fitBayesian(c, buildModelData(c, table), { fast: true, chains: 1, draws: 500 });
  const byDefault = await fitWith(config());
  const without = await fitWith(config({ seasonality: { yearly: 2, weekly: 0 } }));
  // The weekend swing is ±15% of revenue around its mean and the noise 2%: with the harmonics the fit
  // is at the noise, without them it carries the whole swing.
  assert.ok(byDefault.fit.mape < 0.03, `default mape ${byDefault.fit.mape}`);
  assert.ok(without.fit.mape > 0.08, `weekly 0 mape ${without.fit.mape}`);
  // The daily seasonality terms are actual weekday levels: weekend residuals average out.
  const resid = (f: typeof byDefault, weekend: boolean) => {
    let s = 0, n = 0;
    f.series.actual.forEach((y, i) => { if ((i % 7 >= 5) === weekend) { s += (y - f.series.predicted[i]) / y; n++; } });
    return s / n;
  };
  assert.ok(Math.abs(resid(byDefault, true)) < 0.01, `weekend residual ${resid(byDefault, true)}`);
  assert.ok(resid(without, true) > 0.1, `weekend residual without weekly terms ${resid(without, true)}`);
});
