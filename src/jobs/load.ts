/**
 * Loads a stored model back as a `FittedModel` (config + data reloaded from its source + stored
 * draws), for insights, reports and plans.
 */
import { getModel, withWorkspace, type StoredModel } from '../data/index.ts';
import { badInput } from '../errors.ts';
import { parseModelConfig, type ModelConfig } from '../models/config.ts';
import type { WideTable } from '../models/design.ts';
import { buildModelDataReadingHolidays } from './modelData.ts';
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
  return { stored, fitted: fittedFromStored(id, stored.family, config, stored.result, await loadModelTable(config, workspace), opts.maxDraws) };
}

/** Rebuilds a stored fit as a `FittedModel` from its config and its data table (no I/O). */
export function fittedFromStored(id: string, family: string, config: ModelConfig, result: unknown, table: WideTable, maxDraws?: number): FittedModel {
  const data = buildModelDataReadingHolidays(config, table);
  if (family === 'bayesian') return bayesianFittedModel(config, data, result as BayesianFit, maxDraws);
  if (['linear', 'ridge', 'forest', 'boosting'].includes(family)) return classicFittedModel(config, data, result as ClassicFit);
  throw badInput(`model '${id}' is of family '${family}', which this version cannot load`);
}
