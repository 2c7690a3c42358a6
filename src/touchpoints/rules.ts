/**
 * Rule-based scores: first touch, last touch, linear, position-based (U-shape) and time decay.
 * Each converting journey's conversions (and value) are split among its touches by fixed weights;
 * non-converting journeys get nothing. Scores therefore sum exactly to the conversions of journeys
 * with touches.
 */
import { badInput } from '../errors.ts';
import type { Journeys, Scores } from './types.ts';
import { touchCount } from './types.ts';

export type RuleMethod = 'first' | 'last' | 'linear' | 'position' | 'decay';

export interface RuleOptions {
  /** Position-based weights of the first and last touch (the middle touches share the rest). Default 0.4 and 0.4. */
  position?: { first: number; last: number };
  /**
   * Time-decay half-life: days before the conversion at which a touch weighs half as much (default 7).
   * For aggregated paths (no timestamps) it counts steps before the last touch.
   */
  halfLife?: number;
}

/**
 * Writes the weights (summing to 1) of an n-touch journey into `w[0..n)`.
 * Example: position 40/20/40 with n = 4 → [0.4, 0.1, 0.1, 0.4]; n = 2 → [0.5, 0.5]; n = 1 → [1].
 */
export function ruleWeights(method: RuleMethod, n: number, w: Float64Array, opts: RuleOptions = {}, times?: Float64Array, t0 = 0, end = NaN): void {
  if (n === 0) return;
  w.fill(0, 0, n);
  switch (method) {
    case 'first': w[0] = 1; return;
    case 'last': w[n - 1] = 1; return;
    case 'linear': w.fill(1 / n, 0, n); return;
    case 'position': {
      const f = opts.position?.first ?? 0.4, l = opts.position?.last ?? 0.4;
      if (n === 1) { w[0] = 1; return; }
      if (n === 2) { w[0] = f / (f + l); w[1] = l / (f + l); return; }
      w[0] = f; w[n - 1] = l;
      w.fill((1 - f - l) / (n - 2), 1, n - 1);
      return;
    }
    case 'decay': {
      const h = opts.halfLife ?? 7;
      let s = 0;
      for (let k = 0; k < n; k++) {
        const age = times && Number.isFinite(end) && Number.isFinite(times[t0 + k]) ? (end - times[t0 + k]) / 86400 : n - 1 - k;
        w[k] = Math.pow(2, -Math.max(0, age) / h);
        s += w[k];
      }
      for (let k = 0; k < n; k++) w[k] /= s;
      return;
    }
  }
}

export function checkRuleOptions(opts: RuleOptions): void {
  if (opts.position) {
    const { first, last } = opts.position;
    if (!(first >= 0 && last >= 0 && first + last <= 1 && first + last > 0)) throw badInput(`position weights must be ≥ 0 with first + last in (0, 1]; got first ${first}, last ${last}`);
  }
  if (opts.halfLife !== undefined && !(opts.halfLife > 0 && Number.isFinite(opts.halfLife))) throw badInput(`half-life must be a positive number of days; got ${opts.halfLife}`);
}

/** Scores every touch by a rule. Example: a journey A → B → C converting once, `linear` → 1/3 each. */
export function ruleScores(j: Journeys, method: RuleMethod, opts: RuleOptions = {}): Scores {
  checkRuleOptions(opts);
  const N = touchCount(j);
  const conv = new Float64Array(N), val = new Float64Array(N);
  eachRuleCredit(j, method, opts, (i, c, v) => { conv[i] = c; val[i] = v; });
  return { method, conversions: conv, value: val };
}

/** Adds each channel's credit by a rule to `conv` and `val` [C] (what `byChannel(j, ruleScores(j, method, opts))` gives, without a score per touch). */
export function addRuleChannelSums(j: Journeys, method: RuleMethod, opts: RuleOptions, conv: Float64Array, val: Float64Array): void {
  eachRuleCredit(j, method, opts, (i, c, v) => { const ch = j.touchChannel[i]; conv[ch] += c; val[ch] += v; });
}

/** Calls `credit(touch, conversions, value)` for every touch of a converting journey with what the rule gives it. */
function eachRuleCredit(j: Journeys, method: RuleMethod, opts: RuleOptions, credit: (i: number, conversions: number, value: number) => void): void {
  const J = j.offsets.length - 1;
  let maxLen = 0;
  for (let k = 0; k < J; k++) maxLen = Math.max(maxLen, j.offsets[k + 1] - j.offsets[k]);
  const w = new Float64Array(maxLen);
  for (let k = 0; k < J; k++) {
    const c = j.conversions[k];
    if (!(c > 0)) continue;
    const a = j.offsets[k], n = j.offsets[k + 1] - a, v = j.value[k];
    ruleWeights(method, n, w, opts, j.touchTime, a, j.endTime[k]);
    for (let i = 0; i < n; i++) credit(a + i, c * w[i], v * w[i]);
  }
}

/**
 * Spreads channel totals over that channel's touches in converting journeys, in proportion to the
 * journey's conversions (value: the journey's value). Used by the channel-level methods (Markov,
 * Shapley): channel sums equal the totals exactly; one journey's touches need not sum to its conversions.
 */
export function spreadChannelTotals(j: Journeys, method: Scores['method'], convTotals: Float64Array, valTotals: Float64Array): Scores {
  const N = touchCount(j), J = j.offsets.length - 1, C = j.channels.length;
  const convBase = new Float64Array(C), valBase = new Float64Array(C);
  addSpreadBase(j, convBase, valBase);
  const conv = new Float64Array(N), val = new Float64Array(N);
  for (let k = 0; k < J; k++) {
    if (!(j.conversions[k] > 0)) continue;
    for (let i = j.offsets[k]; i < j.offsets[k + 1]; i++) {
      const c = j.touchChannel[i];
      conv[i] = convBase[c] > 0 ? convTotals[c] * j.conversions[k] / convBase[c] : 0;
      val[i] = valBase[c] > 0 ? valTotals[c] * j.value[k] / valBase[c] : convBase[c] > 0 ? valTotals[c] * j.conversions[k] / convBase[c] : 0;
    }
  }
  return { method, conversions: conv, value: val };
}

/** Adds, per channel, the conversions and value of the converting journeys its touches are in (the bases `spreadChannelTotals` divides by). */
export function addSpreadBase(j: Journeys, convBase: Float64Array, valBase: Float64Array): void {
  const J = j.offsets.length - 1;
  for (let k = 0; k < J; k++) {
    if (!(j.conversions[k] > 0)) continue;
    for (let i = j.offsets[k]; i < j.offsets[k + 1]; i++) { convBase[j.touchChannel[i]] += j.conversions[k]; valBase[j.touchChannel[i]] += j.value[k]; }
  }
}

/**
 * What the spread scores of channel totals sum to per channel: the total where the channel has a touch
 * in a converting journey, 0 where it has none (nothing to spread over).
 */
export function spreadChannelSums(totals: Float64Array, convBase: Float64Array): Float64Array {
  return totals.map((x, c) => (convBase[c] > 0 ? x : 0));
}
