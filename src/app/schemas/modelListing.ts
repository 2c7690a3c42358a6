/** One row of the model list (src/data/models.ts `listModels`): what the Models page and `marginal models` show. */
import { z } from 'zod';
import { maybeNumber } from './common.ts';

export const modelListingSchema = z.object({
  id: z.string(), name: z.string(), family: z.string(),
  /** ISO timestamp of the fit. */
  createdAt: z.string(),
  /** 'approximate' (a fast fit), 'warnings' (the fit warned) or 'ok'. */
  status: z.enum(['ok', 'warnings', 'approximate']),
  /** In-sample R² (null when the output has none). */
  r2: maybeNumber,
  /** How many warnings the fit gave. */
  warnings: z.number(),
}).meta({ id: 'ModelListing' });
