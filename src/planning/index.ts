/**
 * Planning: budget allocation over response curves.
 * - `optimizeBudget({ curves, budget, constraints?, objective?, margin? })` → allocation, totals, baseline, equal mROI.
 * - `minimizeCostForTarget({ curves, target, constraints? })` → the least budget whose optimal plan reaches a target.
 * - `hillCurve(...)` builds a ResponseCurve from Hill parameters (with optional posterior draws).
 * - `modelCurves(fitted, { periods, byGeo?, maxSpend? })` builds curves from a fitted model (reference window, carry-over).
 * - `parsePlan(raw)` + `runPlan(spec, models)` → a plan file's result (contract output + forecast); `comparePlans(a, b)`.
 * - `forecastPlan(...)` → expected outcome per period / month with prediction intervals.
 */
export { optimizeBudget } from './optimizer.ts';
export { minimizeCostForTarget } from './target.ts';
export { hillCurve, type HillParams } from './curves.ts';
export { modelCurves, jointCurves, capturedFraction, referenceWindow, type ModelCurve, type ModelCurveOptions } from './model.ts';
export { forecastPlan, futureDates, periodStep, type Forecast, type ForecastInput, type ForecastPeriod } from './forecast.ts';
export { parsePlan, planName, runPlan, planSchema, DEFAULT_BAND_PCT, EXTRAPOLATION_RATIO, type PlanSpec, type PlanModel, type PlanResult, type PlanAllocation } from './plan.ts';
export { checkFlightDates, planBudget } from './flights.ts';
export { comparePlans, type ComparablePlan, type PlanComparison } from './compare.ts';
export type {
  Allocation, Constraint, Objective, OptimizeInput, OptimizeResult, Plan, PlanTotal, ResponseCurve, TargetInput,
} from './types.ts';
export { scoreForecast, type BacktestScore } from './backtest.ts';
