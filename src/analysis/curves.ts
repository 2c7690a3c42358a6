/**
 * Response-curve tables for insights: per channel (and per geo where the model has geos) the expected
 * incremental outcome over the data period when the channel's observed spend is scaled by a
 * multiplier, with 90% intervals over the draws, the marginal ROI along the curve, the current point
 * (multiplier 1) and the break-even point (marginal ROI = 1, the last downward crossing, found by
 * bisection on the derivative of the interpolated curve).
 */
import type { FittedModel } from '../models/fitted.ts';
import { lastDownCrossing } from './interp.ts';
import { gridInterpolants, multiplierGrid, responseGrid } from './response.ts';
import type { FitSummary } from './summary.ts';

export interface CurveRow {
  channel: string; geo: string | null; multiplier: number; spend: number;
  expected: number; expectedLow: number; expectedHigh: number;
  /** Marginal ROI (revenue per unit of spend; outcome per unit for conversion targets without a value). */
  mroi: number; mroiLow: number; mroiHigh: number;
}

export interface CurvePointRow {
  channel: string; geo: string | null; point: 'current' | 'break-even';
  multiplier: number; spend: number; expected: number; expectedLow: number; expectedHigh: number; mroi: number;
  /** 90% interval of the break-even spend over draws (null where it falls outside the grid). */
  spendLow: number | null; spendHigh: number | null;
}

/** 5% and 95% quantiles (R type 7). */
export function quantiles(values: ArrayLike<number>, probs: number[]): number[] {
  const s = Float64Array.from(values).sort();
  return probs.map((p) => {
    if (!s.length) return NaN;
    const h = (s.length - 1) * p, k = Math.floor(h);
    return k + 1 < s.length ? s[k] + (h - k) * (s[k + 1] - s[k]) : s[s.length - 1];
  });
}

export function curveTables(fitted: FittedModel, summary: FitSummary, opts: { range: [number, number]; points: number; perGeo: boolean }) {
  const rows: CurveRow[] = [];
  const points: CurvePointRow[] = [];
  const ms = multiplierGrid(opts.range[0], opts.range[1], opts.points);
  const G = fitted.geos.length;
  fitted.channels.forEach((name, c) => {
    const out = summary.channels.find((x) => x.name === name);
    const factor = fitted.target.kind === 'revenue' ? 1
      : fitted.revenuePerUnit.every((v) => v === 1) || !out || out.contribution === 0 ? null : (out.roi * out.spend) / out.contribution;
    const targets: (number | undefined)[] = [undefined, ...(opts.perGeo && G > 1 ? fitted.geos.map((_, g) => g) : [])];
    for (const geo of targets) {
      const grid = responseGrid(fitted, { channel: c, geo, multipliers: ms });
      if (!(grid.spend > 0)) continue;
      const f = factor ?? 1;
      const { mean, draws } = gridInterpolants(grid);
      const geoName = geo === undefined ? null : fitted.geos[geo];
      grid.multipliers.forEach((m, i) => {
        const s = m * grid.spend;
        const [lo, hi] = quantiles(grid.draws[i], [0.05, 0.95]);
        const [mlo, mhi] = quantiles(draws.map((d) => f * d.slope(s)), [0.05, 0.95]);
        rows.push({ channel: name, geo: geoName, multiplier: m, spend: s, expected: grid.mean[i], expectedLow: lo, expectedHigh: hi, mroi: f * mean.slope(s), mroiLow: mlo, mroiHigh: mhi });
      });
      const at = (m: number, point: CurvePointRow['point'], spendIv: [number | null, number | null]) => {
        const s = m * grid.spend;
        const [lo, hi] = quantiles(draws.map((d) => d.value(s)), [0.05, 0.95]);
        points.push({ channel: name, geo: geoName, point, multiplier: m, spend: s, expected: mean.value(s), expectedLow: lo, expectedHigh: hi, mroi: f * mean.slope(s), spendLow: spendIv[0], spendHigh: spendIv[1] });
      };
      // The current point is a stored figure: the channel's contribution, its interval and its
      // marginal ROI as every other surface shows them (computed once, over the fit's summary draws);
      // the curve around it comes from fewer draws (fitted.ts), so its line may pass a Monte Carlo
      // error away from the point. Per-geo points have no stored figure and come from the curve.
      if (geo === undefined && out) {
        const [lo, hi] = out.contributionInterval ?? quantiles(draws.map((d) => d.value(grid.spend)), [0.05, 0.95]);
        points.push({ channel: name, geo: null, point: 'current', multiplier: 1, spend: grid.spend, expected: out.contribution, expectedLow: lo, expectedHigh: hi, mroi: out.mroi, spendLow: null, spendHigh: null });
      } else at(1, 'current', [null, null]);
      if (factor !== null) {
        const xs = Float64Array.from(grid.multipliers, (m) => m * grid.spend);
        const be = lastDownCrossing((s) => factor * mean.slope(s), xs, 1);
        if (be !== null) {
          const top = xs[xs.length - 1];
          const perDraw = draws.map((d) => {
            const x = lastDownCrossing((s) => factor * d.slope(s), xs, 1);
            return x !== null ? x : factor * d.slope(top) >= 1 ? Infinity : 0;
          });
          const [lo, hi] = quantiles(perDraw, [0.05, 0.95]);
          const fin = (v: number) => (Number.isFinite(v) && v > 0 ? v : null);
          at(be / grid.spend, 'break-even', [fin(lo), fin(hi)]);
        }
      }
    }
  });
  return { rows, points };
}
