/**
 * The fit task: a model config and its already-loaded data table → the fit result. Runs in a job
 * worker; reading the table and storing the result happen on the main thread (see `src/server`).
 */
import { parseModelConfig } from '../../models/config.ts';
import { buildModelData, type WideTable } from '../../models/design.ts';
import { fitBayesian, type BayesianFit, type FitOptions } from '../../models/bayesian/fit.ts';
import { badConfig } from '../../errors.ts';

export interface FitInput { config: unknown; table: WideTable; options: Omit<FitOptions, 'onProgress'> }

export async function run(input: FitInput, progress: (p: unknown) => void): Promise<BayesianFit> {
  const config = parseModelConfig(input.config, 'model config');
  if (config.family !== 'bayesian') throw badConfig(`\`family\` '${config.family}' is not available in this version; use 'bayesian'`);
  const data = buildModelData(config, input.table);
  return fitBayesian(config, data, { ...input.options, onProgress: progress });
}
