/**
 * Baseline features shared by every model family: Fourier seasonality and trend bases, as row-major
 * [T, F] Float64Arrays (one row per period).
 */
import type { ModelConfig } from './config.ts';
import type { ModelData } from './design.ts';

export interface BaselineFeatures {
  /** Seasonality basis [T, 2·order] (sin, cos pairs). */
  seasonality: Float64Array;
  nSeason: number;
  /** Trend basis [T, nTrend]: t in [−0.5, 0.5] for linear, plus hinge terms for piecewise. */
  trend: Float64Array;
  nTrend: number;
  names: string[];
}

/**
 * Day-of-week harmonics on daily data when the config does not say: 3 pairs, the most a 7-day cycle
 * has below Nyquist (with 3 pairs and the intercept every weekday gets its own level), as Prophet's
 * default weekly order.
 */
export const DAILY_WEEKLY_ORDER = 3;

/**
 * Fourier orders the baseline uses on this data: weekly harmonics only on daily data; no yearly
 * harmonics on annual data, where every period sits at the same phase of the year (the columns would
 * be constant, a copy of the intercept).
 */
export function seasonalityOrders(config: ModelConfig, grain: ModelData['grain']): { yearly: number; weekly: number } {
  return { yearly: grain === 'year' ? 0 : config.seasonality.yearly, weekly: grain === 'day' ? config.seasonality.weekly ?? DAILY_WEEKLY_ORDER : 0 };
}

/**
 * Example: yearly order 1 on weekly data gives columns sin(2π·yearPhase), cos(2π·yearPhase); a linear
 * trend over 3 periods gives [−0.5, 0, 0.5].
 */
export function baselineFeatures(config: ModelConfig, data: ModelData): BaselineFeatures {
  const { T } = data;
  const { yearly, weekly } = seasonalityOrders(config, data.grain);
  const nSeason = 2 * (yearly + weekly);
  const seasonality = new Float64Array(T * nSeason);
  const names: string[] = [];
  for (let k = 1; k <= yearly; k++) names.push(`yearly_sin${k}`, `yearly_cos${k}`);
  for (let k = 1; k <= weekly; k++) names.push(`weekly_sin${k}`, `weekly_cos${k}`);
  for (let t = 0; t < T; t++) {
    let j = 0;
    for (let k = 1; k <= yearly; k++) {
      const a = 2 * Math.PI * k * data.yearPhase[t];
      seasonality[t * nSeason + j++] = Math.sin(a);
      seasonality[t * nSeason + j++] = Math.cos(a);
    }
    for (let k = 1; k <= weekly; k++) {
      const a = (2 * Math.PI * k * data.yearPhase[t] * 365.25) / 7;
      seasonality[t * nSeason + j++] = Math.sin(a);
      seasonality[t * nSeason + j++] = Math.cos(a);
    }
  }
  const trendSpec = config.trend;
  const changepoints = typeof trendSpec === 'object' ? trendSpec.changepoints : 0;
  const nTrend = trendSpec === 'none' ? 0 : 1 + changepoints;
  const trend = new Float64Array(T * nTrend);
  if (nTrend > 0) names.push('trend');
  for (let j = 1; j <= changepoints; j++) names.push(`trend_change${j}`);
  for (let t = 0; t < T; t++) {
    if (nTrend === 0) break;
    const x = data.time01[t];
    trend[t * nTrend] = x - 0.5;
    for (let j = 1; j <= changepoints; j++) {
      const knot = j / (changepoints + 1);
      trend[t * nTrend + j] = Math.max(0, x - knot);
    }
  }
  return { seasonality, nSeason, trend, nTrend, names };
}

/**
 * Default maximum adstock lag in periods: 8 weeks, 3 months, 28 days or 2 years. Annual data gets lags in
 * years: the classic annual series (Lydia Pinkham, Palda 1964) show advertising carrying over into the next
 * year or two, while 3 periods would be three years, longer than any carryover its studies found, and
 * every lag costs a year of the few dozen the series has.
 */
export function defaultMaxLag(grain: ModelData['grain']): number {
  return grain === 'month' ? 3 : grain === 'day' ? 28 : grain === 'year' ? 2 : 8;
}
