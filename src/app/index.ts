/**
 * The use cases, one function each, that the CLI commands, the API routes and the job workers call
 * (docs/architecture.md). Ingest and harmonize are the data layer's own entry points: each is one
 * transaction on the workspace and needs no model.
 */
export { ingestFile } from './ingest.ts';
export { harmonize } from './harmonize.ts';
export { runFit, prepareFit, fitTask, storeFit, fitTable, checkPriors, checkConfigPriors, type FitOutput, type FitResult } from './fit.ts';
export { loadFittedModel, readStoredModel, fittedFromStored, type StoredModelInput } from './load.ts';
export { modelInsights, storedInsights, insightsView } from './insights.ts';
export { modelReport, storedModelReport, reportCurves } from './report.ts';
export { optimizePlan, preparePlan, planTask, storePlan, comparePlanIds, type PlanOutput } from './plan.ts';
export { compareModelIds } from './compare.ts';
export { curvePriorsOfModel } from './curvePriors.ts';
export { scoreTouchpoints, prepareTouchpoints, touchpointsTask, mmmSeriesOf } from './touchpoints.ts';
