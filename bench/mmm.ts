/**
 * `npm run bench -- mmm`: the Bayesian MMM's speed and recovery (issue 4).
 *
 * 0. The oracle bound on recovery (national seeds 1–20, geo seeds 1–3): least squares knowing the
 *    true transforms and a baseline family containing the true one, whose expected ROI error is what
 *    the data allow, and the Bayes oracle (the same with the default ROI prior), what that prior
 *    adds (src/models/simulate/oracle.ts).
 * 1. National 156 weeks × 5 channels (simulator seed 1), 4 chains × 1000 warm-up × 1000 draws, side
 *    by side with the same model in Stan (bench/stan/mmm.stan, via compareWithStan): wall time (ours
 *    includes the MAP and the Laplace start), min bulk-ESS, ESS/s, leapfrog steps per iteration,
 *    divergences, and a check that both programs sample the same posterior (per-parameter medians).
 * 2. Recovery over seeds: full NUTS fits (fitBayesian, as `marginal fit` runs them) on national seeds
 *    1–12 and the Laplace path on seeds 1–5: mean |relative ROI error| and truth inside the 90% interval,
 *    each NUTS seed beside the Bayes oracle's error on the same data (what knowing the curves is worth).
 * 3. Geo 40 geos × 156 weeks × 5 channels (Meridian's demo size): full NUTS fits on seeds 1–6, wall
 *    time, diagnostics and recovery; Laplace fits on the same seeds. Stan is not run on it (hours at this size on this machine).
 *
 * 4. An mROI prior (`priors.mroi`) on display, national seeds 1–2, full NUTS: divergences, speed, recovery.
 * 5. A calibrated geo fit: seed 1 with one lift test (the speed of a fit with a lift test on its gradient).
 * 6. What curve knowledge is worth: national seeds 1–12, Laplace, with each channel's true decay,
 *    half-saturation and shape as `priors.curves` (sd 10% of the value) beside the default curve prior.
 * 7. Forecast coverage: back-tests over 3 cut-offs × 3 seeds (bench/forecast.ts).
 * 8. The fast path against NUTS on the example configs and seeds 1–12 (bench/fastgap.ts).
 * A run of some stages (MMM_PARTS) carries the others' last figures (`settings.carried`).
 *
 * Goals: national < 10 s wall, R-hat < 1.01, no divergences, ESS/s ≥ 2× Stan's; geo < 120 s;
 * national ROI error < 20% with ≥ 4/5 truths inside, geo < 15%. The machine has 2 cores shared with
 * other jobs: wall times vary by ±30% or more with the load (the load average is recorded).
 */
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { compareWithStan } from './stan/compare.ts';
import { lbfgs } from '../src/inference/index.ts';
import { quantile } from '../src/inference/diagnostics.ts';
import { parseModelConfig } from '../src/models/config.ts';
import { buildModelData } from '../src/models/design.ts';
import { oracleRoiBound, simulate, simulationTable, type Simulation } from '../src/models/simulate/index.ts';
import { fitBayesian, laplaceStart, posteriorMode, targetAcceptFor } from '../src/models/bayesian/fit.ts';
import { buildMmm } from '../src/models/bayesian/model.ts';
import { withHeld } from '../src/models/bayesian/geoStart.ts';
import { prepareMmm, type PreparedMmm } from '../src/models/bayesian/prepare.ts';
import { mmmTargetModule } from '../src/models/bayesian/target.ts';

const stanFile = fileURLToPath(new URL('./stan/mmm.stan', import.meta.url));
const partialFile = join(tmpdir(), 'marginal-mmm.partial.json');

function setup(opts: { weeks: number; channels: number; geos?: number; seed: number }) {
  const sim = simulate(opts);
  const table = simulationTable(sim);
  const config = parseModelConfig({
    data: { file: 'sim.csv', ...(opts.geos ? { geo: 'geo', population: 'population' } : {}) },
    target: { column: 'revenue' },
    channels: sim.truth.channels.map((c) => ({ name: c.name, spend: `${c.name}_spend` })),
    controls: [{ column: 'price', sign: 'negative' }],
  });
  return { sim, config, data: buildModelData(config, table) };
}

