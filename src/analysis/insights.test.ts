import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parseModelConfig } from '../models/config.ts';
import { buildModelData } from '../models/design.ts';
import { simulate } from '../models/simulate/index.ts';
import { fitBayesian } from '../models/bayesian/fit.ts';
import { bayesianFittedModel } from '../models/bayesian/fitted.ts';
import { computeInsights } from './insights.ts';
import { healthSummary } from './health.ts';
import { parseFitSummary } from './summary.ts';
import { formatValue } from '../units.ts';

const sim = simulate({ weeks: 80, channels: 3, seed: 4 });
const config = parseModelConfig({
  data: { file: 'x.csv' }, target: { column: 'revenue' },
  channels: sim.truth.channels.map((c) => ({ name: c.name, spend: `${c.name}_spend` })),
  controls: [{ column: 'price', sign: 'negative' }], holdout: { periods: 8 },
});
const data = buildModelData(config, { source: 'x.csv', rowCount: sim.rows.length, columns: Object.fromEntries(sim.columns.map((c, j) => [c, sim.rows.map((r) => r[j])])) });
const fit = await fitBayesian(config, data, { fast: true, chains: 1, draws: 200 });
const fitted = bayesianFittedModel(config, data, fit, 200);
const summary = parseFitSummary(fit, 'test');
const x = computeInsights('sim-1', fitted, summary, { parameters: fit.parameters.map((p) => ({ ...p })) as never });
const close = (a: number, b: number, rel: number, what: string) => assert.ok(Math.abs(a - b) <= rel * Math.max(Math.abs(a), Math.abs(b), 1e-12), `${what}: ${a} vs ${b}`);

test('decomposition rows sum to the prediction; channel totals match the fit output', () => {
  assert.equal(x.decomposition.length, 80);
  for (const r of x.decomposition) {
    let s = 0;
    for (const [k, v] of Object.entries(r)) if (!['date', 'inSample', 'actual', 'predicted', 'residual'].includes(k)) s += v as number;
    close(s, r.predicted as number, 1e-9, `period ${r.date}`);
    close(r.residual as number, (r.actual as number) - (r.predicted as number), 1e-12, 'residual');
  }
  for (const c of fit.channels) {
    const row = x.contributions.find((r) => r.kind === 'channel' && r.name === c.name)!;
    close(row.total as number, c.contribution, 1e-9, `${c.name} contribution`);
    const ch = x.channels.find((r) => r.channel === c.name)!;
    close(ch.roi as number, c.roi, 1e-12, `${c.name} roi`);
    close(ch.shareOfSpend as number, c.shareOfSpend, 1e-9, `${c.name} share of spend`);
    // The default ROI prior, LogNormal(0.2, 0.9): median e^0.2, 90% interval e^(0.2 ± 1.645·0.9).
    close(ch.roiPriorMedian as number, Math.exp(0.2), 1e-12, `${c.name} prior median`);
    close(ch.roiPriorLow as number, Math.exp(0.2 - 1.6448536269514722 * 0.9), 1e-12, `${c.name} prior low`);
    close(ch.roiPriorHigh as number, Math.exp(0.2 + 1.6448536269514722 * 0.9), 1e-12, `${c.name} prior high`);
  }
  const shares = x.contributions.reduce((s, r) => s + (r.share as number), 0);
  close(shares, 1, 1e-9, 'shares of the prediction');
});

test('curve parameters: per channel decay, half-saturation and shape, the posterior of the fit beside the default prior', () => {
  assert.equal(x.curveParameters.length, 3 * 3);
  const byName = new Map(fit.parameters.map((p) => [p.name, p]));
  fit.channels.forEach((c, i) => {
    for (const [parameter, name, priorMean] of [['decay', 'alpha', 0.4], ['halfSaturation', 'k', Math.exp(0.245)], ['shape', 's', Math.exp(0.25 + 0.08)]] as const) {
      const row = x.curveParameters.find((r) => r.channel === c.name && r.parameter === parameter)!;
      const p = byName.get(`${name}[${i}]`)!;
      close(row.mean as number, p.mean, 1e-12, `${c.name} ${parameter} mean`);
      assert.ok((row.low as number) === p.q5 && (row.high as number) === p.q95, `${c.name} ${parameter} interval`);
      close(row.priorMean as number, priorMean, 1e-12, `${c.name} ${parameter} prior mean`);
      assert.equal(row.priorGiven, false);
    }
  });
});

