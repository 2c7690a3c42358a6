/** Two plans side by side: budget, spend per channel (and geo), expected outcome and ROI with intervals, differences (B − A). */
import type { Allocation, PlanTotal } from './types.ts';
import { interval } from './report.ts';

export interface ComparablePlan { id: string; model: string; budget: number; periods: number; allocation: Allocation[]; total: PlanTotal; units?: { expected: 'currency' | 'conversions'; currency?: string | null } }

/** A side's totals: ROI's interval, and for a conversions model the cost per conversion with its interval. */
type SideTotal = PlanTotal & { roiInterval?: [number, number]; cpa?: number; cpaInterval?: [number, number] };

export interface PlanComparison {
  /** `currency`: each plan's own (its models'; null when unknown). */
  a: { id: string; model: string; budget: number; periods: number; total: SideTotal; currency: string | null };
  b: { id: string; model: string; budget: number; periods: number; total: SideTotal; currency: string | null };
  rows: { key: string; channel: string; geo?: string; spendA: number; spendB: number; spendDiff: number; expectedA: number; expectedB: number; expectedDiff: number; expectedIntervalA?: [number, number]; expectedIntervalB?: [number, number]; /** B − A's 90% interval from paired draws (same model). */ expectedDiffInterval?: [number, number]; mroiA: number | null; mroiB: number | null }[];
  /** B − A; `expectedInterval` from the paired draws of the same model (exact), or, across models, from
   *  the two intervals as if independent (`intervalBasis` says which). */
  difference: { budget: number; expected: number; roi: number; expectedInterval?: [number, number]; intervalBasis?: 'paired draws' | 'independent' };
  notes: string[];
  /** The currency of the differences: both plans' when they agree, else null (no symbol). */
  currency: string | null;
}

export function comparePlans(a: ComparablePlan, b: ComparablePlan): PlanComparison {
  const keys = new Map<string, { key: string; channel: string; geo?: string }>();
  for (const r of [...a.allocation, ...b.allocation]) if (!keys.has(r.key.toLowerCase())) keys.set(r.key.toLowerCase(), { key: r.key, channel: r.channel, ...(r.geo !== undefined ? { geo: r.geo } : {}) });
  const find = (p: ComparablePlan, k: string) => p.allocation.find((r) => r.key.toLowerCase() === k);
  const rows = [...keys].map(([k, id]) => {
    const ra = find(a, k), rb = find(b, k);
    // B − A for this channel per draw, when both plans hold the same model's draws for it.
    const da = ra?.expectedDraws, db = rb?.expectedDraws;
    const paired = a.model === b.model && da && db && da.length === db.length && da.length > 1 ? interval(Float64Array.from(db, (v, d) => v - da[d]), 0.9) : null;
    return {
      ...id, spendA: ra?.spend ?? 0, spendB: rb?.spend ?? 0, spendDiff: (rb?.spend ?? 0) - (ra?.spend ?? 0),
      expectedA: ra?.expected ?? 0, expectedB: rb?.expected ?? 0, expectedDiff: (rb?.expected ?? 0) - (ra?.expected ?? 0),
      ...(ra?.expectedInterval ? { expectedIntervalA: ra.expectedInterval } : {}), ...(rb?.expectedInterval ? { expectedIntervalB: rb.expectedInterval } : {}),
      ...(paired ? { expectedDiffInterval: paired } : {}),
      mroiA: ra?.mroi ?? null, mroiB: rb?.mroi ?? null,
    };
  });
  const notes: string[] = [];
  if (a.model !== b.model) notes.push(`the plans use different models (${a.model} vs ${b.model}): their expected outcomes come from different estimates`);
  if (a.periods !== b.periods) notes.push(`the plans cover different periods (${a.periods} vs ${b.periods})`);
  const ca = a.units?.currency ?? null, cb = b.units?.currency ?? null;
  if (ca !== cb) notes.push(`the plans are in different currencies (${a.id}: ${ca ?? 'not given'}, ${b.id}: ${cb ?? 'not given'}): their amounts are not comparable, and the differences are shown without a currency`);
  // ROI's interval is the outcome's divided by the (fixed) spend.
  const pick = (p: ComparablePlan) => {
    const iv = p.total.expectedInterval;
    // Spend is fixed in a plan: ROI's interval is the outcome's over spend, CPA's is spend over the outcome's (ends swapped).
    const conversions = p.units?.expected === 'conversions' && p.total.expected > 0;
    const total: SideTotal = {
      ...p.total,
      ...(iv && p.total.spend > 0 ? { roiInterval: [iv[0] / p.total.spend, iv[1] / p.total.spend] as [number, number] } : {}),
      ...(conversions ? { cpa: p.total.spend / p.total.expected, ...(iv && iv[0] > 0 ? { cpaInterval: [p.total.spend / iv[1], p.total.spend / iv[0]] as [number, number] } : {}) } : {}),
    };
    return { id: p.id, model: p.model, budget: p.budget, periods: p.periods, total };
  };
  const diff = differenceInterval(a, b);
  if (diff?.basis === 'independent') notes.push('the interval of the difference treats the two plans\' outcomes as independent (different models or draws): it is wider than a paired one would be');
  const { expectedDraws: _a, ...totalA } = pick(a).total, { expectedDraws: _b, ...totalB } = pick(b).total;
  return {
    a: { ...pick(a), total: totalA, currency: ca }, b: { ...pick(b), total: totalB, currency: cb }, rows,
    difference: {
      budget: b.budget - a.budget, expected: b.total.expected - a.total.expected, roi: b.total.roi - a.total.roi,
      ...(diff ? { expectedInterval: diff.interval, intervalBasis: diff.basis } : {}),
    },
    notes,
    currency: ca === cb ? ca : null,
  };
}

/** The 90% interval of B − A: per draw when both plans hold the same model's draws, else from the two intervals as if independent. */
function differenceInterval(a: ComparablePlan, b: ComparablePlan): { interval: [number, number]; basis: 'paired draws' | 'independent' } | null {
  const da = a.total.expectedDraws, db = b.total.expectedDraws;
  if (a.model === b.model && da && db && da.length === db.length && da.length > 1) {
    return { interval: interval(Float64Array.from(db, (v, k) => v - da[k]), 0.9), basis: 'paired draws' };
  }
  const ia = a.total.expectedInterval, ib = b.total.expectedInterval;
  if (!ia || !ib) return null;
  const d = b.total.expected - a.total.expected;
  // Lower end: B low and A high; upper: B high and A low; half-widths combined in quadrature.
  const down = Math.hypot(b.total.expected - ib[0], ia[1] - a.total.expected);
  const up = Math.hypot(ib[1] - b.total.expected, a.total.expected - ia[0]);
  return { interval: [d - down, d + up], basis: 'independent' };
}