/** Stan data for bench/stan/mmm.stan from the prepared national model. */
function stanData(prep: PreparedMmm, signs: readonly string[], maxLag: number) {
  const { T, C, K } = prep;
  const rows = (a: Float64Array, n: number) => Array.from({ length: T }, (_, t) => Array.from(a.subarray(t * n, (t + 1) * n)));
  return {
    T, C, L: maxLag, x: rows(prep.xScaled, C), w: Array.from(prep.revenueWeight), spend: Array.from(prep.spendTotal),
    Ns: prep.baseline.nSeason, Xs: rows(prep.baseline.seasonality, prep.baseline.nSeason),
    Nt: prep.baseline.nTrend, Xt: rows(prep.baseline.trend, prep.baseline.nTrend),
    K, Z: rows(Float64Array.from(prep.z, (v, i) => (signs[i % K] === 'negative' ? -v : v)), K),
    Nin: prep.inSampleIndex.length, idx_in: Array.from(prep.inSampleIndex, (i) => i + 1), y_in: Array.from(prep.inSampleIndex, (i) => prep.yScaled[i]),
    roi_mu: prep.roiPrior.map((r) => r.mu), roi_sd: prep.roiPrior.map((r) => r.sigma),
  };
}

function recovery(sim: Simulation, channels: { roi: number; roiMedian?: number; roiInterval: [number, number] }[]) {
  const errors = channels.map((c, i) => c.roi / sim.truth.channels[i].roi - 1);
  // The same with the posterior median as the point estimate (reported beside, not instead of, the mean).
  const medianErrors = channels.map((c, i) => (c.roiMedian ?? c.roi) / sim.truth.channels[i].roi - 1);
  return {
    meanAbsRelError: errors.reduce((a, e) => a + Math.abs(e), 0) / errors.length,
    relErrors: errors.map((e) => +e.toFixed(3)),
    medianEstimate: { meanAbsRelError: medianErrors.reduce((a, e) => a + Math.abs(e), 0) / medianErrors.length, relErrors: medianErrors.map((e) => +e.toFixed(3)) },
    inside: channels.filter((c, i) => sim.truth.channels[i].roi >= c.roiInterval[0] && sim.truth.channels[i].roi <= c.roiInterval[1]).length,
    channels: channels.length,
  };
}

async function nationalVsStan() {
  const { config, data } = setup({ weeks: 156, channels: 5, seed: 1 });
  const t0 = performance.now();
  const prep = prepareMmm(config, data);
  const { model } = buildMmm(prep, data.controlSigns);
  const map = posteriorMode(model, prep);
  const start = laplaceStart(model, map.theta, 4, 1);
  const setupSeconds = (performance.now() - t0) / 1000;
  const r = await compareWithStan({
    name: 'mmm-national-156x5', stanFile, data: stanData(prep, data.controlSigns, prep.adstock[0].maxLag),
    factory: { module: mmmTargetModule, export: 'mmmTarget', args: { config, data } },
    chains: 4, warmup: 1000, draws: 1000, seed: 1, init: map.theta, inits: start?.inits, invMetric: start?.invMetric,
    metric: 'dense', targetAccept: targetAcceptFor(config, prep.G), setupSeconds, returnDraws: true,
  });
  // Do both programs sample the same posterior? Medians commute with the monotone constraining maps.
  let agreement: object | undefined;
  if (r.samples) {
    const d = model.dim, names = model.paramNames();
    const ours = r.samples.marginal, stan = r.samples.stan;
    let worst = { name: '', z: 0 };
    for (let j = 0; j < d; j++) {
      const ourCol = new Float64Array(ours.reduce((n, c) => n + c.length / d, 0));
      let k = 0;
      const buf = new Float64Array(model.constrainedDim);
      for (const c of ours) for (let i = 0; i < c.length / d; i++) { model.constrainFlat(c.subarray(i * d, (i + 1) * d), buf); ourCol[k++] = buf[j]; }
      const stanCol = Float64Array.from(stan.flatMap((c) => Array.from({ length: c.length / d }, (_, i) => c[i * d + j])));
      const spread = quantile(stanCol, 0.84) - quantile(stanCol, 0.16);
      const z = Math.abs(quantile(ourCol, 0.5) - quantile(stanCol, 0.5)) / (spread / 2 || 1);
      if (z > worst.z) worst = { name: names[j], z };
    }
    agreement = { maxMedianGapInPosteriorSd: +worst.z.toFixed(3), parameter: worst.name };
    r.samples = undefined;
  }
  return { ...r, setupSeconds, agreement };
}

