/**
 * Response curves of a simulation's true model, built as `modelCurves` (model.ts) builds a fitted
 * model's — the same reference window (the last `periods` periods), the same time pattern scaled by
 * s / reference, the same carry-over treatment (carry-in from the observed spend before the window;
 * the tail past the data's end added back through the captured fraction φ, here with the true adstock
 * weights) — so a plan made on a fitted model's curves can be scored on the truth like for like.
 * The only difference is on purpose: these are evaluated exactly at every spend (no grid, no
 * interpolation), since they are the yardstick. For benchmarks and tests (bench/planrecovery.ts).
 * `exactTail` counts the carry-over past the data's end exactly instead (φ = 1): how much the φ
 * approximation itself moves a comparison.
 */
import { trueAdstockWeights, trueSpendSeries, trueWindowResponse, type Simulation } from '../models/simulate/index.ts';
import { capturedFraction } from './model.ts';
import type { ResponseCurve } from './types.ts';

export interface TrueCurve extends ResponseCurve {
  channelIndex: number;
  /** φ with the true adstock weights: the share of the reference pattern's effect inside the data. */
  captured: number;
}

/** One curve per channel with spend in the last `periods` periods (all geos scaled together); the others in `skipped`. */
export function trueCurves(sim: Simulation, opts: { periods: number; exactTail?: boolean }): { curves: TrueCurve[]; skipped: string[] } {
  const T = sim.truth.weeks, G = sim.truth.geoShares.length, P = opts.periods;
  const window: [number, number] = [T - P, T];
  const curves: TrueCurve[] = [], skipped: string[] = [];
  sim.truth.channels.forEach((ch, c) => {
    const x = trueSpendSeries(sim, c);
    const pattern = new Float64Array(P);
    for (let g = 0; g < G; g++) for (let t = window[0]; t < T; t++) pattern[t - window[0]] += x[g * T + t];
    const reference = pattern.reduce((a, b) => a + b, 0);
    if (!(reference > 0)) { skipped.push(ch.name); return; }
    const w = trueAdstockWeights(sim, c);
    const captured = opts.exactTail ? 1 : capturedFraction(pattern, w, T - window[0]);
    const response = trueWindowResponse(sim, c, window, opts.exactTail ? w.length - 1 : 0);
    curves.push({ key: ch.name, channel: ch.name, reference, channelIndex: c, captured, expected: (s: number) => (s <= 0 ? 0 : response(s / reference) / captured) });
  });
  return { curves, skipped };
}
