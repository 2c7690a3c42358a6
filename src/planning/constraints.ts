/**
 * Input validation and the bounds of each curve: the one place where constraint names are matched to curves.
 * Matching is case-insensitive and by exact key first, then by channel, so bounds can never land on the wrong
 * curve because of ordering or spelling case; a name that matches nothing is an error, not a silent no-op.
 */
import { badInput } from '../errors.ts';
import type { AppliedBand, Constraint, ResponseCurve } from './types.ts';

export interface Problem {
  /** Curves in canonical order (by lower-cased key); `order[j]` is the input index of canonical curve j. */
  curves: ResponseCurve[];
  order: Int32Array;
  lo: Float64Array;
  hi: Float64Array;
  /** The reference mix scaled to the budget (canonical order). */
  base: Float64Array;
  budget: number;
  band?: AppliedBand;
}

const fmt = (v: number) => (Number.isInteger(v) ? String(v) : String(+v.toPrecision(10)));
const label = (c: ResponseCurve) => (c.geo !== undefined && !c.key.includes(c.geo) ? `${c.key} (${c.channel}, ${c.geo})` : c.key);

function nonNegative(what: string, v: unknown): number {
  if (typeof v !== 'number' || !Number.isFinite(v) || v < 0) throw badInput(`${what} must be a finite number ≥ 0; got ${String(v)}`);
  return v;
}

/** Validates curves, budget and constraints and resolves each curve's [lo, hi]. `budgetIsCap` for profit. */
export function resolveProblem(
  curves: ResponseCurve[], budget: number, constraints: Record<string, Constraint> | undefined, budgetIsCap: boolean, bandPct?: number,
): Problem {
  if (!Array.isArray(curves) || curves.length === 0) throw badInput('optimize: at least one response curve is needed; got none');
  nonNegative('budget', budget);
  const n = curves.length;
  const byKey = new Map<string, number>();
  const byChannel = new Map<string, number[]>();
  curves.forEach((c, i) => {
    if (!c || typeof c.key !== 'string' || c.key === '') throw badInput(`curve ${i + 1}: key must be a non-empty string; got ${String(c?.key)}`);
    if (typeof c.expected !== 'function') throw badInput(`curve '${c.key}': expected(spend) must be a function`);
    nonNegative(`curve '${c.key}': reference`, c.reference);
    const k = c.key.toLowerCase();
    const prev = byKey.get(k);
    if (prev !== undefined) throw badInput(`curve keys must be unique (case-insensitively); '${curves[prev].key}' and '${c.key}' collide`);
    byKey.set(k, i);
    const ch = String(c.channel ?? c.key).toLowerCase();
    if (!byChannel.has(ch)) byChannel.set(ch, []);
    byChannel.get(ch)!.push(i);
  });
  const order = Int32Array.from(curves.map((_, i) => i).sort((a, b) => {
    const ka = curves[a].key.toLowerCase(), kb = curves[b].key.toLowerCase();
    return ka < kb ? -1 : ka > kb ? 1 : 0;
  }));
  const canon = Array.from(order, (i) => curves[i]);
  const position = new Int32Array(n);
  order.forEach((i, j) => { position[i] = j; });

  // Baseline: the reference mix scaled to the budget (an equal split when every reference is 0).
  let refSum = 0;
  for (const c of canon) refSum += c.reference;
  const base = new Float64Array(n);
  for (let j = 0; j < n; j++) base[j] = refSum > 0 ? (canon[j].reference / refSum) * budget : budget / n;

  // Constraint entries: key match wins over channel match; the most specific entry applies whole.
  const keyEntry = new Array<Constraint | undefined>(n).fill(undefined);
  const chanEntry = new Array<Constraint | undefined>(n).fill(undefined);
  const seen = new Map<string, string>();
  for (const [name, con] of Object.entries(constraints ?? {})) {
    const lname = name.toLowerCase();
    if (seen.has(lname)) throw badInput(`constraints: '${seen.get(lname)}' and '${name}' name the same curve or channel (names are case-insensitive)`);
    seen.set(lname, name);
    if (!con || typeof con !== 'object') throw badInput(`constraints.${name} must be an object like { "min": 0, "max": 1000 }; got ${String(con)}`);
    const allowed = ['min', 'max', 'locked', 'minPct', 'maxPct'];
    for (const f of Object.keys(con)) if (!allowed.includes(f)) throw badInput(`constraints.${name}.${f}: unknown field; allowed: ${allowed.join(', ')}`);
    for (const f of allowed) { const v = (con as Record<string, unknown>)[f]; if (v !== undefined) nonNegative(`constraints.${name}.${f}`, v); }
    if (con.locked !== undefined && (con.min !== undefined || con.max !== undefined || con.minPct !== undefined || con.maxPct !== undefined))
      throw badInput(`constraints.${name}: 'locked' fixes the spend and cannot be combined with min/max/minPct/maxPct`);
    if (con.minPct !== undefined && con.minPct > 100) throw badInput(`constraints.${name}.minPct must be between 0 and 100 (percent below the baseline); got ${con.minPct}`);
    if (con.min !== undefined && con.max !== undefined && con.min > con.max)
      throw badInput(`constraints.${name}: min ${fmt(con.min)} is greater than max ${fmt(con.max)}`);
    const ki = byKey.get(lname);
    if (ki !== undefined) { keyEntry[position[ki]] = con; continue; }
    const chs = byChannel.get(lname);
    if (chs) { for (const i of chs) chanEntry[position[i]] = con; continue; }
    const known = [...new Set(curves.map((c) => c.channel))].sort();
    throw badInput(`constraints: '${name}' matches no curve key or channel; channels: ${known.join(', ')}`);
  }

  const lo = new Float64Array(n), hi = new Float64Array(n).fill(Infinity);
  for (let j = 0; j < n; j++) {
    const con = keyEntry[j] ?? chanEntry[j];
    if (!con) continue;
    if (con.locked !== undefined) { lo[j] = hi[j] = con.locked; continue; }
    if (con.min !== undefined) lo[j] = Math.max(lo[j], con.min);
    if (con.minPct !== undefined) lo[j] = Math.max(lo[j], base[j] * (1 - con.minPct / 100));
    if (con.max !== undefined) hi[j] = Math.min(hi[j], con.max);
    if (con.maxPct !== undefined) hi[j] = Math.min(hi[j], base[j] * (1 + con.maxPct / 100));
    if (lo[j] > hi[j]) throw badInput(`constraints for '${label(canon[j])}': the lower bound ${fmt(lo[j])} exceeds the upper bound ${fmt(hi[j])} (baseline spend ${fmt(base[j])}, constraint ${JSON.stringify(con)})`);
  }

  const band = bandPct === undefined ? undefined : applyBand(bandPct, keyEntry.map((k, j) => !k && !chanEntry[j]), base, lo, hi, budget, budgetIsCap);

  let sumLo = 0, sumLocked = 0, sumHi = 0;
  for (let j = 0; j < n; j++) { sumLo += lo[j]; sumHi += hi[j]; if (lo[j] === hi[j] && lo[j] > 0) sumLocked += lo[j]; }
  const list = (pick: (j: number) => boolean, val: Float64Array) => {
    const js = [...Array(n).keys()].filter(pick).sort((a, b) => val[b] - val[a]);
    const shown = js.slice(0, 8).map((j) => `${label(canon[j])} ${fmt(val[j])}`);
    return shown.join(', ') + (js.length > 8 ? `, … ${js.length - 8} more` : '');
  };
  const tol = 1e-12 * Math.max(budget, 1);
  if (sumLocked > budget + tol)
    throw badInput(`constraints: locked spends add up to ${fmt(sumLocked)} (${list((j) => lo[j] === hi[j] && lo[j] > 0, lo)}), more than the budget ${fmt(budget)}`);
  if (sumLo > budget + tol)
    throw badInput(`constraints: minimum spends add up to ${fmt(sumLo)} (${list((j) => lo[j] > 0, lo)}), more than the budget ${fmt(budget)}`);
  if (!budgetIsCap && sumHi < budget - tol)
    throw badInput(`constraints: maximum spends add up to ${fmt(sumHi)} (${list(() => true, hi)}), less than the budget ${fmt(budget)}; raise a max or lower the budget`);
  return { curves: canon, order, lo, hi, base, budget, ...(band ? { band } : {}) };
}

