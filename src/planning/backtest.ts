/**
 * Back-test scoring: a forecast per period against what happened. Pure; the CLI (`marginal backtest`)
 * fits up to a date, forecasts the following periods with the spend that was actually made, and
 * scores the forecast here.
 */
import { internal } from '../errors.ts';
import { fitMetrics } from '../models/metrics.ts';
import type { Forecast } from './forecast.ts';

export interface BacktestScore {
  periods: { period: string; actual: number; expected: number; expectedInterval: [number, number]; error: number; inside: boolean }[];
  mape: number; smape: number; rmse: number;
  /** Mean of (expected − actual) / actual: > 0 when the forecast runs high. */
  bias: number;
  /** Share of periods whose actual lies inside the forecast interval (≈ the interval mass when calibrated). */
  coverage: number;
  /** Forecast total vs actual total over the test periods. */
  total: { actual: number; expected: number; error: number };
  /** The same metrics for a naive forecast (mean of the last 4 observed periods), for context. */
  naive: { mape: number; smape: number; rmse: number };
}

export function scoreForecast(forecast: Forecast, actual: number[], naiveLevel: number): BacktestScore {
  if (actual.length !== forecast.periods.length) throw internal(`scoreForecast: ${actual.length} actual values for ${forecast.periods.length} forecast periods`);
  const rows = forecast.periods.map((p, k) => ({
    period: p.period, actual: actual[k], expected: p.expected, expectedInterval: p.expectedInterval,
    error: p.expected - actual[k], inside: p.expectedInterval[0] <= actual[k] && actual[k] <= p.expectedInterval[1],
  }));
  const m = fitMetrics(actual, rows.map((r) => r.expected));
  const naive = fitMetrics(actual, actual.map(() => naiveLevel));
  const nz = rows.filter((r) => r.actual !== 0);
  const ta = actual.reduce((a, b) => a + b, 0), te = rows.reduce((a, r) => a + r.expected, 0);
  return {
    periods: rows, mape: m.mape, smape: m.smape, rmse: m.rmse,
    bias: nz.length ? nz.reduce((s, r) => s + r.error / r.actual, 0) / nz.length : NaN,
    coverage: rows.filter((r) => r.inside).length / rows.length,
    total: { actual: ta, expected: te, error: ta !== 0 ? (te - ta) / ta : NaN },
    naive: { mape: naive.mape, smape: naive.smape, rmse: naive.rmse },
  };
}
