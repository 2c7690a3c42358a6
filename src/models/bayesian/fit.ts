/**
 * Fits the Bayesian MMM: MAP by L-BFGS, then NUTS chains in worker threads started from the jittered
 * MAP (or, with `fast`, a Laplace approximation at the MAP, labelled approximate), then the summaries
 * the fit-output contract asks for, with plain-language warnings.
 */
import { ChainWorkers, laplace, lbfgs, negHessian, Rng, summarize, workersFor, type NutsProgress, type Summary, type Target } from '../../inference/index.ts';
import { choleskyInPlace, solveLowerTransposeInPlace } from '../../inference/linalg.ts';
import { fitFailed } from '../../errors.ts';
import type { ModelConfig } from '../config.ts';
import type { ModelData } from '../design.ts';
import { fitMetrics, type FitMetrics } from '../metrics.ts';
import { alwaysOnWarnings } from './alwaysOn.ts';
import { fastGapNote, fewPeriodsWarnings } from './warnings.ts';
import { liftTestNoiseWarnings } from '../power.ts';
import { curveSummaries, type CurveSummary } from './curveSummary.ts';
import { geoEmpiricalBayesStart, withHeld, type GeoStart } from './geoStart.ts';
import { groupParams, mediaGroups } from './media.ts';
import { buildMmm } from './model.ts';
import { meanInterval, posteriorQuantities } from './posterior.ts';
import { identification, WEAK_INFORMATION, type Identification } from './identification.ts';
import { IMPLAUSIBLE_SHARE, priorCheck, type PriorCheck } from './priorCheck.ts';
import { SUMMARY_DRAWS, controlReferences, decompositionAccumulator, thinDraws, type ControlReference } from './decompose.ts';
import { prepareMmm } from './prepare.ts';
import { optimalFrequency, type RfSummary } from './rf.ts';
import { organicResults } from './organic.ts';
import { logNormalSummary } from './priors.ts';
import type { OrganicResult } from '../organic.ts';

export type { OrganicResult };
import { mmmTargetModule } from './target.ts';

export interface FitOptions {
  fast?: boolean;
  chains?: number;
  warmup?: number;
  draws?: number;
  seed?: number;
  workers?: number;
  onProgress?: (p: NutsProgress) => void;
}

export interface ChannelResult {
  name: string;
  spend: number;
  contribution: number; contributionInterval: [number, number];
  roi: number; roiInterval: [number, number];
  /**
   * Posterior median of the ROI. `roi` is the posterior mean; a weakly identified channel's ROI
   * posterior is right-skewed (log-normal-like), and there the median is the better single number
   * (it minimizes the expected absolute error) — Meridian's summaries show both.
   */
  roiMedian?: number;
  /** The ROI prior the fit used (LogNormal): its median and 90% interval, to set beside the posterior. */
  roiPrior?: { median: number; interval: [number, number] };
  /** The marginal-ROI prior, for a channel whose prior is on its mROI (`priors.mroi`) instead. */
  mroiPrior?: { median: number; interval: [number, number] };
  mroi: number; mroiInterval: [number, number];
  /** Adstock decay, half-saturation and Hill shape (those the channel's transforms have): posterior beside prior. */
  curve?: CurveSummary;
  /** Reach & frequency channels: the frequency that gets the most outcome per unit of spend (rf.ts). */
  rf?: RfSummary;
  /** Cost per incremental conversion (conversion targets). */
  cpa?: number; cpaInterval?: [number, number];
  shareOfSpend: number; shareOfEffect: number;
  /** How far the data moved the ROI (or mROI) parameter from its prior (identification.ts). */
  identification?: Identification;
}

