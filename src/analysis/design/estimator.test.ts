/**
 * The geo estimator's standard error against the spread of its results in the true process: over many
 * simulated worlds (the simulator, 20 geos, 104 weeks before a dark test of an always-on channel of 8
 * weeks, and of 16, the longest the design proposes), the spread of the estimate around the test's true lift (its root mean square) against the
 * design's standard error (its root mean square over the same worlds): the ratio is ≈ 1. The sample
 * RMS of N errors has relative sd √((κ − 1)/(4N)), κ their kurtosis (1/√(2N) for Normal errors;
 * the worlds differ in size, so κ is measured), and the check allows three of those, nothing more.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { simulate } from '../../models/simulate/index.ts';
import { trueChannelEffect, trueOutcome, trueSpendSeries } from '../../models/simulate/trueTest.ts';
import { Rng } from '../../util/rng.ts';
import { geoFeatures, matchedSplit } from './matching.ts';
import { ar1SumVariance, geoLiftEstimate, geoLiftSe, groupTotals, pulseLiftEstimate, pulseLiftSe, RATIO_WEEKS, ratioFit } from './estimator.ts';

const sdOf = (a: number[]) => { const m = a.reduce((x, y) => x + y, 0) / a.length; return Math.sqrt(a.reduce((x, y) => x + (y - m) ** 2, 0) / (a.length - 1)); };

test('AR(1) variance of a sum: r = 0 gives Σw², r → 1 gives (Σw)²', () => {
  assert.equal(ar1SumVariance([1, 2, 3], 0), 14);
  assert.ok(Math.abs(ar1SumVariance([1, 2, 3], 0.999999) - 36) < 1e-3);
});

for (const W of [8, 16]) test(`geo test of ${W} weeks: the design's standard error matches the spread of simulated results around the truth`, (t) => {
  const T0 = 104, G = 20, c = 2, N = 200;
  const T = T0 + W, P = RATIO_WEEKS, M = 52;
  const errors: number[] = [], ses: number[] = [];
  for (let seed = 1; seed <= N; seed++) {
    const sim = simulate({ weeks: T, channels: 5, geos: G, seed });
    const spend0 = trueSpendSeries(sim, c);
    const j = sim.columns.indexOf('revenue');
    const y0 = Float64Array.from(sim.rows, (r) => r[j] as number);
    const split = matchedSplit(geoFeatures(y0, G, T, T0 - M, T0));
    // The plan: business as usual (the mean of the max(W, 13) weeks before) in every geo, the treatment dark.
    const bau = Float64Array.from(spend0), run = Float64Array.from(spend0), B = Math.max(13, W);
    for (let g = 0; g < G; g++) {
      let b = 0;
      for (let t = T0 - B; t < T0; t++) b += spend0[g * T + t] / B;
      for (let t = T0; t < T; t++) { bau[g * T + t] = b; run[g * T + t] = split.treatment.includes(g) ? 0 : b; }
    }
    const y = trueOutcome(sim, c, run);
    const withBau = trueChannelEffect(sim, c, bau), withRun = trueChannelEffect(sim, c, run);
    let truth = 0;
    for (const g of split.treatment) for (let t = T0; t < T; t++) truth += withBau[g * T + t] - withRun[g * T + t];
    const estimate = geoLiftEstimate(y, T, split.treatment, split.control, [T0 - P, T0], [T0, T], -1);
    const se = geoLiftSe(ratioFit(groupTotals(y, T, split.treatment, T0 - P, T0), groupTotals(y, T, split.control, T0 - P, T0)), W);
    errors.push(estimate - truth); ses.push(se);
  }
  const rms = (a: number[]) => Math.sqrt(a.reduce((x, y) => x + y * y, 0) / a.length);
  const spread = rms(errors), kurtosis = errors.reduce((a, e) => a + e ** 4, 0) / N / spread ** 4;
  const ratio = spread / rms(ses), tolerance = 3 * Math.sqrt((kurtosis - 1) / (4 * N));
  t.diagnostic(`spread ÷ se ${ratio.toFixed(3)}, tolerance ${tolerance.toFixed(3)}, kurtosis ${kurtosis.toFixed(2)}`);
  assert.ok(Math.abs(ratio - 1) < tolerance, `spread of (estimate − truth) over ${N} worlds ÷ the design's se: ${ratio.toFixed(3)} (allowed 1 ± ${tolerance.toFixed(3)}, kurtosis ${kurtosis.toFixed(2)})`);
  const mean = errors.reduce((a, b) => a + b, 0) / N;
  assert.ok(Math.abs(mean) < 3 * spread / Math.sqrt(N), `mean error ${mean.toFixed(0)} against spread ${spread.toFixed(0)}: unbiased within Monte Carlo error`);
});

test('time-based test: standard error against the spread of the estimator on i.i.d. noise', () => {
  const changed = [true, true, false, false, false, false, true, true, true, true, false, false];
  const rng = new Rng(4), N = 2000, s = 3;
  const est: number[] = [];
  for (let i = 0; i < N; i++) est.push(pulseLiftEstimate(changed.map((ch) => (ch ? 0 : 10) + s * rng.normal()), changed, -1));
  const mean = est.reduce((a, b) => a + b, 0) / N;
  assert.ok(Math.abs(mean - 60) < 4 * pulseLiftSe(s, 0, changed) / Math.sqrt(N), `mean ${mean}: 6 changed periods × 10`);
  const ratio = sdOf(est) / pulseLiftSe(s, 0, changed);
  assert.ok(Math.abs(ratio - 1) < 3 / Math.sqrt(2 * N), `sd / se = ${ratio.toFixed(3)}`);
});

test('a test of a channel with no effect: its measured lift\'s 95% interval contains zero about 95% of the time', () => {
  // 100 simulated worlds of 8 geos; the test changes nothing, so the estimate is pure estimator error.
  const T0 = 104, W = 8, G = 8, T = T0 + W;
  let outside = 0, n = 0;
  for (let seed = 1; seed <= 100; seed++) {
    const sim = simulate({ weeks: T, channels: 3, geos: G, seed });
    const y = Float64Array.from(sim.rows, (r) => r[sim.columns.indexOf('revenue')] as number);
    const split = matchedSplit(geoFeatures(y, G, T, T0 - 52, T0));
    const P = RATIO_WEEKS;
    const estimate = geoLiftEstimate(y, T, split.treatment, split.control, [T0 - P, T0], [T0, T], -1);
    const se = geoLiftSe(ratioFit(groupTotals(y, T, split.treatment, T0 - P, T0), groupTotals(y, T, split.control, T0 - P, T0)), W);
    if (Math.abs(estimate) > 1.96 * se) outside++;
    n++;
  }
  // Binomial(100, 0.05): mean 5, sd 2.2; three sds either side.
  assert.ok(outside <= 11, `${outside} of ${n} intervals miss zero`);
});
