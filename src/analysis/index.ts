/** Analysis: what a fitted model says, for people. */
export { renderReport, type ReportInput, type ReportCurve, type ReportFit, type ReportScripts } from './report/index.ts';
export { computeInsights, insightTables, revenueFactor, type Insights, type InsightsOptions } from './insights.ts';
export type { Row, Cell } from './rows.ts';
export { parseFitSummary, type FitSummary } from './summary.ts';
export { responseGrid, gridInterpolants, multiplierGrid, windowSpend, type ResponseGrid, type GridRequest } from './response.ts';
export { monotoneCubic, lastDownCrossing, type Interpolant } from './interp.ts';
export { curveTables, quantiles, type CurveRow, type CurvePointRow } from './curves.ts';
export type { HealthRow } from './health.ts';
export { designTests, type Design, type DesignedTest, type DesignOptions, type DesignModel } from './design/design.ts';