export interface BayesianFit {
  family: 'bayesian';
  approximate: boolean;
  method: 'nuts' | 'laplace';
  fit: FitMetrics & { holdout?: FitMetrics; predictiveCoverage?: { inSample: number; holdout?: number; byGeo?: Record<string, number> } };
  diagnostics: { rhatMax: number; essBulkMin: number; essTailMin: number; divergences: number; seconds: number; leapfrogPerIteration?: number; maxTreeDepthShare?: number; ebfmiMin?: number;
    /** Where `seconds` went: finding the start (mode, Laplace), drawing (sampling or Laplace draws), and the summaries from the draws. */
    phases?: { startSeconds: number; drawSeconds: number; summarySeconds: number } };
  channels: ChannelResult[];
  /** Organic channels (absent without them). */
  organic?: OrganicResult[];
  warnings: string[];
  /** What the ROI priors alone imply, before the outcome is seen (priorCheck.ts). */
  priorCheck?: PriorCheck;
  parameters: Summary['parameters'];
  /** Per [g, t]: actual, expected outcome (mean, 90% interval), 90% posterior predictive interval, contributions. */
  series: { dates: string[]; geos: string[]; actual: number[]; predicted: number[]; predictedLow: number[]; predictedHigh: number[]; predictiveLow?: number[]; predictiveHigh?: number[]; contributions: Record<string, number[]>;
    /** The base parts (baseline `intercept`, trend, seasonality, `control:NAME`) per [g, t], each against its reference; with `contributions` they add up to `predicted`. Absent in fits stored before they were kept. */
    components?: Record<string, number[]>; references?: ControlReference[];
    /** How many posterior draws every figure of the fit was computed from (thinned evenly across chains). */
    draws?: number };
  /** Constrained draws, flat per chain in `paramNames` order. */
  paramNames: string[];
  draws: number[][];
}

/** Geos from which NUTS starts at the empirical-Bayes point (geoStart.ts); see its use below. */
const EB_START_MIN_GEOS = 10;

export async function fitBayesian(config: ModelConfig, data: ModelData, opts: FitOptions = {}): Promise<BayesianFit> {
  // NUTS's chain workers load the model while the start is found (a 40-geo model: ~0.8 s of the fit).
  const chains = opts.chains ?? config.inference.chains;
  const workers = opts.fast ? null : new ChainWorkers({ module: mmmTargetModule, export: 'mmmTarget', args: { config, data } }, workersFor(chains, opts.workers));
  try {
    return await fitWith(config, data, opts, chains, workers);
  } finally {
    workers?.close();
  }
}

