/** Turning spends into reported plans: expected outcome, marginal ROI, intervals from posterior draws. */
import { badInput } from '../errors.ts';
import type { Allocation, Plan, ResponseCurve } from './types.ts';

/** Quantile (linear interpolation between order statistics, R type 7) of a sorted array; NaN when empty. */
export function quantileSorted(sorted: Float64Array, p: number): number {
  const n = sorted.length;
  if (n === 0) return NaN;
  const h = (n - 1) * p, k = Math.floor(h);
  return k + 1 < n ? sorted[k] + (h - k) * (sorted[k + 1] - sorted[k]) : sorted[n - 1];
}

/** Equal-tailed interval of `mass` from draws (not modified). Example: draws 0..100, mass 0.9 → [5, 95]. */
export function interval(draws: Float64Array, mass: number): [number, number] {
  const s = Float64Array.from(draws).sort();
  return [quantileSorted(s, (1 - mass) / 2), quantileSorted(s, (1 + mass) / 2)];
}

/** Step for finite differences at spend s on a curve whose typical spend is `scale`. */
export const fdStep = (s: number, scale: number) => 1e-4 * Math.max(s, scale, 1e-300);

/** d f / d s by central differences (second-order forward differences when s − h < 0). */
export function derivative(f: (s: number) => number, s: number, scale: number): number {
  const h = fdStep(s, scale);
  if (s - h < 0) return (-3 * f(s) + 4 * f(s + h) - f(s + 2 * h)) / (2 * h);
  return (f(s + h) - f(s - h)) / (2 * h);
}

/**
 * The reported plan for spends given in canonical order; allocation rows come back in input order
 * (`order[j]` = input index of canonical curve j). Intervals only when every curve has `draws`.
 */
export function buildPlan(curves: ResponseCurve[], order: Int32Array, spend: Float64Array, scale: number, mass: number): Plan {
  const n = curves.length;
  const withDraws = curves.every((c) => typeof c.draws === 'function');
  const rows: Allocation[] = new Array(n);
  let totalSpend = 0, totalExpected = 0;
  let sumDraws: Float64Array | undefined;
  for (let j = 0; j < n; j++) {
    const c = curves[j], s = spend[j];
    const f = (x: number) => c.expected(x);
    const e = f(s);
    const row: Allocation = { key: c.key, channel: c.channel, ...(c.geo !== undefined ? { geo: c.geo } : {}), spend: s, expected: e, mroi: derivative(f, s, scale) };
    if (withDraws) {
      const d = c.draws!(s);
      if (!sumDraws) sumDraws = new Float64Array(d.length);
      if (d.length !== sumDraws.length) throw badInput(`curve '${c.key}': draws() returned ${d.length} values; other curves return ${sumDraws.length}`);
      for (let k = 0; k < d.length; k++) sumDraws[k] += d[k];
      row.expectedInterval = interval(d, mass);
      // Kept per row too, so two plans on the same model compare each channel draw by draw (compare.ts).
      row.expectedDraws = Array.from(d);
    }
    rows[order[j]] = row;
    totalSpend += s; totalExpected += e;
  }
  return {
    allocation: rows,
    total: {
      spend: totalSpend, expected: totalExpected,
      // The draws themselves, so that two plans on the same model compare draw by draw (compare.ts).
      ...(sumDraws ? { expectedInterval: interval(sumDraws, mass), expectedDraws: Array.from(sumDraws) } : {}),
      roi: totalSpend > 0 ? totalExpected / totalSpend : NaN,
    },
  };
}
