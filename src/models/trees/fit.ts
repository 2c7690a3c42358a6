/**
 * Random forest and gradient boosting MMM. Features: media (adstocked and saturated as configured —
 * saturation is monotone, so it changes no split, only what "zero spend" maps to), controls,
 * seasonality, trend and geo indicators. Channel contributions are exact path-dependent TreeSHAP
 * values re-referenced to zero spend (each channel's SHAP series minus its mean SHAP value on the same
 * rows with that channel's spend at zero; the offset moves to the intercept, so components still sum
 * to each prediction). Intervals: moving-block bootstrap refits. Response: partial dependence.
 */
import type { ModelConfig } from '../config.ts';
import type { ModelData } from '../design.ts';
import { classicOrganic } from '../linear/fit.ts';
import { Rng } from '../../util/rng.ts';
import { buildClassicDesign, type ClassicDesign } from '../linear/design.ts';
import { metrics } from '../linear/fit.ts';
import { channelFeature, defaultMediaParams, type ChannelMedia } from '../linear/media.ts';
import { blockBootstrapRows, blockLength, channelSummaries, spendTotals, zeroAbsent, type ClassicFit } from '../linear/result.ts';
import { defaultBoosting, defaultForest, fitBoosting, fitForest, predictEnsemble, type BoostingParams, type Ensemble, type ForestParams } from './ensemble.ts';
import { hStatistics } from './interactions.ts';
import { ensembleShap } from './treeshap.ts';

export interface TreeOptions {
  forest?: Partial<ForestParams>;
  boosting?: Partial<BoostingParams>;
  bootstrap?: number;
  seed?: number;
}

/** Spend step for the trees' marginal ROI: 10% (trees are piecewise constant; 1% mostly moves nothing). */
export const TREE_MROI_STEP = 0.1;
export const CURVE_MULTIPLIERS = [0, 0.25, 0.5, 0.75, 1, 1.25, 1.5, 1.75, 2];

export interface StoredTrees {
  kind: 'trees';
  family: 'forest' | 'boosting';
  params: ForestParams | BoostingParams;
  media: ChannelMedia[];
  seed: number;
  bootstrap: number;
  /** Replicate seeds and rows are re-drawn from `seed` on load; the checksum proves the refit is identical. */
  checksum: number;
  components: Record<string, number[]>;
  /** Zero-referenced SHAP series per channel [C][G·T]; with `components` they sum to the predictions. */
  channelSeries: number[][];
  expected: number;
  /** Largest per-period spend seen in the fit periods, per channel. */
  maxPeriodSpend: number[];
  curves: { channel: string; multipliers: number[]; response: number[] }[];
  synergy: { a: string; b: string; h2: number }[];
}

export interface TreeModels { design: ClassicDesign; point: Ensemble; replicates: Ensemble[]; checksum: number }

/** Fits the point ensemble and the bootstrap replicates, deterministically from `seed`. */
export function trainTrees(config: ModelConfig, data: ModelData, family: 'forest' | 'boosting', params: ForestParams | BoostingParams, media: ChannelMedia[], seed: number, B: number): TreeModels {
  const design = buildClassicDesign(config, data, media);
  const tIn = data.inSample.reduce((a, b) => a + b, 0);
  // Bootstrap replicate forests use half the trees (at least 25): TreeSHAP on every replicate is the
  // cost of a forest fit, and a forest's Monte Carlo noise at 50 trees is small against the spread
  // between bootstrap samples. Boosting replicates keep every round (their trees are shallow and cheap).
  // Unobserved cells (NaN) are never among `rows`, but the ensembles sum weight × y over every row,
  // and 0 × NaN is NaN: they read 0 there, with weight 0.
  const y = data.y.map((v) => (Number.isNaN(v) ? 0 : v));
  const fit = (rows: ArrayLike<number>, s: number, replicate = false) => (family === 'forest'
    ? fitForest(design.X, design.n, design.P, y, replicate ? { ...(params as ForestParams), nTrees: Math.max(25, Math.ceil(params.nTrees / 2)) } : params as ForestParams, s, rows)
    : fitBoosting(design.X, design.n, design.P, y, params as BoostingParams, s, rows));
  const point = fit(design.inRows, seed);
  const rng = new Rng(seed);
  const block = blockLength(tIn);
  const replicates: Ensemble[] = [];
  for (let r = 0; r < B; r++) {
    const rows = blockBootstrapRows(rng, tIn, data.T, data.G, block, data.observed);
    replicates.push(fit(rows, seed + 1 + r, true));
  }
  const pred = predictEnsemble(point, design.X);
  let checksum = 0;
  for (let i = 0; i < pred.length; i++) checksum += pred[i] * (i + 1);
  return { design, point, replicates, checksum };
}

