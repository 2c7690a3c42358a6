/**
 * The fit output a workspace stores with each model (`models.output`, written by src/app/fit.ts
 * `fitSummary`) and a fit job's result (the same with its `modelId`). Built on the analysis layer's
 * `fitSummarySchema` (what insights read; analysis may not import src/app, so it stays there) with the
 * fields this version always writes made required. Families add fields of their own to the channels
 * and the diagnostics, so those objects stay open (`loose`).
 */
import { z } from 'zod';
import { fitSummarySchema } from '../../analysis/summary.ts';
import { figureUnitsSchema, intervalSchema } from './common.ts';

const summaryChannel = fitSummarySchema.shape.channels.element;

/** What the ROI priors alone imply before the data (src/models/bayesian/priorCheck.ts `PriorCheck`). */
export const priorCheckSchema = z.object({
  mediaShare: z.object({ median: z.number(), interval: intervalSchema }),
  channelShare: z.array(z.number()),
  defaultRule: z.enum(['meridian', 'media-share', 'given']),
}).meta({ id: 'PriorCheck' });

/** Bayesian fits: each curve parameter's posterior (mean, sd, 90% interval) beside its prior (src/models/bayesian/curveSummary.ts). */
export const curveSummarySchema = z.partialRecord(z.enum(['decay', 'halfSaturation', 'shape']), z.object({
  mean: z.number(), sd: z.number(), interval: intervalSchema,
  prior: z.object({ mean: z.number(), sd: z.number(), given: z.boolean() }),
})).meta({ id: 'CurveSummary' });

export const fitChannelSchema = summaryChannel.extend({
  curve: curveSummarySchema.optional(),
  shareOfSpend: z.number(), shareOfEffect: z.number(),
  /** The marginal-ROI prior, for a channel whose prior is on its mROI (`priors.mroi`). */
  mroiPrior: z.object({ median: z.number(), interval: intervalSchema }).optional(),
  /** How far the data moved the ROI (or mROI) from its prior (src/models/bayesian/identification.ts). */
  identification: z.object({ overlap: z.number(), contraction: z.number(), shift: z.number(), information: z.number() }).optional(),
}).meta({ id: 'FitChannel' });

/** An organic channel's figures (src/models/bayesian/organic.ts `OrganicResult`). */
export const organicResultSchema = fitSummarySchema.shape.organic.unwrap().element.extend({
  sharePrior: z.object({ median: z.number(), interval: intervalSchema }).optional(),
  curve: curveSummarySchema.optional(),
}).meta({ id: 'OrganicResult' });

/** The stored `output` of a model: the fit-output contract plus name, units and the prior check. */
export const storedFitOutputSchema = fitSummarySchema.extend({
  name: z.string(),
  family: z.string(),
  approximate: z.boolean(),
  diagnostics: fitSummarySchema.shape.diagnostics.unwrap().extend({ seconds: z.number() }),
  channels: z.array(fitChannelSchema),
  organic: z.array(organicResultSchema).optional(),
  warnings: z.array(z.string()),
  /** Absent in outputs stored before units were kept. */
  units: figureUnitsSchema.optional(),
  priorCheck: priorCheckSchema.optional(),
}).meta({ id: 'StoredFitOutput' });

/** A finished fit job's result (src/app/fit.ts `FitOutput`): the stored output and the new model's id. */
export const fitOutputSchema = storedFitOutputSchema.extend({ modelId: z.string() }).meta({ id: 'FitOutput' });

export type StoredFitOutput = z.infer<typeof storedFitOutputSchema>;
