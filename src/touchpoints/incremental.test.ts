import { test } from 'node:test';
import assert from 'node:assert/strict';
import { journeysFrom } from './build.ts';
import { discretize, fitIncremental, scoreHazard } from './incremental.ts';
import { ruleScores } from './rules.ts';
import { byChannel } from './types.ts';
import { DEFAULT_SIMULATION, simulateJourneys } from './simulate.ts';

const { channels, truth } = DEFAULT_SIMULATION;
const simulate = simulateJourneys;

test('hazard model recovers incremental conversions per channel (±15%) and gives the null channel almost nothing', () => {
  const j = journeysFrom(simulate(11, 8000), channels);
  const fit = fitIncremental(j, { censorAfterDays: 0 });
  const st = discretize(j, { censorAfterDays: 0 });
  const trueScores = scoreHazard(j, truth, st);
  const est = byChannel(j, fit.incremental), tru = byChannel(j, trueScores.incremental);
  const last = byChannel(j, ruleScores(j, 'last')), linear = byChannel(j, ruleScores(j, 'linear'));
  const convs = [...j.conversions].reduce((a, b) => a + b, 0);
  for (const c of [0, 1]) {
    assert.ok(Math.abs(est[c].conversions / tru[c].conversions - 1) < 0.15, `${channels[c]}: ${est[c].conversions.toFixed(1)} vs true ${tru[c].conversions.toFixed(1)}`);
  }
  // the null channel: almost nothing from the model, generous credit from last touch and linear
  assert.ok(est[2].conversions < 0.05 * convs, `social incremental ${est[2].conversions.toFixed(1)} of ${convs}`);
  assert.ok(last[2].conversions > 0.3 * convs && linear[2].conversions > 0.3 * convs, `last ${last[2].conversions}, linear ${linear[2].conversions}`);
  // influenced scores share out every conversion
  const inf = byChannel(j, fit.influenced).reduce((a, c) => a + c.conversions, 0);
  assert.ok(Math.abs(inf - convs) < 1e-6);
  assert.ok(Math.abs(fit.params.beta[1] - 1.0) < 0.2 && Math.abs(fit.params.beta[0] - 0.8) < 0.15, `beta ${[...fit.params.beta]}`);
});