test('fit metrics match the fit output in-sample and on the holdout', () => {
  const ins = x.fit.find((r) => r.sample === 'in-sample')!, hold = x.fit.find((r) => r.sample === 'holdout')!;
  // Same draws as the fit output: the same metrics, up to summation order.
  close(ins.r2 as number, fit.fit.r2, 1e-6, "R²"); close(ins.mape as number, fit.fit.mape, 1e-6, "MAPE");
  assert.equal(hold.n, 8); close(hold.mape as number, fit.fit.holdout!.mape, 1e-6, "holdout MAPE");
});

test('response curve: 0 at 0, the contribution at multiplier 1, marginal ROI at 1 near the fit\'s', () => {
  for (const c of fit.channels) {
    const rows = x.responseCurves.filter((r) => r.channel === c.name && r.geo === null);
    assert.equal(rows[0].multiplier, 0); assert.equal(rows[0].expected, 0);
    const one = rows.find((r) => r.multiplier === 1)!;
    close(one.expected, x.contributions.find((r) => r.name === c.name)!.total as number, 1e-9, `${c.name} at 1`);
    assert.ok(one.expectedLow <= one.expected && one.expected <= one.expectedHigh);
    // The current point shows the stored figures, exactly as the channel table does; the curve's own
    // slope there agrees with them within a few per cent.
    const cur = x.curvePoints.find((p) => p.channel === c.name && p.point === 'current')!;
    assert.deepEqual([cur.expected, cur.expectedLow, cur.expectedHigh, cur.mroi], [c.contribution, ...c.contributionInterval!, c.mroi]);
    close(one.expected, cur.expected, 1e-9, 'curve at 1 (the same draws here)');
    close(one.mroi, c.mroi, 0.05, `${c.name} curve slope at current spend`);
    for (let i = 1; i < rows.length; i++) assert.ok(rows[i].expected >= rows[i - 1].expected - 1e-9, 'curve is non-decreasing');
  }
});

test('break-even: the true marginal ROI (finite differences of the model) is 1 there and falls through it', () => {
  let found = 0;
  fit.channels.forEach((c, k) => {
    const be = x.curvePoints.find((p) => p.channel === c.name && p.point === 'break-even');
    if (!be) return;
    found++;
    const m = be.multiplier, h = 0.01 * m, S = c.spend;
    const r = (mm: number) => { const d = fitted.response({ channel: k, multiplier: mm }); return d.reduce((a, b) => a + b, 0) / d.length; };
    const mroiAt = (mm: number) => (r(mm + h) - r(mm - h)) / (2 * h * S);
    close(mroiAt(m), 1, 0.03, `${c.name} true mROI at break-even ×${m.toFixed(3)}`);
    assert.ok(mroiAt(m * 0.8) > 1 && mroiAt(m * 1.25) < 1, `${c.name}: mROI crosses 1 downward`);
    if (be.spendLow !== null && be.spendHigh !== null) assert.ok(be.spendLow <= be.spend && be.spend <= be.spendHigh);
    assert.equal(x.channels[k].breakEvenSpend, be.spend);
  });
  assert.ok(found >= 1, 'at least one channel has a break-even point in range');
});

test('adstock weights, parameter table and health summary', () => {
  for (const c of fit.channels) {
    const w = x.adstock.filter((r) => r.channel === c.name);
    close(w[w.length - 1].cumulative as number, 1, 1e-9, 'adstock weights sum to 1');
  }
  assert.ok(x.parameters.length > 0 && 'rhat' in x.parameters[0]);
  assert.ok(x.health.some((h) => h.topic === 'method' && h.level === 'caution'), 'fast fit flagged');
  // The fit's APPROXIMATE warning is the method row, not a second row.
  assert.ok(!x.health.some((h) => h.topic === 'warning' && /APPROXIMATE/.test(h.text)), JSON.stringify(x.health));
  assert.ok(x.health.some((h) => h.topic === 'holdout'));
});

