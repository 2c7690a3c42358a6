/**
 * What every classic family (linear, ridge, forest, boosting) returns: the fit-output contract's
 * fields (same shape as the Bayesian fit) plus the stored state needed to rebuild a `FittedModel`.
 * Intervals are 5%–95% bootstrap intervals (moving-block bootstrap over periods, refit per replicate).
 */
import { Rng } from '../../util/rng.ts';
import type { ModelData } from '../design.ts';
import type { FitMetrics } from '../metrics.ts';
import type { ChannelMedia } from './media.ts';
import type { OrganicResult } from '../organic.ts';

export type ClassicFamily = 'linear' | 'ridge' | 'forest' | 'boosting';

export interface ClassicChannel {
  name: string;
  spend: number;
  contribution: number; contributionInterval: [number, number];
  roi: number; roiInterval: [number, number];
  mroi: number; mroiInterval: [number, number];
  cpa?: number; cpaInterval?: [number, number];
  shareOfSpend: number; shareOfEffect: number;
}

export interface ClassicFit {
  family: ClassicFamily;
  approximate: false;
  /** Organic channels: contribution, share and per-unit effect (no ROI). */
  organic?: OrganicResult[];
  fit: FitMetrics & { holdout?: FitMetrics };
  diagnostics: {
    seconds: number; bootstrap: number;
    lambda?: number; intercept?: number; coefficients?: Record<string, number>;
    search?: {
      iterations: number; trials: number; evaluations: number; paretoSize: number; clusters: number; seconds: number;
      /** Each cluster's recommended model: its objectives and ROI per channel; `chosen` marks the one refitted. */
      recommended: { cluster: number; size: number; nrmse: number; decompRssd: number; calibration?: number; lambda: number; roi: Record<string, number>; chosen: boolean }[];
    };
    trees?: Record<string, number>;
  };
  channels: ClassicChannel[];
  warnings: string[];
  series: { dates: string[]; geos: string[]; actual: number[]; predicted: number[]; contributions: Record<string, number[]> };
  /** Everything `FittedModel` needs besides config and data. */
  stored: unknown;
}

/** 5% and 95% quantiles (type 7, as numpy's default) of `values`. */
export function interval(values: ArrayLike<number>): [number, number] {
  const s = Float64Array.from(values).sort();
  return [quantile(s, 0.05), quantile(s, 0.95)];
}

export function quantile(sorted: Float64Array, q: number): number {
  if (sorted.length === 0) return NaN;
  const h = (sorted.length - 1) * q, lo = Math.floor(h), hi = Math.min(lo + 1, sorted.length - 1);
  return sorted[lo] + (h - lo) * (sorted[hi] - sorted[lo]);
}

/** Default block length of the moving-block bootstrap: ⌈T^(1/3)⌉ periods (6 for 208 weeks). */
export function blockLength(T: number): number {
  return Math.max(1, Math.ceil(Math.cbrt(T)));
}

/**
 * Rows of one moving-block bootstrap replicate: blocks of `block` consecutive in-sample periods
 * (all geos together) drawn with replacement until `tIn` periods are drawn. Rows are g·T + t.
 */
/**
 * Zeroes a [G·T] series where the geo has no row (an unbalanced panel's absent periods): a geo adds
 * nothing — baseline, media or prediction — to any total in periods it was not in the panel. In place.
 */
export function zeroAbsent<T extends { [i: number]: number; length: number }>(x: T, present: Uint8Array): T {
  for (let i = 0; i < x.length; i++) if (!present[i]) x[i] = 0;
  return x;
}

export function blockBootstrapRows(rng: Rng, tIn: number, T: number, G: number, block: number, observed?: Uint8Array): Int32Array {
  const rows: number[] = [];
  // An unbalanced panel's unobserved cells are left out of every block (`observed`, default all).
  const push = (i: number) => { if (!observed || observed[i]) rows.push(i); };
  const L = Math.min(block, tIn);
  let drawn = 0;
  while (drawn < tIn) {
    const start = Math.floor(rng.uniform() * (tIn - L + 1));
    for (let k = 0; k < L && drawn < tIn; k++, drawn++) for (let g = 0; g < G; g++) push(g * T + start + k);
  }
  return Int32Array.from(rows);
}

/**
 * Per-channel summaries from per-replicate effects: `point` [C] and `reps` [B, C] contributions in
 * target units and revenue, and marginal revenue per extra unit of spend.
 */
export function channelSummaries(data: ModelData, kind: 'revenue' | 'conversions',
  point: { contribution: Float64Array; revenue: Float64Array; mroi: Float64Array },
  reps: { contribution: Float64Array; revenue: Float64Array; mroi: Float64Array }, B: number): ClassicChannel[] {
  const { C } = data;
  const spend = spendTotals(data);
  const spendAll = spend.reduce((a, b) => a + b, 0);
  const effectAll = point.contribution.reduce((a, b) => a + Math.max(b, 0), 0);
  const col = (arr: Float64Array, c: number, f: (v: number) => number = (v) => v) => Float64Array.from({ length: B }, (_, d) => f(arr[d * C + c]));
  return data.channels.map((name, c) => {
    const out: ClassicChannel = {
      name, spend: spend[c],
      contribution: point.contribution[c], contributionInterval: B ? interval(col(reps.contribution, c)) : [point.contribution[c], point.contribution[c]],
      roi: point.revenue[c] / spend[c], roiInterval: B ? interval(col(reps.revenue, c, (v) => v / spend[c])) : [point.revenue[c] / spend[c], point.revenue[c] / spend[c]],
      mroi: point.mroi[c], mroiInterval: B ? interval(col(reps.mroi, c)) : [point.mroi[c], point.mroi[c]],
      shareOfSpend: spend[c] / spendAll, shareOfEffect: effectAll > 0 ? Math.max(point.contribution[c], 0) / effectAll : 0,
    };
    if (kind === 'conversions') {
      out.cpa = spend[c] / point.contribution[c];
      out.cpaInterval = B ? interval(col(reps.contribution, c, (v) => spend[c] / v)) : [out.cpa, out.cpa];
    }
    return out;
  });
}

export function spendTotals(data: ModelData): Float64Array {
  const s = new Float64Array(data.C);
  for (let i = 0; i < data.G * data.T; i++) for (let c = 0; c < data.C; c++) s[c] += data.spend[i * data.C + c];
  return s;
}

/** Relative spend step for marginal ROI (as the Bayesian fit). */
export const MROI_STEP = 0.01;

export type { ChannelMedia };
