/**
 * A stored model as the workspace keeps it (src/data/models.ts `StoredModel`): its config as parsed,
 * its fit output and the family's full fit result (series, parameter table, draws, classic state).
 */
import { z } from 'zod';
import { modelConfigSchema } from '../../models/config.ts';
import { storedFitOutputSchema } from './fitOutput.ts';

export const storedModelSchema = z.object({
  id: z.string(), name: z.string(), family: z.string(), createdAt: z.string(),
  config: modelConfigSchema.meta({ id: 'ModelConfig' }),
  output: storedFitOutputSchema,
  /** The family's whole fit result: large, family-specific (src/models/bayesian/fit.ts `BayesianFit`, src/models/linear/result.ts `ClassicFit`). */
  result: z.object({ family: z.string() }).loose(),
}).meta({ id: 'StoredModel' });

/** What `GET /api/models/:id` answers: the stored model without its large fit result. */
export const modelSchema = storedModelSchema.omit({ result: true }).meta({ id: 'Model' });
