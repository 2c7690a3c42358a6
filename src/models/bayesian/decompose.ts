/**
 * The decomposition of the expected outcome into parts that add up to it in every period and geo:
 * baseline, trend, seasonality, each control and each channel, as posterior means over the draws.
 *
 * Each part is measured against a stated reference, as Robyn's baseline is, so a control's part is
 * what it added over its reference level rather than a centred series that sums to zero:
 * - a control: against its reference level (`controls[].reference`; default its minimum, which is 0
 *   for an event or holiday flag), so an event's weeks show the event's effect;
 * - the trend: against its value in the first period;
 * - seasonality: against the yearly average (its Fourier terms average zero);
 * - the baseline (`intercept`): the level with every reference folded in.
 * Computed once at fit time over the same draws as the fit's figures and stored with the fit.
 */
import type { ModelConfig } from '../config.ts';
import type { ModelData } from '../design.ts';
import type { MmmModel } from './model.ts';
import type { PreparedMmm } from './prepare.ts';

export interface Decomposition { components: Record<string, Float64Array>; channels: Record<string, Float64Array>; predicted: Float64Array }

/** One control's reference level, in the control's own units, and how it was chosen. */
export interface ControlReference { control: string; level: number; rule: 'minimum' | 'mean' | 'zero' | 'given' }

/**
 * The reference of each control: its config entry's `reference` (a number, 'min', 'mean' or 'zero';
 * default 'min'). Controls the data layer added after the config's (holiday counts) take the default.
 */
export function controlReferences(data: ModelData, config: Pick<ModelConfig, 'controls'>): ControlReference[] {
  const given = config.controls.map((c) => (typeof c === 'string' ? undefined : c.reference));
  const { G, T, K } = data;
  return data.controls.map((control, k) => {
    let lo = Infinity, sum = 0;
    for (let i = 0; i < G * T; i++) { const v = data.controlValues[i * K + k]; if (v < lo) lo = v; sum += v; }
    const g = given[k];
    if (typeof g === 'number') return { control, level: g, rule: 'given' };
    if (g === 'mean') return { control, level: sum / (G * T), rule: 'mean' };
    if (g === 'zero') return { control, level: 0, rule: 'zero' };
    return { control, level: lo, rule: 'minimum' };
  });
}

/** Posterior-mean decomposition over `thetas` (unconstrained draws), in target units. */
export function decomposeDraws(mmm: MmmModel, prep: PreparedMmm, data: ModelData, thetas: readonly Float64Array[], references: readonly ControlReference[]): Decomposition {
  const { model, groups } = mmm;
  const { G, T, K } = prep;
  const n = thetas.length;
  const nTrend = prep.baseline.nTrend, nSeason = prep.baseline.nSeason;
  const components: Record<string, Float64Array> = { intercept: new Float64Array(G * T) };
  if (nTrend) components.trend = new Float64Array(G * T);
  if (nSeason) components.seasonality = new Float64Array(G * T);
  data.controls.forEach((name) => { components[`control:${name}`] = new Float64Array(G * T); });
  // Organic channels are parts of the outcome with no spend: beside the baseline's, against no activity.
  const organicNames = data.organic?.names ?? [];
  organicNames.forEach((name) => { components[`organic:${name}`] = new Float64Array(G * T); });
  const channels: Record<string, Float64Array> = Object.fromEntries(data.channels.map((c) => [c, new Float64Array(G * T)]));
  const predicted = new Float64Array(G * T);
  // Each control's reference on the standardized scale the model uses.
  const zRef = Float64Array.from(references, (r, k) => (r.level - prep.zMean[k]) / prep.zSd[k]);
  const trendAt = (t: number, coef: Float64Array) => { let s = 0; for (let k = 0; k < nTrend; k++) s += prep.baseline.trend[t * nTrend + k] * coef[k]; return s; };
  const names = ['mu', 'tau', ...(K > 0 ? ['gamma'] : []), ...groups.flatMap((_, j) => [`h${j}`, `b${j}`])];
  for (const theta of thetas) {
    const p = model.constrain(theta);
    const gen = model.generated(theta, names);
    const trend0 = nTrend ? trendAt(0, p.trend) : 0;
    for (let g = 0; g < G; g++) {
      let refs = gen.tau[g] + trend0;
      const gamma = (k: number) => gen.gamma[gen.gamma.length === K ? k : g * K + k];
      for (let k = 0; k < K; k++) refs += gamma(k) * zRef[k];
      for (let t = 0; t < T; t++) {
        const i = g * T + t, w = prep.outcomeWeight[i] / n;
        components.intercept[i] += refs * w;
        if (nTrend) components.trend[i] += (trendAt(t, p.trend) - trend0) * w;
        if (nSeason) { let s = 0; for (let k = 0; k < nSeason; k++) s += prep.baseline.seasonality[t * nSeason + k] * p.season[k]; components.seasonality[i] += s * w; }
        data.controls.forEach((name, k) => { components[`control:${name}`][i] += gamma(k) * (prep.z[i * K + k] - zRef[k]) * w; });
        predicted[i] += gen.mu[i] * w;
      }
    }
    groups.forEach((group, j) => {
      const h = gen[`h${j}`], b = gen[`b${j}`], Cg = group.channels.length;
      group.channels.forEach((c, q) => {
        const series = c < data.C ? channels[data.channels[c]] : components[`organic:${organicNames[c - data.C]}`];
        for (let g = 0; g < G; g++) {
          const bg = b[g * Cg + q] ?? b[q];
          for (let t = 0; t < T; t++) series[g * T + t] += (h[(g * T + t) * Cg + q] * bg * prep.outcomeWeight[g * T + t]) / n;
        }
      });
    });
  }
  return { components, channels, predicted };
}

/** The draws of every chain as one list, every `stride`-th kept so that at most `maxDraws` remain. */
export function thinDraws(chains: readonly ArrayLike<number>[], dim: number, maxDraws: number): Float64Array[] {
  const all: Float64Array[] = [];
  for (const chain of chains) for (let i = 0; i < chain.length / dim; i++) all.push(Float64Array.from({ length: dim }, (_, k) => chain[i * dim + k]));
  const stride = Math.max(1, Math.ceil(all.length / maxDraws));
  return all.filter((_, i) => i % stride === 0);
}

/** How many draws the fit's figures are computed from (every surface reads those stored figures). */
export const SUMMARY_DRAWS = 1000;
