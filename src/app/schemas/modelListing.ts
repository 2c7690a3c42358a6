/** One row of the model list (src/app/modelStatus.ts `listModelsWithStatus`): what the Models page and `marginal models` show. */
import { z } from 'zod';
import { maybeNumber } from './common.ts';
import { modelStatusShape } from './modelStatus.ts';

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
  /** The harmonized table and version it was fitted on (null: a file), and its target column (the KPI). */
  table: z.string().nullable(), version: z.number().nullable(), target: z.string(),
  /** The model it refreshes or refits, if any. */
  refreshedFrom: z.string().nullable(),
  ...modelStatusShape,
}).meta({ id: 'ModelListing' });
