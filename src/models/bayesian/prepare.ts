/**
 * Everything the Bayesian MMM precomputes from config and data before it builds its graph: scale
 * factors, scaled arrays in geo-major [g, t, ·] layout (the layout of the data and of the graph's
 * batched ops), resolved priors in ROI terms, and experiment windows as weight masks.
 */
import { badConfig } from '../../errors.ts';
import { isLegacyExperiment, modelChannels, type ModelConfig } from '../config.ts';
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
  /**
   * C counts the model's media: the data's paid channels (0 … P − 1, the data's indices) then its
   * organic channels (P … C − 1). An organic channel's `spendTotal` is the data's total revenue, so
   * its `roi` parameter is its share of the outcome's revenue (the parameterization that keeps the
   * sampler's geometry, docs/mmm.md).
   */
  T: number; G: number; C: number; K: number; tIn: number;
  /** Paid channels P (the data's C); channels P … C − 1 are organic. */
  P: number;
  /**
   * Reach & frequency channels: per model channel, its frequency divided by `frequencyScale[c]`
   * ([g, t]), or null. Their `xScaled` is reach (divided by its typical value): the response is
   * adstock(reach × Hill(frequency)) (docs/mmm.md), so more spend reaches more people at the same frequency.
   */
  frequency: (Float64Array | null)[];
  frequencyScale: Float64Array;
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
  /** Per channel, the curve roles whose prior the user gave (`priors.curves`), as against a default. */
  curvePriorsGiven: Set<CurveRole>[];
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
  const { T, G, K } = data;
  const P = data.C, O = data.organic?.names.length ?? 0, C = P + O;
  // What the model sees per channel: paid activity (reach for R&F channels), then organic activity.
  const activityAt = (k: number, c: number): number => {
    if (c >= P) return data.organic!.activity[k * O + c - P];
    const rf = data.rf?.[c];
    return rf ? rf.reach[k] : data.activity[k * P + c];
  };
  const spendAt = (k: number, c: number): number => (c < P ? data.spend[k * P + c] : 0);
  const frequency: (Float64Array | null)[] = Array.from({ length: C }, () => null);
  const frequencyScale = new Float64Array(C).fill(1);
  data.rf?.forEach((rf, c) => {
    if (!rf) return;
    // One scale per channel over every geo, so a half-saturation frequency reads the same in each.
    let s = 0, n = 0;
    for (let k = 0; k < G * T; k++) if (rf.reach[k] > 0) { s += rf.frequency[k]; n++; }
    frequencyScale[c] = n > 0 ? s / n : 1;
    frequency[c] = Float64Array.from(rf.frequency, (f, k) => (rf.reach[k] > 0 ? f / frequencyScale[c] : 0));
  });
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
        const a = activityAt(g * T + t, c);
        if (a > 0) { s += a; n++; }
        spendTotal[c] += spendAt(g * T + t, c);
      }
      const scale = n > 0 ? s / n : 1;
      xScale[g * C + c] = scale;
      for (let t = 0; t < T; t++) xScaled[(g * T + t) * C + c] = activityAt(g * T + t, c) / scale;
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
  // An organic channel's "spend" is the outcome's revenue: its `roi` parameter is its revenue share.
  for (let c = P; c < C; c++) spendTotal[c] = revenueTotal > 0 ? revenueTotal : 1;
  // Meridian's default where it implies a plausible media share; else centred on a 20% share
  // (priorCheck.ts states the rule: revenue over 100× spend, or a median share above one half).
  const chosen = defaultRoiPrior(revenueTotal, spendAll, revenueLike);
  const fallback: LogNormalPrior = config.priors.defaultRoi
    ? meanSdToLogNormal(config.priors.defaultRoi.mean, config.priors.defaultRoi.sd)
    : chosen.prior;
  const defaultRoiRule = config.priors.defaultRoi ? 'given' as const : chosen.rule;
  // The `roi` parameter of a channel with an mROI prior is its marginal ROI (model.ts), with that prior.
  const channelsInOrder = modelChannels(config);
  const roiIsMroi = channelsInOrder.map((ch) => ch.name in config.priors.mroi);
  const roiPrior = channelsInOrder.map((ch, c) => {
    if (c >= P) return organicSharePrior(config.priors.contributionShare[ch.name]);
    const p = config.priors.roi[ch.name] ?? config.priors.mroi[ch.name];
    return p ? meanSdToLogNormal(p.mean, p.sd) : fallback;
  });

  const maxLagDefault = defaultMaxLag(data.grain);
  const adstock = channelsInOrder.map((ch) => {
    const a = ch.adstock ?? config.adstock;
    return { type: a.type, maxLag: a.maxLag ?? config.adstock.maxLag ?? maxLagDefault };
  });
  const saturation = channelsInOrder.map((ch) => ({ type: (ch.saturation ?? config.saturation).type }));
  const curvePriors = channelsInOrder.map((ch): CurvePriors => {
    const p = config.priors.curves[ch.name] ?? {};
    const out: CurvePriors = {};
    if (p.decay) out.decay = { dist: 'beta', ...meanSdToBeta(p.decay.mean, p.decay.sd) };
    if (p.halfSaturation) out.halfSaturation = { dist: 'logNormal', ...meanSdToLogNormal(p.halfSaturation.mean, p.halfSaturation.sd) };
    if (p.shape) out.shape = { dist: 'logNormal', ...meanSdToLogNormal(p.shape.mean, p.shape.sd) };
    const c = channelsInOrder.indexOf(ch);
    if (frequency[c]) Object.assign(out, { ...rfCurvePriors(frequencyScale[c]), ...out });
    return out;
  });
  const curvePriorsGiven = channelsInOrder.map((ch) => new Set(Object.keys(config.priors.curves[ch.name] ?? {}) as CurveRole[]));

  const channelIndex = new Map(data.channels.map((n, c) => [n, c]));
  const changeTests: PreparedMmm['changeTests'] = [];
  config.experiments.forEach((e, i) => {
    if (isLegacyExperiment(e)) return;
    const spec = experimentSpec(e, data, config.data.geo === undefined, `experiments[${i}]`);
    if (frequency[spec.channel]) throw badConfig(`\`experiments[${i}]\`: '${e.channel}' is a reach and frequency channel; a test that changed its spend is not read yet — give the test's result as the channel's contribution over the window (without \`geos\`, \`spendChange\` and \`alternate\`)`, [{ field: `config.experiments[${i}].channel`, message: 'is a reach and frequency channel: give the result as its contribution over the test window' }]);
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
  // An organic channel's share prior is the prior of its own parameter (organicSharePrior), not a term.
  const shares = Object.entries(config.priors.contributionShare).filter(([name]) => channelIndex.has(name)).map(([name, s]) => ({
    channel: channelIndex.get(name)!, share: s.share, sd: Math.max(0.005, s.share * (1 - s.confidence)),
  }));
  return {
    T, G, C, K, P, tIn, frequency, frequencyScale, yScale, yScaled, xScale, xScaled, inSampleIndex, z, zMean, zSd, revenueWeight, outcomeWeight, spendTotal,
    baseline: baselineFeatures(config, data), roiPrior, roiIsMroi, adstock, saturation, curvePriors, curvePriorsGiven, experiments, changeTests, shares, yTotal,
    revenueTotal, defaultRoiRule,
  };
}

/**
 * The prior of an organic channel's revenue share. Given (`priors.contributionShare`): a LogNormal with
 * that mean and the sd the share prior of a paid channel gets. Default: mean 5%, sd 6% — median 3.1%,
 * 90% between 0.6% and 13.8% — wide enough for a newsletter (Robyn's demo decomposes its own to about
 * 2% of revenue) and for strong organic programmes, while keeping an unseen channel from taking the
 * baseline's place.
 */
export const DEFAULT_ORGANIC_SHARE = { mean: 0.05, sd: 0.06 };
export function organicSharePrior(given?: { share: number; confidence: number }): LogNormalPrior {
  if (!given) return meanSdToLogNormal(DEFAULT_ORGANIC_SHARE.mean, DEFAULT_ORGANIC_SHARE.sd);
  const share = Math.max(given.share, 1e-4);
  return meanSdToLogNormal(share, Math.max(0.005, share * (1 - given.confidence)));
}

/**
 * Meridian's default curve priors for reach & frequency channels (`ec_rf` ~ LogNormal(0.8, 0.3) on the
 * frequency itself, median 2.2 exposures; `slope_rf` ~ LogNormal(0.7, 0.4), median 2.0): an S-shaped
 * response in frequency, so the optimal frequency (rf.ts) can lie above 1 — a concave curve would put
 * it at 1 whatever the data. The half-saturation point here is in units of the channel's typical
 * frequency, hence the shift by its log. A channel's own `priors.curves` replace them.
 */
export function rfCurvePriors(frequencyScale: number): CurvePriors {
  return {
    halfSaturation: { dist: 'logNormal', mu: 0.8 - Math.log(frequencyScale), sigma: 0.3 },
    shape: { dist: 'logNormal', mu: 0.7, sigma: 0.4 },
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
