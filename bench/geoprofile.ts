/**
 * `npm run bench -- geoprofile`: where a geo NUTS fit spends its time, and why its trajectories are as
 * long as they are (issue 23, part 3: 40 geos × 156 weeks × 5 channels, 4 chains × (1000 + 1000)).
 *
 * Full fits (2 below) on simulator seeds 1–6 (GEO_PROFILE_SEEDS) and on Meridian's geo sample
 * (examples/meridian/geo.json); the rest on the first seed:
 * 1. the gradient alone: milliseconds per log-density gradient of the sampler's target (f32 media
 *    kernel) and of the f64 model, on this thread, median of 7 batches;
 * 2. a full fit as `marginal fit` runs it: its phases (start, sampling, summaries), CPU seconds, leapfrog
 *    steps per iteration, R-hat, ESS; the gradients' share of the sampling time (gradients × ms per
 *    gradient ÷ 2 cores, so under 1 where the sampler's own work and the threads' contention add up);
 * 3. the posterior's geometry, which sets the steps per iteration: at 20 draws (5 per chain, evenly
 *    spaced) the largest eigenvalue λ of the Hessian of −log p in coordinates where the whole posterior
 *    has identity covariance (Σ^½ H Σ^½, Σ from the fit's 4000 draws; power iteration on finite-difference
 *    Hessian-vector products), and the parameters its eigenvector loads on. A leapfrog step is only
 *    accurate where ε·√λ is well under 2, so where λ runs to tens the step size has to stay near 0.2-0.3
 *    while the posterior is ~1 wide: ~2⁵ − 1 = 31 steps before a trajectory turns back. A λ that varies
 *    from draw to draw is curvature that no fixed (even dense) metric can take out.
 *
 * 4. which parameters make it so: one chain (1000 + 1000, the fit's target acceptance and dense metric)
 *    on the same posterior with groups of parameters held at the empirical-Bayes start (geo_sd; then the
 *    Hill k; then the adstock decay alpha; then the Hill shape s too): step size and leapfrog steps per
 *    iteration as each group stops moving. Holding parameters changes the model, so these runs say where
 *    the stiffness is, not what a fit would give.
 *
 * No reference implementation runs this model, so the figures are against the goal (≤ 30 s).
 */
import { loadavg } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { readWideTable } from '../src/data/index.ts';
import { readModelConfig } from '../src/app/modelConfigFile.ts';
import { buildModelDataReadingHolidays } from '../src/app/modelData.ts';
import type { ModelConfig } from '../src/models/config.ts';
import type { ModelData } from '../src/models/design.ts';
import { simulate, simulationTable } from '../src/models/simulate/index.ts';
import { parseModelConfig } from '../src/models/config.ts';
import { buildModelData } from '../src/models/design.ts';
import { fitBayesian, posteriorMode, targetAcceptFor } from '../src/models/bayesian/fit.ts';
import { geoEmpiricalBayesStart, withHeld } from '../src/models/bayesian/geoStart.ts';
import { laplace } from '../src/inference/laplace.ts';
import { sampleNuts } from '../src/inference/nuts.ts';
import { buildMmm } from '../src/models/bayesian/model.ts';
import { prepareMmm } from '../src/models/bayesian/prepare.ts';
import { choleskyInPlace } from '../src/inference/linalg.ts';
import { Rng } from '../src/util/rng.ts';

const SEEDS = (process.env.GEO_PROFILE_SEEDS ?? '1,2,3,4,5,6').split(',').map(Number);
const repo = fileURLToPath(new URL('../', import.meta.url));
const GEOS = 40, WEEKS = 156, CHANNELS = 5, CHAINS = 4, WARMUP = 1000, DRAWS = 1000;