async function fitWith(config: ModelConfig, data: ModelData, opts: FitOptions, chains: number, workers: ChainWorkers | null): Promise<BayesianFit> {
  const started = performance.now();
  const inference = config.inference;
  const warmup = opts.warmup ?? inference.warmup;
  const nDraws = opts.draws ?? inference.draws;
  const seed = opts.seed ?? inference.seed;
  const prep = prepareMmm(config, data);
  const mmm = buildMmm(prep, data.controlSigns);
  const { model } = mmm;

  const map = posteriorMode(model, prep);

  // Geo models: pooling sds by empirical Bayes, the rest at its mode given them (geoStart.ts: the
  // joint MAP overstates the sds 4–6×). Measured on 40 × 156 × 5, seeds 1–3, --fast mean ROI error
  // 11.7 / 34.4 / 11.6% from the joint MAP, 11.5 / 19.5 / 9.7% from here; NUTS warm-up ~48 → ~31
  // leapfrog steps per iteration. Computed only where used: --fast, or NUTS with EB_START_MIN_GEOS+.
  const useGeoStart = prep.G > 1 && (opts.fast || prep.G >= EB_START_MIN_GEOS);
  const geoStart = useGeoStart ? geoEmpiricalBayesStart(model, map.theta, prep.G, prep.C) : null;

  let unconstrained: Float64Array[];
  let summary: Summary;
  // Where the time goes (diagnostics.phases): the start ends where drawing begins.
  let drawStarted = performance.now(), drawEnded = drawStarted;
  let method: BayesianFit['method'];
  if (opts.fast) {
    method = 'laplace';
    const approx = geoStart ? laplaceGivenSds(model, geoStart, chains * nDraws, seed) : laplaceRobust(model, map.theta, chains * nDraws, seed);
    unconstrained = [approx.draws];
    drawEnded = performance.now();
    summary = summarize([constrainAll(model, approx.draws)], model.paramNames(), undefined, { momentsMaxDraws: SUMMARY_DRAWS });
  } else {
    method = 'nuts';
    // A dense metric absorbs the correlations between ROI, baseline and saturation shape (measured on
    // the 156×5 simulation: ~63 leapfrog steps per iteration instead of ~135 with a diagonal one; on
    // 40 geos × 156 × 5, dim 312: 65 instead of 140, and 4× the min ESS). Its O(dim²) cost per step
    // is ~0.1 ms at dim 312 (one 312×312 mat-vec per step, measured) next to a 0.94 ms gradient; past a few
    // hundred dimensions the warm-up has too few draws to estimate a dense covariance, so very large
    // models keep the diagonal.
    const metric = model.dim <= 500 ? 'dense' : 'diag';
    // NUTS starts from the empirical-Bayes point only with 10 geos or more, where it was measured to
    // help (40 × 156 × 5: warm-up ~48 → ~31 leapfrog steps per iteration, fits −19%; 20 × 52 × 4: max
    // R-hat 1.024 → 1.007 over 4 seeds). With fewer geos the pooling sds' marginal is wide: on 3 geos
    // × 104 weeks (4 × 1000 + 1000, sampler seeds 4–6) it gave 41 / 2 / 17 divergent draws against
    // 0 / 7 / 0 from the joint MAP (a metric with the z–sd covariances brought that to 0 / 0 / 2 but
    // measured no gain at 20 or 40 geos, so it was not kept), and those fits keep the joint-MAP start.
    const start = laplaceStart(model, map.theta, chains, seed, geoStart);
    drawStarted = performance.now();
    const result = await workers!.run(
      { chains, warmup, draws: nDraws, seed, init: map.theta, jitter: 0.1, inits: start?.inits, invMetric: start?.invMetric,
        maxTreeDepth: inference.maxTreeDepth, targetAccept: targetAcceptFor(config, prep.G), metric, onProgress: opts.onProgress },
    );
    unconstrained = result.chains.map((c) => c.draws);
    drawEnded = performance.now();
    // The parameter table's moments from the same draws as every figure (a channel's ROI reads alike in both).
    summary = summarize(unconstrained.map((d) => constrainAll(model, d)), model.paramNames(), result.chains, { momentsMaxDraws: SUMMARY_DRAWS });
  }

  // The decomposition is summed in the same pass over the draws as every other figure (decompose.ts).
  const references = controlReferences(data, config);
  const decomposer = decompositionAccumulator(mmm, prep, data, references, { channels: false });
  const q = posteriorQuantities(mmm, prep, unconstrained, SUMMARY_DRAWS, decomposer);
  const { G, T, C } = prep;
  const inIdx: number[] = [], outIdx: number[] = [];
  // Observed cells only: in an unbalanced panel a geo's absent periods have no outcome to score.
  for (let g = 0; g < G; g++) for (let t = 0; t < T; t++) if (data.observed[g * T + t]) (data.inSample[t] ? inIdx : outIdx).push(g * T + t);
  const pick = (x: ArrayLike<number>, idx: number[]) => idx.map((i) => x[i]);
  // Share of actual outcomes inside the 90% posterior predictive interval: ~0.9 when the model is
  // right about its own uncertainty, well below when it is overconfident or misses a driver.
  const coverage = (idx: number[]) => idx.filter((i) => data.y[i] >= q.predictiveQ5[i] && data.y[i] <= q.predictiveQ95[i]).length / idx.length;
  const fit = {
    ...fitMetrics(pick(data.y, inIdx), pick(q.predictedMean, inIdx)),
    ...(outIdx.length ? { holdout: fitMetrics(pick(data.y, outIdx), pick(q.predictedMean, outIdx)) } : {}),
    predictiveCoverage: {
      inSample: coverage(inIdx), ...(outIdx.length ? { holdout: coverage(outIdx) } : {}),
      // Geo models: each geo's in-sample share, so a geo the model misfits stands out of the total.
      ...(G > 1 ? { byGeo: Object.fromEntries(data.geos.map((name, g) => [name, coverage(inIdx.filter((i) => Math.floor(i / T) === g))])) } : {}),
    },
  };
  const P = prep.P;
  const spendAll = prep.spendTotal.subarray(0, P).reduce((a, b) => a + b, 0);
  const effect = data.channels.map((_, c) => meanInterval(q.contribution, C, c).mean);
  const effectAll = effect.reduce((a, b) => a + b, 0);
  const conversions = config.target.kind === 'conversions';
  const cpa = Float64Array.from(q.contribution, (v, i) => prep.spendTotal[i % C] / v);
  const curves = curveSummaries(prep, summary.parameters);
  const rfSummaries = data.channels.map((_, c) => (prep.frequency[c] ? optimalFrequency(model, mmm.groups, prep, data, c, thinDraws(unconstrained, model.dim, SUMMARY_DRAWS)) : null));
  // The `roi` parameter is positive, so its unconstrained coordinate is log ROI (or log mROI).
  const roiOffset = model.params.find((p) => p.name === 'roi')!.offset;
  const identified = data.channels.map((_, c) => {
    const logs: number[] = [];
    for (const chain of unconstrained) for (let i = roiOffset + c; i < chain.length; i += model.dim) logs.push(chain[i]);
    return identification(Float64Array.from(logs), prep.roiPrior[c]);
  });
  const prior = priorCheck(prep.roiPrior.slice(0, P), prep.spendTotal.subarray(0, P), prep.revenueTotal, prep.defaultRoiRule);
  const channels: ChannelResult[] = data.channels.map((name, c) => {
    const contribution = meanInterval(q.contribution, C, c);
    const roi = meanInterval(q.roi, C, c);
    const mroi = meanInterval(q.mroi, C, c);
    const out: ChannelResult = {
      name, spend: prep.spendTotal[c],
      contribution: contribution.mean, contributionInterval: contribution.interval,
      roi: roi.mean, roiInterval: roi.interval, roiMedian: roi.median,
      ...(prep.roiIsMroi[c] ? { mroiPrior: logNormalSummary(prep.roiPrior[c]) } : { roiPrior: logNormalSummary(prep.roiPrior[c]) }),
      mroi: mroi.mean, mroiInterval: mroi.interval,
      ...(Object.keys(curves[c]).length ? { curve: curves[c] } : {}),
      shareOfSpend: prep.spendTotal[c] / spendAll, shareOfEffect: effectAll > 0 ? effect[c] / effectAll : 0,
      identification: identified[c],
    };
    if (conversions) {
      const p = meanInterval(cpa, C, c);
      out.cpa = prep.spendTotal[c] / contribution.mean;
      out.cpaInterval = p.interval;
    }
    const rf = rfSummaries[c];
    if (rf) out.rf = rf;
    return out;
  });
  const organic = organicResults(data, prep, q, curves);

  const sampler = summary.sampler;
  const diagnostics = {
    rhatMax: summary.rhatMax, essBulkMin: summary.essBulkMin, essTailMin: summary.essTailMin,
    divergences: sampler?.divergences ?? 0, seconds: (performance.now() - started) / 1000,
    phases: { startSeconds: (drawStarted - started) / 1000, drawSeconds: (drawEnded - drawStarted) / 1000, summarySeconds: (performance.now() - drawEnded) / 1000 },
    ...(sampler ? { leapfrogPerIteration: sampler.leapfrogPerIteration, maxTreeDepthShare: sampler.maxTreeDepthShare, ebfmiMin: Math.min(...sampler.ebfmi) } : {}),
  };
  const warnings = fitWarnings(method, diagnostics, q.negativeBaselineShare, identified, prior, prep, data.channels, inference.maxTreeDepth);
  // Always-on channels the weakly-identified warning already covers are not warned about twice.
  warnings.push(...alwaysOnWarnings(data.activity, G, T, channels, new Set(weaklyIdentified(identified))));
  warnings.push(...fewPeriodsWarnings(config, data, method));
  warnings.push(...liftTestNoiseWarnings(config.experiments));
  const contributions: Record<string, number[]> = {};
  data.channels.forEach((name, c) => { contributions[name] = Array.from(q.contributionSeries[c]); });
  // Organic channels are parts of the outcome beside the baseline's (`organic:NAME` in `components`).
  // The base parts over the same draws as every other figure of the fit, stored so that no surface
  // recomputes them from a different subset (decompose.ts).
  const decomposition = decomposer.result();
  const components = Object.fromEntries(Object.entries(decomposition.components).map(([k, v]) => [k, Array.from(v)]));
  return {
    family: 'bayesian', approximate: method === 'laplace', method, fit, diagnostics, channels, ...(organic.length ? { organic } : {}), warnings, priorCheck: prior,
    parameters: summary.parameters,
    series: {
      dates: data.dates, geos: data.geos, actual: Array.from(data.y), predicted: Array.from(q.predictedMean),
      predictedLow: Array.from(q.predictedQ5), predictedHigh: Array.from(q.predictedQ95),
      predictiveLow: Array.from(q.predictiveQ5), predictiveHigh: Array.from(q.predictiveQ95), contributions,
      components, references, draws: q.nDraws,
    },
    paramNames: model.paramNames(),
    draws: unconstrained.map((d) => Array.from(constrainAll(model, d))),
  };
}

