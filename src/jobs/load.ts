/**
 * Loads a stored model back as a `FittedModel` (config + data reloaded from its source + stored
 * draws), for insights, reports and plans.
 */
import { getModel, withWorkspace, type StoredModel } from '../data/index.ts';
import { badInput } from '../errors.ts';
import { parseModelConfig } from '../models/config.ts';
import { buildModelData } from '../models/design.ts';
import type { FittedModel } from '../models/fitted.ts';
import type { BayesianFit } from '../models/bayesian/fit.ts';
import { bayesianFittedModel } from '../models/bayesian/fitted.ts';
import { classicFittedModel } from '../models/linear/families.ts';
import type { ClassicFit } from '../models/linear/result.ts';
import { loadModelTable } from './fit.ts';

export interface LoadedModel { stored: StoredModel; fitted: FittedModel }

export async function loadFittedModel(workspace: string, id: string, opts: { maxDraws?: number } = {}): Promise<LoadedModel> {
  const stored = await withWorkspace(workspace, (ws) => getModel(ws, id));
  const config = parseModelConfig(stored.config, `model '${id}'`);
  const data = buildModelData(config, await loadModelTable(config, workspace));
  if (stored.family === 'bayesian') {
    return { stored, fitted: bayesianFittedModel(config, data, stored.result as BayesianFit, opts.maxDraws) };
  }
  if (['linear', 'ridge', 'forest', 'boosting'].includes(stored.family)) {
    return { stored, fitted: classicFittedModel(config, data, stored.result as ClassicFit) };
  }
  throw badInput(`model '${id}' is of family '${stored.family}', which this version cannot load`);
}
