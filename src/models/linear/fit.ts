/**
 * Linear and ridge MMM: media transformed with fixed parameters (the transform's default prior centre,
 * or the parameters a search chose), a design matrix of media, controls, seasonality, trend and geo
 * indicators, an exact (bounded) least-squares or ridge solve, and moving-block bootstrap intervals.
 * Media coefficients are non-negative by default; controls follow their configured sign.
 */
import { Rng } from '../../util/rng.ts';
import type { ModelConfig } from '../config.ts';
import type { ModelData } from '../design.ts';
import { fitMetrics } from '../metrics.ts';
import { seasonalityOrders } from '../features.ts';
import { buildClassicDesign, type ClassicDesign } from './design.ts';
import { defaultMediaParams, mediaFeatures, type ChannelMedia } from './media.ts';
import { blockBootstrapRows, blockLength, channelSummaries, interval, MROI_STEP, zeroAbsent, type ClassicFit } from './result.ts';
import type { OrganicResult } from '../organic.ts';
import { ridgeSolve } from './solve.ts';
import { chooseLambda } from '../ridge/cv.ts';

export interface RegressionOptions {
  /** Transform parameters per channel (default: each transform's prior centre). */
  media?: ChannelMedia[];
  /** Ridge penalty on standardized features; 'cv' chooses it by time-series cross-validation. */
  lambda?: number | 'cv';
  nonNegative?: boolean;
  bootstrap?: number;
  seed?: number;
  /** Extra fields stored with the fit (e.g. the search's Pareto front). */
  extra?: Record<string, unknown>;
  warnings?: string[];
}

export interface StoredRegression {
  kind: 'regression';
  media: ChannelMedia[];
  lambda: number;
  seasonality: boolean;
  trend: boolean;
  names: string[];
  /** [intercept, coef…] of the full-data fit, then of each bootstrap replicate. */
  coef: number[];
  replicates: number[][];
  [key: string]: unknown;
}

function hasSeasonality(config: ModelConfig, data: ModelData): boolean {
  const orders = seasonalityOrders(config, data.grain);
  return orders.yearly + orders.weekly > 0;
}

