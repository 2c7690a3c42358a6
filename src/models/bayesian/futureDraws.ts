/**
 * The Bayesian MMM beyond its data: per posterior draw, the expected outcome in periods after the
 * data's last, split into baseline, controls and media, and the draw's observation noise — what a
 * forecast needs to be a posterior predictive (`FittedModel.futureDraws`, used by planning/forecast.ts).
 *
 * Per draw d, geo g and future period p (all in target units, i.e. × the geo's scale m_g):
 * - base: τ[g] + trend + seasonality, the trend's basis continued past the data (a linear trend goes on
 *   with the draw's slope, a piecewise one with the slope after its last changepoint), the Fourier
 *   seasonality evaluated at the future dates;
 * - controls: Σ_k γ[g,k]·z, z the given raw control values standardized with the fit's means and sds
 *   (zero — the controls at their in-sample mean — when no values are given);
 * - media: adstock and saturation of the observed activity followed by the given future activity
 *   (zero where none is given), with the draw's transform parameters and coefficients: the carry-over
 *   of spend before the forecast is included, as in the model. The transforms are the registry's
 *   (src/transforms), the ones the model's graph runs; a test checks the in-sample part against the
 *   model's own decomposition.
 * - sigma: the draw's σ × m_g, the sd of the model's Normal likelihood in the geo's units.
 */
import { internal } from '../../errors.ts';
import { applyTransform } from '../../transforms/registry.ts';
import type { ModelConfig } from '../config.ts';
import type { ModelData } from '../design.ts';
import { baselineFeatures } from '../features.ts';
import type { FutureDraws, FutureRequest } from '../fitted.ts';
import type { MmmModel } from './model.ts';
import type { PreparedMmm } from './prepare.ts';
import { groupTransforms } from './media.ts';

export interface FutureContext {
  config: ModelConfig;
  data: ModelData;
  prep: PreparedMmm;
  mmm: MmmModel;
  /** Constrained parameters per draw, and the matching unconstrained θ. */
  named: Record<string, Float64Array>[];
  thetas: Float64Array[];
}

const DAY = 86_400_000;

