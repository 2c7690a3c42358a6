import { test } from 'node:test';
import assert from 'node:assert/strict';
import { MarginalError } from '../../errors.ts';
import { parseModelConfig } from '../config.ts';
import { buildModelData } from '../design.ts';
import { simulate, simulationTable } from '../simulate/index.ts';
import { meanSdToBeta, meanSdToLogNormal, prepareMmm } from './prepare.ts';
import { betaMoments, logNormalMoments } from './curveSummary.ts';

function prepareWith(geos: number, experiment: Record<string, unknown>) {
  const sim = simulate({ weeks: 20, channels: 2, seed: 1, ...(geos ? { geos } : {}) });
  const config = parseModelConfig({
    data: { file: 'sim.csv', ...(geos ? { geo: 'geo' } : {}) }, target: { column: 'revenue' },
    channels: sim.truth.channels.map((c) => ({ name: c.name, spend: `${c.name}_spend` })),
    experiments: [{ channel: 'tv', lift: 1000, liftSe: 100, ...experiment }],
  });
  return prepareMmm(config, buildModelData(config, simulationTable(sim)));
}

function messageOf(f: () => unknown): string {
  try { f(); } catch (e) { assert.ok(e instanceof MarginalError && e.exitCode === 2, String(e)); return e.message; }
  assert.fail('expected a config error');
}

test('lift tests: a window outside the data, a geo on a national model and an unknown geo are config errors that say why', () => {
  assert.match(messageOf(() => prepareWith(0, { start: '2030-01-07', end: '2030-02-04' })), /experiments\[0\]` window 2030-01-07…2030-02-04 covers no period of the data \(2023-01-02…2023-05-15\)/);
  assert.match(messageOf(() => prepareWith(0, { geo: 'G01', start: '2023-02-06', end: '2023-03-06' })), /experiments\[0\]\.geo` is 'G01', but the model is national/);
  assert.match(messageOf(() => prepareWith(3, { geo: 'G09', start: '2023-02-06', end: '2023-03-06' })), /experiments\[0\]\.geo` must be one of G01, G02, G03; got 'G09'/);
  // The same test in a known geo prepares, and weighs only that geo's periods inside the window.
  const prep = prepareWith(3, { geo: 'G02', start: '2023-02-06', end: '2023-03-06' });
  const w = prep.experiments[0].weight;
  const nonZero = [...w.keys()].filter((i) => w[i] > 0);
  assert.equal(nonZero.length, 5);
  assert.ok(nonZero.every((i) => Math.floor(i / prep.T) === 1));
});

test('curve priors by mean and sd: the Beta and LogNormal with those moments (round trip), and Beta(2, 3) for the default decay', () => {
  for (const [mean, sd] of [[0.4, 0.2], [0.6, 0.05], [0.1, 0.29]] as const) {
    const beta = meanSdToBeta(mean, sd);
    assert.ok(beta.a > 0 && beta.b > 0, `${mean} ± ${sd}`);
    const m = betaMoments(beta);
    assert.ok(Math.abs(m.mean - mean) < 1e-12 && Math.abs(m.sd - sd) < 1e-12, `${mean} ± ${sd} → ${m.mean} ± ${m.sd}`);
  }
  const b = meanSdToBeta(0.4, 0.2);
  assert.ok(Math.abs(b.a - 2) < 1e-12 && Math.abs(b.b - 3) < 1e-12);
  const ln = logNormalMoments(meanSdToLogNormal(1.5, 0.3));
  assert.ok(Math.abs(ln.mean - 1.5) < 1e-12 && Math.abs(ln.sd - 0.3) < 1e-12);
});
