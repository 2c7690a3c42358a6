/**
 * Robyn-style ridge MMM search: each channel's adstock and saturation parameters and the ridge
 * penalty are searched by NSGA-II, `trials` independent runs of `iterations` evaluations each, on
 * the objectives NRMSE (in-sample fit), DECOMP.RSSD (√Σ_c (share of effect − share of spend)², over
 * the fit periods) and, when the config has experiments, calibration error (mean |model lift − lift| /
 * |lift| over the experiments' windows). Every evaluated model is a non-negative ridge fit on the fit
 * periods. The Pareto set (fronts 1–3, at least 20 models when there are that many) is stored, its
 * models are clustered by k-means on their standardized ROIs, each cluster gets a recommended model
 * (smallest distance to the origin of the min–max normalized objectives), and the overall recommended
 * model is refitted with moving-block bootstrap intervals.
 *
 * Reproducible: one seed drives every random draw (trial k uses seed + k); the arithmetic is plain
 * IEEE-754 plus V8's fdlibm-based Math, so the same Node major gives identical results on any machine.
 */
import { Rng } from '../../util/rng.ts';
import { inContext } from '../../transforms/params.ts';
import { getTransform } from '../../transforms/registry.ts';
import type { ModelConfig } from '../config.ts';
import type { ModelData } from '../design.ts';
import { assembleDesign, baseColumns } from '../linear/design.ts';
import { bounds, fitRegression } from '../linear/fit.ts';
import { activityScale, defaultMediaParams, mediaFeatures, type ChannelMedia } from '../linear/media.ts';
import { spendTotals, type ClassicFit } from '../linear/result.ts';
import { ridgeSolve } from '../linear/solve.ts';
import { fitMetrics } from '../metrics.ts';
import { elbowKmeans } from './cluster.ts';
import { firstFronts, nsga2 } from './nsga2.ts';

export interface SearchOptions { bootstrap?: number; onProgress?: (message: string) => void }

interface Gene { channel: number; kind: 'adstock' | 'saturation' | 'lambda'; param: string; lo: number; hi: number; log?: boolean }

/** Search ranges per transform parameter (activity in units of the channel's typical value): each descriptor's `search`. */
export function searchSpace(media: ChannelMedia[]): Gene[] {
  const genes: Gene[] = [];
  media.forEach((m, c) => {
    const context = { maxLag: m.adstock.maxLag };
    for (const kind of ['adstock', 'saturation'] as const) {
      const type = m[kind].type;
      if (type === 'none') continue;
      for (const p of getTransform(kind, type).params) genes.push({ channel: c, kind, param: p.name, ...inContext(p.search, context) });
    }
  });
  genes.push({ channel: -1, kind: 'lambda', param: 'lambda', lo: -3, hi: 4, log: true });
  return genes;
}

function decode(space: Gene[], template: ChannelMedia[], g: Float64Array): { media: ChannelMedia[]; lambda: number } {
  const media = template.map((m) => ({ adstock: { ...m.adstock, params: { ...m.adstock.params } }, saturation: { ...m.saturation, params: { ...m.saturation.params } } }));
  let lambda = 1;
  space.forEach((s, j) => {
    const v = s.lo + g[j] * (s.hi - s.lo);
    if (s.kind === 'lambda') lambda = 10 ** v;
    else if (s.kind === 'adstock') media[s.channel].adstock.params[s.param] = v;
    else media[s.channel].saturation.params[s.param] = v;
  });
  return { media, lambda };
}

export interface ParetoModel {
  trial: number; evaluation: number; front: number; cluster: number;
  nrmse: number; decompRssd: number; calibration?: number;
  lambda: number; media: ChannelMedia[]; roi: number[];
}

