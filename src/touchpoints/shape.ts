/**
 * Journeys at a glance: how many touches journeys take, and how long converting ones take from their
 * first touch to the conversion — the distributions a reader checks before trusting any credit (a
 * sample of one-touch journeys says little about order; a sample where everyone converts within an hour
 * of one touch says little about carry-over).
 */
import type { Journeys } from './types.ts';

export interface PathLengthRow { touches: string; journeys: number; conversions: number; conversionRate: number }
export interface TimeToConvertRow { days: string; conversions: number; share: number }
export interface JourneyShape {
  pathLength: PathLengthRow[];
  /** Converting journeys with timestamps only (paths have none: empty). */
  timeToConvert: TimeToConvertRow[];
  /** Median and 90th percentile of days from first touch to conversion (null without timestamps). */
  medianDays: number | null; p90Days: number | null;
}

/** Touch counts 1, 2, 3, 4, 5–7, 8+; days 0–1, 1–3, 3–7, 7–14, 14–30, 30+ (lower bound included). */
const LENGTHS: [number, number, string][] = [[1, 1, '1'], [2, 2, '2'], [3, 3, '3'], [4, 4, '4'], [5, 7, '5–7'], [8, Infinity, '8+']];
const DAYS: [number, number, string][] = [[0, 1, 'under 1'], [1, 3, '1–3'], [3, 7, '3–7'], [7, 14, '7–14'], [14, 30, '14–30'], [30, Infinity, '30+']];

export function journeyShape(j: Journeys): JourneyShape {
  const J = j.offsets.length - 1;
  const pathLength = LENGTHS.map(([, , touches]) => ({ touches, journeys: 0, conversions: 0, conversionRate: 0 }));
  const times: number[] = [];
  for (let q = 0; q < J; q++) {
    const n = j.offsets[q + 1] - j.offsets[q];
    const row = pathLength[LENGTHS.findIndex(([lo, hi]) => n >= lo && n <= hi)];
    row.journeys += j.conversions[q] + j.nulls[q]; row.conversions += j.conversions[q];
    const first = j.touchTime[j.offsets[q]];
    if (j.conversions[q] > 0 && Number.isFinite(first) && Number.isFinite(j.endTime[q])) times.push(Math.max(0, (j.endTime[q] - first) / 86400));
  }
  for (const r of pathLength) r.conversionRate = r.journeys > 0 ? r.conversions / r.journeys : 0;
  const timeToConvert = times.length ? DAYS.map(([lo, hi, days]) => {
    const conversions = times.filter((d) => d >= lo && d < hi).length;
    return { days, conversions, share: conversions / times.length };
  }) : [];
  times.sort((a, b) => a - b);
  const at = (p: number) => (times.length ? times[Math.min(times.length - 1, Math.floor(p * times.length))] : null);
  return { pathLength: pathLength.filter((r) => r.journeys > 0), timeToConvert, medianDays: at(0.5), p90Days: at(0.9) };
}
