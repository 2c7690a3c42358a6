/**
 * Everything the Bayesian MMM precomputes from config and data before it builds its graph: scale
 * factors, scaled arrays in geo-major [g, t, ·] layout (the layout of the data and of the graph's
 * batched ops), resolved priors in ROI terms, and experiment windows as weight masks.
 */
import { badConfig } from '../../errors.ts';
import { isLegacyExperiment, type ModelConfig } from '../config.ts';
import type { ModelData } from '../design.ts';
import { baselineFeatures, defaultMaxLag, type BaselineFeatures } from '../features.ts';
import type { CurveRole, Prior } from '../../transforms/types.ts';
import { defaultRoiPrior } from './priorCheck.ts';
import type { BetaPrior, LogNormalPrior } from './priors.ts';
import { changeTestSeries, experimentSpec, type ChangeTestSeries } from './changeTest.ts';

/**
 * The priors a user set on a channel's curve parameters (`priors.curves`), as the distributions the
 * model uses: a decay's mean and sd as a Beta, a half-saturation's or shape's as a LogNormal. The
 * channel's other transform parameters keep their descriptor's default prior (src/transforms).
 */
export type CurvePriors = Partial<Record<CurveRole, Prior>>;

export interface PreparedMmm {
  T: number; G: number; C: number; K: number; tIn: number;
  /** Geo scale m_g: mean outcome of the geo over its observed in-sample cells. */
  yScale: Float64Array;
  /** Scaled outcome [g, t] (0 where unobserved; only `inSampleIndex` cells are read). */
  yScaled: Float64Array;
  /** Activity scale per [g, c]: mean of the non-zero activity of that channel in that geo. */
  xScale: Float64Array;
  /** Scaled activity [g, t, c]. */
  xScaled: Float64Array;
  /** Indices g·T + t of the observed in-sample cells (the fit's likelihood terms; unbalanced panels skip the rest). */
  inSampleIndex: Int32Array;
  /** Standardized controls [g, t, k] and their means / sds. */
  z: Float64Array; zMean: Float64Array; zSd: Float64Array;
  /** Revenue weight w[g, t] = m_g · revenuePerUnit[g, t]: scaled outcome → revenue (0 where the geo has no row). */
  revenueWeight: Float64Array;
  /** Outcome weight m_g per [g, t]: scaled outcome → target units (0 where the geo has no row: it adds nothing then). */
  outcomeWeight: Float64Array;
  /** Total spend per channel. */
  spendTotal: Float64Array;
  baseline: BaselineFeatures;
  /** Prior of each channel's `roi` parameter: its ROI, or its marginal ROI where `roiIsMroi`. */
  roiPrior: LogNormalPrior[];
  /** Channels whose `roi` parameter is the marginal ROI (a `priors.mroi` entry); ROI is then derived. */
  roiIsMroi: boolean[];
  adstock: { type: string; maxLag: number }[];
  saturation: { type: string }[];
  curvePriors: CurvePriors[];
  /** Lift tests in the form before issue 27: the channel's contribution over the window (weights per [g, t]). */
  experiments: { channel: number; weight: Float64Array; lift: number; liftSe: number }[];
  /** Lift tests that changed spend (`geos`, `spendChange`, `alternate`): changeTest.ts. `index` is the config's. */
  changeTests: { index: number; series: ChangeTestSeries; lift: number; liftSe: number }[];
  shares: { channel: number; share: number; sd: number }[];
  /** Total observed outcome in target units (for contribution shares). */
  yTotal: number;
  /** Total outcome in revenue (target units × revenue per unit), for the prior check. */
  revenueTotal: number;
  /** How the default ROI prior was chosen (priorCheck.ts). */
  defaultRoiRule: 'meridian' | 'media-share' | 'given';
}