/**
 * The joint posterior mode by L-BFGS, from the ROI priors' medians, every level at 1, user curve
 * priors' centres, and zero elsewhere (on the unconstrained scale).
 */
export function posteriorMode(model: ReturnType<typeof buildMmm>['model'], prep: ReturnType<typeof prepareMmm>): ReturnType<typeof lbfgs> {
  const init = new Float64Array(model.dim);
  const roiInfo = model.params.find((p) => p.name === 'roi')!;
  prep.roiPrior.forEach((r, c) => { init[roiInfo.offset + c] = r.mu; });
  const levelInfo = model.params.find((p) => p.name === 'level')!;
  init.fill(1, levelInfo.offset, levelInfo.offset + levelInfo.length);
  // Curve parameters a user gave a prior for start at its centre (the others at 0: decay 0.5, k = s = 1).
  for (const group of mediaGroups(prep)) {
    const params = groupParams(group);
    group.channels.forEach((c, q) => {
      for (const { param } of params) {
        const prior = param.role && prep.curvePriors[c][param.role];
        if (!prior) continue;
        const info = model.params.find((p) => p.name === `${param.key}${group.suffix}`);
        // The logit of a Beta's mean, the log of a LogNormal's median (the curve roles' two priors).
        if (info) init[info.offset + q] = prior.dist === 'beta' ? Math.log(prior.a / prior.b) : prior.dist === 'logNormal' ? prior.mu : 0;
      }
    });
  }
  // A long L-BFGS memory: the scaled posterior mixes coordinates with sds from ~0.001 (seasonality)
  // to ~1 (geo effects); with the default 10 pairs the 40 × 156 × 5 geo model had not converged after
  // 5000 iterations (15 s), with 100 it converges in 6 s (the two-loop's O(m·dim) is small next to a
  // gradient).
  return lbfgs(model, init, { maxIterations: 5000, history: Math.min(100, model.dim) });
}