/**
 * How much the data prefer the curves the model finds to the true ones (national): the log posterior
 * at the MAP against the best point with every channel's adstock decay and Hill k, s held at their
 * true values (the rest re-optimized), and the ROIs at both. A gap of a few nats over 15 curve
 * parameters means the data cannot tell the two sets of curves apart, while the ROIs differ.
 */
function curvesProfile(seed: number) {
  const { sim, config, data } = setup({ weeks: 156, channels: 5, seed });
  const prep = prepareMmm(config, data);
  const { model } = buildMmm(prep, data.controlSigns);
  const map = posteriorMode(model, prep);
  const values = model.constrain(map.theta);
  sim.truth.channels.forEach((t, c) => {
    values.alpha[c] = t.adstock.alpha; values.k[c] = t.saturation.k / prep.xScale[c]; values.s[c] = t.saturation.s;
  });
  const at = model.unconstrain(values);
  const curves = new Set(['alpha', 'k', 's']);
  const free = Int32Array.from(model.params.filter((p) => !curves.has(p.name)).flatMap((p) => Array.from({ length: p.length }, (_, i) => p.offset + i)));
  const held = lbfgs(withHeld(model, free, at), Float64Array.from(free, (i) => at[i]), { maxIterations: 5000, history: 100 });
  free.forEach((i, k) => { at[i] = held.theta[k]; });
  const err = (theta: Float64Array) => {
    const r = model.constrain(theta).roi;
    return mean(sim.truth.channels.map((t, c) => Math.abs(r[c] / t.roi - 1)));
  };
  return {
    seed, logPosteriorGap: +(model.logDensity(map.theta) - model.logDensity(at)).toFixed(2),
    roiErrorAtMap: +err(map.theta).toFixed(3), roiErrorAtTrueCurves: +err(at).toFixed(3),
  };
}

async function nutsFit(opts: { weeks: number; channels: number; geos?: number; seed: number }, iterations: { warmup?: number; draws?: number } = {}) {
  const { sim, config, data } = setup(opts);
  const cpu = process.cpuUsage();
  const fit = await fitBayesian(config, data, iterations);
  const used = process.cpuUsage(cpu);
  // CPU seconds of every thread (workers included): wall time on 2 idle cores ≈ cpuSeconds / 2.
  return { seed: opts.seed, chains: 4, warmup: iterations.warmup ?? 1000, draws: iterations.draws ?? 1000, diagnostics: fit.diagnostics, cpuSeconds: (used.user + used.system) / 1e6, recovery: recovery(sim, fit.channels), predictiveCoverage: fit.fit.predictiveCoverage };
}

async function laplaceFit(opts: { weeks: number; channels: number; geos?: number; seed: number }) {
  const { sim, config, data } = setup(opts);
  const fit = await fitBayesian(config, data, { fast: true, chains: 1, draws: 2000 });
  return { seed: opts.seed, seconds: fit.diagnostics.seconds, recovery: recovery(sim, fit.channels), predictiveCoverage: fit.fit.predictiveCoverage };
}

const mean = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / xs.length;

/**
 * What the national data allow: OLS that knows the true adstock, saturation and a baseline family
 * (src/models/simulate/oracle.ts) on seeds 1–20. Its expected error is a floor for any estimator that
 * learns the channel coefficients from the data alone; only prior information can go below it, and
 * the Bayes oracle shows how far the default ROI prior takes it when the transforms are known.
 */
