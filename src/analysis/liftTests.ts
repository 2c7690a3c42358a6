/**
 * The fitted model against each lift test of its config: the experiment's measured incremental
 * outcome (± its standard error) beside what the model implies for the same channel, window and geo —
 * the channel's contribution summed over the window's periods (the quantity a lift test's likelihood
 * term in the Bayesian MMM speaks to) — and the gap in standard errors. A calibrated model should
 * sit within about two of each test; a larger gap means the data and the test disagree, and the test
 * deserves a second look (or a wider standard error).
 */
import type { Row } from './insights.ts';

export interface LiftTest { channel: string; geo?: string; start: string; end: string; lift: number; liftSe: number }

export interface LiftTestRow extends Row {
  channel: string; geo: string | null; start: string; end: string;
  measured: number; measuredSe: number; model: number;
  /** (model − measured) / measuredSe. */
  z: number;
}

/** One row per test, from the decomposition rows (`date`, optional `geo`, `channel:<name>` in target units). */
export function liftTestCheck(tests: readonly LiftTest[], decomposition: readonly Row[]): LiftTestRow[] {
  return tests.map((e) => {
    let model = 0;
    for (const r of decomposition) {
      const date = String(r.date);
      if (date < e.start || date > e.end) continue;
      if (e.geo !== undefined && r.geo !== e.geo) continue;
      model += Number(r[`channel:${e.channel}`] ?? 0);
    }
    return { channel: e.channel, geo: e.geo ?? null, start: e.start, end: e.end, measured: e.lift, measuredSe: e.liftSe, model, z: (model - e.lift) / e.liftSe };
  });
}