/** X with channel c's media column recomputed from `activity` [G, T, C]. */
export function withChannel(design: ClassicDesign, data: ModelData, media: ChannelMedia[], c: number, activity: Float64Array | null): Float64Array {
  const X = Float64Array.from(design.X);
  const f = new Float64Array(design.n);
  if (activity) channelFeature(activity, data.G, data.T, data.C, c, design.scale, media[c], f);
  for (let i = 0; i < design.n; i++) X[i * design.P + c] = f[i];
  return X;
}

function sum(a: Float64Array, w?: ArrayLike<number>): number { let s = 0; for (let i = 0; i < a.length; i++) s += a[i] * (w ? w[i] : 1); return s; }

/**
 * Zero-referenced SHAP contributions [n, C] of the channels, and the offsets moved to the intercept.
 * The offset of channel c is the mean SHAP value of c over the rows with c's media set to zero spend;
 * `offsetRows` (default every row) lets bootstrap replicates estimate it on an even subsample.
 */
export function channelShap(e: Ensemble, design: ClassicDesign, C: number, offsetRows?: number): { phi: Float64Array; expected: number; contrib: Float64Array; offsets: Float64Array } {
  const { phi, expected } = ensembleShap(e, design.X);
  const n = design.n, P = design.P;
  const m = Math.min(n, offsetRows ?? n);
  const rows = Array.from({ length: m }, (_, k) => Math.floor((k * n) / m));
  const contrib = new Float64Array(n * C), offsets = new Float64Array(C);
  const X0 = new Float64Array(m * P);
  for (let c = 0; c < C; c++) {
    rows.forEach((r, k) => { X0.set(design.X.subarray(r * P, (r + 1) * P), k * P); X0[k * P + c] = 0; });
    const zero = ensembleShap(e, X0).phi;
    let b = 0;
    for (let k = 0; k < m; k++) b += zero[k * P + c];
    offsets[c] = b / m;
    for (let i = 0; i < n; i++) contrib[i * C + c] = phi[i * P + c] - offsets[c];
  }
  return { phi, expected, contrib, offsets };
}

