/**
 * The plan task: a plan spec and its stored model(s) with their data tables → the optimized plan
 * (allocation, totals, baseline, forecast). Pure computation in a job worker; the caller loads the
 * models from the workspace and saves the plan.
 */
import { parsePlan, runPlan } from '../../planning/index.ts';
import { fittedFrom, type InsightsInput } from './insights.ts';

export interface PlanInput { spec: unknown; models: (Omit<InsightsInput, 'output'> & { weight: number })[] }

export async function run(input: PlanInput): Promise<unknown> {
  const spec = parsePlan(input.spec, 'plan');
  const models = input.models.map((m) => ({ id: m.modelId, weight: m.weight, fitted: fittedFrom({ ...m, maxDraws: spec.draws }) }));
  return runPlan(spec, models);
}
