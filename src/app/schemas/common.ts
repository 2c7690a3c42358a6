/**
 * Small pieces the stored-result schemas share. Named ones (`.meta({ id })`) become one component each
 * in the OpenAPI document (src/server/routes/openapi.ts), so a generated client gets one type for them.
 */
import { z } from 'zod';
import { fitSummarySchema } from '../../analysis/summary.ts';

/** A 90% interval [low, high] (5% and 95% quantiles over draws or bootstrap replicates). */
export const intervalSchema = z.tuple([z.number(), z.number()]).meta({ id: 'Interval' });

/** A number that JSON writes as null when it was not finite (NaN: no spend, an empty holdout). */
export const maybeNumber = z.number().nullable();

/** One cell of an insights table row. */
export const cellSchema = z.union([z.string(), z.number(), z.boolean(), z.null()]);

/** The unit of every figure of a model (src/units.ts `FigureUnits`): one definition, the stored fit output's. */
export const figureUnitsSchema = fitSummarySchema.shape.units.unwrap().meta({ id: 'FigureUnits' });

/** A problem in a file or request (src/errors.ts `Problem`): where it is and what is wrong. */
export const problemSchema = z.object({
  file: z.string().optional(), row: z.number().optional(), column: z.string().optional(), value: z.unknown().optional(),
  message: z.string(), severity: z.enum(['error', 'warning']).optional(),
  /** The request or config field the problem is about (`config.experiments[0].start`): a form shows it beside that input. */
  field: z.string().optional(),
}).meta({ id: 'Problem' });
