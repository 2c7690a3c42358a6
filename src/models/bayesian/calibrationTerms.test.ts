/**
 * The lift-test and contribution-share terms of the model's log density, with the default transforms
 * (computed by the fused op's window sums): their values against Σ weight·b·h from the generated
 * quantities, and the whole gradient by finite differences.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Rng } from '../../util/rng.ts';
import { parseModelConfig, type ModelConfigInput } from '../config.ts';
import { buildModelData } from '../design.ts';
import { simulate, simulationTable } from '../simulate/index.ts';
import { buildMmm } from './model.ts';
import { prepareMmm } from './prepare.ts';

const normalLpdf = (x: number, mu: number, sd: number) => -0.5 * Math.log(2 * Math.PI) - Math.log(sd) - ((x - mu) ** 2) / (2 * sd * sd);

test('lift tests (national and one geo) and a share prior: log density terms equal Σ weight·b·h, gradient by finite differences', () => {
  const sim = simulate({ weeks: 52, channels: 3, geos: 4, seed: 6 });
  const table = simulationTable(sim);
  const base: ModelConfigInput = {
    data: { file: 'sim.csv', geo: 'geo', population: 'population' }, target: { column: 'revenue' },
    channels: sim.truth.channels.map((c) => ({ name: c.name, spend: `${c.name}_spend` })), controls: [{ column: 'price', sign: 'negative' }],
  };
  const plainConfig = parseModelConfig(base);
  const dates = buildModelData(plainConfig, table).dates;
  const config = parseModelConfig({
    ...base,
    experiments: [
      { channel: 'tv', start: dates[10], end: dates[17], lift: 2e5, liftSe: 4e4 },
      { channel: 'social', geo: 'G03', start: dates[30], end: dates[35], lift: 5e3, liftSe: 2e3 },
    ],
    priors: { contributionShare: { search: { share: 0.2, confidence: 0.6 } } },
  });
  const data = buildModelData(config, table);
  const prep = prepareMmm(config, data);
  const { model } = buildMmm(prep, data.controlSigns);
  const plain = buildMmm(prepareMmm(plainConfig, buildModelData(plainConfig, table)), data.controlSigns).model;
  assert.equal(model.dim, plain.dim);
  const rng = new Rng(3);
  const theta = Float64Array.from({ length: model.dim }, () => 0.3 * rng.normal());

  // Values: the extra terms are Normal log densities of Σ weight·b·h, from the generated h and b.
  const q = model.generated(theta, ['h0', 'b0']);
  const { G, T, C } = prep;
  const implied = (c: number, weight: Float64Array) => {
    let s = 0;
    for (let g = 0; g < G; g++) for (let t = 0; t < T; t++) s += weight[g * T + t] * q.b0[g * C + c] * q.h0[(g * T + t) * C + c];
    return s;
  };
  let expected = plain.logDensity(theta);
  for (const e of prep.experiments) expected += normalLpdf(implied(e.channel, e.weight), e.lift, e.liftSe);
  for (const sh of prep.shares) expected += normalLpdf(implied(sh.channel, prep.outcomeWeight) / prep.yTotal, sh.share, sh.sd);
  assert.equal(prep.experiments.length, 2);
  assert.equal(prep.shares.length, 1);
  const got = model.logDensity(theta);
  assert.ok(Math.abs(got - expected) < 1e-9 * Math.max(1, Math.abs(expected)), `log density ${got} vs ${expected}`);
  assert.ok(Math.abs(got - plain.logDensity(theta)) > 1e-3, 'the calibration terms change the log density');

  // Gradient: central differences on every coordinate.
  const grad = new Float64Array(model.dim);
  model.logDensityGradient(theta, grad);
  const x = Float64Array.from(theta);
  for (let i = 0; i < model.dim; i++) {
    const h = 1e-6 * Math.max(1, Math.abs(theta[i]));
    x[i] = theta[i] + h; const up = model.logDensity(x);
    x[i] = theta[i] - h; const down = model.logDensity(x);
    x[i] = theta[i];
    const fd = (up - down) / (2 * h);
    assert.ok(Math.abs(grad[i] - fd) <= 1e-5 * Math.max(1, Math.abs(fd)), `∂/∂${model.unconstrainedNames()[i]}: ${grad[i]} vs ${fd}`);
  }
});
