/**
 * The sub-channel split: its parts add up to the channel in every draw, and on a simulation with known
 * truth a channel split into two sub-channels that buy the same activity at costs 1 and 2 per unit
 * gets ROIs in the ratio 2 : 1 (the inverse of their costs), as the rule says it must.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parseModelConfig } from '../models/config.ts';
import { buildModelData } from '../models/design.ts';
import { simulate } from '../models/simulate/index.ts';
import { fitBayesian } from '../models/bayesian/fit.ts';
import { bayesianFittedModel } from '../models/bayesian/fitted.ts';
import { Rng } from '../util/rng.ts';
import { splitChannel, subchannelTable } from './subchannels.ts';

const sim = simulate({ weeks: 104, channels: 3, seed: 3 });
// tv's activity (its spend in the simulation) bought through two sub-channels: 'linear' at 1 per unit,
// 'ctv' at 2 per unit, in shares that change from week to week.
const rng = new Rng(7);
const col = (name: string) => sim.rows.map((r) => Number(r[sim.columns.indexOf(name)]));
const tv = col('tv_spend');
const u = tv.map(() => 0.25 + 0.5 * rng.uniform());
const extra: Record<string, number[]> = {
  tv_linear_units: tv.map((a, t) => a * u[t]), tv_ctv_units: tv.map((a, t) => a * (1 - u[t])),
  tv_linear_spend: tv.map((a, t) => a * u[t]), tv_ctv_spend: tv.map((a, t) => 2 * a * (1 - u[t])),
};
const columns = { ...Object.fromEntries(sim.columns.map((c, j) => [c, sim.rows.map((r) => r[j])])), ...extra };
const config = parseModelConfig({
  data: { file: 'x.csv' }, target: { column: 'revenue' },
  channels: sim.truth.channels.map((c) => (c.name === 'tv'
    ? { name: 'tv', subchannels: [{ name: 'linear', spend: 'tv_linear_spend', exposure: 'tv_linear_units' }, { name: 'ctv', spend: 'tv_ctv_spend', exposure: 'tv_ctv_units' }] }
    : { name: c.name, spend: `${c.name}_spend` })),
  controls: [{ column: 'price', sign: 'negative' }],
});
const data = buildModelData(config, { source: 'x.csv', rowCount: sim.rows.length, columns });
const fit = await fitBayesian(config, data, { fast: true, chains: 1, draws: 300 });
const fitted = Object.assign(bayesianFittedModel(config, data, fit, 300), { subchannels: data.subchannels });

test('the model sees the summed channel; the sub-channels stay on the data', () => {
  assert.deepEqual(data.channels, ['tv', 'search', 'social']);
  assert.deepEqual(data.subchannels!.map((s) => s.name), ['linear', 'ctv']);
  for (let t = 0; t < data.T; t++) {
    assert.ok(Math.abs(data.activity[t * data.C] - tv[t]) < 1e-6 * Math.max(1, tv[t]), `activity of week ${t} is the sub-channels' sum`);
    assert.ok(Math.abs(data.spend[t * data.C] - (extra.tv_linear_spend[t] + extra.tv_ctv_spend[t])) < 1e-6 * Math.max(1, tv[t]));
  }
});

test('sub-channel contributions add up to the channel\'s in every draw (within 1e-9)', () => {
  const split = splitChannel(fitted, 0)!;
  assert.equal(split.total.length, fitted.nDraws);
  assert.ok(fitted.nDraws > 100);
  for (let d = 0; d < fitted.nDraws; d++) {
    const parts = split.contribution[0][d] + split.contribution[1][d];
    assert.ok(Math.abs(parts - split.total[d]) <= 1e-9 * Math.abs(split.total[d]), `draw ${d}: ${parts} vs ${split.total[d]}`);
  }
  // The channel's per-draw contribution is the fitted model's own (its response at multiplier 1).
  const response = fitted.response({ channel: 0, multiplier: 1 });
  for (let d = 0; d < fitted.nDraws; d++) assert.ok(Math.abs(response[d] - split.total[d]) <= 1e-9 * Math.abs(response[d]));
  assert.equal(splitChannel(fitted, 1), null);
});

test('ROIs in the inverse ratio of cost per unit; shares and intervals as stated', () => {
  const rows = subchannelTable(fitted);
  assert.deepEqual(rows.map((r) => [r.channel, r.subchannel]), [['tv', 'linear'], ['tv', 'ctv']]);
  const [linear, ctv] = rows as Record<string, number>[];
  const ratio = linear.roi / ctv.roi;
  assert.ok(Math.abs(ratio / 2 - 1) < 0.05, `ROI ratio linear : ctv ${ratio.toFixed(3)}, expected ≈ 2`);
  // Known truth: the true contribution series split by the true adstock gives the true sub-channel ROIs.
  const { alpha, maxLag } = sim.truth.channels[0].adstock, truthSeries = sim.contributionSeries[0];
  const ad = (x: number[]) => x.map((_, t) => { let s = 0; for (let l = 0; l < maxLag && l <= t; l++) s += alpha ** l * x[t - l]; return s; });
  const a1 = ad(extra.tv_linear_units), a2 = ad(extra.tv_ctv_units);
  const true1 = truthSeries.reduce((s, v, t) => s + (a1[t] + a2[t] > 0 ? v * a1[t] / (a1[t] + a2[t]) : 0), 0);
  const true2 = truthSeries.reduce((s, v, t) => s + (a1[t] + a2[t] > 0 ? v * a2[t] / (a1[t] + a2[t]) : 0), 0);
  const trueRatio = (true1 / linear.spend) / (true2 / ctv.spend);
  assert.ok(Math.abs(ratio / trueRatio - 1) < 0.03, `model ratio ${ratio.toFixed(3)} vs true ${trueRatio.toFixed(3)}`);
  assert.ok(Math.abs(linear.share + ctv.share - 1) < 1e-12);
  for (const r of rows as Record<string, number>[]) {
    assert.ok(r.roiLow < r.roi && r.roi < r.roiHigh, `${r.subchannel}: ROI inside its interval`);
    assert.ok(r.contributionLow < r.contribution && r.contribution < r.contributionHigh);
    assert.ok(r.shareLow <= r.share && r.share <= r.shareHigh);
  }
  assert.ok(Math.abs(linear.shareOfSpend + ctv.shareOfSpend - 1) < 1e-12);
});

test('a ridge fit splits per bootstrap replicate, its parts adding up to the channel in each', async () => {
  const { fitClassic, classicFittedModel } = await import('../models/linear/families.ts');
  const ridgeConfig = parseModelConfig({ ...config, family: 'ridge', classic: { bootstrap: 20 } });
  const r = fitClassic(ridgeConfig, data, { seed: 1 });
  const ridge = Object.assign(classicFittedModel(ridgeConfig, data, r), { subchannels: data.subchannels });
  const split = splitChannel(ridge, 0)!;
  assert.equal(split.total.length, ridge.nDraws);
  for (let d = 0; d < ridge.nDraws; d++) assert.ok(Math.abs(split.contribution[0][d] + split.contribution[1][d] - split.total[d]) <= 1e-9 * Math.max(1, Math.abs(split.total[d])));
  const rows = subchannelTable(ridge) as Record<string, number>[];
  assert.ok(Math.abs(rows[0].roi / rows[1].roi / 2 - 1) < 0.05, `ridge ROI ratio ${rows[0].roi / rows[1].roi}`);
  assert.ok(rows[0].roiLow !== null && rows[0].roiLow <= rows[0].roi);
});