function oracle() {
  const seeds = Array.from({ length: 20 }, (_, i) => i + 1).map((seed) => {
    const b = oracleRoiBound(simulate({ weeks: 156, channels: 5, seed }));
    return {
      seed, meanAbsRelError: +b.meanAbsRelError.toFixed(3), expectedMeanAbsRelError: +b.expectedMeanAbsRelError.toFixed(3),
      relSe: Object.fromEntries(b.channels.map((c) => [c.name, +c.relSe.toFixed(3)])),
      bayesMeanAbsRelError: +b.bayes.meanAbsRelError.toFixed(3), bayesRelErrors: b.bayes.relErrors.map((e) => +e.toFixed(3)),
    };
  });
  const names = Object.keys(seeds[0].relSe);
  // The geo oracle at the bench's geo size (a loose floor: it knows the geo multipliers).
  const geo = [1, 2, 3].map((seed) => {
    const b = oracleRoiBound(simulate({ weeks: 156, channels: 5, geos: 40, seed }));
    return { seed, meanAbsRelError: +b.meanAbsRelError.toFixed(3), expectedMeanAbsRelError: +b.expectedMeanAbsRelError.toFixed(3), bayesMeanAbsRelError: +b.bayes.meanAbsRelError.toFixed(3) };
  });
  const profile = seeds.slice(0, 12).map((x) => curvesProfile(x.seed));
  return {
    geo,
    seeds,
    curvesProfile: {
      seeds: profile,
      meanLogPosteriorGap: +mean(profile.map((p) => p.logPosteriorGap)).toFixed(2),
      meanRoiErrorAtMap: +mean(profile.map((p) => p.roiErrorAtMap)).toFixed(3),
      meanRoiErrorAtTrueCurves: +mean(profile.map((p) => p.roiErrorAtTrueCurves)).toFixed(3),
    },
    meanExpectedMeanAbsRelError: +mean(seeds.map((s) => s.expectedMeanAbsRelError)).toFixed(3),
    meanRealisedMeanAbsRelError: +mean(seeds.map((s) => s.meanAbsRelError)).toFixed(3),
    seedsExpectedUnderGoal: seeds.filter((s) => s.expectedMeanAbsRelError < 0.2).length,
    meanRelSeByChannel: Object.fromEntries(names.map((n) => [n, +mean(seeds.map((s) => s.relSe[n])).toFixed(3)])),
    bayesPrior: 'LogNormal(0.2, 0.9) on each ROI (the default), flat on the baseline',
    bayesMeanAbsRelError: +mean(seeds.map((s) => s.bayesMeanAbsRelError)).toFixed(3),
    bayesSeedsUnderGoal: seeds.filter((s) => s.bayesMeanAbsRelError < 0.2).length,
  };
}

/**
 * Each national NUTS fit beside the Bayes oracle on the same simulated data: the oracle knows the true
 * adstock and Hill curves and uses the same ROI prior, so the gap is the price of learning the curves.
 */
function versusBayesOracle(national: { seed: number; recovery: { meanAbsRelError: number; inside: number } }[]) {
  const rows = national.map((n) => {
    const b = oracleRoiBound(simulate({ weeks: 156, channels: 5, seed: n.seed }));
    return { seed: n.seed, marginal: +n.recovery.meanAbsRelError.toFixed(3), oracle: +b.bayes.meanAbsRelError.toFixed(3), inside: n.recovery.inside };
  });
  return {
    seeds: rows.map((r) => r.seed), rows,
    marginalMean: +mean(rows.map((r) => r.marginal)).toFixed(3),
    oracleMean: +mean(rows.map((r) => r.oracle)).toFixed(3),
    marginalUnderGoal: rows.filter((r) => r.marginal < 0.2).length,
    oracleUnderGoal: rows.filter((r) => r.oracle < 0.2).length,
    atLeastFourInside: rows.filter((r) => r.inside >= 4).length,
  };
}