/** The NUTS target acceptance: the config's, else 0.9 for a national model and 0.85 for a geo one (see config.ts). */
export function targetAcceptFor(config: ModelConfig, geos: number): number {
  return config.inference.targetAccept ?? (geos > 1 ? 0.85 : 0.9);
}

/**
 * The Laplace approximation at the MAP; where −∇²logp is not positive definite there (a hierarchical
 * model whose group sd sits near 0 at the mode, or an L-BFGS stop short of the mode), the smallest
 * ridge λ·I (λ from 1e-8 of the largest diagonal entry, ×10 per try) that makes it so — labelled in
 * the fit's warnings as approximate anyway.
 */
function laplaceRobust(model: Target, mode: Float64Array, draws: number, seed: number): { draws: Float64Array } {
  try {
    return laplace(model, mode, { draws, seed });
  } catch (err) {
    if ((err as { code?: string }).code !== 'FIT_FAILED') throw err;
  }
  const d = model.dim;
  const h = negHessian(model, mode);
  let maxDiag = 0;
  for (let i = 0; i < d; i++) maxDiag = Math.max(maxDiag, Math.abs(h[i * d + i]));
  for (let lambda = 1e-8 * (maxDiag || 1); lambda < 1e3 * (maxDiag || 1); lambda *= 10) {
    const l = Float64Array.from(h);
    for (let i = 0; i < d; i++) l[i * d + i] += lambda;
    if (!l.every(Number.isFinite) || !choleskyInPlace(l, d)) continue;
    const rng = new Rng(seed), out = new Float64Array(draws * d), z = new Float64Array(d);
    for (let k = 0; k < draws; k++) {
      for (let i = 0; i < d; i++) z[i] = rng.normal();
      solveLowerTransposeInPlace(l, z, d);
      for (let i = 0; i < d; i++) out[k * d + i] = mode[i] + z[i];
    }
    return { draws: out };
  }
  throw fitFailed('laplace: the Hessian at the posterior mode is not finite or not positive definite even with a ridge: refit with full sampling (NUTS)');
}