export function bayesianFutureDraws(ctx: FutureContext, request: FutureRequest): FutureDraws {
  const { config, data, prep, mmm, named, thetas } = ctx;
  const { G, T, K } = prep;
  const { dates } = request;
  const H = dates.length;
  const C = data.C;
  if (request.activity && request.activity.length !== G * H * C) throw internal(`futureDraws: activity has ${request.activity.length} values for ${G} geos × ${H} periods × ${C} channels`);
  if (request.controls && request.controls.length !== G * H * K) throw internal(`futureDraws: controls have ${request.controls.length} values for ${G} geos × ${H} periods × ${K} controls`);
  const n = thetas.length;

  // Calendar features of the future dates, on the fit's own scales (time01 runs past 1).
  const ms = dates.map((d) => Date.parse(`${d}T00:00:00Z`));
  const first = Date.parse(`${data.dates[0]}T00:00:00Z`), last = Date.parse(`${data.dates[T - 1]}T00:00:00Z`);
  const span = Math.max(last - first, 1), epoch = Date.UTC(2000, 0, 1);
  const features = baselineFeatures(config, {
    ...data, T: H,
    yearPhase: Float64Array.from(ms, (m) => (m - epoch) / (365.25 * DAY)),
    time01: Float64Array.from(ms, (m) => (m - first) / span),
  });
  const { nTrend, nSeason } = features;

  const base = new Float64Array(n * G * H), controls = new Float64Array(n * G * H), media = new Float64Array(n * G * H), carryIn = new Float64Array(n * G * H);
  const sigma = new Float64Array(n * G);
  const z = new Float64Array(G * H * K);
  if (request.controls) for (let i = 0; i < G * H; i++) for (let k = 0; k < K; k++) z[i * K + k] = (request.controls[i * K + k] - prep.zMean[k]) / prep.zSd[k];

  // Scaled activity over the data and the future, per media group: [G, T + H, Cg]. The data's part is
  // what the model saw (prep.xScaled: reach for R&F channels, organic channels after the paid ones).
  const TH = T + H;
  const groups = mmm.groups;
  const P = prep.P, CM = prep.C;
  const future = futureInputs(prep, data, request, H);
  // Without future activity (`past`: the carry-in) and with it.
  const scaled = (withFuture: boolean) => groups.map((group) => {
    const Cg = group.channels.length, x = new Float64Array(G * TH * Cg);
    for (let g = 0; g < G; g++) group.channels.forEach((c, q) => {
      for (let t = 0; t < T; t++) x[(g * TH + t) * Cg + q] = prep.xScaled[(g * T + t) * CM + c];
      // Organic channels go on at their held volume in both: they are not part of a plan's spend.
      if (withFuture || c >= P) for (let p = 0; p < H; p++) x[(g * TH + T + p) * Cg + q] = future.x[(g * H + p) * CM + c];
    });
    return x;
  });
  const frequencies = groups.map((group) => {
    if (!group.frequency) return undefined;
    const c = group.channels[0], f = new Float64Array(G * TH);
    for (let g = 0; g < G; g++) {
      for (let t = 0; t < T; t++) f[g * TH + t] = group.frequency[g * T + t];
      for (let p = 0; p < H; p++) f[g * TH + T + p] = future.frequency[c] / prep.frequencyScale[c];
    }
    return f;
  });
  const past = scaled(false), xs = request.activity || future.organicChanged ? scaled(true) : past;
  const names = ['tau', ...(K > 0 ? ['gamma'] : []), ...groups.map((_, j) => `b${j}`)];
  thetas.forEach((theta, d) => {
    const p = named[d];
    const gen = mmm.model.generated(theta, names);
    for (let g = 0; g < G; g++) {
      const m = prep.yScale[g]; // the geo's scale (outcomeWeight is 0 where a late geo had no row)
      sigma[d * G + g] = p.sigma[0] * m;
      for (let h = 0; h < H; h++) {
        let v = gen.tau[g];
        for (let k = 0; k < nTrend; k++) v += features.trend[h * nTrend + k] * p.trend[k];
        for (let k = 0; k < nSeason; k++) v += features.seasonality[h * nSeason + k] * p.season[k];
        const i = (d * G + g) * H + h;
        base[i] = v * m;
        if (request.controls && K > 0) {
          let s = 0;
          for (let k = 0; k < K; k++) s += gen.gamma[gen.gamma.length === K ? k : g * K + k] * z[(g * H + h) * K + k];
          controls[i] = s * m;
        }
      }
    }
    groups.forEach((group, j) => {
      const Cg = group.channels.length;
      const hPast = mediaPath(group, p, past[j], G, TH, Cg, frequencies[j]);
      const h = xs === past ? hPast : mediaPath(group, p, xs[j], G, TH, Cg, frequencies[j]);
      const b = gen[`b${j}`];
      for (let g = 0; g < G; g++) {
        const m = prep.yScale[g]; // the geo's scale (outcomeWeight is 0 where a late geo had no row)
        for (let q = 0; q < Cg; q++) {
          const bg = b[g * Cg + q] ?? b[q];
          for (let hh = 0; hh < H; hh++) {
            const i = (d * G + g) * H + hh, cell = (g * TH + T + hh) * Cg + q;
            media[i] += h[cell] * bg * m;
            carryIn[i] += hPast[cell] * bg * m;
          }
        }
      }
    });
  });
  return { nDraws: n, geos: G, periods: H, base, controls, media, carryIn, sigma };
}

/**
 * Saturated adstocked activity h [G, TH, Cg] of a media group for one draw's parameters, as the model's
 * `mediaTransform` computes it (media.ts), with the registry's plain transforms.
 */
