/**
 * Lift tests that changed spend (`geos`, `spendChange`, `alternate`): the model's log-density term
 * equals a Normal density of the lift computed outside the graph (changeTestDraws), on the fused path
 * (geometric + Hill) and the generic one (Weibull adstock, logistic saturation); gradients by finite
 * differences; the lift's sign and size by hand; old configs read as before.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Rng } from '../../util/rng.ts';
import { isLegacyExperiment, parseModelConfig, type ModelConfigInput } from '../config.ts';
import { buildModelData } from '../design.ts';
import { simulate, simulationTable } from '../simulate/index.ts';
import { buildMmm } from './model.ts';
import { prepareMmm } from './prepare.ts';
import { changeTestDraws } from './changeTestDraws.ts';
import { changeTestSeries, changeTestWindow, periodAfter } from './changeTest.ts';
import { MarginalError } from '../../errors.ts';

const normalLpdf = (x: number, mu: number, sd: number) => -0.5 * Math.log(2 * Math.PI) - Math.log(sd) - ((x - mu) ** 2) / (2 * sd * sd);
const sim = simulate({ weeks: 52, channels: 3, geos: 4, seed: 6 });
const table = simulationTable(sim);
const base: ModelConfigInput = {
  data: { file: 'sim.csv', geo: 'geo', population: 'population' }, target: { column: 'revenue' },
  channels: sim.truth.channels.map((c) => ({ name: c.name, spend: `${c.name}_spend` })), controls: [{ column: 'price', sign: 'negative' }],
};
const dates = buildModelData(parseModelConfig(base), table).dates;

function check(extra: Partial<ModelConfigInput>, label: string) {
  const plainConfig = parseModelConfig({ ...base, ...extra, experiments: [] });
  const config = parseModelConfig({
    ...base, ...extra,
    experiments: [
      { channel: 'search', geos: ['G01', 'G03'], start: dates[30], end: dates[37], spendChange: -1, lift: 4e4, liftSe: 1e4 },
      { channel: 'tv', geos: ['G02'], start: dates[20], end: dates[25], spendChange: 0.5, lift: 2e4, liftSe: 1e4 },
      // A test after the data: its window runs on the data's calendar past the last week.
      { channel: 'social', start: periodAfter({ dates, grain: 'week' }, 2), end: periodAfter({ dates, grain: 'week' }, 7), spendChange: -0.5, lift: 1e4, liftSe: 5e3 },
      { channel: 'search', start: dates[44], end: dates[51], spendChange: -1, alternate: 2, lift: 1e4, liftSe: 5e3 },
    ],
  });
  const data = buildModelData(config, table);
  const prep = prepareMmm(config, data);
  assert.equal(prep.changeTests.length, 4);
  assert.equal(prep.experiments.length, 0);
  const mmm = buildMmm(prep, data.controlSigns);
  const plain = buildMmm(prepareMmm(plainConfig, buildModelData(plainConfig, table)), data.controlSigns).model;
  const rng = new Rng(11);
  const theta = Float64Array.from({ length: mmm.model.dim }, () => 0.3 * rng.normal());
  const named = mmm.model.constrain(theta);
  const lifts = changeTestDraws({ data, prep, mmm, named: [named], thetas: [theta] }, config.experiments.map((e) => ({
    channel: data.channels.indexOf(e.channel), geos: e.geos ? e.geos.map((g) => data.geos.indexOf(g)) : data.geos.map((_, g) => g), start: e.start, end: e.end, spendChange: e.spendChange!, alternate: e.alternate,
  })));
  let expected = plain.logDensity(theta);
  config.experiments.forEach((e, i) => { expected += normalLpdf(lifts[i][0], e.lift, e.liftSe); });
  const got = mmm.model.logDensity(theta);
  assert.ok(Math.abs(got - expected) < 1e-8 * Math.max(1, Math.abs(expected)), `${label}: log density ${got} vs ${expected}`);
  for (const l of lifts) assert.ok(l[0] > 0, `${label}: a cut and a raise both show a positive lift (${l[0]})`);

  const grad = new Float64Array(mmm.model.dim);
  mmm.model.logDensityGradient(theta, grad);
  const x = Float64Array.from(theta);
  for (let i = 0; i < mmm.model.dim; i++) {
    const h = 1e-6 * Math.max(1, Math.abs(theta[i]));
    x[i] = theta[i] + h; const up = mmm.model.logDensity(x);
    x[i] = theta[i] - h; const down = mmm.model.logDensity(x);
    x[i] = theta[i];
    const fd = (up - down) / (2 * h);
    assert.ok(Math.abs(grad[i] - fd) <= 2e-5 * Math.max(1, Math.abs(fd)), `${label}: ∂/∂${mmm.model.unconstrainedNames()[i]}: ${grad[i]} vs ${fd}`);
  }
}

test('changed-spend lift tests on the fused path: log density and gradient', () => check({}, 'fused'));
test('changed-spend lift tests on the generic path: log density and gradient', () => check({ adstock: { type: 'weibull-cdf' }, saturation: { type: 'logistic' } }, 'generic'));

test('the series: business as usual from the periods before, the change on its path, weights signed', () => {
  const data = buildModelData(parseModelConfig(base), table);
  const window = changeTestWindow(data, dates[40], dates[43], undefined, 'x');
  assert.deepEqual([window.t0, window.dates.length], [40, 4]);
  const xScale = new Float64Array(data.G * data.C).fill(1), m = new Float64Array(data.G).fill(2);
  const s = changeTestSeries(data, xScale, m, 3, { channel: 1, geos: [2], window, spendChange: -0.5 });
  let bau = 0;
  for (let t = 27; t < 40; t++) bau += data.activity[(2 * data.T + t) * data.C + 1];
  bau /= 13;
  assert.equal(s.rowGeo.length, 2);
  assert.equal(s.length, 7);
  for (let k = 0; k < 3; k++) assert.equal(s.x[k], data.activity[(2 * data.T + 37 + k) * data.C + 1]);
  assert.ok(Math.abs(s.x[3] - bau / 2) < 1e-9 && Math.abs(s.x[7 + 3] - bau) < 1e-9);
  assert.deepEqual([s.weights[3], s.weights[7 + 3], s.weights[0]], [-2, 2, 0]);
  // Alternating blocks: the test's path against the carry-in alone, unchanged blocks weighted by
  // changed/unchanged periods.
  const alt = changeTestWindow(data, dates[40], dates[45], 2, 'x');
  assert.deepEqual(alt.changed, [true, true, false, false, false, false]);
  assert.deepEqual(changeTestWindow(data, dates[40], dates[47], 2, 'x').changed, [true, true, false, false, false, false, true, true]);
  const a = changeTestSeries(data, xScale, m, 3, { channel: 1, geos: [0], window: alt, spendChange: -1 });
  assert.equal(a.rowGeo.length, 2);
  assert.deepEqual(Array.from(a.weights.slice(3, 9)), [-2, -2, 1, 1, 1, 1]);
  assert.deepEqual(Array.from(a.weights.slice(12)), [2, 2, -1, -1, -1, -1]);
  assert.deepEqual(Array.from(a.x.slice(12)), [0, 0, 0, 0, 0, 0]);
  assert.throws(() => changeTestWindow(data, dates[0], dates[3], undefined, 'x'), MarginalError);
  assert.throws(() => changeTestWindow(data, dates[40], dates[41], 2, 'x'), MarginalError);
});

test('old experiments keep their meaning; the new fields are checked', () => {
  const old = parseModelConfig({ ...base, experiments: [{ channel: 'tv', geo: 'G01', start: dates[10], end: dates[14], lift: 1, liftSe: 1 }] });
  assert.ok(isLegacyExperiment(old.experiments[0]));
  const prep = prepareMmm(old, buildModelData(old, table));
  assert.equal(prep.experiments.length, 1);
  assert.equal(prep.changeTests.length, 0);
  assert.throws(() => parseModelConfig({ ...base, experiments: [{ channel: 'tv', geo: 'G01', geos: ['G02'], start: dates[10], end: dates[14], lift: 1, liftSe: 1 }] }), /both `geo` and `geos`/);
  assert.throws(() => parseModelConfig({ ...base, experiments: [{ channel: 'tv', start: dates[10], end: dates[14], spendChange: 0, lift: 1, liftSe: 1 }] }), MarginalError);
  assert.throws(() => parseModelConfig({ ...base, experiments: [{ channel: 'tv', start: dates[10], end: dates[14], spendChange: -1.5, lift: 1, liftSe: 1 }] }), MarginalError);
  const bad = parseModelConfig({ ...base, experiments: [{ channel: 'tv', geos: ['G09'], start: dates[10], end: dates[14], spendChange: -1, lift: 1, liftSe: 1 }] });
  assert.throws(() => prepareMmm(bad, buildModelData(bad, table)), /'G09' is not in the data/);
});