/**
 * Where NUTS starts: the Laplace covariance at the MAP as the initial inverse metric (warm-up then
 * adapts it; starting from the identity costs the early warm-up long trajectories), and per-chain
 * starts at the MAP plus half a Laplace draw's deviation (dispersed on the posterior's own scale).
 * Geo models pass their empirical-Bayes start (geoStart.ts): the Laplace approximation is then taken
 * given the pooling sds, which get their marginal posterior's variance on the metric's diagonal.
 * Null when the Hessian is not positive definite (then: identity metric, jittered MAP).
 */
export function laplaceStart(model: ReturnType<typeof buildMmm>['model'], mode: Float64Array, chains: number, seed: number, geo: GeoStart | null = null): { invMetric: Float64Array; inits: Float64Array[] } | null {
  const d = model.dim;
  const centre = geo ? geo.theta : mode;
  const free = geo ? geo.free : Int32Array.from({ length: d }, (_, i) => i);
  const n = free.length;
  let approx;
  try {
    approx = laplace(geo ? withHeld(model, free, centre) : model, Float64Array.from(free, (j) => centre[j]), { draws: chains, seed: seed + 7919 });
  } catch {
    return null;
  }
  const invMetric = new Float64Array(d * d);
  for (let a = 0; a < n; a++) for (let b = 0; b < n; b++) invMetric[free[a] * d + free[b]] = approx.covariance[a * n + b];
  const rng = new Rng(seed + 104729);
  const inits = Array.from({ length: chains }, (_, k) => {
    const init = Float64Array.from(centre);
    free.forEach((j, a) => { init[j] = centre[j] + 0.5 * (approx.draws[k * n + a] - centre[j]); });
    geo?.held.forEach((j, c) => { init[j] = centre[j] + 0.5 * Math.sqrt(geo.heldVariance[c]) * rng.normal(); });
    return init;
  });
  geo?.held.forEach((j, c) => { invMetric[j * d + j] = geo.heldVariance[c]; });
  return { invMetric, inits };
}

/** Laplace draws given the empirical-Bayes pooling sds (held at their values in every draw). */
function laplaceGivenSds(model: ReturnType<typeof buildMmm>['model'], geo: GeoStart, draws: number, seed: number): { draws: Float64Array } {
  const d = model.dim, n = geo.free.length;
  const reduced = laplaceRobust(withHeld(model, geo.free, geo.theta), Float64Array.from(geo.free, (j) => geo.theta[j]), draws, seed);
  const out = new Float64Array(draws * d);
  for (let k = 0; k < draws; k++) {
    const row = out.subarray(k * d, (k + 1) * d);
    row.set(geo.theta);
    for (let a = 0; a < n; a++) row[geo.free[a]] = reduced.draws[k * n + a];
  }
  return { draws: out };
}

function constrainAll(model: ReturnType<typeof buildMmm>['model'], draws: Float64Array): Float64Array {
  const n = draws.length / model.dim, cd = model.constrainedDim;
  const out = new Float64Array(n * cd);
  for (let i = 0; i < n; i++) model.constrainFlat(draws.subarray(i * model.dim, (i + 1) * model.dim), out.subarray(i * cd, (i + 1) * cd));
  return out;
}


/** Channels whose ROI posterior is mostly their prior (information < WEAK_INFORMATION, identification.ts). */
function weaklyIdentified(identified: readonly Identification[]): number[] {
  return identified.flatMap((x, c) => (x.information < WEAK_INFORMATION ? [c] : []));
}