export function prepareMmm(config: ModelConfig, data: ModelData): PreparedMmm {
  const { T, G, C, K } = data;
  const tIn = data.inSample.reduce((a, b) => a + b, 0);
  // Unbalanced panels: only observed cells count (an absent row or empty outcome is not a zero).
  const yScale = new Float64Array(G);
  for (let g = 0; g < G; g++) {
    let s = 0, n = 0;
    for (let t = 0; t < T; t++) if (data.inSample[t] && data.observed[g * T + t]) { s += data.y[g * T + t]; n++; }
    yScale[g] = n > 0 && s / n > 0 ? s / n : 1;
  }
  const yScaled = new Float64Array(T * G);
  const revenueWeight = new Float64Array(T * G);
  const outcomeWeight = new Float64Array(T * G);
  let yTotal = 0;
  const inSampleCells: number[] = [];
  for (let g = 0; g < G; g++) for (let t = 0; t < T; t++) {
    const i = g * T + t;
    yScaled[i] = data.observed[i] ? data.y[i] / yScale[g] : 0;
    revenueWeight[i] = data.present[i] ? yScale[g] * data.revenuePerUnit[i] : 0;
    outcomeWeight[i] = data.present[i] ? yScale[g] : 0;
    if (data.observed[i]) yTotal += data.y[i];
    if (data.inSample[t] && data.observed[i]) inSampleCells.push(i);
  }
  const inSampleIndex = Int32Array.from(inSampleCells);
  const xScale = new Float64Array(G * C);
  const xScaled = new Float64Array(G * T * C);
  const spendTotal = new Float64Array(C);
  for (let c = 0; c < C; c++) {
    for (let g = 0; g < G; g++) {
      let s = 0, n = 0;
      for (let t = 0; t < T; t++) {
        const a = data.activity[(g * T + t) * C + c];
        if (a > 0) { s += a; n++; }
        spendTotal[c] += data.spend[(g * T + t) * C + c];
      }
      const scale = n > 0 ? s / n : 1;
      xScale[g * C + c] = scale;
      for (let t = 0; t < T; t++) xScaled[(g * T + t) * C + c] = data.activity[(g * T + t) * C + c] / scale;
    }
  }
  const z = new Float64Array(T * G * K);
  const zMean = new Float64Array(K), zSd = new Float64Array(K);
  for (let k = 0; k < K; k++) {
    let s = 0, ss = 0, n = 0;
    for (let i = 0; i < G * T; i++) { if (!data.present[i]) continue; const v = data.controlValues[i * K + k]; s += v; ss += v * v; n++; }
    const mean = s / n;
    const sd = Math.sqrt(Math.max(ss / n - mean * mean, 0));
    zMean[k] = mean; zSd[k] = sd > 0 ? sd : 1;
    for (let i = 0; i < G * T; i++) z[i * K + k] = (data.controlValues[i * K + k] - mean) / zSd[k];
  }

  // ROI priors. Revenue (or conversions with revenue per conversion): Meridian's LogNormal(0.2, 0.9).
  // Conversions alone: ROI is outcome per currency, so centre the prior where all media together
  // would explain ~20% of the outcome.
  const revenueLike = config.target.kind === 'revenue' || config.target.revenuePerConversion !== undefined;
  const spendAll = spendTotal.reduce((a, b) => a + b, 0);
  let revenueTotal = 0;
  for (let i = 0; i < T * G; i++) if (data.observed[i]) revenueTotal += yScaled[i] * revenueWeight[i];
  // Meridian's default where it implies a plausible media share; else centred on a 20% share
  // (priorCheck.ts states the rule: revenue over 100× spend, or a median share above one half).
  const chosen = defaultRoiPrior(revenueTotal, spendAll, revenueLike);
  const fallback: LogNormalPrior = config.priors.defaultRoi
    ? meanSdToLogNormal(config.priors.defaultRoi.mean, config.priors.defaultRoi.sd)
    : chosen.prior;
  const defaultRoiRule = config.priors.defaultRoi ? 'given' as const : chosen.rule;
  // The `roi` parameter of a channel with an mROI prior is its marginal ROI (model.ts), with that prior.
  const roiIsMroi = config.channels.map((ch) => ch.name in config.priors.mroi);
  const roiPrior = config.channels.map((ch) => {
    const p = config.priors.roi[ch.name] ?? config.priors.mroi[ch.name];
    return p ? meanSdToLogNormal(p.mean, p.sd) : fallback;
  });

  const maxLagDefault = defaultMaxLag(data.grain);
  const adstock = config.channels.map((ch) => {
    const a = ch.adstock ?? config.adstock;
    return { type: a.type, maxLag: a.maxLag ?? config.adstock.maxLag ?? maxLagDefault };
  });
  const saturation = config.channels.map((ch) => ({ type: (ch.saturation ?? config.saturation).type }));
  const curvePriors = config.channels.map((ch): CurvePriors => {
    const p = config.priors.curves[ch.name] ?? {};
    const out: CurvePriors = {};
    if (p.decay) out.decay = { dist: 'beta', ...meanSdToBeta(p.decay.mean, p.decay.sd) };
    if (p.halfSaturation) out.halfSaturation = { dist: 'logNormal', ...meanSdToLogNormal(p.halfSaturation.mean, p.halfSaturation.sd) };
    if (p.shape) out.shape = { dist: 'logNormal', ...meanSdToLogNormal(p.shape.mean, p.shape.sd) };
    return out;
  });

  const channelIndex = new Map(data.channels.map((n, c) => [n, c]));
  const changeTests: PreparedMmm['changeTests'] = [];
  config.experiments.forEach((e, i) => {
    if (isLegacyExperiment(e)) return;
    const spec = experimentSpec(e, data, config.data.geo === undefined, `experiments[${i}]`);
    changeTests.push({ index: i, series: changeTestSeries(data, xScale, yScale, adstock[spec.channel].maxLag, spec), lift: e.lift, liftSe: e.liftSe });
  });
  const experiments = config.experiments.flatMap((e, i) => {
    if (!isLegacyExperiment(e)) return [];
    const weight = new Float64Array(T * G);
    let periods = 0;
    for (let t = 0; t < T; t++) {
      if (data.dates[t] < e.start || data.dates[t] > e.end) continue;
      periods++;
      for (let g = 0; g < G; g++) {
        if (e.geo !== undefined && data.geos[g] !== e.geo) continue;
        weight[g * T + t] = outcomeWeight[g * T + t];
      }
    }
    if (periods === 0) throw badConfig(`\`experiments[${i}]\` window ${e.start}…${e.end} covers no period of the data (${data.dates[0]}…${data.dates[T - 1]})`);
    if (e.geo !== undefined && config.data.geo === undefined) throw badConfig(`\`experiments[${i}].geo\` is '${e.geo}', but the model is national (no \`data.geo\`): leave the geo out, or fit a geo model`);
    if (e.geo !== undefined && !data.geos.includes(e.geo)) throw badConfig(`\`experiments[${i}].geo\` must be one of ${data.geos.join(', ')}; got '${e.geo}'`);
    return [{ channel: channelIndex.get(e.channel)!, weight, lift: e.lift, liftSe: e.liftSe }];
  });
  const shares = Object.entries(config.priors.contributionShare).map(([name, s]) => ({
    channel: channelIndex.get(name)!, share: s.share, sd: Math.max(0.005, s.share * (1 - s.confidence)),
  }));
  return {
    T, G, C, K, tIn, yScale, yScaled, xScale, xScaled, inSampleIndex, z, zMean, zSd, revenueWeight, outcomeWeight, spendTotal,
    baseline: baselineFeatures(config, data), roiPrior, roiIsMroi, adstock, saturation, curvePriors, experiments, changeTests, shares, yTotal,
    revenueTotal, defaultRoiRule,
  };
}

/** The LogNormal(μ, σ) whose mean and sd are the given ones. */
export function meanSdToLogNormal(mean: number, sd: number): LogNormalPrior {
  const sigma2 = Math.log(1 + (sd * sd) / (mean * mean));
  return { mu: Math.log(mean) - sigma2 / 2, sigma: Math.sqrt(sigma2) };
}

/** The Beta(a, b) whose mean and sd are the given ones (needs sd² < mean·(1 − mean), checked in config.ts). */
export function meanSdToBeta(mean: number, sd: number): BetaPrior {
  const n = (mean * (1 - mean)) / (sd * sd) - 1;
  return { a: mean * n, b: (1 - mean) * n };
}
