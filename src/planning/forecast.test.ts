import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parseModelConfig } from '../models/config.ts';
import { buildModelData, type WideTable } from '../models/design.ts';
import type { FittedModel } from '../models/fitted.ts';
import { simulate, simulationTable, type Simulation } from '../models/simulate/index.ts';
import { fitBayesian } from '../models/bayesian/fit.ts';
import { bayesianFittedModel } from '../models/bayesian/fitted.ts';
import { Rng } from '../inference/index.ts';
import { coverageCheck, forecastOutcome, forecastPlan, residualDrift, type Forecast } from './forecast.ts';
import { modelCurves } from './model.ts';

const P = 13, Z90 = 1.6449;

/** Sd of the simulator's noise on the national outcome (simulate.ts: 0.04 × the intercept). */
const trueNoiseSd = (sim: Simulation) => 0.04 * 2.2 * 0.5 * sim.truth.channels.reduce((s, c) => s + c.beta, 0);

/** `marginal backtest` in memory: a fast fit on the weeks up to `cut`, a forecast of the next P weeks. */
async function backtest(sim: Simulation, cut: number) {
  const table = simulationTable(sim);
  const config = parseModelConfig({
    data: { file: 'sim.csv' }, target: { column: 'revenue' },
    channels: sim.truth.channels.map((c) => ({ name: c.name, spend: `${c.name}_spend` })),
    controls: [{ column: 'price', sign: 'negative' }],
  });
  const keep = table.columns.date.map((_, i) => i < cut);
  const train: WideTable = { source: 'sim.csv', rowCount: cut, columns: Object.fromEntries(Object.entries(table.columns).map(([k, v]) => [k, v.filter((_, i) => keep[i])])) };
  const data = buildModelData(config, train), all = buildModelData(config, table);
  const fit = await fitBayesian(config, data, { fast: true });
  const fitted = bayesianFittedModel(config, data, fit, 200);
  const C = all.C;
  const activity = Float64Array.from({ length: P * C }, (_, i) => all.activity[(cut + Math.floor(i / C)) * C + (i % C)]);
  const controls = Float64Array.from({ length: P }, (_, p) => all.controlValues[cut + p]);
  const actual = Array.from({ length: P }, (_, p) => all.y[cut + p]);
  return { fitted, all, actual, known: forecastOutcome({ fitted, periods: P, activity, controls }), unknown: forecastOutcome({ fitted, periods: P, activity }) };
}
const inside = (f: Forecast, actual: number[]) => f.periods.filter((p, k) => p.expectedInterval[0] <= actual[k] && actual[k] <= p.expectedInterval[1]).length;

// Ground truth: 4 simulator seeds × 3 cut-offs of 104 weeks (3 channels, the README's `marginal simulate`
// data), 13 weeks held out each; seed 2 cut at week 78 is the README's back-test (--until 2024-06-30).
const runs: { seed: number; cut: number; sim: Simulation; r: Awaited<ReturnType<typeof backtest>> }[] = [];
for (const seed of [1, 2, 3, 4]) {
  const sim = simulate({ weeks: 104, channels: 3, seed });
  for (const cut of [65, 78, 91]) runs.push({ seed, cut, sim, r: await backtest(sim, cut) });
}

test('the forecast\'s noise is the simulator\'s: σ within 12% of the known sd on every run, intervals as wide as it and a bit more', () => {
  for (const { seed, cut, sim, r } of runs) {
    const truth = trueNoiseSd(sim);
    assert.equal(r.known.uncertainty.method, 'posterior-predictive');
    assert.ok(Math.abs(r.known.uncertainty.noiseSd / truth - 1) < 0.12, `seed ${seed} cut ${cut}: noise sd ${r.known.uncertainty.noiseSd} vs ${truth}`);
    // A 90% interval of a Normal with the true sd is 2·1.645·σ wide; parameter uncertainty adds to it, never much on 65+ weeks.
    const ratio = r.known.periods.reduce((s, p) => s + (p.expectedInterval[1] - p.expectedInterval[0]), 0) / P / (2 * Z90 * truth);
    assert.ok(ratio > 0.9 && ratio < 1.4, `seed ${seed} cut ${cut}: interval width / (2·1.645·σ) = ${ratio}`);
  }
});