export function fitRegression(config: ModelConfig, data: ModelData, family: 'linear' | 'ridge', opts: RegressionOptions = {}): ClassicFit {
  const started = performance.now();
  const warnings: string[] = [...(opts.warnings ?? [])];
  const media = opts.media ?? defaultMediaParams(config, data);
  const tIn = data.inSample.reduce((a, b) => a + b, 0);
  // Too few periods for every term: drop seasonality, then trend, and say so.
  let useSeason = true, useTrend = true;
  let design = buildClassicDesign(config, data, media);
  const rowsIn = () => design.inRows.length;
  if (design.P + 1 >= rowsIn() && hasSeasonality(config, data)) {
    useSeason = false;
    design = buildClassicDesign(config, data, media, { seasonality: false, trend: useTrend });
    warnings.push(`TOO FEW PERIODS: ${tIn} periods cannot support seasonality terms; seasonality was left out.`);
  }
  if (design.P + 1 >= rowsIn() && config.trend !== 'none') {
    useTrend = false;
    design = buildClassicDesign(config, data, media, { seasonality: false, trend: false });
    warnings.push(`TOO FEW PERIODS: ${tIn} periods cannot support a trend; the trend was left out.`);
  }
  // Observations against coefficients in the same units: the coefficients include a level per geo,
  // so a geo model counts its observed fit cells (geo × period).
  if (rowsIn() < 3 * (design.P + 1)) {
    const seen = data.G > 1 ? `${rowsIn()} observations (geo × period)` : `${rowsIn()} periods`;
    warnings.push(`FEW PERIODS: ${seen} for ${design.P + 1} coefficients (fewer than 3 per coefficient): estimates and intervals are unreliable; collect more data before acting on them.`);
  }
  const { lower, upper } = bounds(data, design, opts.nonNegative ?? true);
  let lambda = family === 'linear' ? 0 : typeof opts.lambda === 'number' ? opts.lambda : NaN;
  if (Number.isNaN(lambda)) {
    const cv = chooseLambda(design, data.y, data.T, data.G, tIn, lower, upper);
    lambda = cv.lambda;
    if (cv.warning) warnings.push(cv.warning);
  }
  const solve = (rows: ArrayLike<number>) => ridgeSolve(design.X, design.P, data.y, lambda, { rows, lower, upper, penalty: 'standardized' });
  const point = solve(design.inRows);
  if (point.jitter) warnings.push('COLLINEAR: the features are (nearly) linearly dependent; the solution was regularized slightly. Coefficients of collinear channels are not separately identified.');
  for (const j of point.dropped) warnings.push(`CONSTANT: \`${design.names[j]}\` does not vary over the fit periods; its coefficient is 0.`);

  const B = opts.bootstrap ?? 200;
  const rng = new Rng(opts.seed ?? config.search?.seed ?? config.inference.seed);
  const block = blockLength(tIn);
  const replicates: Float64Array[] = [];
  for (let r = 0; r < B; r++) {
    const s = solve(blockBootstrapRows(rng, tIn, data.T, data.G, block, data.observed));
    replicates.push(Float64Array.of(s.intercept, ...s.coef));
  }
  const coefPoint = Float64Array.of(point.intercept, ...point.coef);
  const effects = regressionEffects(data, design, media, [coefPoint, ...replicates]);
  const pick = (d: number) => ({
    contribution: effects.contribution.subarray(d * data.C, (d + 1) * data.C),
    revenue: effects.revenue.subarray(d * data.C, (d + 1) * data.C),
    mroi: effects.mroi.subarray(d * data.C, (d + 1) * data.C),
  });
  const reps = { contribution: effects.contribution.subarray(data.C), revenue: effects.revenue.subarray(data.C), mroi: effects.mroi.subarray(data.C) };
  const channels = channelSummaries(data, config.target.kind, pick(0), reps, B);
  const predicted = zeroAbsent(predict(design, coefPoint), data.present);
  const fit = metrics(data, design, predicted);
  for (const [c, ch] of channels.entries()) {
    if (point.coef[c] === 0 && lower[c] === 0) warnings.push(`ZERO EFFECT: ${ch.name}'s coefficient sits at its non-negativity bound (0): the data show no positive effect of ${ch.name}.`);
  }
  const contributions: Record<string, number[]> = {};
  data.channels.forEach((name, c) => { contributions[name] = zeroAbsent(Array.from({ length: design.n }, (_, i) => design.X[i * design.P + c] * point.coef[c]), data.present); });
  const stored: StoredRegression = {
    kind: 'regression', media, lambda, seasonality: useSeason, trend: useTrend, names: design.names,
    coef: Array.from(coefPoint), replicates: replicates.map((r) => Array.from(r)), ...(opts.extra ?? {}),
  };
  // A column's contribution: its coefficient times the sum of its feature over the rows that exist.
  const featureSum = (j: number) => { let t = 0; for (let i = 0; i < design.n; i++) if (data.present[i]) t += design.X[i * design.P + j]; return t; };
  const organic = classicOrganic(data, design, predicted, (j) => { const x = featureSum(j); return [coefPoint[j + 1] * x, replicates.map((r) => r[j + 1] * x)]; });
  return {
    family, approximate: false, fit, ...(organic.length ? { organic } : {}),
    diagnostics: { seconds: (performance.now() - started) / 1000, bootstrap: B, lambda, coefficients: Object.fromEntries(design.names.map((n, j) => [n, point.coef[j]])), intercept: point.intercept },
    channels, warnings,
    series: { dates: data.dates, geos: data.geos, actual: Array.from(data.y), predicted: Array.from(predicted), contributions },
    stored,
  };
}

/** Non-negative media (when asked) and signed controls; everything else free. */
export function bounds(data: ModelData, design: ClassicDesign, nonNegative: boolean): { lower: Float64Array; upper: Float64Array } {
  const lower = new Float64Array(design.P).fill(-Infinity), upper = new Float64Array(design.P).fill(Infinity);
  for (let c = 0; c < data.C; c++) if (nonNegative) lower[c] = 0;
  // Organic media add to the outcome, as paid media do.
  design.kinds.forEach((kind, j) => { if (kind === 'organic' && nonNegative) lower[j] = 0; });
  data.controlSigns.forEach((sign, k) => {
    if (sign === 'positive') lower[data.C + k] = 0;
    if (sign === 'negative') upper[data.C + k] = 0;
  });
  return { lower, upper };
}

