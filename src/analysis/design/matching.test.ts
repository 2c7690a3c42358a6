/**
 * Matched treatment and control geos are closer on the pre-period than a random split of the same
 * sizes, averaged over random splits: in standardized size and trend, and in how well the control
 * group's outcome tracks the treatment's (the ratio estimator's pre-period error).
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Rng } from '../../util/rng.ts';
import { geoFeatures, groupDistance, matchedSplit, matchPairs, type GeoSplit } from './matching.ts';
import { groupTotals, ratioFit } from './estimator.ts';

// 24 geos over 52 weeks: sizes spread over two orders of magnitude, each with its own trend and a
// shared seasonal shape, plus noise proportional to size.
const G = 24, T = 52, rng = new Rng(7);
const size = Float64Array.from({ length: G }, () => Math.exp(10 + 1.2 * rng.normal()));
const slope = Float64Array.from({ length: G }, () => 0.006 * rng.normal());
const y = new Float64Array(G * T);
for (let g = 0; g < G; g++) for (let t = 0; t < T; t++) y[g * T + t] = size[g] * (1 + slope[g] * t) * (1 + 0.15 * Math.sin((2 * Math.PI * t) / 52)) * (1 + 0.03 * rng.normal());
const f = geoFeatures(y, G, T, 0, T);
const tracking = (s: GeoSplit) => { const fit = ratioFit(groupTotals(y, T, s.treatment, 0, T), groupTotals(y, T, s.control, 0, T)); return fit.residualSd / (fit.rho * fit.controlMean); };

function randomSplit(k: number): GeoSplit {
  const order = Array.from({ length: G }, (_, g) => g);
  for (let i = G - 1; i > 0; i--) { const j = rng.int(i + 1); [order[i], order[j]] = [order[j], order[i]]; }
  const treatment = order.slice(0, k).sort((a, b) => a - b);
  return { treatment, control: order.slice(k).sort((a, b) => a - b) };
}

test('greedy pairs: every geo once, closest pairs first', () => {
  const { pairs, unmatched } = matchPairs(f);
  assert.equal(pairs.length, 12);
  assert.equal(unmatched.length, 0);
  assert.equal(new Set(pairs.flatMap((p) => [p.a, p.b])).size, G);
  for (let i = 1; i < pairs.length; i++) assert.ok(pairs[i].distance >= pairs[i - 1].distance);
});

for (const pairsTreated of [undefined, 6]) {
  test(`matched split (${pairsTreated ?? 'all'} pairs treated) is closer than random splits on the pre-period`, () => {
    const matched = matchedSplit(f, pairsTreated);
    const k = matched.treatment.length;
    assert.equal(k, pairsTreated ?? 12);
    assert.equal(matched.treatment.length + matched.control.length, G);
    let distance = 0, track = 0, closer = 0;
    const N = 400;
    for (let i = 0; i < N; i++) {
      const r = randomSplit(k);
      const d = groupDistance(f, r);
      distance += d / N; track += tracking(r) / N;
      if (groupDistance(f, matched) < d) closer++;
    }
    assert.ok(groupDistance(f, matched) < distance / 2, `standardized distance ${groupDistance(f, matched).toFixed(3)} vs random mean ${distance.toFixed(3)}`);
    assert.ok(tracking(matched) < track, `tracking error ${tracking(matched).toFixed(4)} vs random mean ${track.toFixed(4)}`);
    assert.ok(closer / N > 0.8, `closer than ${((100 * closer) / N).toFixed(0)}% of random splits`);
  });
}