export function runSearch(config: ModelConfig, data: ModelData, opts: SearchOptions = {}): ClassicFit {
  const started = performance.now();
  const search = config.search!;
  const template = defaultMediaParams(config, data);
  const space = searchSpace(template);
  const scale = activityScale(data);
  const base = baseColumns(config, data);
  const { C, G, T } = data;
  const spend = spendTotals(data);
  const inRows: number[] = [];
  for (let g = 0; g < G; g++) for (let t = 0; t < T; t++) if (data.inSample[t] && data.observed[g * T + t]) inRows.push(g * T + t);
  const spendIn = new Float64Array(C);
  for (const i of inRows) for (let c = 0; c < C; c++) spendIn[c] += data.spend[i * C + c];
  const spendInAll = spendIn.reduce((a, b) => a + b, 0);
  const yIn = inRows.map((i) => data.y[i]);
  const channelIndex = new Map(data.channels.map((n, c) => [n, c]));
  // A test that changed spend (`spendChange`) is read linearly here: |spendChange| × the channel's
  // contribution over its window and geos; one whose window holds no period of the data is left out
  // (the Bayesian model reads both exactly: src/models/bayesian/changeTest.ts).
  const experiments = config.experiments.map((e) => {
    const rows: number[] = [];
    const geos = e.geos ?? (e.geo !== undefined ? [e.geo] : null);
    for (let g = 0; g < G; g++) {
      if (geos && !geos.includes(data.geos[g])) continue;
      for (let t = 0; t < T; t++) if (data.dates[t] >= e.start && data.dates[t] <= e.end) rows.push(g * T + t);
    }
    return { channel: channelIndex.get(e.channel)!, rows, lift: e.lift / Math.abs(e.spendChange ?? -1) };
  }).filter((e) => e.rows.length > 0);
  const calibrated = experiments.length > 0;

  const evaluateModel = (genes: Float64Array) => {
    const { media, lambda } = decode(space, template, genes);
    const design = assembleDesign(data, mediaFeatures(data.activity, data, scale, media), base, scale);
    const { lower, upper } = bounds(data, design, true);
    const s = ridgeSolve(design.X, design.P, data.y, lambda, { rows: inRows, lower, upper, penalty: 'standardized' });
    const P = design.P;
    const pred = inRows.map((i) => { let v = s.intercept; for (let j = 0; j < P; j++) v += design.X[i * P + j] * s.coef[j]; return v; });
    const nrmse = fitMetrics(yIn, pred).nrmse;
    const effIn = new Float64Array(C), effAll = new Float64Array(C);
    for (let i = 0; i < design.n; i++) for (let c = 0; c < C; c++) effAll[c] += design.X[i * P + c] * s.coef[c];
    for (const i of inRows) for (let c = 0; c < C; c++) effIn[c] += design.X[i * P + c] * s.coef[c];
    const effTotal = effIn.reduce((a, b) => a + b, 0);
    let rssd = 0;
    for (let c = 0; c < C; c++) rssd += ((effTotal > 0 ? effIn[c] / effTotal : 0) - spendIn[c] / spendInAll) ** 2;
    rssd = Math.sqrt(rssd);
    let calibration = 0;
    for (const e of experiments) {
      let lift = 0;
      for (const i of e.rows) lift += design.X[i * P + e.channel] * s.coef[e.channel];
      calibration += Math.abs(lift - e.lift) / Math.abs(e.lift || 1);
    }
    calibration /= Math.max(1, experiments.length);
    let revenue = new Float64Array(C);
    revenue = Float64Array.from(effAll, (_, c) => { let r = 0; for (let i = 0; i < design.n; i++) r += design.X[i * P + c] * s.coef[c] * data.revenuePerUnit[i]; return r; });
    const roi = Array.from(revenue, (r, c) => r / spend[c]);
    return { media, lambda, nrmse, rssd, calibration, roi };
  };

  const population = Math.min(100, Math.max(20, Math.round(search.iterations / 20)));
  const evaluated: { trial: number; evaluation: number; genes: Float64Array; objectives: number[] }[] = [];
  for (let trial = 0; trial < search.trials; trial++) {
    const runs = nsga2(space.length, (g) => {
      const m = evaluateModel(g);
      return calibrated ? [m.nrmse, m.rssd, m.calibration] : [m.nrmse, m.rssd];
    }, { evaluations: search.iterations, population, seed: search.seed + trial });
    runs.forEach((r, k) => evaluated.push({ trial, evaluation: k, genes: r.genes, objectives: r.objectives }));
    opts.onProgress?.(`search trial ${trial + 1}/${search.trials}: ${runs.length} models`);
  }

  // Pareto set: fronts 1–3, until at least 20 models.
  const fronts = firstFronts(evaluated.map((e) => e.objectives), 3);
  const chosen: { index: number; front: number }[] = [];
  for (let f = 0; f < Math.min(3, fronts.length); f++) {
    if (chosen.length >= 20 && f > 0) break;
    for (const i of fronts[f]) chosen.push({ index: i, front: f + 1 });
  }
  const pareto: ParetoModel[] = chosen.map(({ index, front }) => {
    const e = evaluated[index];
    const m = evaluateModel(e.genes);
    return {
      trial: e.trial, evaluation: e.evaluation, front, cluster: 0, nrmse: m.nrmse, decompRssd: m.rssd,
      ...(calibrated ? { calibration: m.calibration } : {}), lambda: m.lambda, media: m.media, roi: m.roi,
    };
  });
  // Cluster on standardized ROI.
  const z = standardize(pareto.map((p) => p.roi));
  const clustering = elbowKmeans(z, search.seed);
  pareto.forEach((p, i) => { p.cluster = clustering.labels[i] + 1; });
  const objs = pareto.map((p) => (calibrated ? [p.nrmse, p.decompRssd, p.calibration!] : [p.nrmse, p.decompRssd]));
  const lo = objs[0].map((_, k) => Math.min(...objs.map((o) => o[k]))), hi = objs[0].map((_, k) => Math.max(...objs.map((o) => o[k])));
  const distance = objs.map((o) => Math.sqrt(o.reduce((s, v, k) => s + (hi[k] > lo[k] ? (v - lo[k]) / (hi[k] - lo[k]) : 0) ** 2, 0)));
  const clusters = Array.from({ length: clustering.k }, (_, j) => {
    const members = pareto.map((_, i) => i).filter((i) => pareto[i].cluster === j + 1);
    const rec = members.reduce((b, i) => (distance[i] < distance[b] - 1e-15 ? i : b), members[0]);
    const meanRoi = data.channels.map((_, c) => members.reduce((s, i) => s + pareto[i].roi[c], 0) / members.length);
    return { cluster: j + 1, size: members.length, recommended: rec, meanRoi };
  }).filter((c) => c.size > 0);
  const best = clusters.reduce((b, c) => (distance[c.recommended] < distance[b.recommended] - 1e-15 ? c : b), clusters[0]).recommended;
  const seconds = (performance.now() - started) / 1000;
  const pick = pareto[best];
  const fit = fitRegression(config, data, 'ridge', {
    media: pick.media, lambda: pick.lambda, seed: search.seed, bootstrap: opts.bootstrap,
    extra: { search: { settings: search, objectives: calibrated ? ['nrmse', 'decompRssd', 'calibration'] : ['nrmse', 'decompRssd'], evaluations: evaluated.length, pareto, clusters, recommended: best } },
  });
  const recommended = clusters.map((c) => {
    const p = pareto[c.recommended];
    return {
      cluster: c.cluster, size: c.size, nrmse: p.nrmse, decompRssd: p.decompRssd, ...(calibrated ? { calibration: p.calibration } : {}),
      lambda: p.lambda, roi: Object.fromEntries(data.channels.map((name, k) => [name, p.roi[k]])), chosen: c.recommended === best,
    };
  });
  fit.diagnostics.search = { iterations: search.iterations, trials: search.trials, evaluations: evaluated.length, paretoSize: pareto.length, clusters: clusters.length, seconds, recommended };
  fit.diagnostics.seconds = (performance.now() - started) / 1000;
  return fit;
}

function standardize(rows: number[][]): number[][] {
  if (!rows.length) return rows;
  const d = rows[0].length;
  const mean = Array.from({ length: d }, (_, j) => rows.reduce((s, r) => s + r[j], 0) / rows.length);
  const sd = Array.from({ length: d }, (_, j) => Math.sqrt(rows.reduce((s, r) => s + (r[j] - mean[j]) ** 2, 0) / rows.length) || 1);
  return rows.map((r) => r.map((v, j) => (v - mean[j]) / sd[j]));
}