function setup(seed: number) {
  const sim = simulate({ weeks: WEEKS, channels: CHANNELS, geos: GEOS, seed });
  const config = parseModelConfig({
    data: { file: 'sim.csv', geo: 'geo', population: 'population' }, target: { column: 'revenue' },
    channels: sim.truth.channels.map((c) => ({ name: c.name, spend: `${c.name}_spend` })), controls: [{ column: 'price', sign: 'negative' }],
  });
  return { sim, config, data: buildModelData(config, simulationTable(sim)) };
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

/** Milliseconds per gradient at θ, median of 7 batches of 300 (after 300 to warm up). */
function msPerGradient(model: { dim: number; logDensityGradient(t: Float64Array, g: Float64Array): number }, theta: Float64Array): number {
  const g = new Float64Array(model.dim);
  for (let i = 0; i < 300; i++) model.logDensityGradient(theta, g);
  const batches: number[] = [];
  for (let b = 0; b < 7; b++) {
    const t0 = performance.now();
    for (let i = 0; i < 300; i++) model.logDensityGradient(theta, g);
    batches.push((performance.now() - t0) / 300);
  }
  return median(batches);
}

/** Largest eigenvalue of Lᵀ H L at θ (H the Hessian of −log p, LLᵀ = Σ) and its direction in θ, by power iteration. */
function stiffest(model: { dim: number; logDensityGradient(t: Float64Array, g: Float64Array): number }, theta: Float64Array, L: Float64Array, rng: Rng) {
  const d = model.dim, u = new Float64Array(d), x = new Float64Array(d), gp = new Float64Array(d), gm = new Float64Array(d), w = new Float64Array(d);
  let v = Float64Array.from({ length: d }, () => rng.normal()), lambda = 0;
  const lower = (a: Float64Array, out: Float64Array) => { for (let i = 0; i < d; i++) { let s = 0; for (let k = 0; k <= i; k++) s += L[i * d + k] * a[k]; out[i] = s; } };
  for (let it = 0; it < 60; it++) {
    lower(v, u);
    const h = 1e-5;
    for (let i = 0; i < d; i++) x[i] = theta[i] + h * u[i];
    model.logDensityGradient(x, gp);
    for (let i = 0; i < d; i++) x[i] = theta[i] - h * u[i];
    model.logDensityGradient(x, gm);
    for (let i = 0; i < d; i++) w[i] = -(gp[i] - gm[i]) / (2 * h);
    const out = new Float64Array(d);
    for (let k = 0; k < d; k++) { let s = 0; for (let i = k; i < d; i++) s += L[i * d + k] * w[i]; out[k] = s; }
    lambda = Math.hypot(...out);
    v = out.map((z) => z / lambda);
  }
  lower(v, u);
  return { lambda, direction: u };
}

/** A full fit as `marginal fit` runs it, with the gradient timed first on the same model. */
export async function fitCase(label: string, config: ModelConfig, data: ModelData) {
  const prep = prepareMmm(config, data);
  const f64 = buildMmm(prep, data.controlSigns).model;
  const f32 = buildMmm(prep, data.controlSigns, { kernelPrecision: 'f32' }).model;
  const mode = posteriorMode(f64, prep).theta;
  const gradient = { f32Ms: +msPerGradient(f32, mode).toFixed(4), f64Ms: +msPerGradient(f64, mode).toFixed(4), dim: f64.dim };
  console.error(`[${label}] ${prep.G} geos × ${prep.T} periods × ${prep.C} channels: gradient ${gradient.f32Ms} ms (f32 kernel), ${gradient.f64Ms} ms (f64), dim ${gradient.dim}`);

  const load = [loadavg()[0]];
  const cpu0 = process.cpuUsage();
  const fit = await fitBayesian(config, data, { chains: CHAINS, warmup: WARMUP, draws: DRAWS });
  const cpu = process.cpuUsage(cpu0);
  load.push(loadavg()[0]);
  const d = fit.diagnostics, phases = d.phases!;
  const gradients = d.leapfrogPerIteration! * (WARMUP + DRAWS) * CHAINS;
  const fitted = {
    seconds: +d.seconds.toFixed(2), cpuSeconds: +((cpu.user + cpu.system) / 1e6).toFixed(1),
    phases: { startSeconds: +phases.startSeconds.toFixed(2), samplingSeconds: +phases.drawSeconds.toFixed(2), summarySeconds: +phases.summarySeconds.toFixed(2) },
    leapfrogPerIteration: +d.leapfrogPerIteration!.toFixed(1), gradients: Math.round(gradients),
    // Gradient time over sampling time on 2 cores: what the gradient alone would take.
    gradientShareOfSampling: +((gradients * gradient.f32Ms / 1000 / 2) / phases.drawSeconds).toFixed(2),
    rhatMax: +d.rhatMax.toFixed(4), essBulkMin: Math.round(d.essBulkMin), essTailMin: Math.round(d.essTailMin), divergences: d.divergences,
    loadAverage1m: load.map((x) => +x.toFixed(2)),
  };
  console.error(`[${label}] fit ${fitted.seconds} s (start ${fitted.phases.startSeconds}, sampling ${fitted.phases.samplingSeconds}, summaries ${fitted.phases.summarySeconds}), ${fitted.leapfrogPerIteration} leapfrog/iter, R-hat ${fitted.rhatMax}, ESS ${fitted.essBulkMin}, ${fitted.divergences} div`);
  return { case: label, size: { geos: prep.G, periods: prep.T, channels: prep.C }, gradient, fit: fitted, fitted: fit, f64, f32, prep, mode };
}

/** 3 and 4: the posterior's curvature at 20 draws of the fit, and steps with groups of parameters held. */
function geometry(seed: number, c: Awaited<ReturnType<typeof fitCase>>, config: ModelConfig) {
  const { fitted: fit, f64, f32, prep, mode } = c;

  // The posterior in the sampler's (unconstrained) coordinates, from the fit's constrained draws.
  const dim = f64.dim, names = f64.unconstrainedNames();
  const thetas: Float64Array[][] = fit.draws.map((chain) => {
    const n = chain.length / fit.paramNames.length, out: Float64Array[] = [];
    const sizes = f64.params.map((p) => p.size);
    for (let i = 0; i < n; i++) {
      const row = chain.slice(i * fit.paramNames.length, (i + 1) * fit.paramNames.length);
      const values: Record<string, number[]> = {};
      let k = 0;
      f64.params.forEach((p, j) => { values[p.name] = row.slice(k, k + sizes[j]); k += sizes[j]; });
      out.push(f64.unconstrain(values));
    }
    return out;
  });
  const all = thetas.flat();
  const mean = new Float64Array(dim);
  for (const t of all) for (let i = 0; i < dim; i++) mean[i] += t[i] / all.length;
  const L = new Float64Array(dim * dim);
  for (const t of all) for (let i = 0; i < dim; i++) { const a = t[i] - mean[i]; for (let j = 0; j <= i; j++) L[i * dim + j] += (a * (t[j] - mean[j])) / (all.length - 1); }
  const sd = Float64Array.from({ length: dim }, (_, i) => Math.sqrt(L[i * dim + i]));
  if (!choleskyInPlace(L, dim)) throw new Error('the posterior covariance is not positive definite');
  const rng = new Rng(seed);
  const points = thetas.flatMap((chain, c) => [0, 1, 2, 3, 4].map((k) => ({ chain: c, draw: Math.floor(((k + 0.5) * chain.length) / 5) })));
  const curvature = points.map(({ chain, draw }) => {
    const { lambda, direction } = stiffest(f64, thetas[chain][draw], L, rng);
    // Loadings in posterior sds, largest first.
    const loads = Array.from(direction, (z, i) => [Math.abs(z) / sd[i], i] as [number, number]).sort((a, b) => b[0] - a[0]);
    const top = loads[0][0];
    return { chain, draw, lambdaMax: +lambda.toFixed(1), stepSizeCeiling: +(2 / Math.sqrt(lambda)).toFixed(2), loadsOn: loads.slice(0, 4).map(([z, i]) => `${names[i]} ${(z / top).toFixed(2)}`) };
  });
  for (const c of curvature) console.error(`[seed ${seed}] chain ${c.chain} draw ${c.draw}: λmax ${c.lambdaMax}, ε < ${c.stepSizeCeiling}: ${c.loadsOn.join(', ')}`);
  const lambdas = curvature.map((c) => c.lambdaMax);
  const group = (s: string) => s.replace(/\[.*$/, '');
  const leaders: Record<string, number> = {};
  for (const c of curvature) { const g = group(c.loadsOn[0]); leaders[g] = (leaders[g] ?? 0) + 1; }
  // 4. Groups held at the empirical-Bayes start, one chain each.
  const eb = geoEmpiricalBayesStart(f64, mode, prep.G, prep.C);
  if (!eb) throw new Error('no empirical-Bayes start for this model');
  const start = eb.theta;
  const held = [['geo_sd'], ['geo_sd', 'k'], ['geo_sd', 'k', 'alpha'], ['geo_sd', 'k', 'alpha', 's']].map((names) => {
    const hold = new Set(names);
    const free = Int32Array.from(f64.params.filter((p) => !hold.has(p.name)).flatMap((p) => Array.from({ length: p.length }, (_, i) => p.offset + i)));
    const at = Float64Array.from(free, (j) => start[j]);
    const metric = laplace(withHeld(f64, free, start), at, { draws: 1, seed }).covariance;
    const t0 = performance.now();
    const r = sampleNuts(withHeld(f32, free, start), { warmup: WARMUP, draws: DRAWS, seed, chain: 0, init: at, invMetric: metric, metric: 'dense', targetAccept: targetAcceptFor(config, prep.G) });
    const depths: Record<number, number> = {};
    r.treeDepth.forEach((x) => { depths[x] = (depths[x] ?? 0) + 1; });
    const out = { held: names, dim: free.length, seconds: +((performance.now() - t0) / 1000).toFixed(1), stepSize: +r.stepSize.toFixed(3), leapfrogPerIteration: +(r.totalLeapfrog / (WARMUP + DRAWS)).toFixed(1), treeDepths: depths, divergences: r.divergent.reduce((a, b) => a + b, 0) };
    console.error(`[seed ${seed}] held ${names.join(', ')}: step size ${out.stepSize}, ${out.leapfrogPerIteration} leapfrog/iter, depths ${JSON.stringify(depths)}`);
    return out;
  });
  return {
    seed, held,
    curvature: { lambdaMaxMedian: median(lambdas), lambdaMaxRange: [Math.min(...lambdas), Math.max(...lambdas)], stiffestDirectionLedBy: leaders, points: curvature },
  };
}

async function meridianCase() {
  const config = readModelConfig(join(repo, 'examples', 'meridian', 'geo.json'));
  const t = await readWideTable(config.data.file!);
  return { config, data: buildModelDataReadingHolidays(config, { source: config.data.file!, rowCount: t.rowCount, columns: t.columns, lines: t.lines }) };
}

export async function run(): Promise<object> {
  const fits = [];
  let profile: object | null = null;
  for (const seed of SEEDS) {
    const { config, data } = setup(seed);
    const c = await fitCase(`seed ${seed}`, config, data);
    fits.push({ case: c.case, size: c.size, gradient: c.gradient, fit: c.fit });
    if (!profile) profile = geometry(seed, c, config);
  }
  const m = await meridianCase();
  const mc = await fitCase('examples/meridian/geo.json', m.config, m.data);
  fits.push({ case: mc.case, size: mc.size, gradient: mc.gradient, fit: mc.fit });
  const seconds = fits.map((f) => f.fit.seconds);
  return {
    settings: { chains: CHAINS, warmup: WARMUP, draws: DRAWS, machine: '2 cores', simulator: { geos: GEOS, weeks: WEEKS, channels: CHANNELS, seeds: SEEDS } },
    goal: { seconds: 30, rhat: 1.01, essBulkMin: 400, divergences: 0 },
    summary: {
      secondsRange: [Math.min(...seconds), Math.max(...seconds)], underGoal: seconds.filter((x) => x <= 30).length, of: fits.length,
      rhatMax: Math.max(...fits.map((f) => f.fit.rhatMax)), essBulkMin: Math.min(...fits.map((f) => f.fit.essBulkMin)), divergences: fits.reduce((a, f) => a + f.fit.divergences, 0),
    },
    fits, geometry: profile,
  };
}