/**
 * Stan's checks of a sampler run, in words: R-hat, bulk ESS, divergences, E-BFMI (< 0.3: the momentum
 * resampling cannot move the chain through the energy levels, as in heavy tails or a funnel) and
 * iterations that stopped at the maximum tree depth (> 1%: trajectories cut short, so the chain
 * moves less per iteration — an efficiency problem, not a bias). Laplace draws are independent by
 * construction, so their R-hat and ESS say nothing and only the method is reported.
 */
export function samplerWarnings(method: string, d: BayesianFit['diagnostics'], maxTreeDepth: number, geos = 1): string[] {
  const w: string[] = [];
  if (method === 'laplace') {
    const where = geos > 1 ? 'at the posterior mode given each channel\'s geo pooling sd, held at an empirical-Bayes estimate' : 'at the posterior mode';
    w.push(`APPROXIMATE: this fit is a Laplace approximation ${where} (fast mode), not MCMC; intervals may be too narrow, and ROI means can differ from NUTS's. ${fastGapNote()} Refit with full sampling (NUTS) before acting on it.`);
    return w;
  }
  if (d.rhatMax > 1.01) w.push(`NOT CONVERGED: R-hat reaches ${d.rhatMax.toFixed(3)} (> 1.01): the chains disagree. Run more warm-up and draws before trusting these numbers.`);
  if (d.essBulkMin < 400) w.push(`TOO FEW EFFECTIVE DRAWS: the smallest bulk ESS is ${Math.round(d.essBulkMin)} (< 400): intervals are noisy. Run more draws.`);
  if (d.divergences > 0) w.push(`DIVERGENCES: ${d.divergences} divergent transitions: the sampler could not explore part of the posterior, so results may be biased. Refit with a higher inference.targetAccept (e.g. 0.95).`);
  if (d.ebfmiMin !== undefined && d.ebfmiMin < 0.3) w.push(`LOW E-BFMI: the energy diagnostic of at least one chain is ${d.ebfmiMin.toFixed(2)} (< 0.3): the sampler moves slowly through the posterior's tails, so tail quantities (the ends of the intervals) may be off. Run longer warm-up; if it persists, an ROI or control prior is probably far too wide.`);
  if (d.maxTreeDepthShare !== undefined && d.maxTreeDepthShare > 0.01) w.push(`TREE DEPTH: ${(100 * d.maxTreeDepthShare).toFixed(1)}% of iterations stopped at the maximum tree depth (${maxTreeDepth}): trajectories were cut short, so the chains mix slowly (the results are not biased by it, but need more draws). Raise inference.maxTreeDepth.`);
  return w;
}

function fitWarnings(method: string, d: BayesianFit['diagnostics'], negativeBaselineShare: number, identified: readonly Identification[], prior: PriorCheck, prep: ReturnType<typeof prepareMmm>, channels: string[], maxTreeDepth: number): string[] {
  const w = samplerWarnings(method, d, maxTreeDepth, prep.G);
  if (negativeBaselineShare > 0.05) w.push(`NEGATIVE BASELINE: in ${(100 * negativeBaselineShare).toFixed(0)}% of periods the baseline (sales without media) is negative in the posterior: media effects are probably overstated.`);
  const pct = (x: number) => `${(100 * x).toFixed(x < 0.1 ? 1 : 0)}%`;
  for (const c of weaklyIdentified(identified)) {
    const what = prep.roiIsMroi[c] ? 'marginal ROI' : 'ROI';
    const x = identified[c];
    const implied = prior.channelShare[c];
    // A prior that by itself puts the channel at half the outcome or more decides a weakly identified channel's answer.
    if (implied > IMPLAUSIBLE_SHARE) {
      w.push(`PRIOR DECIDES: ${channels[c]}'s ${what} stays near its prior (the posterior overlaps it by ${pct(x.overlap)}), and that prior's median alone says ${channels[c]} earns ${pct(implied)} of the outcome — not plausible. Set \`priors.roi.${channels[c]}\` from what you know, or run a lift test, before using this channel's figures.`);
    } else {
      w.push(`WEAKLY IDENTIFIED: the data say little about ${channels[c]}'s ${what}: its posterior overlaps its prior by ${pct(x.overlap)} (it moved ${Math.abs(x.shift).toFixed(1)} prior sd and kept ${pct(x.contraction)} of the prior's width). Add a lift test or an ROI prior for it.`);
    }
  }
  return w;
}
