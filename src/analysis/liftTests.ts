/**
 * The fitted model against each lift test of its config: the experiment's measured incremental
 * outcome (± its standard error) beside what the model implies for the same channel, window and geo —
 * the channel's contribution summed over the window's periods (the quantity a lift test's likelihood
 * term in the Bayesian MMM speaks to) — and the gap in standard errors. A calibrated model should
 * sit within about two of each test; a larger gap means the data and the test disagree, and the test
 * deserves a second look (or a wider standard error).
 */
import type { Row } from './rows.ts';

export interface LiftTest { channel: string; geo?: string; start: string; end: string; lift: number; liftSe: number }

export interface LiftTestRow extends Row {
  channel: string; geo: string | null; start: string; end: string;
  measured: number; measuredSe: number; model: number;
  /** (model − measured) / measuredSe. */
  z: number;
}

/**
 * One row per test. `contributions[channel]` holds the channel's contribution per cell [g·T + t] in
 * target units (a fit's `series.contributions`, or the insights decomposition); `geos` is empty or
 * one name for a national model.
 */
export function liftTestCheck(tests: readonly LiftTest[], dates: readonly string[], geos: readonly string[], contributions: Readonly<Record<string, ArrayLike<number>>>): LiftTestRow[] {
  const T = dates.length, G = Math.max(1, geos.length);
  return tests.map((e) => {
    const series = contributions[e.channel];
    let model = 0;
    if (series) {
      for (let g = 0; g < G; g++) {
        if (e.geo !== undefined && geos[g] !== e.geo) continue;
        for (let t = 0; t < T; t++) if (dates[t] >= e.start && dates[t] <= e.end) model += series[g * T + t];
      }
    }
    return { channel: e.channel, geo: e.geo ?? null, start: e.start, end: e.end, measured: e.lift, measuredSe: e.liftSe, model, z: (model - e.lift) / e.liftSe };
  });
}
