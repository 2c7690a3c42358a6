/**
 * Planning: budget allocation over response curves.
 * - `optimizeBudget({ curves, budget, constraints?, objective?, margin? })` → allocation, totals, baseline, equal mROI.
 * - `minimizeCostForTarget({ curves, target, constraints? })` → the least budget whose optimal plan reaches a target.
 * - `hillCurve(...)` builds a ResponseCurve from Hill parameters (with optional posterior draws).
 */
export { optimizeBudget } from './optimizer.ts';
export { minimizeCostForTarget } from './target.ts';
export { hillCurve, type HillParams } from './curves.ts';
export type {
  Allocation, Constraint, Objective, OptimizeInput, OptimizeResult, Plan, PlanTotal, ResponseCurve, TargetInput,
} from './types.ts';
