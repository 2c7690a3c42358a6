/**
 * The Bayesian MMM as a `FittedModel`: rebuilt from its config, its data and its stored constrained
 * draws. Responses run the model's own graph (the `scenario` activity inputs), so analysis and
 * planning use exactly the model that was fitted.
 */
import { conflict, internal } from '../../errors.ts';
import { applyTransform, getTransform } from '../../transforms/registry.ts';
import type { ModelConfig } from '../config.ts';
import type { ModelData } from '../design.ts';
import type { FittedModel } from '../fitted.ts';
import { bayesianFutureDraws } from './futureDraws.ts';
import { changeTestDraws } from './changeTestDraws.ts';
import { buildMmm } from './model.ts';
import { prepareMmm } from './prepare.ts';
import { controlReferences, decomposeDraws } from './decompose.ts';
import type { BayesianFit } from './fit.ts';

/** Constrained draws as stored by `fitBayesian`: one flat array per chain in `paramNames` order, and
 *  (fits stored since it was kept) the decomposition computed at fit time. */
export interface StoredDraws { paramNames: string[]; draws: number[][]; series?: Pick<BayesianFit['series'], 'predicted' | 'contributions' | 'components' | 'references'> }

export function bayesianFittedModel(config: ModelConfig, data: ModelData, stored: StoredDraws, maxDraws = 200): FittedModel {
  const prep = prepareMmm(config, data);
  const mmm = buildMmm(prep, data.controlSigns);
  const { model, groups, scenarioInputs } = mmm;
  const { G, T, C, K } = prep;
  const cd = model.constrainedDim;
  if (stored.paramNames.length !== cd || stored.paramNames.some((n, i) => n !== model.paramNames()[i])) {
    throw conflict('stored draws do not match the model rebuilt from its config: refit the model');
  }
  // Thin to at most maxDraws and map each draw back to θ.
  const flat: Float64Array[] = [];
  for (const chain of stored.draws) for (let i = 0; i < chain.length / cd; i++) flat.push(Float64Array.from(chain.slice(i * cd, (i + 1) * cd)));
  const stride = Math.max(1, Math.ceil(flat.length / maxDraws));
  const named = flat.filter((_, i) => i % stride === 0).map((v) => {
    const rec: Record<string, Float64Array> = {};
    for (const p of model.params) rec[p.name] = v.subarray(p.constrainedOffset, p.constrainedOffset + p.size);
    return rec;
  });
  const thetas = named.map((rec) => model.unconstrain(rec));
  const where = (c: number) => {
    const j = groups.findIndex((g) => g.channels.includes(c));
    return { j, q: groups[j].channels.indexOf(c), Cg: groups[j].channels.length };
  };
  const base = scenarioInputs.map((x) => Float64Array.from(x.value));

  /**
   * Channel c's outcome-weighted contribution per draw and geo ([draw·G + g]) when its spend in periods
   * [t0, t1) of every geo is multiplied by m. Geos do not interact in the model (β and the geo
   * multipliers come from the observed data, not the scenario), so one evaluation answers every geo's
   * own question; results are cached because planning asks for the same grid per geo and per plan.
   */
  const cache = new Map<string, Float64Array>();
  /**
   * `frequency` (reach & frequency channels, absolute): the window runs at that average frequency with
   * the same impressions — reach × observed frequency / frequency — so its spend is unchanged.
   */
  const scenarioByGeo = (c: number, m: number, t0: number, t1: number, frequency?: number): Float64Array => {
    const keyOf = (channel: number) => `${channel}|${m}|${t0}|${t1}|${frequency ?? ''}`;
    const hit = cache.get(keyOf(c));
    if (hit) return hit;
    const { j, q, Cg } = where(c);
    // The channels of a group do not interact either: each column of the activity is transformed with
    // its own parameters (src/transforms/registry.test.ts holds every registered media transform to
    // that). So one evaluation with every channel of the group at m answers each channel's question
    // (a 5-channel group's response curves: 5× fewer evaluations). A frequency to hold is one channel's.
    const batch = frequency === undefined ? groups[j].channels.map((_, k) => k) : [q];
    const x = scenarioInputs[j].value;
    x.set(base[j]);
    for (const k of batch) for (let g = 0; g < G; g++) for (let t = t0; t < t1; t++) x[(g * T + t) * Cg + k] *= m;
    const fNode = mmm.scenarioFrequency[j], fObserved = groups[j].frequency;
    if (frequency !== undefined && fNode && fObserved) {
      const f = frequency / prep.frequencyScale[c];
      for (let g = 0; g < G; g++) for (let t = t0; t < t1; t++) {
        const i = (g * T + t) * Cg + q;
        if (fObserved[i] > 0) { x[i] *= fObserved[i] / f; fNode.value[i] = f; }
      }
    }
    const outs = batch.map(() => new Float64Array(thetas.length * G));
    thetas.forEach((theta, d) => {
      const gen = model.generated(theta, [`hs${j}`, `b${j}`]);
      const hs = gen[`hs${j}`], b = gen[`b${j}`];
      batch.forEach((k, i) => {
        for (let g = 0; g < G; g++) {
          const bg = b[g * Cg + k] ?? b[k];
          let total = 0;
          for (let t = 0; t < T; t++) total += hs[(g * T + t) * Cg + k] * bg * prep.outcomeWeight[g * T + t];
          outs[i][d * G + g] = total;
        }
      });
    });
    x.set(base[j]);
    if (mmm.scenarioFrequency[j] && groups[j].frequency) mmm.scenarioFrequency[j]!.value.set(groups[j].frequency!);
    batch.forEach((k, i) => {
      if (cache.size >= 2000) cache.delete(cache.keys().next().value as string);
      cache.set(keyOf(groups[j].channels[k]), outs[i]);
    });
    return outs[batch.indexOf(q)];
  };

  return {
    family: 'bayesian',
    target: { column: config.target.column, kind: config.target.kind },
    dates: data.dates, geos: data.geos, channels: data.channels, inSample: data.inSample,
    ...(data.organic ? { organic: data.organic.names } : {}),
    ...(data.rf ? { rf: data.channels.filter((_, c) => !!data.rf![c]) } : {}),
    actual: data.y, observed: data.observed, present: data.present, spend: data.spend, revenuePerUnit: data.revenuePerUnit,
    nDraws: thetas.length,

    decomposition() {
      // The fit stored its decomposition over the same draws as its other figures: every surface reads
      // that one. Fits stored before it was kept are decomposed here from the thinned draws.
      const series = stored.series;
      if (series?.components && series.predicted.length === G * T) {
        const f = (x: Record<string, number[]>) => Object.fromEntries(Object.entries(x).map(([k, v]) => [k, Float64Array.from(v)]));
        return { components: f(series.components), channels: f(series.contributions), predicted: Float64Array.from(series.predicted) };
      }
      const references = series?.references ?? controlReferences(data, config);
      return decomposeDraws(mmm, prep, data, thetas, references);
    },

    response({ channel, multiplier, window, geo, frequency }) {
      if (frequency !== undefined && !prep.frequency[channel]) throw internal(`channel ${data.channels[channel]} has no reach and frequency to hold a frequency at`);
      if (!(channel >= 0 && channel < C)) throw internal(`channel index ${channel} out of range 0…${C - 1}`);
      if (!(multiplier >= 0)) throw internal(`multiplier must be >= 0; got ${multiplier}`);
      if (geo !== undefined && !(Number.isInteger(geo) && geo >= 0 && geo < G)) throw internal(`geo index ${geo} out of range 0…${G - 1}`);
      const [t0, t1] = window ?? [0, T];
      // Incremental = with spend × multiplier in the window − with no spend in the window.
      const scaled = scenarioByGeo(channel, multiplier, t0, t1, frequency), zero = scenarioByGeo(channel, 0, t0, t1);
      const out = new Float64Array(thetas.length);
      for (let d = 0; d < thetas.length; d++) {
        if (geo !== undefined) out[d] = scaled[d * G + geo] - zero[d * G + geo];
        else for (let g = 0; g < G; g++) out[d] += scaled[d * G + g] - zero[d * G + g];
      }
      return out;
    },

    channelDraws(channel) {
      if (!(channel >= 0 && channel < C)) throw internal(`channel index ${channel} out of range 0…${C - 1}`);
      const { j, q, Cg } = where(channel);
      const a = prep.adstock[channel], L = a.maxLag, suffix = groups[j].suffix;
      const t = a.type === 'none' ? null : getTransform('adstock', a.type);
      const impulse = new Float64Array(L);
      impulse[0] = 1;
      const contribution = new Float64Array(thetas.length * G * T);
      const adstock = thetas.map((theta, d) => {
        // The scenario input holds the observed activity between scenarios, so this is the fit's own contribution.
        const gen = model.generated(theta, [`hs${j}`, `b${j}`]);
        const hs = gen[`hs${j}`], b = gen[`b${j}`];
        for (let g = 0; g < G; g++) {
          const bg = b[g * Cg + q] ?? b[q];
          for (let s = 0; s < T; s++) contribution[d * G * T + g * T + s] = hs[(g * T + s) * Cg + q] * bg * prep.outcomeWeight[g * T + s];
        }
        if (!t) return Float64Array.of(1);
        const params = Object.fromEntries(t.params.map((p) => [p.name, named[d][`${p.key}${suffix}`][q]]));
        return applyTransform(t, impulse, params, { maxLag: L, normalize: true });
      });
      return { contribution, adstock };
    },

    organicResponse(organic, multiplier) {
      const O = data.organic?.names.length ?? 0;
      if (!(organic >= 0 && organic < O)) throw internal(`organic channel index ${organic} out of range 0…${O - 1}`);
      const c = C - O + organic; // organic channels follow the paid ones in the model
      const scaled = scenarioByGeo(c, multiplier, 0, T), zero = scenarioByGeo(c, 0, 0, T);
      return Float64Array.from({ length: thetas.length }, (_, d) => { let s = 0; for (let g = 0; g < G; g++) s += scaled[d * G + g] - zero[d * G + g]; return s; });
    },

    adstockWeights(channel) {
      const c = channel;
      const a = prep.adstock[c];
      const L = a.maxLag;
      if (a.type === 'none') return Float64Array.of(1);
      const { j, q } = where(c);
      const suffix = groups[j].suffix;
      const mean = (name: string) => named.reduce((s, p) => s + p[`${name}${suffix}`][q], 0) / named.length;
      const t = getTransform('adstock', a.type);
      const params = Object.fromEntries(t.params.map((p) => [p.name, mean(p.key)]));
      const impulse = new Float64Array(L);
      impulse[0] = 1;
      return applyTransform(t, impulse, params, { maxLag: L, normalize: true });
    },

    futureDraws(request) {
      return bayesianFutureDraws({ config, data, prep, mmm, named, thetas }, request);
    },

    changeTestLifts(tests) {
      return changeTestDraws({ data, prep, mmm, named, thetas }, tests);
    },
  };
}
