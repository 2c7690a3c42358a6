/**
 * A designed test's window on the model's calendar: `W` periods from `start` (default: the period
 * after the data's last), alternating blocks for time-based tests, and business-as-usual spend the
 * way the model reads it (src/models/bayesian/changeTest.ts: the mean of the periods before).
 */
import { badInput } from '../../errors.ts';
import type { Grain } from '../../models/design.ts';
import { bauActivity, changeTestWindow, periodAfter, type ChangeTestWindow } from '../../models/bayesian/changeTest.ts';

export type DesignWindow = ChangeTestWindow;

const DAY = 86_400_000;

/** The data's grain from its dates (median step). */
export function grainOf(dates: readonly string[]): Grain {
  if (dates.length < 2) return 'week';
  const diffs = dates.slice(1).map((d, i) => Math.round((Date.parse(d) - Date.parse(dates[i])) / DAY)).sort((a, b) => a - b);
  const med = diffs[diffs.length >> 1];
  return med >= 300 ? 'year' : med >= 28 ? 'month' : med <= 1 ? 'day' : 'week';
}

export function periodsPerWeek(dates: readonly string[]): number {
  const g = grainOf(dates);
  return g === 'day' ? 7 : g === 'month' ? 12 / 52 : g === 'year' ? 1 / 52 : 1;
}

/** W periods from `start` on the data's calendar, continued past its end. BAD_INPUT when `start` is not a period of it. */
export function designWindow(dates: readonly string[], start: string | undefined, W: number, alternate?: number): DesignWindow {
  const data = { dates: [...dates], grain: grainOf(dates) };
  const T = dates.length;
  let first = start === undefined ? T : dates.indexOf(start);
  if (first < 0) {
    for (let k = 1; k <= 5000; k++) {
      const d = periodAfter(data, k);
      if (d === start) { first = T + k - 1; break; }
      if (d > start!) break;
    }
  }
  if (first < 0) throw badInput(`start '${start}' is not a period on the model's calendar (${dates[T - 2] ?? ''}, ${dates[T - 1]}, ${periodAfter(data, 1)}, …)`);
  if (first < 13) throw badInput(`start '${start}' leaves too few periods of data before the test for its business-as-usual spend; start after ${dates[Math.min(12, T - 1)]}`);
  const at = (i: number) => (i < T ? dates[i] : periodAfter(data, i - T + 1));
  return changeTestWindow(data, at(first), at(first + W - 1), alternate, 'test');
}

/** Business-as-usual spend per period of channel c in geo g before the window (spend [g, t, c]). */
export function testBau(spend: Float64Array, T: number, C: number, c: number, g: number, window: DesignWindow): number {
  return bauActivity({ T, C, activity: spend }, c, g, window.t0, window.dates.length);
}