export async function run(): Promise<object> {
  // MMM_PARTS (default: every stage, ALL_PARTS) picks the stages; each stage's figures are also written to
  // $TMPDIR/marginal-mmm.partial.json as soon as it ends, so a run cut short keeps what it measured.
  const parts = new Set((process.env.MMM_PARTS ?? ALL_PARTS.join(',')).split(','));
  const load = [loadavg()[0]];
  const out: Record<string, unknown> = {
    settings: { chains: 4, warmup: 1000, draws: 1000, targetAccept: { national: 0.9, geo: 0.85 }, machine: '2 cores shared with other jobs', parts: [...parts], loadAverage1m: load },
    goals: { nationalWallSeconds: 10, geoWallSeconds: 120, rhat: 1.01, divergences: 0, essPerSecondVsStan: 2, nationalRoiError: 0.2, geoRoiError: 0.15 },
  };
  const save = () => writeFileSync(partialFile, `${JSON.stringify(out, null, 2)}\n`);
  // MMM_RESUME=1: reuse what a previous run left in the partial file (the Stan comparison, national and
  // geo NUTS seeds); `settings.resumed` lists what was reused.
  const previous = process.env.MMM_RESUME && existsSync(partialFile) ? JSON.parse(readFileSync(partialFile, 'utf8')) as Record<string, any> : {};
  if (parts.has('oracle')) {
    const o = oracle();
    console.error(`[oracle] national seeds 1–20: expected ROI error ${(100 * o.meanExpectedMeanAbsRelError).toFixed(1)}% (under 20% on ${o.seedsExpectedUnderGoal}/20 seeds), realised ${(100 * o.meanRealisedMeanAbsRelError).toFixed(1)}%; Bayes oracle ${(100 * o.bayesMeanAbsRelError).toFixed(1)}% (under 20% on ${o.bayesSeedsUnderGoal}/20); relative se by channel ${JSON.stringify(o.meanRelSeByChannel)}; geo 40×156×5 expected ${o.geo.map((g) => `${(100 * g.expectedMeanAbsRelError).toFixed(1)}%`).join(' / ')}`);
    const p = o.curvesProfile;
    console.error(`[oracle] national seeds 1–12: log posterior at the MAP ${p.meanLogPosteriorGap} nats above the best point with the true curves (15 curve parameters); ROI error ${(100 * p.meanRoiErrorAtMap).toFixed(1)}% at the MAP, ${(100 * p.meanRoiErrorAtTrueCurves).toFixed(1)}% with the true curves`);
    out.oracle = o;
    save();
  }
  // What was reused is recorded, so a reader knows which figures come from the earlier run.
  const resumed: string[] = [];
  (out.settings as Record<string, unknown>).resumed = resumed;
  if (previous.vsStan && parts.has('stan')) { out.vsStan = previous.vsStan; parts.delete('stan'); resumed.push('vsStan'); }
  if (parts.has('stan')) {
    const vsStan = await nationalVsStan();
    const m = vsStan.marginal;
    console.error(`[national] Marginal ${m.wallSeconds.toFixed(1)} s, ESS ${m.essBulkMin.toFixed(0)}, ${m.essPerSecond.toFixed(0)} ESS/s, ${m.leapfrogPerIteration.toFixed(1)} leapfrog/iter, R-hat ${m.rhatMax.toFixed(3)}, ${m.divergences} divergences`);
    if (!('skipped' in vsStan.stan)) {
      const s = vsStan.stan;
      console.error(`[national] Stan ${s.wallSeconds.toFixed(1)} s, ESS ${s.essBulkMin.toFixed(0)}, ${s.essPerSecond.toFixed(0)} ESS/s, ${s.leapfrogPerIteration.toFixed(1)} leapfrog/iter, R-hat ${s.rhatMax.toFixed(3)}, ${s.divergences} divergences; ratio ${vsStan.ratio?.toFixed(2)}; agreement ${JSON.stringify(vsStan.agreement)}`);
    }
    out.vsStan = vsStan;
    load.push(loadavg()[0]);
    save();
  }
  if (parts.has('seeds')) {
    const national = [];
    // MMM_SEEDS (default 1–12): a dozen seeds at ~6 s each, enough to tell the model's error from the
    // seed's luck, and to set it beside the Bayes oracle's on the same data.
    for (const seed of (process.env.MMM_SEEDS ?? '1,2,3,4,5,6,7,8,9,10,11,12').split(',').map(Number)) {
      const done = previous.national?.nuts?.find((n: { seed: number }) => n.seed === seed);
      if (done) resumed.push(`national NUTS seed ${seed}`);
      national.push(done ?? await nutsFit({ weeks: 156, channels: 5, seed }));
      const n = national[national.length - 1];
      console.error(`[national seed ${seed}] ${n.diagnostics.seconds.toFixed(1)} s (${n.cpuSeconds.toFixed(1)} CPU s), R-hat ${n.diagnostics.rhatMax.toFixed(3)}, ESS ${n.diagnostics.essBulkMin.toFixed(0)}, ${n.diagnostics.divergences} div, ${n.diagnostics.leapfrogPerIteration?.toFixed(1)} leapfrog/iter, ROI error ${(100 * n.recovery.meanAbsRelError).toFixed(1)}%, inside ${n.recovery.inside}/5`);
      out.national = { nuts: national, nutsMeanRoiError: mean(national.map((x) => x.recovery.meanAbsRelError)) };
      save();
    }
    const vsOracle = versusBayesOracle(national);
    console.error(`[national] seeds ${vsOracle.seeds.join(',')}: ROI error ${(100 * vsOracle.marginalMean).toFixed(1)}% (under 20% on ${vsOracle.marginalUnderGoal}), Bayes oracle ${(100 * vsOracle.oracleMean).toFixed(1)}% (under 20% on ${vsOracle.oracleUnderGoal}); ≥ 4/5 truths inside on ${vsOracle.atLeastFourInside}`);
    // Posterior predictive check over the seeds: the share of actual weeks inside the 90% predictive
    // interval (in-sample; 148 weeks, 12-seed mean) should be near 90% for a model of the right family.
    const covered = national.map((n) => n.predictiveCoverage?.inSample).filter((v): v is number => v !== undefined);
    const predictiveCoverage = covered.length ? { seeds: covered.length, meanInSample: +mean(covered).toFixed(3), min: +Math.min(...covered).toFixed(3), max: +Math.max(...covered).toFixed(3) } : null;
    if (predictiveCoverage) console.error(`[national] actual weeks inside the 90% predictive interval: mean ${(100 * predictiveCoverage.meanInSample).toFixed(1)}% (${(100 * predictiveCoverage.min).toFixed(1)}–${(100 * predictiveCoverage.max).toFixed(1)}%) over ${covered.length} seeds`);
    out.national = { ...(out.national as object), vsBayesOracle: vsOracle, predictiveCoverage };
    save();
    const laplace = [];
    for (const seed of [1, 2, 3, 4, 5]) laplace.push(await laplaceFit({ weeks: 156, channels: 5, seed }));
    out.national = { ...(out.national as object), laplace, laplaceMeanRoiError: mean(laplace.map((x) => x.recovery.meanAbsRelError)) };
    load.push(loadavg()[0]);
    save();
  }
  if (parts.has('geo')) {
    // MMM_GEO_SEEDS (default 1–6): the geo seeds, Laplace then NUTS (~75 s each).
    const geoSeeds = (process.env.MMM_GEO_SEEDS ?? '1,2,3,4,5,6').split(',').map(Number);
    const laplace = [];
    for (const seed of geoSeeds) laplace.push(await laplaceFit({ weeks: 156, channels: 5, geos: 40, seed }));
    out.geo = { laplace, laplaceMeanRoiError: mean(laplace.map((x) => x.recovery.meanAbsRelError)) };
    save();
    // MMM_GEO_WARMUP / MMM_GEO_DRAWS shorten the geo NUTS run on a busy machine (recorded in the output).
    const iterations = { warmup: Number(process.env.MMM_GEO_WARMUP ?? 1000), draws: Number(process.env.MMM_GEO_DRAWS ?? 1000) };
    if (process.env.MMM_GEO_NUTS === '0') { console.error('[geo] NUTS skipped (MMM_GEO_NUTS=0)'); return out; }
    const nuts = [];
    for (const seed of geoSeeds) {
      const done = previous.geo?.nuts?.find((x: { seed: number; warmup: number; draws: number }) => x.seed === seed && x.warmup === iterations.warmup && x.draws === iterations.draws);
      if (done) resumed.push(`geo NUTS seed ${seed}`);
      const n = done ?? await nutsFit({ weeks: 156, channels: 5, geos: 40, seed }, iterations);
      console.error(`[geo 40x156x5 seed ${seed}] ${n.diagnostics.seconds.toFixed(1)} s (${n.cpuSeconds.toFixed(1)} CPU s), R-hat ${n.diagnostics.rhatMax.toFixed(3)}, ESS ${n.diagnostics.essBulkMin.toFixed(0)}, ${n.diagnostics.divergences} div, ${n.diagnostics.leapfrogPerIteration?.toFixed(1)} leapfrog/iter, ROI error ${(100 * n.recovery.meanAbsRelError).toFixed(1)}%, inside ${n.recovery.inside}/5`);
      nuts.push(n);
      out.geo = { ...(out.geo as object), nuts, nutsMeanRoiError: mean(nuts.map((x) => x.recovery.meanAbsRelError)), nutsMeanSeconds: mean(nuts.map((x) => x.diagnostics.seconds)) };
      load.push(loadavg()[0]);
      save();
    }
  }
  if (parts.has('mroi')) {
    // An mROI prior on display (true mROI ± 10%), national seeds 1–2, full NUTS: sampling health,
    // speed (the ratio ROI ÷ mROI is its own op, ops/geometricHillMarginalRatio.ts) and what it does to recovery.
    const runs = [];
    for (const seed of [1, 2]) {
      const { sim, config, data } = setup({ weeks: 156, channels: 5, seed });
      const display = sim.truth.channels[3];
      const withPrior = parseModelConfig({ ...config, priors: { ...config.priors, mroi: { display: { mean: display.mroi, sd: 0.1 * display.mroi } } } });
      const fit = await fitBayesian(withPrior, data);
      const run = { seed, prior: { channel: 'display', mean: display.mroi, sd: 0.1 * display.mroi }, displayMroi: fit.channels[3].mroi, diagnostics: fit.diagnostics, recovery: recovery(sim, fit.channels) };
      console.error(`[mroi prior on display, seed ${seed}] ${fit.diagnostics.seconds.toFixed(1)} s, R-hat ${fit.diagnostics.rhatMax.toFixed(3)}, ${fit.diagnostics.divergences} div, ${fit.diagnostics.leapfrogPerIteration?.toFixed(1)} leapfrog/iter, display mROI ${run.displayMroi.toFixed(3)} (true ${display.mroi.toFixed(3)}), ROI error ${(100 * run.recovery.meanAbsRelError).toFixed(1)}%`);
      runs.push(run);
    }
    out.mroiPrior = runs;
    save();
  }
  if (parts.has('lift')) {
    out.lift = await liftFit();
    const l = out.lift as Awaited<ReturnType<typeof liftFit>>;
    console.error(`[geo 40x156x5 seed 1 + lift test on social] ${l.diagnostics.seconds.toFixed(1)} s, R-hat ${l.diagnostics.rhatMax.toFixed(3)}, ${l.diagnostics.divergences} div, ROI error ${(100 * l.recovery.meanAbsRelError).toFixed(1)}%, social ${(100 * l.recovery.relErrors[2]).toFixed(0)}%`);
    load.push(loadavg()[0]);
    save();
  }
  if (parts.has('curves')) {
    out.curvePriors = await curvePriorValue();
    const c = out.curvePriors as Awaited<ReturnType<typeof curvePriorValue>>;
    console.error(`[curve priors, national seeds 1–12, Laplace] mean ROI error ${(100 * c.defaultMean).toFixed(1)}% → ${(100 * c.trueCurvesMean).toFixed(1)}% with the true curves; without display ${(100 * c.defaultMeanWithoutDisplay).toFixed(1)}% → ${(100 * c.trueCurvesMeanWithoutDisplay).toFixed(1)}%`);
    save();
  }
  // 7. Forecast intervals that hold: back-tests over 3 cut-offs × 3 seeds (bench/forecast.ts).
  if (parts.has('forecast')) { out.forecastCoverage = await (await import('./forecast.ts')).run(); save(); }
  // 8. --fast against NUTS on the example configs and seeds 1–12 national and geo (bench/fastgap.ts).
  if (parts.has('fastgap')) { out.fastVsNuts = await (await import('./fastgap.ts')).run(); save(); }
  carryOver(out, parts);
  return out;
}

