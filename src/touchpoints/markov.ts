/**
 * Markov-chain attribution with the removal effect, order 1 to 3, solved exactly on the absorbing chain.
 *
 * States: start, conversion, null (absorbing) and the last `order` channels seen (shorter tuples at
 * the start of a journey). Transition probabilities are counts over journeys weighted by the number
 * of customers they stand for (conversions + nulls). The conversion probability x_s from each state
 * solves x_s = Σ_t P(s→t)·x_t with x_conv = 1 and x_null = 0: by Gaussian elimination when the chain
 * has at most 400 transient states, by Gauss–Seidel sweeps to 1e-14 otherwise (the iteration of the
 * same linear system, not a simulation). Removing channel c sends every transition into a state whose
 * last channel is c to null. Removal effect RE(c) = 1 − P(conv | c removed)/P(conv); channel c gets
 * total × RE(c)/Σ RE.
 */
import { badInput } from '../errors.ts';
import type { Journeys, Scores } from './types.ts';
import { journeyTotals } from './types.ts';
import { spreadChannelTotals } from './rules.ts';

export interface MarkovChain {
  /** Number of states: 0 = start, 1 = conversion, 2 = null, 3.. = channel tuples. */
  states: number;
  /** Last channel of each state (−1 for start, conversion and null). */
  lastChannel: Int32Array;
  /** Sparse rows: transitions of state s are rowStart[s]..rowStart[s+1]−1 of (to, prob). */
  rowStart: Int32Array;
  to: Int32Array;
  prob: Float64Array;
}

export interface MarkovResult {
  order: number;
  /** P(conversion) from the start state. */
  conversionProbability: number;
  /** [C] removal effect of each channel. */
  removalEffect: Float64Array;
  /** Transient states of the chain (for reports). */
  states: number;
  scores: Scores;
}

/**
 * Transition counts of the order-`order` chain, added journeys by journeys: one counter can take a
 * dataset in parts (partitions of customers) and give the same chain as all journeys at once.
 */
export class ChainCounter {
  private readonly base: number;
  private readonly mod: number;
  // Small chains (order 1, or order 2 with a few dozen channels) count in a dense matrix indexed by key + 3; larger ones in a map.
  private readonly dense: Float64Array | null;
  private readonly ids = new Map<number, number>();
  private readonly last: number[] = [-1, -1, -1];
  private readonly counts = new Map<number, number>(); // key from·2^21 + to → weight (states < 2^21)

  /** `denseStates`: the most states counted in a dense matrix (the map beyond; a test sets 0 to compare the two). */
  constructor(readonly channels: number, readonly order: number, denseStates = 1024) {
    if (!Number.isInteger(order) || order < 1 || order > 3) throw badInput(`Markov order must be 1, 2 or 3; got ${order}`);
    this.base = channels + 1;
    this.mod = this.base ** order;
    const states = this.mod + 3;
    this.dense = states <= denseStates ? new Float64Array(states * states) : null;
  }

  private stateOf(key: number, lastC: number): number {
    if (this.dense) return key + 3;
    let s = this.ids.get(key);
    if (s === undefined) {
      s = this.last.length;
      if (s >= 2097152) throw badInput(`Markov chain of order ${this.order} has too many states; use a lower --order`);
      this.ids.set(key, s); this.last.push(lastC);
    }
    return s;
  }

  private addCount(from: number, to: number, w: number): void {
    if (this.dense) { this.dense[from * (this.mod + 3) + to] += w; return; }
    const k = from * 2097152 + to;
    this.counts.set(k, (this.counts.get(k) ?? 0) + w);
  }