test('health: always-on warnings become one row that names the channels; other warnings keep their own rows', () => {
  const warnings = [
    'ALWAYS ON: search never goes dark (its lowest 5% of periods still carry 59% of a typical one). The data see the slope …',
    'ALWAYS ON: social never goes dark (its lowest 5% of periods still carry 60% of a typical one). The data see the slope …',
    'DIVERGENCES: 2 divergent transitions …',
  ];
  const rows = healthSummary(fitted, { ...summary, warnings }, x.fit);
  const always = rows.filter((r) => r.topic === 'always on');
  assert.equal(always.length, 1);
  assert.equal(always[0].level, 'caution');
  assert.match(always[0].text, /^search, social never go dark, so their ROIs rest on the shape of the fitted response curve/);
  assert.deepEqual(rows.filter((r) => r.topic === 'warning').map((r) => r.text), ['DIVERGENCES: 2 divergent transitions …']);
  // Each named channel's own numbers, from the fit: marginal ROI and ROI with their intervals.
  for (const name of ['search', 'social']) {
    const c = summary.channels.find((ch) => ch.name === name)!;
    assert.ok(always[0].text.includes(`${name}: marginal ROI ${formatValue(c.mroi, 'revenue-per-spend')}`), always[0].text);
    assert.ok(always[0].text.includes(`ROI ${formatValue(c.roi, 'revenue-per-spend')} (90% ${formatValue(c.roiInterval![0], 'revenue-per-spend')}–`), always[0].text);
  }
  const one = healthSummary(fitted, { ...summary, warnings: warnings.slice(0, 1) }, x.fit).find((r) => r.topic === 'always on')!;
  assert.match(one.text, /^search never goes dark, so its ROI rests/);
  assert.ok(!one.text.includes('social'), one.text);
});

test('health: the posterior predictive check is ok near 90% coverage, a caution when the model is overconfident or misses the holdout', () => {
  const row = (cover: { inSample: number; holdout?: number }) => healthSummary(fitted, { ...summary, fit: { ...summary.fit, predictiveCoverage: cover } }, x.fit).find((r) => r.topic === 'predictive check')!;
  // The fit of this file (simulated, the model's own family): about right.
  const own = x.health.find((r) => r.topic === 'predictive check')!;
  assert.equal(own.level, 'ok', own.text);
  assert.ok(summary.fit.predictiveCoverage!.inSample > 0.8, own.text);
  const holdoutN = x.fit.find((r) => r.sample === 'holdout')!.n as number;
  assert.equal(holdoutN, 8);
  const good = row({ inSample: 0.9, holdout: 7 / 8 });
  assert.equal(good.level, 'ok');
  assert.match(good.text, /^90\.0% of the fitted observations and 7 of 8 held-out observations fall inside/);
  const over = row({ inSample: 0.7, holdout: 1 });
  assert.equal(over.level, 'caution');
  assert.match(over.text, /overconfident/);
  const missed = row({ inSample: 0.92, holdout: 2 / 8 });
  assert.equal(missed.level, 'caution');
  assert.match(missed.text, /2 of 8 held-out.*worse than it claims/);
  // Families without a predictive distribution get no row.
  assert.ok(!healthSummary(fitted, { ...summary, fit: { ...summary.fit, predictiveCoverage: undefined } }, x.fit).some((r) => r.topic === 'predictive check'));
});

test('lift tests: the model against each experiment, within a few standard errors when the test is the truth, flagged when it is not', () => {
  // Weeks 20–29 of tv and search, at the simulator's true incremental revenue ± 10%, and one at 3×.
  const dates = x.decomposition.map((r) => String(r.date));
  const window = { start: dates[20], end: dates[29] };
  const truthOf = (c: number) => { let v = 0; for (let t = 20; t <= 29; t++) v += sim.contributionSeries[c][t]; return v; };
  const tests = [
    { channel: 'tv', ...window, lift: truthOf(0), liftSe: 0.1 * truthOf(0) },
    { channel: 'search', ...window, lift: 3 * truthOf(1), liftSe: 0.1 * truthOf(1) },
  ];
  const withTests = computeInsights('sim-1', fitted, summary, { experiments: tests });
  assert.equal(withTests.liftTests.length, 2);
  const [tv, search] = withTests.liftTests;
  // The model's figure is the channel's contribution summed over the window's periods.
  const direct = x.decomposition.filter((r) => String(r.date) >= window.start && String(r.date) <= window.end).reduce((a, r) => a + (r['channel:tv'] as number), 0);
  close(tv.model, direct, 1e-9, 'tv window sum');
  assert.ok(Math.abs(tv.z) < 3, `tv z ${tv.z}`);
  assert.ok(search.z < -5, `search z ${search.z}`);
  const row = withTests.health.find((h) => h.topic === 'lift tests')!;
  assert.equal(row.level, 'caution');
  assert.match(row.text, /disagrees with 1 of 2 lift tests: search /);
  const agree = computeInsights('sim-1', fitted, summary, { experiments: tests.slice(0, 1) }).health.find((h) => h.topic === 'lift tests')!;
  assert.equal(agree.level, Math.abs(tv.z) <= 2 ? 'ok' : 'caution');
  assert.ok(!x.health.some((h) => h.topic === 'lift tests'), 'no row without tests');
  assert.deepEqual(x.liftTests, []);
});
