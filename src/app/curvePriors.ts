/**
 * The model-refresh use case (`marginal priors`, `POST /api/models/:id/curve-priors`): a config's
 * `priors.curves` from a stored Bayesian model's posterior.
 */
import { getModel, type Workspace } from '../data/index.ts';
import { badInput } from '../errors.ts';
import type { ModelConfig } from '../models/config.ts';
import { curvePriorsFrom } from '../models/bayesian/curvePriorsFrom.ts';
import { parseFitSummary } from '../analysis/summary.ts';

export async function curvePriorsOfModel(ws: Workspace, id: string, config: ModelConfig, widen: number): Promise<ReturnType<typeof curvePriorsFrom>> {
  const m = await getModel(ws, id);
  if (m.family !== 'bayesian') throw badInput(`model '${id}' is a ${m.family} model: curve priors come from a Bayesian fit's posterior`);
  const summary = parseFitSummary(m.output, `model '${id}'`);
  return curvePriorsFrom(summary.channels, config, widen);
}
