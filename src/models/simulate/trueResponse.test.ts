import { test } from 'node:test';
import assert from 'node:assert/strict';
import { simulate } from './simulate.ts';
import { trueAdstockWeights, trueWindowResponse } from './trueResponse.ts';

const rel = (a: number, b: number) => Math.abs(a - b) / Math.max(Math.abs(a), Math.abs(b), 1e-12);

test('true response over the whole data: the simulator\'s own contribution at ×1 and its marginal ROI (national and geo)', () => {
  for (const sim of [simulate({ weeks: 60, channels: 5, seed: 3 }), simulate({ weeks: 40, channels: 3, geos: 4, seed: 2 })]) {
    const T = sim.truth.weeks;
    sim.truth.channels.forEach((ch, c) => {
      const r = trueWindowResponse(sim, c, [0, T]);
      assert.ok(rel(r(1), ch.contribution) < 1e-12, `${ch.name}: ${r(1)} vs ${ch.contribution}`);
      assert.ok(rel((r(1 + 1e-4) - r(1)) / (1e-4 * ch.spend), ch.mroi) < 1e-9, `${ch.name} mROI`);
      assert.equal(r(0), 0);
    });
  }
});

test('true adstock weights: α^l normalized over the max lag', () => {
  const sim = simulate({ weeks: 20, channels: 1, seed: 1 });
  const { alpha, maxLag } = sim.truth.channels[0].adstock;
  const w = trueAdstockWeights(sim, 0);
  assert.equal(w.length, maxLag);
  assert.ok(Math.abs(w.reduce((a, b) => a + b, 0) - 1) < 1e-12);
  assert.ok(Math.abs(w[1] / w[0] - alpha) < 1e-12);
});