/** Every stage, in order, and the key its figures go under. */
const STAGE_KEYS: Record<string, string> = { oracle: 'oracle', stan: 'vsStan', seeds: 'national', geo: 'geo', mroi: 'mroiPrior', lift: 'lift', curves: 'curvePriors', forecast: 'forecastCoverage', fastgap: 'fastVsNuts' };
const ALL_PARTS = Object.keys(STAGE_KEYS);
/** Stages with a bench of their own, whose results file holds their last run. */
const OWN_BENCH: Record<string, string> = { forecast: 'forecast.json', fastgap: 'fastgap.json' };

/**
 * A run of some stages (MMM_PARTS) keeps the other stages' last measured figures — from the previous
 * bench/results/mmm.json, or from a stage's own results file — each listed in `settings.carried` with
 * where and when it was measured, so a partial run never erases what it did not measure.
 */
function carryOver(out: Record<string, unknown>, parts: Set<string>): void {
  const results = join(dirname(fileURLToPath(import.meta.url)), 'results');
  const read = (file: string) => (existsSync(join(results, file)) ? JSON.parse(readFileSync(join(results, file), 'utf8')) as Record<string, unknown> : null);
  const previous = read('mmm.json');
  const carried: { stage: string; from: string; date: unknown }[] = [];
  for (const [stage, key] of Object.entries(STAGE_KEYS)) {
    if (parts.has(stage) || out[key] !== undefined) continue;
    const own = OWN_BENCH[stage] ? read(OWN_BENCH[stage]) : null;
    const prevDate = previous?.[key] !== undefined ? Date.parse(String(previous.date ?? '')) : -Infinity;
    if (own && Date.parse(String(own.date ?? '')) > prevDate) { out[key] = own; carried.push({ stage, from: `bench/results/${OWN_BENCH[stage]}`, date: own.date }); }
    else if (previous?.[key] !== undefined) { out[key] = previous[key]; carried.push({ stage, from: 'bench/results/mmm.json', date: previous.date }); }
  }
  (out.settings as Record<string, unknown>).carried = carried;
}

