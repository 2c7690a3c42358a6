/**
 * The fit task: a model config and its already-loaded data table → the fit result (any family).
 * Runs in a job worker; reading the table and storing the result happen on the main thread (see
 * src/server/routes/models.ts). Mirrors `runFit` in src/jobs/fit.ts minus its workspace I/O.
 */
import { parseModelConfig } from '../../models/config.ts';
import { buildModelData, type WideTable } from '../../models/design.ts';
import { fitBayesian, type BayesianFit, type FitOptions } from '../../models/bayesian/fit.ts';
import { fitClassic, requireMinPeriods } from '../../models/linear/families.ts';
import type { ClassicFit } from '../../models/linear/result.ts';

export interface FitInput { config: unknown; table: WideTable; options: Omit<FitOptions, 'onProgress'> }

export async function run(input: FitInput, progress: (p: unknown) => void): Promise<BayesianFit | ClassicFit> {
  const config = parseModelConfig(input.config, 'model config');
  const data = buildModelData(config, input.table);
  if (config.family !== 'bayesian') return fitClassic(config, data, { seed: input.options.seed });
  requireMinPeriods(config, data, 'Bayesian model');
  return fitBayesian(config, data, { ...input.options, onProgress: progress });
}
