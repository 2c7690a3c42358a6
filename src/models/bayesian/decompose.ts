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
import { geometricHillState } from './ops/geometricHillContribution.ts';

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

/**
 * Sums over draws of what the decomposition needs, one draw at a time, so that the fit computes it in
 * the same pass over the draws as its other figures (posterior.ts) rather than a second one. The base
 * parts are linear in the parameters (τ, γ, the trend and season coefficients), so their posterior
 * means come from the parameters' means; only μ and each channel's h·b are summed per cell.
 * Fused media groups read h and b from the fused op's forward pass: asking for the generated `h<j>`
 * would run the group's adstock and Hill again as tape ops (1000 draws of 40 × 156 × 5: ~1.2 s).
 */
export interface DecompositionAccumulator {
  /** The generated quantities `add` reads. */
  readonly names: readonly string[];
  /** One draw: θ and its generated quantities (at least `names`), right after they were computed. */
  add(theta: Float64Array, gen: Record<string, Float64Array>): void;
  result(): Decomposition;
}

/**
 * `channels: false` leaves the channels' series out (`result().channels` is empty): the fit has them
 * from its posterior pass already (posterior.ts), so summing them again would be the same work twice.
 */
export function decompositionAccumulator(mmm: MmmModel, prep: PreparedMmm, data: ModelData, references: readonly ControlReference[], opts: { channels?: boolean } = {}): DecompositionAccumulator {
  const withChannels = opts.channels ?? true;
  const { model, groups } = mmm;
  const fused = mmm.fusedContributions;
  const { G, T, K } = prep;
  const nTrend = prep.baseline.nTrend, nSeason = prep.baseline.nSeason;
  const organicNames = data.organic?.names ?? [];
  // Organic channels are always summed: they are parts of `components`, not of the channels' series.
  const channelSums = Array.from({ length: data.C + organicNames.length }, (_, c) => (withChannels || c >= data.C ? new Float64Array(G * T) : null));
  const muSum = new Float64Array(G * T), tauSum = new Float64Array(G), trendSum = new Float64Array(nTrend), seasonSum = new Float64Array(nSeason);
  let gammaSum: Float64Array | null = null;
  const summed = groups.map((group) => group.channels.some((c) => channelSums[c]));
  const hBuffers = groups.map((group, j) => (fused[j] && summed[j] ? new Float64Array(G * T * group.channels.length) : null));
  const names = ['mu', 'tau', ...(K > 0 ? ['gamma'] : []), ...groups.flatMap((_, j) => (fused[j] || !summed[j] ? [] : [`h${j}`, `b${j}`]))];
  let n = 0;
  return {
    names,
    add(theta, gen) {
      n++;
      const p = model.constrain(theta);
      for (let k = 0; k < nTrend; k++) trendSum[k] += p.trend[k];
      for (let k = 0; k < nSeason; k++) seasonSum[k] += p.season[k];
      for (let g = 0; g < G; g++) tauSum[g] += gen.tau[g];
      if (K > 0) {
        gammaSum ??= new Float64Array(gen.gamma.length);
        for (let i = 0; i < gammaSum.length; i++) gammaSum[i] += gen.gamma[i];
      }
      const mu = gen.mu;
      for (let i = 0; i < G * T; i++) muSum[i] += mu[i];
      groups.forEach((group, j) => {
        if (!summed[j]) return;
        const state = fused[j] ? geometricHillState(fused[j]!, hBuffers[j]!) : null;
        const h = state ? state.h : gen[`h${j}`], b = state ? state.b : gen[`b${j}`], Cg = group.channels.length;
        group.channels.forEach((c, q) => {
          const sum = channelSums[c];
          if (!sum) return;
          for (let g = 0; g < G; g++) {
            const bg = b[g * Cg + q] ?? b[q];
            for (let t = 0; t < T; t++) sum[g * T + t] += h[(g * T + t) * Cg + q] * bg;
          }
        });
      });
    },
    result() {
      const w = prep.outcomeWeight;
      const mean = (x: Float64Array) => x.map((v) => v / n);
      const trend = mean(trendSum), season = mean(seasonSum), tau = mean(tauSum), gamma = gammaSum ? mean(gammaSum) : new Float64Array(0);
      const gammaOf = (g: number, k: number) => gamma[gamma.length === K ? k : g * K + k];
      // Each control's reference on the standardized scale the model uses.
      const zRef = Float64Array.from(references, (r, k) => (r.level - prep.zMean[k]) / prep.zSd[k]);
      const trendAt = (t: number) => { let s = 0; for (let k = 0; k < nTrend; k++) s += prep.baseline.trend[t * nTrend + k] * trend[k]; return s; };
      const trend0 = nTrend ? trendAt(0) : 0;
      const components: Record<string, Float64Array> = { intercept: new Float64Array(G * T) };
      if (nTrend) components.trend = new Float64Array(G * T);
      if (nSeason) components.seasonality = new Float64Array(G * T);
      data.controls.forEach((name) => { components[`control:${name}`] = new Float64Array(G * T); });
      const predicted = new Float64Array(G * T);
      // Added to the zeros the arrays start with, so that a cell with no weight (a geo's absent period) is
      // +0, not −0, whatever the sign of its part.
      for (let g = 0; g < G; g++) {
        let refs = tau[g] + trend0;
        for (let k = 0; k < K; k++) refs += gammaOf(g, k) * zRef[k];
        for (let t = 0; t < T; t++) {
          const i = g * T + t;
          components.intercept[i] += refs * w[i];
          if (nTrend) components.trend[i] += (trendAt(t) - trend0) * w[i];
          if (nSeason) { let s = 0; for (let k = 0; k < nSeason; k++) s += prep.baseline.seasonality[t * nSeason + k] * season[k]; components.seasonality[i] += s * w[i]; }
          predicted[i] += (muSum[i] * w[i]) / n;
        }
      }
      data.controls.forEach((name, k) => {
        const part = components[`control:${name}`];
        for (let i = 0; i < G * T; i++) part[i] += gammaOf(Math.floor(i / T), k) * (prep.z[i * K + k] - zRef[k]) * w[i];
      });
      // Organic channels are parts of the outcome with no spend: beside the baseline's, against no activity.
      const scaled = (sum: Float64Array) => Float64Array.from(sum, (v, i) => 0 + (v * w[i]) / n);
      organicNames.forEach((name, o) => { components[`organic:${name}`] = scaled(channelSums[data.C + o]!); });
      const channels: Record<string, Float64Array> = withChannels ? Object.fromEntries(data.channels.map((c, i) => [c, scaled(channelSums[i]!)])) : {};
      return { components, channels, predicted };
    },
  };
}

/** Posterior-mean decomposition over `thetas` (unconstrained draws), in target units. */
export function decomposeDraws(mmm: MmmModel, prep: PreparedMmm, data: ModelData, thetas: readonly Float64Array[], references: readonly ControlReference[]): Decomposition {
  const acc = decompositionAccumulator(mmm, prep, data, references);
  for (const theta of thetas) acc.add(theta, mmm.model.generated(theta, acc.names));
  return acc.result();
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