test('90% intervals hold 80–97% of the held-out actuals, pooled over 12 back-tests (the README\'s among them)', () => {
  const held = runs.reduce((s, { r }) => s + inside(r.known, r.actual), 0), n = runs.length * P;
  assert.ok(held / n >= 0.8 && held / n <= 0.97, `coverage ${held}/${n}`);
  const readme = runs.find((x) => x.seed === 2 && x.cut === 78)!;
  assert.equal(readme.r.all.dates[77], '2024-06-24');
  assert.ok(inside(readme.r.known, readme.r.actual) >= 10, `README back-test: ${inside(readme.r.known, readme.r.actual)}/13 (was 5/13)`);
  // Unknown controls (drawn from their in-sample spread) widen every interval and hold about as much.
  for (const { r } of runs) r.known.periods.forEach((p, k) => {
    const u = r.unknown.periods[k].expectedInterval;
    assert.ok(u[1] - u[0] > p.expectedInterval[1] - p.expectedInterval[0]);
  });
  const heldUnknown = runs.reduce((s, { r }) => s + inside(r.unknown, r.actual), 0);
  assert.ok(heldUnknown / n >= 0.8, `unknown controls: ${heldUnknown}/${n}`);
});

test('a plan forecast draws the same model: base per draw, σ, the plan\'s media; a model without futureDraws falls back', () => {
  const { fitted } = runs[0].r;
  const { curves } = modelCurves(fitted, { periods: P });
  const spend = curves.map((c) => c.reference);
  const plan = forecastPlan({ fitted, curves, spend, periods: P });
  assert.equal(plan.uncertainty.method, 'posterior-predictive');
  assert.equal(plan.uncertainty.controls, 'unknown');
  assert.ok(plan.uncertainty.samples >= 2000);
  assert.ok(plan.carryIn > 0);
  const classic: FittedModel = { ...fitted, futureDraws: undefined };
  const old = forecastPlan({ fitted: classic, curves, spend, periods: P });
  assert.equal(old.uncertainty.method, 'residual');
  // Same media; both bases near each other (the fallback holds the trend flat and takes last year's seasonality).
  assert.ok(Math.abs(old.total.media / plan.total.media - 1) < 1e-9);
  assert.ok(Math.abs(old.total.base / plan.total.base - 1) < 0.05, `${old.total.base} vs ${plan.total.base}`);
  for (const p of [...plan.periods, ...old.periods]) assert.ok(p.expectedInterval[0] < p.expected && p.expected < p.expectedInterval[1]);
});

/** A fitted-model stand-in whose in-sample residuals are `r` (prediction 0). */
const residuals = (r: number[]) => ({ fitted: { dates: r.map((_, t) => String(t)), geos: ['national'], inSample: new Uint8Array(r.length).fill(1), actual: Float64Array.from(r), observed: new Uint8Array(r.length).fill(1) } as unknown as FittedModel, predicted: new Float64Array(r.length) });

test('baseline drift: ~0 on white residuals; a random walk\'s step sd recovered from noisy residuals', () => {
  const rng = new Rng(3);
  let white = 0, walkErr = 0;
  for (let rep = 0; rep < 20; rep++) {
    const noise = Array.from({ length: 120 }, () => 10 * rng.normal());
    const w = residuals(noise);
    white = Math.max(white, residualDrift(w.fitted, w.predicted));
    let level = 0;
    const walk = noise.map((e) => { level += 4 * rng.normal(); return level + e; });
    const x = residuals(walk);
    walkErr += Math.abs(residualDrift(x.fitted, x.predicted) / 4 - 1) / 20;
  }
  assert.ok(white < 0.3 * 10, `white noise sd 10: drift at most ${white}`);
  assert.ok(walkErr < 0.35, `random walk step 4 under noise 10: mean relative error ${walkErr}`);
});

test('coverage check: warns only when so few inside is unlikely by chance', () => {
  assert.equal(coverageCheck(13, 13).warning, undefined);
  assert.equal(coverageCheck(10, 13).warning, undefined);
  const low = coverageCheck(5, 13);
  assert.match(low.warning!, /^LOW COVERAGE: 90% intervals held 38% of actuals \(5 of 13\)/);
  assert.ok(Math.abs(coverageCheck(9, 13).pValue - 0.0342) < 5e-4, `${coverageCheck(9, 13).pValue}`);
  assert.ok(coverageCheck(9, 13).warning);
});
