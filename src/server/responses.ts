/**
 * What routes answer that the workspace does not store (those are in src/app/schemas/): errors,
 * health, drop receipts, and the models routes' computed answers (comparison, prior check, curve
 * priors, holiday countries). Data-page answers are in dataResponses.ts.
 */
import { z } from 'zod';
import { problemSchema } from '../app/schemas/common.ts';
import { priorCheckSchema } from '../app/schemas/fitOutput.ts';

/** Every error: a code (src/errors.ts), one line for people, and per-row problems for bad files. */
export const errorSchema = z.object({
  error: z.string(),
  detail: z.string(),
  problems: z.array(problemSchema.extend({ text: z.string().optional() })).optional(),
}).meta({ id: 'Error' });

export const healthSchema = z.object({ ok: z.literal(true), jobs: z.number() }).meta({ id: 'Health' });

export const droppedSchema = z.object({ dropped: z.string() }).meta({ id: 'Dropped' });
export const removedSchema = z.object({ removed: z.string() }).meta({ id: 'Removed' });

/** ISO 3166 code → country name. */
export const holidayCountriesSchema = z.record(z.string(), z.string()).meta({ id: 'HolidayCountries' });

const roiUnit = z.enum(['revenue-per-spend', 'conversions-per-spend']);
const interval = z.tuple([z.number(), z.number()]);

/** Stored models side by side (src/analysis/compare.ts `Comparison`). */
export const modelComparisonSchema = z.object({
  models: z.array(z.object({
    id: z.string(), family: z.string(), approximate: z.boolean(), roiUnit,
    r2: z.number(), mape: z.number(), nrmse: z.number().nullable(),
    holdout: z.object({ r2: z.number(), mape: z.number() }).nullable(),
    seconds: z.number().nullable(), warnings: z.number(),
  })),
  channels: z.array(z.object({
    name: z.string(),
    /** By model id; null where the model has no such channel. */
    models: z.record(z.string(), z.object({ roi: z.number(), roiInterval: interval.nullable(), mroi: z.number(), mroiInterval: interval.nullable(), contribution: z.number() }).nullable()),
  })),
}).meta({ id: 'ModelComparison' });

/** The prior predictive check of a config (src/app/fit.ts `checkPriors`), with each channel's prior median ROI and implied share. */
export const priorCheckAnswerSchema = priorCheckSchema.extend({
  channels: z.array(z.object({ name: z.string(), priorMedian: z.number(), impliedShare: z.number() })),
}).meta({ id: 'PriorCheckAnswer' });

const meanSd = z.object({ mean: z.number(), sd: z.number() });

/** `priors.curves` for a config from a model's posterior, and what could not be carried over. */
export const curvePriorsSchema = z.object({
  model: z.string(),
  widen: z.number(),
  curves: z.record(z.string(), z.object({ decay: meanSd.optional(), halfSaturation: meanSd.optional(), shape: meanSd.optional() })),
  skipped: z.array(z.string()),
}).meta({ id: 'CurvePriors' });