export function fitTrees(config: ModelConfig, data: ModelData, opts: TreeOptions = {}): ClassicFit {
  const started = performance.now();
  const family = config.family as 'forest' | 'boosting';
  const params = family === 'forest' ? { ...defaultForest, ...opts.forest } : { ...defaultBoosting, ...opts.boosting };
  const media = defaultMediaParams(config, data);
  const seed = opts.seed ?? config.inference.seed;
  const B = opts.bootstrap ?? 20;
  const { design, point, replicates, checksum } = trainTrees(config, data, family, params, media, seed, B);
  const { C, G, T } = data;
  const n = design.n, P = design.P;
  const warnings: string[] = [];
  const tIn = data.inSample.reduce((a, b) => a + b, 0);
  if (tIn < 52) warnings.push(`FEW PERIODS: ${tIn} fit periods is little for a tree ensemble; its response to spend is coarse. Prefer ridge or the Bayesian model, or collect more data.`);
  const predicted = zeroAbsent(predictEnsemble(point, design.X), data.present);
  const fit = metrics(data, design, predicted);
  const spend = spendTotals(data);

  const effects = (e: Ensemble, offsetRows?: number) => {
    const { contrib, phi, expected, offsets } = channelShap(e, design, C, offsetRows);
    const contribution = new Float64Array(C), revenue = new Float64Array(C), mroi = new Float64Array(C);
    const base = predictEnsemble(e, design.X);
    for (let c = 0; c < C; c++) {
      for (let i = 0; i < n; i++) if (data.present[i]) { contribution[c] += contrib[i * C + c]; revenue[c] += contrib[i * C + c] * data.revenuePerUnit[i]; }
      const stepped = predictEnsemble(e, withChannel(design, data, media, c, Float64Array.from(data.activity, (v, k) => (k % C === c ? v * (1 + TREE_MROI_STEP) : v))));
      let d = 0;
      for (let i = 0; i < n; i++) if (data.present[i]) d += (stepped[i] - base[i]) * data.revenuePerUnit[i];
      mroi[c] = d / (TREE_MROI_STEP * spend[c]);
    }
    return { contribution, revenue, mroi, contrib, phi, expected, offsets };
  };
  const main = effects(point);
  const reps = { contribution: new Float64Array(B * C), revenue: new Float64Array(B * C), mroi: new Float64Array(B * C) };
  // Organic columns: their SHAP parts summed over the data, per replicate too (for the intervals).
  const organicCols = design.kinds.flatMap((k, j) => (k === 'organic' ? [j] : []));
  const shapSum = (phi: Float64Array, j: number) => { let t = 0; for (let i = 0; i < n; i++) if (data.present[i]) t += phi[i * P + j]; return t; };
  const organicReps = organicCols.map(() => [] as number[]);
  replicates.forEach((e, r) => {
    const q = effects(e, 32);
    reps.contribution.set(q.contribution, r * C); reps.revenue.set(q.revenue, r * C); reps.mroi.set(q.mroi, r * C);
    organicCols.forEach((j, o) => organicReps[o].push(shapSum(q.phi, j)));
  });
  const channels = channelSummaries(data, config.target.kind, main, reps, B);

  // Decomposition: intercept (φ0 + offsets + geo), seasonality, trend, controls, channels.
  const components: Record<string, number[]> = { intercept: new Array(n).fill(main.expected + sum(main.offsets)) };
  for (let j = C; j < P; j++) {
    const kind = design.kinds[j];
    const key = kind === 'control' || kind === 'organic' ? design.names[j] : kind === 'geo' ? 'intercept' : kind;
    components[key] ??= new Array(n).fill(0);
    for (let i = 0; i < n; i++) components[key][i] += main.phi[i * P + j];
  }
  const contributions: Record<string, number[]> = {};
  for (const x of Object.values(components)) zeroAbsent(x, data.present);
  data.channels.forEach((name, c) => { contributions[name] = zeroAbsent(Array.from({ length: n }, (_, i) => main.contrib[i * C + c]), data.present); });

  // Response curves by partial dependence over the data's own periods: total response to multiplying
  // the channel's spend everywhere, relative to zero spend.
  const curves = data.channels.map((name, c) => {
    const zero = sum(predictEnsemble(point, withChannel(design, data, media, c, null)));
    const response = CURVE_MULTIPLIERS.map((m) => sum(predictEnsemble(point, withChannel(design, data, media, c, Float64Array.from(data.activity, (v, k) => (k % C === c ? v * m : v))))) - zero);
    return { channel: name, multipliers: CURVE_MULTIPLIERS, response };
  });
  for (const curve of curves) {
    const range = Math.max(...curve.response.map(Math.abs));
    const drop = curve.response.some((v, k) => k > 0 && v < curve.response[k - 1] - 0.02 * range);
    if (range > 0.005 * Math.abs(sum(predicted)) && drop) warnings.push(`NOT MONOTONE: ${curve.channel}'s response to spend goes down somewhere between 0 and 2× its observed spend (a tree artefact or a confounder): do not read its marginal ROI literally.`);
  }
  const maxPeriodSpend = data.channels.map((_, c) => {
    let m = 0;
    for (let g = 0; g < G; g++) for (let t = 0; t < T; t++) if (data.inSample[t]) m = Math.max(m, data.spend[(g * T + t) * C + c]);
    return m;
  });
  warnings.push(`EXTRAPOLATION: trees predict no change beyond the largest spend seen in training (per period: ${data.channels.map((name, c) => `${name} ${Math.round(maxPeriodSpend[c]).toLocaleString('en-US')}`).join(', ')}); plans above those levels are extrapolation and get no credit for the extra spend.`);

  // Interaction strength between channels (Friedman's H²) on up to 60 evenly spaced fit rows.
  const synergy = hStatistics(point, design, data.channels, C, 60);
  const stored: StoredTrees = {
    kind: 'trees', family, params, media, seed, bootstrap: B, checksum,
    components, channelSeries: data.channels.map((name) => contributions[name]), expected: main.expected, maxPeriodSpend, curves, synergy,
  };
  // SHAP parts are additive: an organic column's part, summed, is the channel's contribution.
  const organic = classicOrganic(data, design, Float64Array.from(predicted), (j) => [shapSum(main.phi, j), organicReps[organicCols.indexOf(j)]]);
  return {
    family, approximate: false, fit, ...(organic.length ? { organic } : {}),
    diagnostics: { seconds: (performance.now() - started) / 1000, bootstrap: B, trees: { nTrees: params.nTrees, maxDepth: Math.max(...point.trees.map((t) => t.maxDepth)), leaves: point.trees.reduce((s, t) => s + (t.left.length + 1) / 2, 0) / point.trees.length } },
    channels, warnings,
    series: { dates: data.dates, geos: data.geos, actual: Array.from(data.y), predicted: Array.from(predicted), contributions },
    stored,
  };
}
