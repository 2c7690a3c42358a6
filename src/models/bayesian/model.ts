/**
 * The Bayesian MMM as a log-density on the autodiff graph (DESIGN.md "The Bayesian MMM").
 *
 * Scaled space: outcome y[g,t]/m_g (m_g the geo's mean in-sample outcome), activity per channel and
 * geo divided by its mean non-zero value, controls standardized. For geo g, period t:
 *
 *   μ[g,t] = τ[g] + trend[t] + season[t] + Σ_c b[g,c]·sat_c(adstock_c(x[g,·,c]))[t] + Σ_k γ_k·z[g,t,k]
 *
 * Geometry decides speed, so the sampler never sees β directly: each channel is parameterized by its
 * ROI over the whole data (as Meridian does), b[g,c] = β_c·u[g,c] with geo multipliers
 * u[g,c] = exp(σ_c·ζ[g,c]) (non-centered), and β_c is whatever makes the channel's revenue over every
 * period equal roi_c × spend_c. The ROI is then nearly orthogonal to the adstock and saturation shape,
 * which the likelihood identifies only weakly; the half-saturation point is in units of the channel's
 * typical activity so one prior fits every channel.
 */
import type { Node } from '../../autodiff/graph.ts';
import * as ad from '../../autodiff/index.ts';
import { vecmat } from '../../autodiff/ops/vecmat.ts';
import { defineModel, type Model, type ParamSpec } from '../../inference/model.ts';
import type { PreparedMmm } from './prepare.ts';
import { centredIntercept, centredPredictor } from './ops/centredPredictor.ts';
import { centredNormalLikelihood } from './ops/centredNormalLikelihood.ts';
import { geometricHillContribution, geometricHillSeriesSums, geometricHillWindowSums, type KernelPrecision, type MediaSeries, type MediaWindow } from './ops/geometricHillContribution.ts';
import { geometricHillMarginalRatio } from './ops/geometricHillMarginalRatio.ts';
import { mediaContribution } from './ops/mediaContribution.ts';
import { groupParams, mediaGroups, mediaParamSpecs, mediaPriors, mediaTransform, type MediaGroup } from './media.ts';

/** Relative spend step of the marginal ROI that an mROI prior speaks to (the posterior's mROI uses the same). */
const MROI_PRIOR_STEP = 1e-3;

/** Scale of the HalfNormal prior on each channel's geo pooling sd (also used by geoStart.ts). */
export const GEO_SD_PRIOR_SD = 0.3;

export interface MmmModel {
  model: Model;
  groups: MediaGroup[];
  /**
   * Per media group, a `data` node [G, T, Cg] of scaled activity that feeds only the generated
   * `hs<j>` (saturated scenario activity): overwrite it to ask what the channels would have added
   * with other spend (marginal ROI, response curves), with β and the geo multipliers of the draw.
   */
  scenarioInputs: Node[];
  /** Per media group, the scaled frequency [G, T, 1] of a reach & frequency group's scenario (null for other groups). */
  scenarioFrequency: (Node | null)[];
  /**
   * Per media group, its geometricHillContribution node where the default transforms run fused (read
   * h, b and S of the last forward pass with `geometricHillState`), else null.
   */
  fusedContributions: (Node | null)[];
}

export interface BuildOptions {
  /**
   * Precision of the WebAssembly media kernel (ops/geometricHillContribution.ts). 'f32' (four geos per
   * vector) is for NUTS in the workers (target.ts); the MAP, the Laplace Hessian and the generated
   * quantities keep the default 'f64'.
   */
  kernelPrecision?: KernelPrecision;
}

/**
 * Generated quantities: `mu` [G·T] (expected scaled outcome); `tau` [G] (intercept per geo, scaled);
 * `gamma` ([K] national, [G·K] geo: signed control coefficients on the standardized controls); per group j: `h<j>` [G, T, Cg]
 * (saturated activity), `b<j>` [G·Cg] (coefficients: scaled contribution = h·b), `hs<j>` (saturated
 * scenario activity).
 */
