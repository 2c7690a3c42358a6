/**
 * Reach & frequency channels: the response adstock(reach × Hill(frequency)) recovers a simulated R&F
 * channel's ROI and optimal frequency (known truth, src/models/simulate `rf`), Meridian's own R&F
 * sample fits and converges, and bad R&F input is refused in words.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { fileURLToPath } from 'node:url';
import { parseModelConfig } from '../config.ts';
import { buildModelData } from '../design.ts';
import { simulate, simulationTable } from '../simulate/index.ts';
import { readWideTable } from '../../data/index.ts';
import { fitBayesian } from './fit.ts';
import { prepareMmm } from './prepare.ts';
import { bayesianFittedModel } from './fitted.ts';
import { parsePlan, runPlan } from '../../planning/plan.ts';

const repo = fileURLToPath(new URL('../../../', import.meta.url));

test('simulated geo R&F: the R&F channel\'s true ROI and optimal frequency are inside their 90% intervals (NUTS)', async () => {
  const sim = simulate({ weeks: 104, channels: 3, geos: 6, seed: 2, rf: true });
  const truth = sim.truth.channels[2];
  assert.ok(truth.rf, 'the last channel is R&F');
  const config = parseModelConfig({
    data: { file: 'sim.csv', geo: 'geo' }, target: { column: 'revenue' },
    channels: sim.truth.channels.map((c) => ({ name: c.name, spend: `${c.name}_spend`, ...(c.rf ? { reach: `${c.name}_reach`, frequency: `${c.name}_frequency` } : {}) })),
    controls: [{ column: 'price', sign: 'negative' }],
  });
  const fit = await fitBayesian(config, buildModelData(config, simulationTable(sim)), { chains: 2, warmup: 400, draws: 400, seed: 3 });
  const rf = fit.channels[2];
  assert.ok(truth.roi >= rf.roiInterval[0] && truth.roi <= rf.roiInterval[1], `ROI ${truth.roi} outside [${rf.roiInterval}]`);
  assert.ok(rf.rf, 'the R&F channel reports its optimal frequency');
  const [lo, hi] = rf.rf.optimalFrequencyInterval;
  assert.ok(truth.rf.optimalFrequency >= lo && truth.rf.optimalFrequency <= hi, `optimal frequency ${truth.rf.optimalFrequency} outside [${lo}, ${hi}]`);
  // Linear in reach at a held frequency: more spend buys more reach, so marginal ROI is the ROI.
  assert.ok(Math.abs(rf.mroi / rf.roi - 1) < 0.01, `mROI ${rf.mroi} vs ROI ${rf.roi}`);
  assert.equal(fit.channels[0].rf, undefined, 'a channel without reach and frequency has no optimal frequency');
  assert.equal(fit.diagnostics.divergences, 0);

  // The same spend (impressions) at the optimal frequency brings more than at the frequency it ran at
  // or at the largest one, in the model's own response; a plan can hold it there.
  const data = buildModelData(config, simulationTable(sim));
  const fitted = bayesianFittedModel(config, data, { paramNames: fit.paramNames, draws: fit.draws, series: fit.series }, 100);
  const mean = (x: Float64Array) => x.reduce((a, b) => a + b, 0) / x.length;
  const window: [number, number] = [data.T - 13, data.T];
  const at = (frequency?: number) => mean(fitted.response({ channel: 2, multiplier: 1, window, ...(frequency !== undefined ? { frequency } : {}) }));
  const observed = at(), optimal = at(rf.rf.optimalFrequency), most = at(rf.rf.maxFrequency), once = at(1);
  assert.ok(optimal > observed && optimal > most && optimal > once, `at the optimum ${optimal}; as run ${observed}; at the most ${most}; once ${once}`);
  assert.throws(() => fitted.response({ channel: 0, multiplier: 1, frequency: 2 }), /no reach and frequency/);
  let budget = 0;
  for (let g = 0; g < data.G; g++) for (let t = data.T - 13; t < data.T; t++) for (let c = 0; c < data.C; c++) budget += data.spend[(g * data.T + t) * data.C + c];
  // The recent budget within the default guardrail: each channel keeps about its recent spend.
  const plan = (frequency?: Record<string, number>) => runPlan(parsePlan({ model: 'rf', budget, periods: 13, draws: 30, forecast: 'none', ...(frequency ? { frequency } : {}) }), [{ id: 'rf', fitted, weight: 1 }]);
  const held = plan({ social: rf.rf.optimalFrequency }), asRun = plan();
  assert.ok(held.total.expected > asRun.total.expected, `plan at the optimal frequency ${held.total.expected} vs as run ${asRun.total.expected}`);
  assert.throws(() => plan({ tv: 2 }), /not a reach and frequency channel of model rf: its reach and frequency channels are social/);
});

test('Meridian\'s national R&F sample: fits with R-hat ≤ 1.01 and gives Channel3\'s optimal frequency inside the frequencies it ran', async () => {
  const config = parseModelConfig({
    data: { file: 'national_media_rf.csv', date: 'time' },
    target: { column: 'conversions', kind: 'conversions', revenuePerConversion: 'revenue_per_conversion' },
    channels: [
      ...[0, 1, 2].map((i) => ({ name: `Channel${i}`, spend: `Channel${i}_spend`, exposure: `Channel${i}_impression` })),
      { name: 'Channel3', spend: 'Channel3_spend', reach: 'Channel3_reach', frequency: 'Channel3_frequency' },
    ],
    controls: ['competitor_activity_score_control', 'sentiment_score_control'],
  });
  const table = await readWideTable(`${repo}data/reference/meridian/national_media_rf.csv`);
  const data = buildModelData(config, { source: 'national_media_rf.csv', ...table });
  assert.ok(data.rf?.[3], 'Channel3 reads its reach and frequency');
  const fit = await fitBayesian(config, data, { chains: 4, warmup: 500, draws: 500, seed: 1 });
  assert.ok(fit.diagnostics.rhatMax <= 1.01, `R-hat ${fit.diagnostics.rhatMax}`);
  const rf = fit.channels[3].rf!;
  assert.ok(rf.optimalFrequency >= 1 && rf.optimalFrequency <= rf.maxFrequency, `optimal ${rf.optimalFrequency}`);
  assert.ok(Math.abs(rf.maxFrequency - 2.62409) < 1e-6, 'the search ends at the largest frequency the data show');
  // The observed frequency is reach-weighted: Σ reach·frequency / Σ reach (the file's impressions over its reach).
  let r = 0, rf2 = 0;
  for (let k = 0; k < data.T; k++) { r += data.rf![3]!.reach[k]; rf2 += data.rf![3]!.reach[k] * data.rf![3]!.frequency[k]; }
  assert.ok(Math.abs(rf.observedFrequency - rf2 / r) < 1e-9);
});

test('R&F input is checked: both columns, paid only, and a frequency below 1 is refused with its date', () => {
  const base = { data: { file: 'x.csv' }, target: { column: 'y' } };
  assert.throws(() => parseModelConfig({ ...base, channels: [{ name: 'tv', spend: 's', reach: 'r' }] }), (e: Error & { problems?: { field?: string }[] }) => /needs both its reach column and its frequency column/.test(e.message) && e.problems?.[0]?.field === 'config.channels[0].frequency');
  assert.throws(() => parseModelConfig({ ...base, channels: [{ name: 'tv', exposure: 'a', reach: 'r', frequency: 'f' }] }), /paid channels/);
  assert.throws(() => parseModelConfig({ ...base, channels: [{ name: 'tv', spend: 's', exposure: 'a', reach: 'r', frequency: 'f' }] }), /reach × frequency/);
  const config = parseModelConfig({ ...base, channels: [{ name: 'tv', spend: 's', reach: 'r', frequency: 'f' }] });
  const rows = 12;
  const table = {
    source: 'x.csv', rowCount: rows,
    columns: {
      date: Array.from({ length: rows }, (_, t) => new Date(Date.UTC(2024, 0, 1 + 7 * t)).toISOString().slice(0, 10)),
      y: Array.from({ length: rows }, (_, t) => 100 + t), s: Array.from({ length: rows }, () => 10),
      r: Array.from({ length: rows }, () => 1000), f: Array.from({ length: rows }, (_, t) => (t === 5 ? 0.4 : 2)),
    },
  };
  assert.throws(() => buildModelData(config, table), /date 2024-02-05: an average frequency is at least 1/);
  table.columns.f[5] = 2;
  const data = buildModelData(config, table);
  assert.equal(data.activity[0], 2000, 'an R&F channel\'s activity is its impressions, reach × frequency');
  const prep = prepareMmm(config, data);
  assert.equal(prep.xScaled[0], 1, 'the model sees reach, divided by its typical value');
  assert.ok(prep.frequency[0] && Math.abs(prep.frequency[0][0] - 1) < 1e-12, 'and frequency divided by its typical value');
});

test('a classic family reads a reach & frequency channel as impressions, and says so', async () => {
  const { fitClassic } = await import('../linear/families.ts');
  const sim = simulate({ weeks: 104, channels: 2, seed: 3, rf: true });
  const config = parseModelConfig({
    data: { file: 'sim.csv' }, target: { column: 'revenue' }, family: 'ridge', classic: { bootstrap: 10 },
    channels: sim.truth.channels.map((c) => ({ name: c.name, spend: `${c.name}_spend`, ...(c.rf ? { reach: `${c.name}_reach`, frequency: `${c.name}_frequency` } : {}) })),
  });
  const fit = fitClassic(config, buildModelData(config, simulationTable(sim)));
  assert.ok(fit.warnings.some((w) => /REACH & FREQUENCY: search is read as impressions/.test(w)), fit.warnings.join(' | '));
});
