/**
 * Shapley values over channels from coalition conversion rates (Shao & Li 2011; Dalessandro et al.
 * 2012; the "simplified" form of Zhao et al. 2018).
 *
 * Journeys are grouped by the set T of channels they touched. R(T) is the conversion rate of those
 * journeys (`'rate'`, default) or their conversions (`'conversions'`). A coalition S is worth
 * v(S) = Σ_{T ⊆ S} R(T): what the journeys made only of channels in S achieved. Shapley values are
 * computed exactly over all 2^C coalitions, φ_c = Σ_{S ∌ c} |S|!(C−|S|−1)!/C! · (v(S ∪ c) − v(S)),
 * then channel c gets total × φ_c / Σφ. Up to 20 channels (2^20 coalitions).
 */
import { badInput } from '../errors.ts';
import type { Journeys } from './types.ts';
import { journeyTotals } from './types.ts';
import { spreadChannelTotals } from './rules.ts';
import type { Scores } from './types.ts';

export const MAX_SHAPLEY_CHANNELS = 20;

export interface ShapleyOptions { worth?: 'rate' | 'conversions' }

/** Conversions and journeys by the set of channels touched (bit c set = channel c), summed into `conv` and `total` [2^C]: one journey set or its parts in turn. */
export function addCoalitions(j: Journeys, conv: Float64Array, total: Float64Array): void {
  const J = j.offsets.length - 1;
  for (let k = 0; k < J; k++) {
    let mask = 0;
    for (let i = j.offsets[k]; i < j.offsets[k + 1]; i++) mask |= 1 << j.touchChannel[i];
    conv[mask] += j.conversions[k];
    total[mask] += j.conversions[k] + j.nulls[k];
  }
}

/** Refuses more channels than exact Shapley values can take. */
export function checkShapleyChannels(C: number): void {
  if (C > MAX_SHAPLEY_CHANNELS) throw badInput(`Shapley values are computed exactly for up to ${MAX_SHAPLEY_CHANNELS} channels; the data have ${C}. Use --method markov, or map channels to fewer groups`);
}

/** The coalition worth v over all 2^C subsets (bit c set = channel c in the coalition). */
export function coalitionWorth(j: Journeys, opts: ShapleyOptions = {}): Float64Array {
  const C = j.channels.length;
  checkShapleyChannels(C);
  const size = 1 << C;
  const conv = new Float64Array(size), total = new Float64Array(size);
  addCoalitions(j, conv, total);
  return worthOf(conv, total, C, opts);
}

/** v(S) = Σ_{T ⊆ S} R(T) from the coalitions' conversions and journeys. */
export function worthOf(conv: Float64Array, total: Float64Array, C: number, opts: ShapleyOptions = {}): Float64Array {
  const size = 1 << C;
  const v = new Float64Array(size);
  for (let m = 0; m < size; m++) v[m] = opts.worth === 'conversions' ? conv[m] : total[m] > 0 ? conv[m] / total[m] : 0;
  // zeta transform: v(S) = Σ_{T ⊆ S} R(T)
  for (let c = 0; c < C; c++) for (let m = 0; m < size; m++) if (m & (1 << c)) v[m] += v[m ^ (1 << c)];
  return v;
}

/** Exact Shapley values of a game v over C players (v indexed by bitmask). O(2^C · C). */
export function shapleyValues(v: Float64Array, C: number): Float64Array {
  const fact = [1];
  for (let i = 1; i <= C; i++) fact.push(fact[i - 1] * i);
  const w = Array.from({ length: C }, (_, s) => fact[s] * fact[C - s - 1] / fact[C]);
  const phi = new Float64Array(C);
  const size = 1 << C;
  for (let m = 0; m < size; m++) {
    let s = 0;
    for (let x = m; x; x &= x - 1) s++;
    if (s === C) continue;
    for (let c = 0; c < C; c++) if (!(m & (1 << c))) phi[c] += w[s] * (v[m | (1 << c)] - v[m]);
  }
  return phi;
}

export interface ShapleyResult { phi: Float64Array; scores: Scores }

/** Channel totals of Shapley attribution: the conversions (and value) distributed by the positive Shapley values. */
export function shapleyTotals(phi: Float64Array, totalConversions: number, totalValue: number): { conversions: Float64Array; value: Float64Array } {
  const C = phi.length;
  let sum = 0;
  for (let c = 0; c < C; c++) sum += Math.max(0, phi[c]);
  const conv = new Float64Array(C), val = new Float64Array(C);
  for (let c = 0; c < C; c++) {
    const share = sum > 0 ? Math.max(0, phi[c]) / sum : 0;
    conv[c] = totalConversions * share; val[c] = totalValue * share;
  }
  return { conversions: conv, value: val };
}

/** Shapley attribution of the conversions (and value) of journeys with touches. */
export function shapleyScores(j: Journeys, opts: ShapleyOptions = {}): ShapleyResult {
  const phi = shapleyValues(coalitionWorth(j, opts), j.channels.length);
  const tot = journeyTotals(j);
  const t = shapleyTotals(phi, tot.conversions, tot.value);
  return { phi, scores: spreadChannelTotals(j, 'shapley', t.conversions, t.value) };
}
