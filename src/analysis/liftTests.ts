/**
 * The fitted model against each lift test of its config: the experiment's measured incremental
 * outcome (± its standard error) beside what the model implies for the same test, and the gap in
 * standard errors. For a test in the old form that is the channel's contribution summed over the
 * window's periods and geo (the quantity its likelihood term speaks to); for a test that changed spend
 * (`spendChange`, `geos`) the lift the model implies for that change (src/models/bayesian/changeTest.ts),
 * given by the caller. A calibrated model should sit within about two of each test; a larger gap means
 * the data and the test disagree, and the test deserves a second look (or a wider standard error).
 *
 * Beside each test, the channel's ROI interval now and — when the test came from `marginal design` —
 * the interval before the test and the one the design predicted, so a refit shows what the test taught;
 * and the range the design expected the result in, so a result the model did not see coming stands out.
 */
import type { Row } from './rows.ts';

export interface LiftTest {
  channel: string; geo?: string; geos?: string[]; start: string; end: string; lift: number; liftSe: number;
  spendChange?: number; alternate?: number;
  design?: { roiIntervalBefore: [number, number]; expectedRoiInterval: [number, number]; expectedLiftSe?: number; expectedLift?: number; resultInterval?: [number, number] };
}

export interface LiftTestRow extends Row {
  channel: string; geo: string | null; start: string; end: string;
  measured: number; measuredSe: number; model: number;
  /** (model − measured) / measuredSe. */
  z: number;
  /** The test's spend change (−1 dark); null for a test in the old form (the channel's contribution). */
  spendChange: number | null;
  /** The channel's 90% ROI interval in this fit, and (tests from the design) before the test and as predicted. */
  roiLow: number | null; roiHigh: number | null;
  roiBeforeLow: number | null; roiBeforeHigh: number | null;
  roiPredictedLow: number | null; roiPredictedHigh: number | null;
  /**
   * Tests from the design: the 95% range the result was expected in before the test. A result outside
   * it means the model before the test was off for the channel (healthSummary says so).
   */
  expectedResultLow: number | null; expectedResultHigh: number | null;
}

/**
 * One row per test the model can be set beside. `contributions[channel]` holds the channel's
 * contribution per cell [g·T + t] in target units (a fit's `series.contributions`, or the insights
 * decomposition); `geos` is empty or one name for a national model. `implied(i)` is the model's lift
 * for test i when it changed spend (a test without it is left out); `roi(channel)` its ROI interval.
 */
export function liftTestCheck(tests: readonly LiftTest[], dates: readonly string[], geos: readonly string[], contributions: Readonly<Record<string, ArrayLike<number>>>, opts: { implied?: (i: number) => number | undefined; roi?: (channel: string) => [number, number] | undefined } = {}): LiftTestRow[] {
  const T = dates.length, G = Math.max(1, geos.length);
  return tests.flatMap((e, i) => {
    const legacy = e.geos === undefined && e.spendChange === undefined && e.alternate === undefined;
    let model = 0;
    if (legacy) {
      const series = contributions[e.channel];
      if (series) {
        for (let g = 0; g < G; g++) {
          if (e.geo !== undefined && geos[g] !== e.geo) continue;
          for (let t = 0; t < T; t++) if (dates[t] >= e.start && dates[t] <= e.end) model += series[g * T + t];
        }
      }
    } else {
      const v = opts.implied?.(i);
      if (v === undefined) return [];
      model = v;
    }
    const names = e.geos ?? (e.geo !== undefined ? [e.geo] : null);
    const roi = opts.roi?.(e.channel);
    return [{
      channel: e.channel, geo: names ? names.join(', ') : null, start: e.start, end: e.end, measured: e.lift, measuredSe: e.liftSe, model, z: (model - e.lift) / e.liftSe,
      spendChange: legacy ? null : e.spendChange ?? -1,
      roiLow: roi?.[0] ?? null, roiHigh: roi?.[1] ?? null,
      roiBeforeLow: e.design?.roiIntervalBefore[0] ?? null, roiBeforeHigh: e.design?.roiIntervalBefore[1] ?? null,
      roiPredictedLow: e.design?.expectedRoiInterval[0] ?? null, roiPredictedHigh: e.design?.expectedRoiInterval[1] ?? null,
      expectedResultLow: e.design?.resultInterval?.[0] ?? null, expectedResultHigh: e.design?.resultInterval?.[1] ?? null,
    }];
  });
}
