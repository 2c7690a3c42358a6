import { test } from 'node:test';
import assert from 'node:assert/strict';
import { lbfgs } from '../../inference/index.ts';
import { Rng } from '../../util/rng.ts';
import { parseModelConfig } from '../config.ts';
import { buildModelData } from '../design.ts';
import { simulate, simulationTable } from '../simulate/index.ts';
import { geoEmpiricalBayesStart, marginalOfSd, withHeld } from './geoStart.ts';
import { buildMmm } from './model.ts';
import { prepareMmm } from './prepare.ts';
import { simulatedMmm } from './simulatedMmm.ts';

test('marginalOfSd recovers the spread of noisy effects, and stays small when there is none', () => {
  const rng = new Rng(5);
  for (const sdTrue of [0.15, 0.4]) {
    const G = 400;
    const variance = Float64Array.from({ length: G }, (_, g) => (g % 2 ? 0.01 : 0.04));
    const effect = Float64Array.from(variance, (v) => sdTrue * rng.normal() + Math.sqrt(v) * rng.normal());
    const { median, logVariance } = marginalOfSd(effect, variance);
    assert.ok(Math.abs(median / sdTrue - 1) < 0.15, `sd ${sdTrue}: median ${median}`);
    // 400 groups pin log sd to about ±0.1.
    assert.ok(logVariance > 0 && Math.sqrt(logVariance) < 0.15, `log-sd sd ${Math.sqrt(logVariance)}`);
  }
  const noise = Float64Array.from({ length: 400 }, () => 0.1 * rng.normal());
  assert.ok(marginalOfSd(noise, new Float64Array(400).fill(0.01)).median < 0.05);
});

function geoModel(seed: number) {
  const { prep, mmm: { model } } = simulatedMmm(simulate({ weeks: 104, channels: 3, geos: 12, seed }));
  const init = new Float64Array(model.dim);
  const level = model.params.find((p) => p.name === 'level')!;
  init.fill(1, level.offset, level.offset + level.length);
  return { prep, model, map: lbfgs(model, init, { maxIterations: 5000, history: 100 }) };
}

test('geo start: the pooling sds come down from the joint MAP to near the truth (0.15), and the rest is at its conditional mode', () => {
  const { prep, model, map } = geoModel(2);
  const start = geoEmpiricalBayesStart(model, map.theta, prep.G, prep.C)!;
  const sdInfo = model.params.find((p) => p.name === 'geo_sd')!;
  const joint = Array.from({ length: prep.C }, (_, c) => Math.exp(map.theta[sdInfo.offset + c]));
  for (let c = 0; c < prep.C; c++) {
    // The joint mode of a non-centred hierarchy overstates the sd; the empirical-Bayes value is below it.
    assert.ok(start.geoSd[c] < joint[c], `channel ${c}: EB ${start.geoSd[c]} vs joint MAP ${joint[c]}`);
    assert.ok(start.geoSd[c] > 0.03 && start.geoSd[c] < 0.45, `channel ${c}: EB sd ${start.geoSd[c]}`);
    assert.equal(start.theta[start.held[c]], Math.log(start.geoSd[c]));
    assert.ok(start.heldVariance[c] > 0);
  }
  assert.ok(joint.some((s) => s > 0.3), `joint MAP sds ${joint}`);
  assert.equal(start.free.length + start.held.length, model.dim);
  // Every free coordinate's gradient is ~0 at the conditional mode (held coordinates are not).
  const reduced = withHeld(model, start.free, start.theta);
  const grad = new Float64Array(reduced.dim);
  reduced.logDensityGradient(Float64Array.from(start.free, (j) => start.theta[j]), grad);
  assert.ok(start.converged);
  // As stationary as L-BFGS leaves the joint MAP (its convergence test is relative to the density).
  const jointGrad = new Float64Array(model.dim);
  model.logDensityGradient(map.theta, jointGrad);
  const worst = Math.max(...grad.map(Math.abs)), jointWorst = Math.max(...jointGrad.map(Math.abs));
  assert.ok(worst < Math.max(10 * jointWorst, 1e-2), `max |grad| ${worst} (joint MAP ${jointWorst})`);
});

test('geo start: null for a national model', () => {
  const sim = simulate({ weeks: 60, channels: 2, seed: 1 });
  const table = simulationTable(sim);
  const config = parseModelConfig({ data: { file: 'sim.csv' }, target: { column: 'revenue' }, channels: sim.truth.channels.map((c) => ({ name: c.name, spend: `${c.name}_spend` })) });
  const prep = prepareMmm(config, buildModelData(config, table));
  const { model } = buildMmm(prep, []);
  assert.equal(geoEmpiricalBayesStart(model, new Float64Array(model.dim), 1, prep.C), null);
});
