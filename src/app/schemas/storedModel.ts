/**
 * A stored model as the workspace keeps it (src/data/models.ts `StoredModel`): its config as parsed,
 * its fit output and the family's full fit result (series, parameter table, draws, classic state).
 */
import { z } from 'zod';
import { modelConfigSchema } from '../../models/config.ts';
import { storedFitOutputSchema } from './fitOutput.ts';
import { modelStatusShape } from './modelStatus.ts';

export const storedModelSchema = z.object({
  id: z.string(), name: z.string(), family: z.string(), createdAt: z.string(),
  config: modelConfigSchema.meta({ id: 'ModelConfig' }),
  output: storedFitOutputSchema,
  /** The family's whole fit result: large, family-specific (src/models/bayesian/fit.ts `BayesianFit`, src/models/linear/result.ts `ClassicFit`). */
  result: z.object({ family: z.string() }).loose(),
  /** The model this one refreshed or refitted, if any. */
  refreshedFrom: z.string().nullable().optional(),
}).meta({ id: 'StoredModel' });

/** What `GET /api/models/:id` answers: the stored model without its large fit result, with its status (stale, dependent plans). */
export const modelSchema = storedModelSchema.omit({ result: true }).extend(modelStatusShape).meta({ id: 'Model' });