export function predict(design: ClassicDesign, coef: Float64Array): Float64Array {
  const out = new Float64Array(design.n);
  for (let i = 0; i < design.n; i++) {
    let s = coef[0];
    for (let j = 0; j < design.P; j++) s += design.X[i * design.P + j] * coef[j + 1];
    out[i] = s;
  }
  return out;
}

export function metrics(data: ModelData, design: ClassicDesign, predicted: Float64Array): ClassicFit['fit'] {
  const pick = (x: ArrayLike<number>, rows: Int32Array) => Array.from(rows, (i) => x[i]);
  const fit: ClassicFit['fit'] = fitMetrics(pick(data.y, design.inRows), pick(predicted, design.inRows));
  if (design.outRows.length) fit.holdout = fitMetrics(pick(data.y, design.outRows), pick(predicted, design.outRows));
  return fit;
}

/**
 * Contribution (target units), revenue and marginal ROI per [draw, c] for coefficient vectors
 * [intercept, coef…]: contribution = coef_c · Σ feature_c over every period; marginal ROI from every
 * channel's spend × (1 + MROI_STEP).
 */
export function regressionEffects(data: ModelData, design: ClassicDesign, media: ChannelMedia[], coefs: Float64Array[]) {
  const { C } = data;
  const n = design.n, P = design.P;
  const stepped = mediaFeatures(Float64Array.from(data.activity, (v) => v * (1 + MROI_STEP)), data, design.scale, media);
  const sumX = new Float64Array(C), sumRev = new Float64Array(C), sumStepRev = new Float64Array(C);
  for (let i = 0; i < n; i++) for (let c = 0; c < C; c++) {
    if (!data.present[i]) continue; // an absent geo-period adds nothing (design.ts)
    const x = design.X[i * P + c];
    sumX[c] += x;
    sumRev[c] += x * data.revenuePerUnit[i];
    sumStepRev[c] += stepped[i * C + c] * data.revenuePerUnit[i];
  }
  const spend = new Float64Array(C);
  for (let i = 0; i < n; i++) for (let c = 0; c < C; c++) spend[c] += data.spend[i * C + c];
  const D = coefs.length;
  const contribution = new Float64Array(D * C), revenue = new Float64Array(D * C), mroi = new Float64Array(D * C);
  coefs.forEach((coef, d) => {
    for (let c = 0; c < C; c++) {
      const b = coef[c + 1];
      contribution[d * C + c] = b * sumX[c];
      revenue[d * C + c] = b * sumRev[c];
      mroi[d * C + c] = (b * (sumStepRev[c] - sumRev[c])) / (MROI_STEP * spend[c]);
    }
  });
  return { contribution, revenue, mroi };
}

/**
 * The organic channels of a classic fit (design columns `organic:NAME`): contribution, share of the
 * prediction and contribution per unit of activity, the point fit's with 5%–95% bootstrap intervals.
 * `contributionOf(j)` gives column j's total contribution in the point fit and in each replicate.
 */
export function classicOrganic(data: ModelData, design: ClassicDesign, predicted: Float64Array, contributionOf: (j: number) => [number, number[]]): OrganicResult[] {
  const names = data.organic?.names ?? [];
  const O = names.length;
  let total = 0;
  for (let i = 0; i < design.n; i++) if (data.present[i]) total += predicted[i];
  return names.map((name, o) => {
    let activity = 0;
    for (let i = 0; i < design.n; i++) if (data.present[i]) activity += data.organic!.activity[i * O + o];
    const [contribution, reps] = contributionOf(design.names.indexOf(`organic:${name}`));
    const iv = (f: number): [number, number] => (reps.length ? interval(reps.map((c) => c * f)) : [contribution * f, contribution * f]);
    const share = total !== 0 ? 1 / total : 0, unit = activity > 0 ? 1 / activity : 0;
    return {
      name, activity, contribution, contributionInterval: iv(1),
      share: contribution * share, shareInterval: iv(share), perUnit: contribution * unit, perUnitInterval: iv(unit),
    };
  });
}
