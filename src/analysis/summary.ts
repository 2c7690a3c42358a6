/**
 * What insights read from a stored fit output (the fit-output contract, any family): fit metrics,
 * diagnostics, channels with ROI / marginal ROI intervals, warnings. Checked at the boundary.
 */
import { z } from 'zod';
import { badInput } from '../errors.ts';

const interval = z.tuple([z.number(), z.number()]);
const metrics = z.object({ r2: z.number(), mape: z.number(), smape: z.number().optional(), rmse: z.number().optional(), nrmse: z.number(), n: z.number().optional() }).loose();

export const fitSummarySchema = z.object({
  family: z.string().optional(),
  approximate: z.boolean().optional(),
  fit: metrics.extend({ holdout: metrics.optional(), predictiveCoverage: z.object({ inSample: z.number(), holdout: z.number().optional(), byGeo: z.record(z.string(), z.number()).optional() }).optional() }),
  diagnostics: z.object({ rhatMax: z.number().optional(), essBulkMin: z.number().optional(), divergences: z.number().optional(), seconds: z.number().optional() }).loose().optional(),
  channels: z.array(z.object({
    name: z.string(), spend: z.number(),
    contribution: z.number(), contributionInterval: interval.optional(),
    roi: z.number(), roiInterval: interval.optional(), roiMedian: z.number().optional(),
    roiPrior: z.object({ median: z.number(), interval }).optional(),
    mroi: z.number(), mroiInterval: interval.optional(),
    cpa: z.number().optional(), cpaInterval: interval.optional(),
    /** Reach & frequency channels: the optimal frequency (src/models/bayesian/rf.ts). */
    rf: z.object({ optimalFrequency: z.number(), optimalFrequencyInterval: interval, observedFrequency: z.number(), maxFrequency: z.number() }).optional(),
    curve: z.partialRecord(z.enum(['decay', 'halfSaturation', 'shape']), z.object({ mean: z.number(), sd: z.number(), interval, prior: z.object({ mean: z.number(), sd: z.number(), given: z.boolean() }) })).optional(),
  }).loose()),
  /** Organic channels (no spend): what they added, no ROI (src/models/bayesian/organic.ts). */
  organic: z.array(z.object({
    name: z.string(), activity: z.number(),
    contribution: z.number(), contributionInterval: interval,
    share: z.number(), shareInterval: interval,
    perUnit: z.number(), perUnitInterval: interval,
    sharePrior: z.object({ median: z.number(), interval }).optional(),
  }).loose()).optional(),
  warnings: z.array(z.string()).default([]),
  /** Units of the figures (src/units.ts); absent in outputs stored before units were kept. */
  units: z.object({
    currency: z.string().nullable(), spend: z.literal('currency'), outcome: z.enum(['currency', 'conversions']),
    roi: z.enum(['revenue-per-spend', 'conversions-per-spend']), mroi: z.enum(['revenue-per-spend', 'conversions-per-spend']), cpa: z.literal('currency-per-conversion').nullable(),
  }).optional(),
}).loose();

export type FitSummary = z.infer<typeof fitSummarySchema>;

export function parseFitSummary(value: unknown, what: string): FitSummary {
  const r = fitSummarySchema.safeParse(value);
  if (r.success) return r.data;
  const issue = r.error.issues[0];
  throw badInput(`${what}: stored fit output is malformed at \`${issue.path.join('.')}\`: ${issue.message}`);
}
