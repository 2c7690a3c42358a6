import { test } from 'node:test';
import assert from 'node:assert/strict';
import { journeysFrom, type JourneyInput } from './build.ts';
import { discretize, fitIncremental, scoreHazard, type HazardParams } from './incremental.ts';
import { ruleScores } from './rules.ts';
import { byChannel } from './types.ts';
import { Rng } from '../inference/index.ts';

const DAY = 86400;
const channels = ['display', 'email', 'social'];
/** Touch probability per day; social is frequent and causes nothing. */
const rate = [0.15, 0.1, 0.3];
const truth: HazardParams = { alpha: Math.log(0.004 / 0.996), beta: Float64Array.from([0.8, 1.0, 0]), lambda: Float64Array.from([0.7, 0.3, 0.5]) };

/** Customers over 30 days: daily touches, then conversion with the true hazard; risk starts at the first touch. */
function simulate(seed: number, n: number): JourneyInput[] {
  const rng = new Rng(seed);
  const out: JourneyInput[] = [];
  for (let u = 0; u < n; u++) {
    const touches: string[] = [], times: number[] = [];
    const a = [0, 0, 0];
    let converted = false, end = 30 * DAY;
    for (let t = 0; t < 30 && !converted; t++) {
      let logit = truth.alpha;
      for (let c = 0; c < 3; c++) {
        a[c] *= truth.lambda[c];
        if (rng.uniform() < rate[c]) { a[c] += 1; touches.push(channels[c]); times.push(t * DAY + 3600 * c); }
        logit += truth.beta[c] * a[c];
      }
      if (touches.length && rng.uniform() < 1 / (1 + Math.exp(-logit))) { converted = true; end = t * DAY + 20 * 3600; }
    }
    if (!converted) end = 29 * DAY + 23 * 3600;
    out.push({ touches, times, conversions: converted ? 1 : 0, value: converted ? 10 : 0, end });
  }
  return out;
}

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
