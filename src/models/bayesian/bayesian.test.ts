/**
 * Recovery of known truth by the Bayesian MMM. CI runs the Laplace path (seconds) and one short NUTS
 * run; the full 4 × 1000 + 1000 runs and the geo model at Meridian's size are in the bench.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { Ajv2020 } from 'ajv/dist/2020.js';
import { parseModelConfig, type ModelConfigInput } from '../config.ts';
import { buildModelData } from '../design.ts';
import { simulate, simulationTable, type Simulation } from '../simulate/index.ts';
import { readWideTable } from '../../data/index.ts';
import { fitBayesian, samplerWarnings } from './fit.ts';
import { predictiveCheck } from '../../analysis/health.ts';

const repo = fileURLToPath(new URL('../../../', import.meta.url));

const tableOf = simulationTable;

function configFor(sim: Simulation, extra: Partial<ModelConfigInput> = {}) {
  return parseModelConfig({
    data: { file: 'sim.csv', ...(sim.truth.geos ? { geo: 'geo' } : {}) },
    target: { column: 'revenue' },
    channels: sim.truth.channels.map((c) => ({ name: c.name, spend: `${c.name}_spend` })),
    controls: [{ column: 'price', sign: 'negative' }],
    ...extra,
  });
}

test('national 156 weeks × 5 channels: the true ROI is inside the 90% interval for at least 4 of 5 channels', async () => {
  const sim = simulate({ weeks: 156, channels: 5, seed: 1 });
  const config = configFor(sim, { holdout: { periods: 8 } });
  const fit = await fitBayesian(config, buildModelData(config, tableOf(sim)), { fast: true, draws: 2000, chains: 1 });
  const inside = fit.channels.filter((c, i) => sim.truth.channels[i].roi >= c.roiInterval[0] && sim.truth.channels[i].roi <= c.roiInterval[1]);
  assert.ok(inside.length >= 4, `inside: ${inside.map((c) => c.name).join(', ')}`);
  // The best-measured channel (tv: most spend, flighted) is recovered closely.
  assert.ok(Math.abs(fit.channels[0].roi / sim.truth.channels[0].roi - 1) < 0.1, `tv roi ${fit.channels[0].roi} vs ${sim.truth.channels[0].roi}`);
  // Revenue contribution = ROI × spend is an identity of the parameterization.
  for (const c of fit.channels) assert.ok(c.spend > 0 && c.contribution > 0);
  // The median sits inside the interval, and below the mean for the right-skewed ROI posteriors of the
  // weakly measured channels (display: the least spend, always on).
  for (const c of fit.channels) assert.ok(c.roiMedian! > c.roiInterval[0] && c.roiMedian! < c.roiInterval[1], `${c.name} median ${c.roiMedian}`);
  assert.ok(fit.channels[3].roiMedian! < fit.channels[3].roi, `display median ${fit.channels[3].roiMedian} vs mean ${fit.channels[3].roi}`);
  assert.ok(fit.fit.r2 > 0.9, `r2 ${fit.fit.r2}`);
  assert.ok(fit.fit.holdout && fit.fit.holdout.mape < 0.05, `holdout mape ${fit.fit.holdout?.mape}`);
  assert.ok(fit.approximate && fit.warnings.some((w) => w.startsWith('APPROXIMATE')));
  // The data come from the model's own family, so ~90% of the actual outcomes fall inside the 90%
  // posterior predictive interval (148 periods: binomial sd 2.5 points).
  const cover = fit.fit.predictiveCoverage!;
  assert.ok(cover.inSample > 0.82 && cover.inSample < 0.98, `in-sample coverage ${cover.inSample}`);
  for (let i = 0; i < fit.series.actual.length; i++) assert.ok(fit.series.predictiveLow![i] < fit.series.predictedLow[i] && fit.series.predictiveHigh![i] > fit.series.predictedHigh[i], `period ${i}: the predictive interval holds the expected outcome's`);
});

test('posterior predictive check: a jump the model does not know, in the held-out weeks, falls outside the predictive interval', async () => {
  const sim = simulate({ weeks: 104, channels: 2, seed: 3 });
  const config = configFor(sim, { holdout: { periods: 8 } });
  const table = tableOf(sim);
  const plain = await fitBayesian(config, buildModelData(config, table), { fast: true, draws: 1000 });
  const revenue = (table.columns.revenue as number[]).map((v, t) => (t >= 96 ? v * 1.3 : v));
  const jumped = await fitBayesian(config, buildModelData(config, { ...table, columns: { ...table.columns, revenue } }), { fast: true, draws: 1000 });
  assert.ok(plain.fit.predictiveCoverage!.holdout! >= 0.75, `holdout coverage ${plain.fit.predictiveCoverage!.holdout}`);
  assert.ok(jumped.fit.predictiveCoverage!.holdout! <= 0.25, `holdout coverage after the jump ${jumped.fit.predictiveCoverage!.holdout}`);
});

test('geo model (10 geos × 104 weeks × 3 channels): pooled ROI covers the truth', async () => {
  const sim = simulate({ weeks: 104, channels: 3, geos: 10, seed: 3 });
  const config = configFor(sim, { data: { file: 'sim.csv', geo: 'geo', population: 'population' } });
  const fit = await fitBayesian(config, buildModelData(config, tableOf(sim)), { fast: true, draws: 1000, chains: 1 });
  const inside = fit.channels.filter((c, i) => sim.truth.channels[i].roi >= c.roiInterval[0] && sim.truth.channels[i].roi <= c.roiInterval[1]);
  assert.ok(inside.length >= 2, `inside: ${inside.map((c) => c.name).join(', ')}`);
  const err = fit.channels.reduce((s, c, i) => s + Math.abs(c.roi / sim.truth.channels[i].roi - 1), 0) / fit.channels.length;
  assert.ok(err < 0.25, `mean relative ROI error ${err}`);
  // The pooling sds are held at their empirical-Bayes values (true sd 0.15), and the fit says so.
  const sds = fit.parameters.filter((p) => p.name.startsWith('geo_sd['));
  assert.equal(sds.length, 3);
  for (const p of sds) assert.ok(p.mean > 0.03 && p.mean < 0.4 && p.sd < 1e-9, `${p.name} ${p.mean} ± ${p.sd}`);
  assert.ok(fit.warnings.some((w) => w.startsWith('APPROXIMATE') && w.includes('empirical-Bayes')));
});

test('geo model NUTS (8 geos × 78 weeks × 3 channels, 2 × 300 + 300): no funnel, so short trajectories, no divergences, the truth covered', async () => {
  // The learned pooling sds of geo levels and controls (truth ≈ 0) once made a funnel: ~380 leapfrog
  // steps per iteration on 10 geos × 104 weeks; without them ~35. Steps per iteration are a property of
  // the posterior's geometry, not of the machine: a regression to the funnel fails this bound.
  const sim = simulate({ weeks: 78, channels: 3, geos: 8, seed: 4 });
  const config = configFor(sim, { data: { file: 'sim.csv', geo: 'geo', population: 'population' } });
  // 300 + 300: with 200 + 200 a hierarchical sd's R-hat passed 1.05 on about 1 seed in 10 at either
  // target acceptance (seed 2: 1.077 at 0.85, 1.028 at 0.95; seed 7: 1.086 at 0.9); with 300 + 300 it
  // stayed ≤ 1.022 on seeds 1–10 at 0.85, the default.
  const fit = await fitBayesian(config, buildModelData(config, tableOf(sim)), { chains: 2, warmup: 300, draws: 300, seed: 2 });
  const d = fit.diagnostics;
  assert.equal(d.divergences, 0);
  assert.ok(d.leapfrogPerIteration! < 100, `leapfrog steps per iteration ${d.leapfrogPerIteration}`);
  assert.ok(d.rhatMax < 1.05, `R-hat ${d.rhatMax}`);
  const inside = fit.channels.filter((c, i) => sim.truth.channels[i].roi >= c.roiInterval[0] && sim.truth.channels[i].roi <= c.roiInterval[1]);
  assert.ok(inside.length >= 2, `inside: ${inside.map((c) => c.name).join(', ')}`);
  // Where the time went: three phases, each positive, adding up to the fit's seconds.
  const { startSeconds, drawSeconds, summarySeconds } = d.phases!;
  for (const x of [startSeconds, drawSeconds, summarySeconds]) assert.ok(x > 0, `phases ${JSON.stringify(d.phases)}`);
  assert.ok(Math.abs(startSeconds + drawSeconds + summarySeconds - d.seconds) < 0.01, `phases ${JSON.stringify(d.phases)} vs ${d.seconds} s`);
});

test("PyMC-Marketing's example: x1 and x2 total contributions within 10% of the truth, truth inside the 90% interval", async () => {
  const raw = JSON.parse(readFileSync(`${repo}examples/pymc/model.json`, 'utf8'));
  raw.data.file = `${repo}data/reference/pymc_marketing/mmm_example.csv`;
  const config = parseModelConfig(raw);
  const t = await readWideTable(config.data.file!);
  const data = buildModelData(config, { source: 'mmm_example.csv', rowCount: t.rowCount, columns: t.columns });
  const fit = await fitBayesian(config, data, { fast: true, draws: 2000, chains: 1 });
  const truth = { x1: 274848.30, x2: 65905.98 };
  for (const c of fit.channels) {
    const want = truth[c.name as 'x1' | 'x2'];
    assert.ok(Math.abs(c.contribution / want - 1) < 0.1, `${c.name}: ${c.contribution} vs ${want}`);
    assert.ok(c.contributionInterval[0] <= want && want <= c.contributionInterval[1], `${c.name}: ${c.contributionInterval} vs ${want}`);
  }
});

test('a lift test moves a confounded channel toward the truth', async () => {
  const sim = simulate({ weeks: 156, channels: 3, seed: 5 });
  // Confounder: demand that rises exactly when tv is on the air, which the model cannot see.
  const rev = sim.columns.indexOf('revenue'), tv = sim.columns.indexOf('tv_spend');
  const meanRevenue = sim.rows.reduce((s, r) => s + (r[rev] as number), 0) / sim.rows.length;
  for (const r of sim.rows) if ((r[tv] as number) > 0) r[rev] = (r[rev] as number) + 0.08 * meanRevenue;
  const truth = sim.truth.channels[0].roi;
  const base = configFor(sim);
  const data = buildModelData(base, tableOf(sim));
  const biased = await fitBayesian(base, data, { fast: true, draws: 1000, chains: 1 });
  // The true incremental revenue of tv over weeks 40–51, measured with a 10% standard error.
  const lift = sim.contributionSeries[0].slice(40, 52).reduce((a, b) => a + b, 0);
  const calibrated = parseModelConfig({ ...base, data: { file: 'sim.csv' }, experiments: [{ channel: 'tv', start: data.dates[40], end: data.dates[51], lift, liftSe: 0.1 * lift }] });
  const fixed = await fitBayesian(calibrated, data, { fast: true, draws: 1000, chains: 1 });
  const before = Math.abs(biased.channels[0].roi - truth), after = Math.abs(fixed.channels[0].roi - truth);
  assert.ok(biased.channels[0].roi > truth * 1.2, `the confounder should bias tv upward: ${biased.channels[0].roi} vs ${truth}`);
  assert.ok(after < 0.75 * before, `lift test: |error| ${before.toFixed(3)} → ${after.toFixed(3)}`);
});

test('curve priors: with the true curves known (±10%), an always-on channel whose ROI rested on the curve shape is recovered; the fit reports each curve beside its prior', async () => {
  // Seed 3: search (always on) comes out −36% with the default curve prior — its MAP Hill k and s land
  // far from the truth along a flat likelihood (docs/mmm.md). Knowing the curves is what fixes it.
  const sim = simulate({ weeks: 156, channels: 5, seed: 3 });
  const table = tableOf(sim);
  const typical = (name: string) => { const v = (table.columns[`${name}_spend`] as number[]).filter((x) => x > 0); return v.reduce((a, b) => a + b, 0) / v.length; };
  const curves = Object.fromEntries(sim.truth.channels.map((c) => {
    const k = c.saturation.k / typical(c.name); // the config's half-saturation unit: typical weekly activity
    return [c.name, { decay: { mean: c.adstock.alpha, sd: 0.1 * Math.min(c.adstock.alpha, 1 - c.adstock.alpha) }, halfSaturation: { mean: k, sd: 0.1 * k }, shape: { mean: c.saturation.s, sd: 0.1 * c.saturation.s } }];
  }));
  const plainConfig = configFor(sim);
  const data = buildModelData(plainConfig, table);
  const plain = await fitBayesian(plainConfig, data, { fast: true, draws: 1000, chains: 1 });
  const informed = await fitBayesian(configFor(sim, { priors: { curves } }), data, { fast: true, draws: 1000, chains: 1 });
  const searchError = (fit: typeof plain) => fit.channels[1].roi / sim.truth.channels[1].roi - 1;
  assert.ok(searchError(plain) < -0.25, `search with the default curve prior: ${searchError(plain)}`);
  assert.ok(Math.abs(searchError(informed)) < 0.1, `search with the true curves: ${searchError(informed)}`);
  // Each channel reports decay, half-saturation and shape, the posterior near the tight prior, marked as given.
  informed.channels.forEach((c, i) => {
    const truth = sim.truth.channels[i], curve = c.curve!;
    assert.ok(curve.decay!.prior.given && curve.halfSaturation!.prior.given && curve.shape!.prior.given, c.name);
    assert.ok(Math.abs(curve.decay!.prior.mean - truth.adstock.alpha) < 1e-9 && Math.abs(curve.shape!.prior.mean - truth.saturation.s) < 1e-9, `${c.name}: the prior's moments are the ones given`);
    assert.ok(Math.abs(curve.shape!.mean / truth.saturation.s - 1) < 0.25, `${c.name} shape ${curve.shape!.mean} vs ${truth.saturation.s}`);
    assert.ok(curve.decay!.interval[0] < curve.decay!.mean && curve.decay!.mean < curve.decay!.interval[1]);
  });
  // Without priors.curves the defaults are reported, not marked as given: decay Beta(2, 3), shape LogNormal(0.25, 0.4).
  const d = plain.channels[0].curve!;
  assert.ok(!d.decay!.prior.given && Math.abs(d.decay!.prior.mean - 0.4) < 1e-12 && Math.abs(d.decay!.prior.sd - 0.2) < 1e-12);
  assert.ok(Math.abs(d.shape!.prior.mean - Math.exp(0.25 + 0.08)) < 1e-12);
});

test('NUTS end to end: converges on a small model, output validates against the fit-output contract', async () => {
  const sim = simulate({ weeks: 104, channels: 2, seed: 2 });
  const config = configFor(sim, { holdout: { periods: 4 } });
  const fit = await fitBayesian(config, buildModelData(config, tableOf(sim)), { chains: 2, warmup: 300, draws: 300, seed: 1 });
  assert.equal(fit.method, 'nuts');
  assert.ok(fit.diagnostics.rhatMax < 1.05, `rhat ${fit.diagnostics.rhatMax}`);
  assert.ok(fit.diagnostics.essBulkMin > 50, `ess ${fit.diagnostics.essBulkMin}`);
  const inside = fit.channels.filter((c, i) => sim.truth.channels[i].roi >= c.roiInterval[0] && sim.truth.channels[i].roi <= c.roiInterval[1]);
  assert.ok(inside.length >= 1);
  const schema = JSON.parse(readFileSync(`${repo}contracts/fit-output.schema.json`, 'utf8'));
  const validate = new Ajv2020({ strict: false }).compile(schema);
  const output = { modelId: 'test-1', family: fit.family, fit: fit.fit, diagnostics: fit.diagnostics, channels: fit.channels, warnings: fit.warnings };
  assert.ok(validate(output), JSON.stringify(validate.errors));
  // No divergences, energy or tree-depth warnings (R-hat of a 2 × 300 run may pass 1.01; see above).
  assert.deepEqual(fit.warnings.filter((w) => /^(DIVERGENCES|LOW E-BFMI|TREE DEPTH)/.test(w)), []);
  assert.ok(fit.diagnostics.ebfmiMin! > 0.3 && fit.diagnostics.maxTreeDepthShare === 0, JSON.stringify(fit.diagnostics));
});

test("each channel's result carries the ROI prior it was fitted with: the user's (mean, sd) as a LogNormal, else the default", async () => {
  const sim = simulate({ weeks: 104, channels: 2, seed: 2 });
  const config = configFor(sim, { priors: { roi: { tv: { mean: 1.5, sd: 0.3 } } } });
  const fit = await fitBayesian(config, buildModelData(config, tableOf(sim)), { fast: true, draws: 200 });
  const sigma = Math.sqrt(Math.log(1 + (0.3 / 1.5) ** 2)), mu = Math.log(1.5) - sigma ** 2 / 2, z = 1.6448536269514722;
  const tv = fit.channels[0].roiPrior!, other = fit.channels[1].roiPrior!;
  assert.ok(Math.abs(tv.median - Math.exp(mu)) < 1e-12 && Math.abs(tv.interval[0] - Math.exp(mu - z * sigma)) < 1e-12 && Math.abs(tv.interval[1] - Math.exp(mu + z * sigma)) < 1e-12, JSON.stringify(tv));
  assert.ok(Math.abs(other.median - Math.exp(0.2)) < 1e-12 && Math.abs(other.interval[1] - Math.exp(0.2 + z * 0.9)) < 1e-12, JSON.stringify(other));
});

test('an mROI prior: the channel samples its marginal ROI, which lands on the prior, and its ROI follows along the fitted curve', async () => {
  const sim = simulate({ weeks: 156, channels: 5, seed: 1 });
  const display = sim.truth.channels[3];
  const config = configFor(sim, { priors: { mroi: { display: { mean: display.mroi, sd: 0.1 * display.mroi } } } });
  const plain = configFor(sim);
  const data = buildModelData(config, tableOf(sim));
  const [withPrior, without] = await Promise.all([fitBayesian(config, data, { fast: true, draws: 1000 }), fitBayesian(plain, buildModelData(plain, tableOf(sim)), { fast: true, draws: 1000 })]);
  const d = withPrior.channels[3], d0 = without.channels[3];
  // Without it, display (always on, the least spend) is weakly measured: mROI and ROI well off.
  assert.ok(Math.abs(d0.mroi / display.mroi - 1) > 0.3, `display mROI without the prior ${d0.mroi} vs ${display.mroi}`);
  assert.ok(Math.abs(d.mroi / display.mroi - 1) < 0.05, `display mROI ${d.mroi} vs ${display.mroi}`);
  assert.ok(Math.abs(d.roi / display.roi - 1) < 0.15 && Math.abs(d.roi / display.roi - 1) < Math.abs(d0.roi / display.roi - 1), `display ROI ${d.roi} (without ${d0.roi}) vs ${display.roi}`);
  // The result names the prior it used: on mROI for display, on ROI for the others.
  assert.ok(d.mroiPrior && !d.roiPrior && Math.abs(d.mroiPrior.median / display.mroi - 1) < 0.01, JSON.stringify(d.mroiPrior));
  assert.ok(withPrior.channels[0].roiPrior && !withPrior.channels[0].mroiPrior);
  // The well-measured channel does not move.
  assert.ok(Math.abs(withPrior.channels[0].roi / without.channels[0].roi - 1) < 0.02, `tv ${withPrior.channels[0].roi} vs ${without.channels[0].roi}`);
});

test('posterior predictive check per geo: a geo with noise the others do not have is named', async () => {
  const sim = simulate({ weeks: 78, channels: 2, geos: 8, seed: 4 });
  const table = tableOf(sim);
  // G03's revenue gets extra noise of 12% of its level; the model has one noise scale for every geo.
  const geo = table.columns.geo as string[], revenue = table.columns.revenue as number[];
  const mean = revenue.filter((_, i) => geo[i] === 'G03').reduce((a, b) => a + b, 0) / 78;
  let state = 7;
  const noise = () => { state = (state * 48271) % 2147483647; return state / 2147483647 - 0.5; };
  const noisy = revenue.map((v, i) => (geo[i] === 'G03' ? v + 0.42 * mean * noise() : v));
  const config = configFor(sim);
  const fit = await fitBayesian(config, buildModelData(config, { ...table, columns: { ...table.columns, revenue: noisy } }), { fast: true, draws: 1000 });
  const byGeo = fit.fit.predictiveCoverage!.byGeo!;
  assert.equal(Object.keys(byGeo).length, 8);
  assert.ok(byGeo.G03 < 0.8, `G03 ${byGeo.G03}`);
  for (const [g, v] of Object.entries(byGeo)) if (g !== 'G03') assert.ok(v >= 0.8, `${g} ${v}`);
  const check = predictiveCheck(fit.fit.predictiveCoverage!, 0);
  assert.equal(check.level, 'caution');
  assert.match(check.text, /In one geo the model misses more often than it should: G03 \(/);
});

test('trajectories cut at a tree depth of 2 are reported (TREE DEPTH), with the depth to raise', async () => {
  const sim = simulate({ weeks: 104, channels: 2, seed: 2 });
  const config = configFor(sim, { inference: { maxTreeDepth: 2 } });
  const fit = await fitBayesian(config, buildModelData(config, tableOf(sim)), { chains: 1, warmup: 100, draws: 100, seed: 1 });
  assert.ok(fit.diagnostics.maxTreeDepthShare! > 0.5, `share at max depth ${fit.diagnostics.maxTreeDepthShare}`);
  const w = fit.warnings.find((x) => x.startsWith('TREE DEPTH'));
  assert.ok(w && /maximum tree depth \(2\)/.test(w) && w.includes('inference.maxTreeDepth'), String(w));
});

test("sampler warnings follow Stan's thresholds; a Laplace fit gets only APPROXIMATE", () => {
  const ok = { rhatMax: 1.004, essBulkMin: 900, essTailMin: 800, divergences: 0, seconds: 1, ebfmiMin: 0.8, maxTreeDepthShare: 0 };
  assert.deepEqual(samplerWarnings('nuts', ok, 10), []);
  const tags = (d: Partial<typeof ok>) => samplerWarnings('nuts', { ...ok, ...d }, 10).map((w) => w.split(':')[0]);
  assert.deepEqual(tags({ rhatMax: 1.02 }), ['NOT CONVERGED']);
  assert.deepEqual(tags({ essBulkMin: 399 }), ['TOO FEW EFFECTIVE DRAWS']);
  assert.deepEqual(tags({ divergences: 1 }), ['DIVERGENCES']);
  assert.deepEqual(tags({ ebfmiMin: 0.29 }), ['LOW E-BFMI']);
  assert.deepEqual(tags({ ebfmiMin: 0.31 }), []);
  assert.deepEqual(tags({ maxTreeDepthShare: 0.02 }), ['TREE DEPTH']);
  assert.deepEqual(tags({ maxTreeDepthShare: 0.01 }), []);
  // Laplace draws are independent: their R-hat says nothing, so a bad one is not reported.
  assert.deepEqual(samplerWarnings('laplace', { ...ok, rhatMax: 1.5, essBulkMin: 10 }, 10).map((w) => w.split(':')[0]), ['APPROXIMATE']);
  assert.match(samplerWarnings('laplace', ok, 10, 40)[0], /empirical-Bayes/);
});