/**
 * Bounds each curve the user left free (`free[j]`) to base·(1 ± band%), in place. When the user's own
 * bounds leave the budget unreachable inside that band (the free curves' maxima too small, or their
 * minima too large), the band is widened to the least that lets the budget be spent, and says so.
 */
function applyBand(bandPct: number, free: boolean[], base: Float64Array, lo: Float64Array, hi: Float64Array, budget: number, budgetIsCap: boolean): AppliedBand {
  nonNegative('band', bandPct);
  let freeBase = 0, fixedLo = 0, fixedHi = 0, count = 0;
  for (let j = 0; j < base.length; j++) {
    if (free[j]) { freeBase += base[j]; count++; } else { fixedLo += lo[j]; fixedHi += hi[j]; }
  }
  let b = bandPct / 100;
  let widened = false;
  if (freeBase > 0) {
    if (!budgetIsCap && Number.isFinite(fixedHi)) b = Math.max(b, (budget - fixedHi) / freeBase - 1);
    b = Math.max(b, 1 - (budget - fixedLo) / freeBase);
    // A widened band sits exactly on the budget: a hair more keeps rounding from refusing it.
    if (b > bandPct / 100) { b = b * (1 + 1e-9) + 1e-12; widened = true; }
  }
  for (let j = 0; j < base.length; j++) {
    if (!free[j]) continue;
    lo[j] = Math.max(0, base[j] * (1 - b));
    hi[j] = base[j] * (1 + b);
  }
  // Rounded up to a tenth of a percent so the reported band holds what was applied.
  return { requested: bandPct, applied: widened ? Math.max(bandPct, Math.ceil(b * 1000) / 10) : bandPct, curves: count };
}
