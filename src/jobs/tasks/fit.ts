/**
 * The fit task: a model config and its already-loaded data table → the fit result (any family).
 * Runs in a job worker; reading the table and storing the result happen on the main thread (see
 * src/server/routes/models.ts).
 */
import { parseModelConfig } from '../../models/config.ts';
import type { WideTable } from '../../models/design.ts';
import type { BayesianFit, FitOptions } from '../../models/bayesian/fit.ts';
import type { ClassicFit } from '../../models/linear/result.ts';
import { fitTable } from '../fit.ts';

export interface FitInput { config: unknown; table: WideTable; options: Omit<FitOptions, 'onProgress'> }

export async function run(input: FitInput, progress: (p: unknown) => void): Promise<BayesianFit | ClassicFit> {
  return fitTable(parseModelConfig(input.config, 'model config'), input.table, { ...input.options, onProgress: progress });
}