  /** Adds every journey of `j` (its channels must be the counter's, in the same order). */
  add(j: Journeys): this {
    const J = j.offsets.length - 1;
    for (let k = 0; k < J; k++) {
      const w = j.conversions[k] + j.nulls[k];
      if (!(w > 0)) continue;
      let prev = 0, key = 0;
      for (let i = j.offsets[k]; i < j.offsets[k + 1]; i++) {
        const c = j.touchChannel[i];
        key = (key * this.base + c + 1) % this.mod;
        const s = this.stateOf(key, c);
        this.addCount(prev, s, w);
        prev = s;
      }
      if (j.conversions[k] > 0) this.addCount(prev, 1, j.conversions[k]);
      if (j.nulls[k] > 0) this.addCount(prev, 2, j.nulls[k]);
    }
    return this;
  }

  /** The chain of every journey added so far: transition probabilities from the counts. */
  chain(): MarkovChain {
    const counts = this.dense ? this.denseCounts() : { last: this.last, counts: this.counts };
    const S = counts.last.length;
    const rowCount = new Int32Array(S + 1);
    for (const key of counts.counts.keys()) rowCount[Math.floor(key / 2097152) + 1]++;
    for (let s = 0; s < S; s++) rowCount[s + 1] += rowCount[s];
    const to = new Int32Array(counts.counts.size), prob = new Float64Array(counts.counts.size), fill = rowCount.slice(0, S);
    const rowSum = new Float64Array(S);
    for (const [key, w] of counts.counts) {
      const from = Math.floor(key / 2097152);
      to[fill[from]] = key % 2097152; prob[fill[from]] = w; fill[from]++; rowSum[from] += w;
    }
    for (let s = 0; s < S; s++) for (let e = rowCount[s]; e < rowCount[s + 1]; e++) prob[e] /= rowSum[s];
    return { states: S, lastChannel: Int32Array.from(counts.last), rowStart: rowCount, to, prob };
  }

  /** The dense counts as the map's: only the states seen, numbered in the order of their keys. */
  private denseCounts(): { last: number[]; counts: Map<number, number> } {
    const n = this.mod + 3, d = this.dense!;
    const seen = new Uint8Array(n);
    seen[0] = seen[1] = seen[2] = 1;
    for (let f = 0; f < n; f++) for (let t = 0; t < n; t++) if (d[f * n + t] !== 0) { seen[f] = 1; seen[t] = 1; }
    const id = new Int32Array(n).fill(-1), last = [-1, -1, -1];
    id[0] = 0; id[1] = 1; id[2] = 2;
    for (let s = 3; s < n; s++) if (seen[s]) { id[s] = last.length; last.push(((s - 3) % this.base) - 1); }
    const counts = new Map<number, number>();
    for (let f = 0; f < n; f++) for (let t = 0; t < n; t++) if (d[f * n + t] !== 0) counts.set(id[f] * 2097152 + id[t], d[f * n + t]);
    return { last, counts };
  }
}

/** Builds the transition matrix of the order-`order` chain from journeys. */
export function buildChain(j: Journeys, order: number): MarkovChain {
  return new ChainCounter(j.channels.length, order).add(j).chain();
}

/**
 * P(conversion) from every state, with the states whose last channel is `removed` sent to null
 * (−1: nothing removed). Returns x [states].
 */
export function absorption(chain: MarkovChain, removed = -1): Float64Array {
  const S = chain.states, x = new Float64Array(S);
  x[1] = 1;
  const dead = (s: number) => s === 2 || (removed >= 0 && chain.lastChannel[s] === removed);
  // transient states: 0 and 3.. not removed
  const trans: number[] = [];
  for (let s = 0; s < S; s++) if (s !== 1 && !dead(s)) trans.push(s);
  const n = trans.length;
  if (n <= 400) {
    const idx = new Int32Array(S).fill(-1);
    trans.forEach((s, i) => { idx[s] = i; });
    const A = new Float64Array(n * n), b = new Float64Array(n);
    for (let i = 0; i < n; i++) {
      const s = trans[i];
      A[i * n + i] = 1;
      for (let e = chain.rowStart[s]; e < chain.rowStart[s + 1]; e++) {
        const t = chain.to[e];
        if (t === 1) b[i] += chain.prob[e];
        else if (idx[t] >= 0) A[i * n + idx[t]] -= chain.prob[e];
      }
    }
    solveDense(A, b, n);
    for (let i = 0; i < n; i++) x[trans[i]] = b[i];
    return x;
  }
  for (let sweep = 0; sweep < 1_000_000; sweep++) {
    let change = 0;
    for (const s of trans) {
      let v = 0;
      for (let e = chain.rowStart[s]; e < chain.rowStart[s + 1]; e++) {
        const t = chain.to[e];
        if (!dead(t)) v += chain.prob[e] * x[t];
      }
      change = Math.max(change, Math.abs(v - x[s]));
      x[s] = v;
    }
    if (change < 1e-14) break;
  }
  return x;
}

