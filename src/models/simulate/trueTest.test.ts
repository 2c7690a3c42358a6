import { test } from 'node:test';
import assert from 'node:assert/strict';
import { simulate } from './simulate.ts';
import { trueChannelEffect, trueOutcome, trueSpendSeries } from './trueTest.ts';

test('the true process: the simulation\'s own spend gives its contributions and revenue back', () => {
  const sim = simulate({ weeks: 30, channels: 3, geos: 3, seed: 2 });
  const j = sim.columns.indexOf('revenue');
  for (let c = 0; c < 3; c++) {
    const effect = trueChannelEffect(sim, c, trueSpendSeries(sim, c));
    effect.forEach((v, i) => assert.ok(Math.abs(v - sim.contributionSeries[c][i]) < 1e-6 * Math.max(1, v) + 1e-2, `channel ${c} cell ${i}: ${v} vs ${sim.contributionSeries[c][i]}`));
  }
  const y = trueOutcome(sim, 1, trueSpendSeries(sim, 1));
  y.forEach((v, i) => assert.ok(Math.abs(v - (sim.rows[i][j] as number)) < 0.5, `cell ${i}: ${v} vs ${sim.rows[i][j]}`));
  // Dark in geo 0: its revenue falls by the channel's contribution there, the others keep theirs.
  const dark = trueSpendSeries(sim, 1).map((v, i) => (i < 30 ? 0 : v));
  const yd = trueOutcome(sim, 1, dark);
  assert.ok(yd[10] < y[10]);
  assert.ok(Math.abs(yd[40] - y[40]) < 1e-6);
});
