/**
 * Response curves of a fitted model, family-agnostic: the model's `response()` evaluated on a grid of
 * spend multipliers (one value per draw), then interpolated monotonically so that planning can call
 * it thousands of times for the price of a lookup.
 */
import { internal } from '../errors.ts';
import type { FittedModel } from '../models/fitted.ts';
import { monotoneCubic, type Interpolant } from './interp.ts';

export interface GridRequest {
  channel: number;
  geo?: number;
  /** Periods [t0, t1) whose spend is scaled; default all periods. */
  window?: [number, number];
  /** Multipliers to evaluate, strictly increasing, starting at 0. */
  multipliers: number[];
}

/** A response curve sampled on a grid: `draws[i]` holds one value per draw at `multipliers[i]`. */
export interface ResponseGrid {
  channel: string;
  geo?: string;
  /** Observed spend of the channel (and geo) in the window: the spend at multiplier 1. */
  spend: number;
  multipliers: Float64Array;
  mean: Float64Array;
  draws: Float64Array[];
}

/** Spend of `channel` (index) summed over periods [t0, t1) and all geos or `geo`. */
export function windowSpend(fitted: FittedModel, channel: number, window?: [number, number], geo?: number): number {
  const T = fitted.dates.length, C = fitted.channels.length, G = fitted.geos.length || 1;
  const [t0, t1] = window ?? [0, T];
  let s = 0;
  for (let g = 0; g < G; g++) {
    if (geo !== undefined && g !== geo) continue;
    for (let t = t0; t < t1; t++) s += fitted.spend[(g * T + t) * C + channel];
  }
  return s;
}

export function responseGrid(fitted: FittedModel, req: GridRequest): ResponseGrid {
  const ms = req.multipliers;
  if (ms[0] !== 0 || ms.some((m, i) => i > 0 && !(m > ms[i - 1]))) throw internal('multipliers must start at 0 and increase strictly');
  const draws = ms.map((m) => (m === 0 ? new Float64Array(fitted.nDraws) : fitted.response({ channel: req.channel, multiplier: m, window: req.window, geo: req.geo })));
  const mean = Float64Array.from(draws, (d) => d.reduce((a, b) => a + b, 0) / d.length);
  return {
    channel: fitted.channels[req.channel],
    ...(req.geo !== undefined ? { geo: fitted.geos[req.geo] } : {}),
    spend: windowSpend(fitted, req.channel, req.window, req.geo),
    multipliers: Float64Array.from(ms), mean, draws,
  };
}

/** Interpolants of a grid on the spend axis (spend = multiplier × grid.spend): the mean and each draw. */
export function gridInterpolants(grid: ResponseGrid, scale = 1): { mean: Interpolant; draws: Interpolant[] } {
  const xs = Float64Array.from(grid.multipliers, (m) => m * grid.spend);
  const nd = grid.draws[0]?.length ?? 0;
  const perDraw: Interpolant[] = [];
  for (let d = 0; d < nd; d++) perDraw.push(monotoneCubic(xs, Float64Array.from(grid.draws, (v) => v[d] * scale)));
  return { mean: monotoneCubic(xs, Float64Array.from(grid.mean, (v) => v * scale)), draws: perDraw };
}

/**
 * A multiplier grid: 0, then `n` points log-spaced from `lo` to `hi`, plus exactly 1 (the observed
 * spend). Example: multiplierGrid(0.1, 10, 3) → [0, 0.1, 1, 10].
 */
export function multiplierGrid(lo: number, hi: number, n: number): number[] {
  const out = new Set<number>([0, 1]);
  for (let i = 0; i < n; i++) out.add(lo * Math.pow(hi / lo, n === 1 ? 0 : i / (n - 1)));
  const sorted = [...out].sort((a, b) => a - b);
  return sorted.filter((m, i) => i === 0 || m === 1 || (m - sorted[i - 1] > 1e-6 * m && (i + 1 >= sorted.length || sorted[i + 1] !== 1 || 1 - m > 1e-6)));
}