/** Seeds 1–12, Laplace: ROI errors with the default curve prior and with the true curves as priors (sd 10%). */
async function curvePriorValue() {
  const rows = [];
  for (let seed = 1; seed <= 12; seed++) {
    const { sim, config, data } = setup({ weeks: 156, channels: 5, seed });
    const table = simulationTable(sim);
    // The config's half-saturation unit: the channel's typical (mean non-zero) activity per period.
    const typical = (name: string) => { const v = (table.columns[`${name}_spend`] as number[]).filter((x) => x > 0); return v.reduce((a, b) => a + b, 0) / v.length; };
    const curves = Object.fromEntries(sim.truth.channels.map((c) => {
      const k = c.saturation.k / typical(c.name);
      return [c.name, { decay: { mean: c.adstock.alpha, sd: 0.1 * Math.min(c.adstock.alpha, 1 - c.adstock.alpha) }, halfSaturation: { mean: k, sd: 0.1 * k }, shape: { mean: c.saturation.s, sd: 0.1 * c.saturation.s } }];
    }));
    const fast = { fast: true, draws: 2000, chains: 1 } as const;
    const plain = recovery(sim, (await fitBayesian(config, data, fast)).channels);
    const informed = recovery(sim, (await fitBayesian(parseModelConfig({ ...config, priors: { ...config.priors, curves } }), data, fast)).channels);
    rows.push({ seed, default: plain, trueCurves: informed });
  }
  const mean = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / xs.length;
  // Display (index 3) is noise-limited (the oracle's relative SE for it is ~200%): shown apart.
  const without = (r: ReturnType<typeof recovery>) => mean(r.relErrors.filter((_, i) => i !== 3).map(Math.abs));
  return {
    rows,
    defaultMean: mean(rows.map((r) => r.default.meanAbsRelError)), trueCurvesMean: mean(rows.map((r) => r.trueCurves.meanAbsRelError)),
    defaultMeanWithoutDisplay: mean(rows.map((r) => without(r.default))), trueCurvesMeanWithoutDisplay: mean(rows.map((r) => without(r.trueCurves))),
  };
}

