import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parseModelConfig } from '../config.ts';
import { curvePriorsFrom } from './curvePriorsFrom.ts';
import type { CurveParameterSummary } from './curveSummary.ts';

const summary = (mean: number, sd: number, priorSd: number): CurveParameterSummary => ({ mean, sd, interval: [mean - 1.645 * sd, mean + 1.645 * sd], prior: { mean: 1, sd: priorSd, given: false } });
const fitted = [
  { name: 'tv', curve: { decay: summary(0.55, 0.05, 0.2), halfSaturation: summary(0.9, 0.1, 1), shape: summary(1.6, 0.3, 0.58) } },
  // The data said little about display's decay: the posterior is about as wide as the prior.
  { name: 'display', curve: { decay: summary(0.4, 0.19, 0.2), halfSaturation: summary(1.1, 0.9, 1) } },
];
const config = (extra: object = {}) => parseModelConfig({ data: { file: 'x.csv' }, target: { column: 'y' }, channels: [{ name: 'tv', spend: 'a' }, { name: 'display', spend: 'b' }, { name: 'radio', spend: 'c' }], ...extra });

test('curve priors from a posterior: the mean, the sd × widen, never wider than the old prior, only what the new transforms have', () => {
  const { curves, skipped } = curvePriorsFrom(fitted, config(), 2);
  assert.deepEqual(curves.tv, { decay: { mean: 0.55, sd: 0.1 }, halfSaturation: { mean: 0.9, sd: 0.2 }, shape: { mean: 1.6, sd: 0.58 } });
  // display: decay 0.19 × 2 capped at its prior's 0.2; half-saturation 0.9 × 2 capped at 1.
  assert.deepEqual(curves.display, { decay: { mean: 0.4, sd: 0.2 }, halfSaturation: { mean: 1.1, sd: 1 } });
  assert.equal(curves.radio, undefined);
  assert.deepEqual(skipped, ['radio: not in the model']);
  // widen 1 keeps the posterior sd; a Michaelis–Menten channel takes no shape; a Weibull one no decay.
  const other = curvePriorsFrom(fitted, config({ channels: [{ name: 'tv', spend: 'a', saturation: { type: 'michaelis-menten' }, adstock: { type: 'weibull-cdf' } }] }), 1);
  assert.deepEqual(other.curves.tv, { halfSaturation: { mean: 0.9, sd: 0.1 } });
  assert.deepEqual(other.skipped, ["tv.decay: the new config's adstock (weibull-cdf) has none", "tv.shape: the new config's saturation (michaelis-menten) has none"]);
  // The result is a valid config.
  assert.doesNotThrow(() => config({ priors: { curves: curvePriorsFrom(fitted, config(), 3).curves } }));
  for (const bad of [0.5, 0, Number.NaN, Number.POSITIVE_INFINITY]) assert.throws(() => curvePriorsFrom(fitted, config(), bad), /widen \(--widen\) must be a number >= 1/);
});

test('a decay near 0 or 1 keeps an sd a Beta can have', () => {
  const { curves } = curvePriorsFrom([{ name: 'tv', curve: { decay: { ...summary(0.97, 0.2, 0.9), sd: 0.2 } } }], config(), 2);
  const { mean, sd } = curves.tv.decay!;
  assert.ok(sd * sd < mean * (1 - mean), `${mean} ± ${sd}`);
  assert.doesNotThrow(() => config({ priors: { curves } }));
});