export function mediaPath(group: MmmModel['groups'][number], p: Record<string, Float64Array>, x: Float64Array, G: number, TH: number, Cg: number, frequency?: Float64Array): Float64Array {
  const s = group.suffix, maxLag = group.adstock.maxLag;
  const dims = { series: G, T: TH, C: Cg };
  const params = (t: ReturnType<typeof groupTransforms>[number]) => Object.fromEntries(t.params.map((q) => [q.name, p[`${q.key}${s}`]]));
  if (group.frequency && frequency) {
    // Reach & frequency: adstock(reach × saturation(frequency)), as media.ts.
    let sat: Float64Array = frequency;
    for (const t of groupTransforms(group)) if (t.kind === 'saturation') sat = applyTransform(t, sat, params(t), {}, dims);
    let a: Float64Array = Float64Array.from(x, (v, i) => v * sat[i]);
    for (const t of groupTransforms(group)) if (t.kind === 'adstock') a = applyTransform(t, a, params(t), { maxLag }, dims);
    return a;
  }
  let a = x;
  for (const t of groupTransforms(group)) {
    a = applyTransform(t, a, Object.fromEntries(t.params.map((q) => [q.name, p[`${q.key}${s}`]])), t.kind === 'adstock' ? { maxLag } : {}, dims);
  }
  return a;
}

/**
 * The scaled model activity of the future periods per [g, p, c] over the model's channels, and the
 * frequency each reach & frequency channel runs at there:
 * - paid channels: the requested activity; an R&F channel's activity (impressions) becomes reach at
 *   its future frequency (`request.frequency`, default its reach-weighted mean over the last year);
 * - organic channels: held at their volume over the last year of data (per geo), times the scenario's
 *   multiplier (`request.organic`, e.g. { newsletter: 1.2 } for 20% more sends).
 */
export function futureInputs(prep: PreparedMmm, data: ModelData, request: FutureRequest, H: number): { x: Float64Array; frequency: Float64Array; organicChanged: boolean } {
  const { G, T, P, C: CM } = prep;
  const C = data.C;
  const lastYear = Math.min(T, periodsPerYear(data.grain));
  const frequency = new Float64Array(CM);
  data.rf?.forEach((rf, c) => {
    if (!rf) return;
    const given = request.frequency?.[data.channels[c]];
    if (given !== undefined) { frequency[c] = given; return; }
    let r = 0, rf2 = 0;
    for (let g = 0; g < G; g++) for (let t = T - lastYear; t < T; t++) { r += rf.reach[g * T + t]; rf2 += rf.reach[g * T + t] * rf.frequency[g * T + t]; }
    frequency[c] = r > 0 ? rf2 / r : prep.frequencyScale[c];
  });
  const x = new Float64Array(G * H * CM);
  for (let g = 0; g < G; g++) for (let c = 0; c < CM; c++) {
    const scale = prep.xScale[g * CM + c];
    if (c < P) {
      if (!request.activity) continue;
      for (let p = 0; p < H; p++) {
        const a = request.activity[(g * H + p) * C + c];
        x[(g * H + p) * CM + c] = (prep.frequency[c] ? a / Math.max(frequency[c], 1e-9) : a) / scale;
      }
    } else {
      let level = 0;
      for (let t = T - lastYear; t < T; t++) level += prep.xScaled[(g * T + t) * CM + c];
      level /= lastYear;
      const multiplier = request.organic?.[data.organic!.names[c - P]] ?? 1;
      for (let p = 0; p < H; p++) x[(g * H + p) * CM + c] = level * multiplier;
    }
  }
  const organicChanged = Object.values(request.organic ?? {}).some((m) => m !== 1);
  return { x, frequency, organicChanged };
}

/** Periods in a year at the data's grain (the window organic volume and R&F frequency are held at). */
function periodsPerYear(grain: ModelData['grain']): number {
  return grain === 'day' ? 365 : grain === 'week' ? 52 : grain === 'month' ? 12 : 1;
}