/** Solves A·x = b in place (b ← x) by Gaussian elimination with partial pivoting; A is [n, n] row-major. */
export function solveDense(A: Float64Array, b: Float64Array, n: number): void {
  for (let k = 0; k < n; k++) {
    let p = k;
    for (let i = k + 1; i < n; i++) if (Math.abs(A[i * n + k]) > Math.abs(A[p * n + k])) p = i;
    if (p !== k) {
      for (let c = 0; c < n; c++) { const t = A[k * n + c]; A[k * n + c] = A[p * n + c]; A[p * n + c] = t; }
      const t = b[k]; b[k] = b[p]; b[p] = t;
    }
    const d = A[k * n + k];
    if (d === 0) continue; // a state that never leaves (cannot happen for a chain built from finite journeys)
    for (let i = k + 1; i < n; i++) {
      const f = A[i * n + k] / d;
      if (f === 0) continue;
      for (let c = k; c < n; c++) A[i * n + c] -= f * A[k * n + c];
      b[i] -= f * b[k];
    }
  }
  for (let k = n - 1; k >= 0; k--) {
    let s = b[k];
    for (let c = k + 1; c < n; c++) s -= A[k * n + c] * b[c];
    b[k] = A[k * n + k] === 0 ? 0 : s / A[k * n + k];
  }
}

/** P(conversion) from the start and each channel's removal effect on a chain of `channels` channels. */
export function removalEffects(chain: MarkovChain, channels: number): { conversionProbability: number; removalEffect: Float64Array } {
  const p = absorption(chain)[0];
  const re = new Float64Array(channels);
  for (let c = 0; c < channels; c++) re[c] = p > 0 ? Math.max(0, 1 - absorption(chain, c)[0] / p) : 0;
  return { conversionProbability: p, removalEffect: re };
}

/** Channel totals of the removal-effect method: the conversions (and value) distributed in proportion to the removal effects. */
export function removalEffectTotals(re: Float64Array, totalConversions: number, totalValue: number): { conversions: Float64Array; value: Float64Array } {
  const C = re.length;
  let sum = 0;
  for (let c = 0; c < C; c++) sum += re[c];
  const conv = new Float64Array(C), val = new Float64Array(C);
  for (let c = 0; c < C; c++) { conv[c] = sum > 0 ? totalConversions * re[c] / sum : 0; val[c] = sum > 0 ? totalValue * re[c] / sum : 0; }
  return { conversions: conv, value: val };
}

/** Removal-effect attribution. Example: journeys A→conv, B→null, A→B→conv (order 1) → P(conv) = 2/3, RE(A) = 0.75, RE(B) = 0.5. */
export function markovScores(j: Journeys, order = 1): MarkovResult {
  const chain = buildChain(j, order);
  const { conversionProbability, removalEffect } = removalEffects(chain, j.channels.length);
  const tot = journeyTotals(j);
  const t = removalEffectTotals(removalEffect, tot.conversions, tot.value);
  return { order, conversionProbability, removalEffect, states: chain.states - 3, scores: spreadChannelTotals(j, 'markov', t.conversions, t.value) };
}
