import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parseModelConfig } from '../config.ts';
import { buildModelData } from '../design.ts';
import { simulate } from '../simulate/index.ts';
import { fitBayesian } from './fit.ts';
import { bayesianFittedModel } from './fitted.ts';

const sim = simulate({ weeks: 80, channels: 3, seed: 4 });
const config = parseModelConfig({
  data: { file: 'x.csv' }, target: { column: 'revenue' },
  channels: sim.truth.channels.map((c) => ({ name: c.name, spend: `${c.name}_spend` })),
  controls: [{ column: 'price', sign: 'negative' }],
});
const data = buildModelData(config, { source: 'x.csv', rowCount: sim.rows.length, columns: Object.fromEntries(sim.columns.map((c, j) => [c, sim.rows.map((r) => r[j])])) });
const fit = await fitBayesian(config, data, { fast: true, chains: 1, draws: 300 });
const fitted = bayesianFittedModel(config, data, fit, 300);
const mean = (x: Float64Array) => x.reduce((a, b) => a + b, 0) / x.length;
const total = (x: Float64Array) => x.reduce((a, b) => a + b, 0);

test('decomposition sums to the prediction and matches the fit\'s channel contributions', () => {
  const d = fitted.decomposition();
  const sum = new Float64Array(d.predicted.length);
  for (const s of [...Object.values(d.components), ...Object.values(d.channels)]) s.forEach((v, i) => { sum[i] += v; });
  d.predicted.forEach((p, i) => assert.ok(Math.abs(p - sum[i]) < 1e-6 * Math.abs(p), `period ${i}: ${p} vs ${sum[i]}`));
  fit.channels.forEach((c) => {
    const mine = total(d.channels[c.name]);
    assert.ok(Math.abs(mine / c.contribution - 1) < 1e-9, `${c.name}: ${mine} vs ${c.contribution}`);
  });
});

test('a fit stored without its decomposition gets the same one recomputed from its draws', () => {
  // The fit sums the decomposition in its posterior pass; an older stored fit is decomposed on reading.
  const { components: _c, ...series } = fit.series;
  const recomputed = bayesianFittedModel(config, data, { ...fit, series }, 300).decomposition();
  const stored = fitted.decomposition();
  assert.deepEqual(Object.keys(recomputed.components), Object.keys(stored.components));
  for (const [name, part] of Object.entries(stored.components)) {
    const scale = Math.max(...part.map(Math.abs));
    part.forEach((v, i) => assert.ok(Math.abs(v - recomputed.components[name][i]) <= 1e-9 * scale, `${name}[${i}]: ${v} vs ${recomputed.components[name][i]}`));
  }
  stored.predicted.forEach((v, i) => assert.ok(Math.abs(v - recomputed.predicted[i]) <= 1e-9 * Math.abs(v)));
});

test('response at multiplier 1 over all periods is the contribution; 0 gives 0; it rises with spend', () => {
  fit.channels.forEach((c, k) => {
    const r1 = mean(fitted.response({ channel: k, multiplier: 1 }));
    assert.ok(Math.abs(r1 / c.contribution - 1) < 1e-9, `${c.name}: ${r1} vs ${c.contribution}`);
    assert.equal(mean(fitted.response({ channel: k, multiplier: 0 })), 0);
    const r2 = mean(fitted.response({ channel: k, multiplier: 2 }));
    assert.ok(r2 > r1 && r2 < 2 * r1 + 1e-9, `${c.name}: doubling spend gives ${r2} vs ${r1} (concave)`);
  });
  // A window covers part of the effect; its complement the rest (the contribution is additive in time only
  // approximately, because of carry-over across the boundary, but the two halves must bracket it).
  const first = mean(fitted.response({ channel: 0, multiplier: 1, window: [0, 40] }));
  const second = mean(fitted.response({ channel: 0, multiplier: 1, window: [40, 80] }));
  assert.ok(first > 0 && second > 0);
  assert.ok(Math.abs(first + second - fit.channels[0].contribution) < 0.05 * fit.channels[0].contribution);
});

test('adstock weights are normalized and decay for a geometric channel', () => {
  const w = fitted.adstockWeights(0);
  assert.equal(w.length, 8);
  assert.ok(Math.abs(total(w) - 1) < 1e-9);
  for (let l = 1; l < w.length; l++) assert.ok(w[l] <= w[l - 1]);
});

test('geo responses: each geo answers its own scaling, and they add up to the national response', async () => {
  const gsim = simulate({ weeks: 60, channels: 2, geos: 3, seed: 8 });
  const gconfig = parseModelConfig({
    data: { file: 'x.csv', geo: 'geo' }, target: { column: 'revenue' },
    channels: gsim.truth.channels.map((c) => ({ name: c.name, spend: `${c.name}_spend` })),
  });
  const gdata = buildModelData(gconfig, { source: 'x.csv', rowCount: gsim.rows.length, columns: Object.fromEntries(gsim.columns.map((c, j) => [c, gsim.rows.map((r) => r[j])])) });
  const gfit = await fitBayesian(gconfig, gdata, { fast: true, chains: 1, draws: 50 });
  const gm = bayesianFittedModel(gconfig, gdata, gfit, 50);
  for (const m of [0.5, 1, 1.7]) {
    const national = gm.response({ channel: 1, multiplier: m, window: [10, 40] });
    const perGeo = [0, 1, 2].map((g) => gm.response({ channel: 1, multiplier: m, window: [10, 40], geo: g }));
    national.forEach((v, d) => assert.ok(Math.abs(v - perGeo.reduce((s, r) => s + r[d], 0)) < 1e-9 * Math.abs(v)));
    assert.ok(perGeo.every((r) => mean(r) > 0));
  }
  // At multiplier 1 over everything, a geo's response is its share of the channel's contribution.
  const d = gm.decomposition();
  const geo0 = d.channels[gsim.truth.channels[0].name].slice(0, 60).reduce((a, b) => a + b, 0);
  assert.ok(Math.abs(mean(gm.response({ channel: 0, multiplier: 1, geo: 0 })) / geo0 - 1) < 1e-9);
  assert.throws(() => gm.response({ channel: 0, multiplier: 1, geo: 3 }), /geo index 3/);
});