export function buildMmm(prep: PreparedMmm, controlSigns: readonly string[], opts: BuildOptions = {}): MmmModel {
  const { T, G, C, K } = prep;
  const geo = G > 1;
  const groups = mediaGroups(prep);
  const params: ParamSpec[] = [
    { name: 'roi', size: C, constraint: { type: 'positive' } },
    ...groups.flatMap(mediaParamSpecs),
    { name: 'level', size: G },
    ...(geo ? [
      { name: 'geo_sd', size: C, constraint: { type: 'positive' } },
      { name: 'geo_z', size: G * C },
    ] as ParamSpec[] : []),
    ...(prep.baseline.nSeason ? [{ name: 'season', size: prep.baseline.nSeason } as ParamSpec] : []),
    ...(prep.baseline.nTrend ? [{ name: 'trend', size: prep.baseline.nTrend } as ParamSpec] : []),
    ...(geo && K > 0 ? [
      { name: 'control_geo', size: G * K },
    ] as ParamSpec[] : []),
    ...controlSigns.map((sign, k): ParamSpec => ({ name: `control${k}`, size: 1, constraint: sign === 'auto' ? undefined : { type: 'positive' } })),
    { name: 'sigma', size: 1, constraint: { type: 'positive' } },
  ];

  const scenarioInputs: Node[] = [];
  const scenarioFrequency: (Node | null)[] = [];
  const fusedContributions: (Node | null)[] = [];
  const model = defineModel({
    params,
    build: (g, p, ctx) => {
      const terms: Node[] = [];

      // Baseline. The sampler sees the mean fitted level of each geo over the in-sample periods
      // (`level`, ≈ 1 on the scaled outcome, well identified) rather than the intercept τ[g], which
      // trades off against every always-on channel and control; τ[g] = level[g] − mean(rest of μ).
      // In a geo model each geo's outcome is scaled by its own mean, so every geo's level is ≈ 1 and
      // pinned by its own T observations: the per-geo scaling is what pools the baselines, and the
      // levels share one prior. A learned pooling sd (level + sd·z, or centered) has its truth at ≈ 0
      // and makes a funnel: measured on 10 geos × 104 weeks, a correlation condition number of 1.8e5
      // at the mode and ~380 leapfrog steps per iteration.
      terms.push(ad.normalLpdf(p.level, 1, 0.5));
      // μ = parts (media per group, each [G·T]) + controls + perPeriod[t] (trend and seasonality, shared
      // by every geo) + τ[g]. The likelihood assembles it inside one fused op
      // (ops/centredNormalLikelihood.ts); the generated μ and τ use ops/centredPredictor.ts.
      const parts: Node[] = [];
      let controls: { z: Float64Array; K: number; gamma: Node } | null = null;
      let controlPart: Node | null = null;
      let perPeriod: Node | null = null;
      const calendar: Node[] = [];
      if (prep.baseline.nSeason) {
        terms.push(ad.normalLpdf(p.season, 0, 0.3));
        calendar.push(ad.matvec(g.constant(prep.baseline.seasonality, [T, prep.baseline.nSeason]), p.season));
      }
      if (prep.baseline.nTrend) {
        terms.push(ad.normalLpdf(p.trend, 0, 0.5));
        calendar.push(ad.matvec(g.constant(prep.baseline.trend, [T, prep.baseline.nTrend]), p.trend));
      }
      if (calendar.length) perPeriod = calendar.length === 1 ? calendar[0] : ad.add(calendar[0], calendar[1]);
      if (K > 0) {
        const gammas = controlSigns.map((sign, k) => {
          const v = p[`control${k}`];
          if (sign === 'auto') { terms.push(ad.normalLpdf(v, 0, 0.3)); return v; }
          terms.push(ad.halfNormalLpdf(v, 0.3));
          return sign === 'negative' ? ad.neg(v) : v;
        });
        const gamma = gammas.length === 1 ? gammas[0] : ad.concat(gammas);
        if (geo) {
          // γ[g,k] partially pooled around γ_k with a fixed pooling scale, centered: each geo's T periods
          // pin its coefficient, and a learned pooling sd has its truth near 0 whenever a control acts
          // alike in every geo (a funnel, as for the levels). Signed controls pool on the log scale
          // (the sign holds in every geo: γ[g,k] = ±exp(c[g,k]), c[g,k] ~ N(log|γ_k|, 0.2), ±20% between
          // geos), 'auto' ones additively (γ[g,k] = c[g,k] ~ N(γ_k, 0.1)).
          const k = Int32Array.from({ length: G * K }, (_, i) => i % K);
          const signed = g.constant(Float64Array.from({ length: G * K }, (_, i) => (controlSigns[i % K] === 'auto' ? 0 : 1)));
          const auto = g.constant(Float64Array.from({ length: G * K }, (_, i) => (controlSigns[i % K] === 'auto' ? 1 : 0)));
          const poolSd = g.constant(Float64Array.from({ length: G * K }, (_, i) => (controlSigns[i % K] === 'auto' ? 0.1 : 0.2)));
          const centreK = controlSigns.map((sign, kk) => (sign === 'auto' ? p[`control${kk}`] : ad.log(p[`control${kk}`])));
          terms.push(ad.normalLpdf(p.control_geo, ad.gather(centreK.length === 1 ? centreK[0] : ad.concat(centreK), k), poolSd));
          const negative = g.constant(Float64Array.from({ length: G * K }, (_, i) => (controlSigns[i % K] === 'negative' ? -1 : 1)));
          // signed: ±exp(c); auto: c. Written as s·(±exp(s·c)) + (1 − s)·c (exp(s·c), not exp(c): an
          // 'auto' coefficient never reaches exp, so it cannot overflow to ∞·0).
          const gammaGeo = ad.add(ad.mul(signed, ad.mul(negative, ad.exp(ad.mul(signed, p.control_geo)))), ad.mul(auto, p.control_geo));
          controls = { z: prep.z, K, gamma: gammaGeo };
          controlPart = g.reshape(ad.matvec(g.constant(prep.z, [G, T, K]), g.reshape(gammaGeo, [G, K])), [G * T]);
          ctx.generate('gamma', gammaGeo);
        } else {
          ctx.generate('gamma', gamma);
          controls = { z: prep.z, K, gamma };
          controlPart = ad.matvec(g.constant(prep.z, [G * T, K]), gamma);
        }
      }

      // Media. ROI prior per channel; geo multipliers u[g,c] = exp(σ_c·ζ[g,c]).
      terms.push(ad.lognormalLpdf(p.roi, g.constant(prep.roiPrior.map((r) => r.mu)), g.constant(prep.roiPrior.map((r) => r.sigma))));
      let u: Node | null = null;
      if (geo) {
        // Non-centred: measured centred on 10 geos × 104 weeks, NUTS needed ~300 leapfrog steps per
        // iteration with divergences (geo_sd funnels wherever a channel's geo effects are weak).
        terms.push(ad.halfNormalLpdf(p.geo_sd, GEO_SD_PRIOR_SD), ad.normalLpdf(p.geo_z, 0, 1));
        u = ad.exp(ad.mul(ad.gather(p.geo_sd, Int32Array.from({ length: G * C }, (_, i) => i % C)), p.geo_z));
      }
      const revenueWeight = g.constant(prep.revenueWeight, [G, T]);
      const onesG = g.constant(new Float64Array(G).fill(1), [G]);
      const perChannel: { group: number; q: number }[] = [];
      // Implied outcome of a lift test's / share prior's channel, where a fused op computes it.
      const implied = new Map<string, Node>();
      const hs: Node[] = [], bs: Node[] = [];
      groups.forEach((group, j) => {
        const Cg = group.channels.length;
        group.channels.forEach((c, q) => { perChannel[c] = { group: j, q }; });
        terms.push(...mediaPriors(group, p, prep.curvePriors));
        const xValues = columns(prep.xScaled, G * T, C, group.channels);
        const x = g.constant(xValues, [G, T, Cg]);
        const h = mediaTransform(group, x, p);
        const spendValues = Float64Array.from(group.channels, (c) => prep.spendTotal[c]);
        const ug = u ? ad.gather(u, Int32Array.from({ length: G * Cg }, (_, i) => Math.floor(i / Cg) * C + group.channels[i % Cg])) : null;
        const hw = vecmat(revenueWeight, h); // [G, Cg]: Σ_t w[g,t]·h[g,t,c]
        const overGeos = (perGeo: Node) => (ug ? vecmat(onesG, g.reshape(ad.mul(ug, perGeo), [G, Cg])) : perGeo); // Σ_g u[g,c]·(…)[g,c]
        // The default transforms (geometric adstock, Hill) run fused in WebAssembly; the others as tape ops.
        const fused = !group.frequency && group.adstock.type === 'geometric' && group.saturation.type === 'hill' && Number.isInteger(group.adstock.maxLag);
        const sfx = group.suffix;
        let roi = ad.gather(p.roi, group.channels);
        const asMroi = group.channels.map((c) => prep.roiIsMroi[c]);
        if (asMroi.some(Boolean)) {
          // Channels with an mROI prior sample their marginal ROI: ROI = mROI × (revenue ÷ marginal
          // revenue), a ratio of the curve alone: Σ u·w·h over Σ u·w·(h at +0.1% spend − h) / 0.1%. As
          // a coordinate, the mROI the prior speaks to is not a ridge through the curve parameters (a
          // density on the derived mROI was tried: 10–177 divergent draws of 4000 on two seeds).
          if (fused) {
            roi = ad.mul(roi, geometricHillMarginalRatio(xValues, [G, T, Cg], group.adstock.maxLag, p[`alpha${sfx}`], p[`k${sfx}`], p[`s${sfx}`], prep.revenueWeight, ug, MROI_PRIOR_STEP, asMroi));
          } else {
            const up = g.constant(Float64Array.from(xValues, (v) => v * (1 + MROI_PRIOR_STEP)), [G, T, Cg]);
            const marginal = ad.div(overGeos(vecmat(revenueWeight, ad.sub(mediaTransform(group, up, p), h))), MROI_PRIOR_STEP);
            const ratio = ad.div(overGeos(hw), marginal);
            const mask = Float64Array.from(asMroi, (m) => (m ? 1 : 0));
            roi = ad.mul(roi, ad.add(ad.mul(g.constant(mask), ratio), g.constant(mask.map((m) => 1 - m))));
          }
        }
        const contribution = fused
          ? geometricHillContribution(xValues, [G, T, Cg], group.adstock.maxLag, p[`alpha${sfx}`], p[`k${sfx}`], p[`s${sfx}`], roi, spendValues, prep.revenueWeight, ug, opts.kernelPrecision)
          : mediaContribution(h, roi, spendValues, prep.revenueWeight, ug);
        parts.push(contribution);
        fusedContributions[j] = fused ? contribution : null;
        if (fused) {
          // Lift tests and contribution shares of this group's channels, as window sums of the fused op
          // (they would otherwise put the generic adstock + Hill of every cell on the tape).
          const windows: MediaWindow[] = [], keys: string[] = [];
          const add = (key: string, c: number, weight: Float64Array) => {
            if (!group.channels.includes(c)) return;
            const cells = Int32Array.from({ length: G * T }, (_, i) => i).filter((i) => weight[i] !== 0);
            keys.push(key);
            windows.push({ channel: group.channels.indexOf(c), cells, weights: Float64Array.from(cells, (i) => weight[i]) });
          };
          prep.experiments.forEach((e, i) => add(`experiment${i}`, e.channel, e.weight));
          prep.shares.forEach((sh, i) => add(`share${i}`, sh.channel, prep.outcomeWeight));
          if (windows.length) {
            const sums = geometricHillWindowSums(contribution, windows);
            keys.forEach((key, k) => implied.set(key, ad.gather(sums, [k])));
          }
          // Tests that changed spend, on activity series of their own (changeTest.ts).
          const series: MediaSeries[] = [], seriesKeys: string[] = [];
          prep.changeTests.forEach((e, i) => {
            if (!group.channels.includes(e.series.channel)) return;
            seriesKeys.push(`change${i}`);
            series.push({ ...e.series, channel: group.channels.indexOf(e.series.channel) });
          });
          if (series.length) {
            const sums = geometricHillSeriesSums(contribution, series);
            seriesKeys.forEach((key, k) => implied.set(key, ad.gather(sums, [k])));
          }
        }
        // The same coefficients as generic nodes b[g,c], for generated quantities, and for the lift-test
        // and share terms of groups without a fused op (on the gradient's tape only then).
        const spend = g.constant(spendValues);
        let b: Node;
        if (ug) {
          const revenuePerBeta = overGeos(hw);
          const beta = ad.div(ad.mul(roi, spend), revenuePerBeta);
          b = ad.mul(ug, ad.gather(beta, Int32Array.from({ length: G * Cg }, (_, i) => i % Cg)));
        } else {
          b = ad.div(ad.mul(roi, spend), hw);
        }
        hs.push(h);
        bs.push(b);
        ctx.generate(`h${j}`, h);
        ctx.generate(`b${j}`, b);
        const xScenario = g.data(x.value, [G, T, Cg]);
        scenarioInputs.push(xScenario);
        // Reach & frequency: the scenario's frequency too (a plan may hold it at its optimum).
        const fScenario = group.frequency ? g.data(Float64Array.from(group.frequency), [G, T, Cg]) : null;
        scenarioFrequency.push(fScenario);
        ctx.generate(`hs${j}`, mediaTransform(group, xScenario, p, fScenario ?? undefined));
      });
      // τ[g] = level[g] − (in-sample mean of everything else in μ[g, ·]), over the geo's own likelihood
      // cells (in an unbalanced panel their number differs by geo).
      const meanWeight = new Float64Array(G * T);
      const cellsOf = new Float64Array(G);
      for (const i of prep.inSampleIndex) cellsOf[Math.floor(i / T)]++;
      for (const i of prep.inSampleIndex) meanWeight[i] = 1 / cellsOf[Math.floor(i / T)];
      const allParts = controlPart ? [controlPart, ...parts] : parts;
      ctx.generate('tau', centredIntercept(allParts, perPeriod, p.level, meanWeight));
      ctx.generate('mu', centredPredictor(allParts, perPeriod, p.level, meanWeight));

      // Implied outcome of channel c weighted by w[g,t] (lift tests, contribution shares).
      const weighted = (c: number, weight: Float64Array) => {
        const { group, q } = perChannel[c];
        const Cg = groups[group].channels.length;
        const perGeo = ad.mul(vecmat(g.constant(weight, [G, T]), hs[group]), bs[group]);
        return ad.sum(ad.gather(perGeo, Int32Array.from({ length: G }, (_, gi) => gi * Cg + q)));
      };
      // A changed-spend test outside a fused group: its rows through the generic transforms, with the
      // channel's own parameters, times b of its geos (changeTest.ts).
      const changed = (series: PreparedMmm['changeTests'][number]['series']) => {
        const { group, q } = perChannel[series.channel];
        const mg = groups[group], Cg = mg.channels.length;
        const pq: Record<string, Node> = {};
        for (const { param } of groupParams(mg)) pq[`${param.key}${mg.suffix}`] = ad.gather(p[`${param.key}${mg.suffix}`], [q]);
        const rows = series.rowGeo.length;
        const h = mediaTransform(mg, g.constant(series.x, [rows, series.length, 1]), pq);
        const perRow = g.reshape(vecmat(g.constant(series.weights, [rows, series.length]), h), [rows]);
        return ad.sum(ad.mul(perRow, ad.gather(bs[group], Int32Array.from(series.rowGeo, (gi) => (geo ? gi * Cg + q : q)))));
      };
      prep.experiments.forEach((e, i) => terms.push(ad.normalLpdf(implied.get(`experiment${i}`) ?? weighted(e.channel, e.weight), e.lift, e.liftSe)));
      prep.changeTests.forEach((e, i) => terms.push(ad.normalLpdf(implied.get(`change${i}`) ?? changed(e.series), e.lift, e.liftSe)));
      prep.shares.forEach((sh, i) => {
        terms.push(ad.normalLpdf(ad.div(implied.get(`share${i}`) ?? weighted(sh.channel, prep.outcomeWeight), prep.yTotal), sh.share, sh.sd));
      });

      terms.push(ad.halfNormalLpdf(p.sigma, 0.3));
      const inSample = new Uint8Array(G * T);
      for (const i of prep.inSampleIndex) inSample[i] = 1;
      // Trend and seasonality enter the likelihood as designs and coefficients (computed inside it);
      // perPeriod, their sum as tape ops, is for the generated μ and τ only.
      const calendarTerms = [
        ...(prep.baseline.nSeason ? [{ design: prep.baseline.seasonality, coef: p.season }] : []),
        ...(prep.baseline.nTrend ? [{ design: prep.baseline.trend, coef: p.trend }] : []),
      ];
      terms.push(centredNormalLikelihood({ parts, controls, perPeriod: null, calendar: calendarTerms, level: p.level, meanWeight, y: prep.yScaled, inSample, sigma: p.sigma }));
      return terms.reduce((a, b) => ad.add(a, b));
    },
  });
  return { model, groups, scenarioInputs, scenarioFrequency, fusedContributions };
}

/** Columns `cols` of a row-major [rows, C] array, as a row-major [rows, cols.length] array. */
function columns(x: Float64Array, rows: number, C: number, cols: number[]): Float64Array {
  const n = cols.length, out = new Float64Array(rows * n);
  for (let i = 0; i < rows; i++) for (let q = 0; q < n; q++) out[i * n + q] = x[i * C + cols[q]];
  return out;
}