/**
 * A calibrated geo fit: 40 × 156 × 5 seed 1 with one national lift test on social (the channel the
 * uncalibrated fit overstates most on this seed) over weeks 40–51, at its true incremental revenue
 * with a 10% standard error, as an experiment would report it. Speed with a lift test on the gradient,
 * and how far the test moves the channel.
 */
async function liftFit() {
  const { sim, data: plain } = setup({ weeks: 156, channels: 5, geos: 40, seed: 1 });
  const social = sim.truth.channels.findIndex((c) => c.name === 'social');
  let lift = 0;
  for (let g = 0; g < 40; g++) for (let t = 40; t < 52; t++) lift += sim.contributionSeries[social][g * 156 + t];
  const table = simulationTable(sim);
  const config = parseModelConfig({
    data: { file: 'sim.csv', geo: 'geo', population: 'population' }, target: { column: 'revenue' },
    channels: sim.truth.channels.map((c) => ({ name: c.name, spend: `${c.name}_spend` })), controls: [{ column: 'price', sign: 'negative' }],
    experiments: [{ channel: 'social', start: plain.dates[40], end: plain.dates[51], lift, liftSe: 0.1 * lift }],
  });
  const fit = await fitBayesian(config, buildModelData(config, table));
  return { experiment: { channel: 'social', weeks: '40–51', lift, liftSe: 0.1 * lift }, diagnostics: fit.diagnostics, recovery: recovery(sim, fit.channels) };
}
