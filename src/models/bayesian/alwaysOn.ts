/**
 * The "always on" warning. A channel whose activity never goes near zero shows the data only the
 * slope of its response curve around typical spend: that is its marginal ROI, which the data measure.
 * Its ROI (revenue over spend, against zero spend) is that slope carried down to zero along the fitted
 * curve, so it rests on the curve's shape, which ±25% week-to-week variation barely informs. Measured
 * on our simulator (docs/mmm.md, "What the data allow"): the ROI errors concentrate in the always-on
 * channels, and a lift test on one moves it to its truth. The warning says so in a marketer's terms,
 * for channels where it matters: no low weeks, and an ROI interval that is wide for it.
 */
import { quantile } from '../../inference/diagnostics.ts';

/** A channel is always on when even its lowest 5% of periods carry this share of its median activity. */
export const ALWAYS_ON_LOW_SHARE = 0.3;
/** …and its ROI's 90% interval is at least this wide relative to its posterior median. */
export const ALWAYS_ON_ROI_WIDTH = 0.5;

export interface AlwaysOnChannel {
  name: string;
  roi: number;
  /** The interval's width is measured against the median when there is one, else the mean. */
  roiMedian?: number;
  roiInterval: [number, number];
  mroi: number;
  mroiInterval: [number, number];
}

/**
 * @param activity per [g, t, c] (what the model sees), summed over geos here.
 * @param skip channels already warned about otherwise (weakly identified), by index.
 */
export function alwaysOnWarnings(activity: Float64Array, G: number, T: number, channels: AlwaysOnChannel[], skip: ReadonlySet<number> = new Set()): string[] {
  const C = channels.length;
  const out: string[] = [];
  for (let c = 0; c < C; c++) {
    if (skip.has(c)) continue;
    const perPeriod = new Float64Array(T);
    for (let g = 0; g < G; g++) for (let t = 0; t < T; t++) perPeriod[t] += activity[(g * T + t) * C + c];
    const median = quantile(perPeriod, 0.5);
    if (!(median > 0)) continue;
    const low = quantile(perPeriod, 0.05) / median;
    const ch = channels[c];
    const width = (ch.roiInterval[1] - ch.roiInterval[0]) / (ch.roiMedian ?? ch.roi);
    if (low < ALWAYS_ON_LOW_SHARE || !(width >= ALWAYS_ON_ROI_WIDTH)) continue;
    const f = (v: number) => v.toFixed(2);
    out.push(`ALWAYS ON: ${ch.name} never goes dark (its lowest 5% of periods still carry ${Math.round(100 * low)}% of a typical one). The data see the slope of its response around typical spend — its marginal ROI, ${f(ch.mroi)} (90% ${f(ch.mroiInterval[0])}–${f(ch.mroiInterval[1])}) — and its ROI (90% ${f(ch.roiInterval[0])}–${f(ch.roiInterval[1])}) is that slope carried down to zero spend along the fitted curve, so it rests on the curve's shape. A lift test, or a few periods with the channel off, would pin it.`);
  }
  return out;
}
