/**
 * What routes answer that the workspace does not store (those are in src/app/schemas/): errors,
 * health, drop receipts, and the models routes' computed answers (comparison, prior check, curve
 * priors, holiday countries, the catalog of config choices). Data-page answers are in dataResponses.ts.
 */
import { z } from 'zod';
import { problemSchema } from '../app/schemas/common.ts';
import { priorCheckSchema } from '../app/schemas/fitOutput.ts';

/** Every error: a code (src/errors.ts), one line for people, and per-row problems for bad files. */
export const errorSchema = z.object({
  error: z.string(),
  detail: z.string(),
  /** The request field the error is about (e.g. `name`, `geo`, `overlap`), when there is one: a form shows the message beside it. */
  field: z.string().optional(),
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
    /** The model's currency (its stored units'); null when unknown. Each model's amounts are in its own. */
    currency: z.string().nullable(),
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

/** A parameter's prior (src/transforms/types.ts `Prior`), told apart by `dist`. */
const transformPrior = z.discriminatedUnion('dist', [
  z.object({ dist: z.literal('normal'), mu: z.number(), sigma: z.number() }),
  z.object({ dist: z.literal('halfNormal'), sigma: z.number() }),
  z.object({ dist: z.literal('logNormal'), mu: z.number(), sigma: z.number() }),
  z.object({ dist: z.literal('gamma'), shape: z.number(), rate: z.number() }),
  z.object({ dist: z.literal('beta'), a: z.number(), b: z.number() }),
  z.object({ dist: z.literal('exponential'), rate: z.number() }),
  z.object({ dist: z.literal('studentT'), nu: z.number(), mu: z.number(), sigma: z.number() }),
  z.object({ dist: z.literal('uniform') }),
]).meta({ id: 'TransformPrior' });

const curveRole = z.enum(['decay', 'halfSaturation', 'shape']);
const transformKind = z.enum(['adstock', 'saturation']);

/** A media transform as the catalog describes it: its parameters' bounds, default priors, classic defaults, search ranges. */
export const catalogTransformSchema = z.object({
  name: z.string(), kind: transformKind, label: z.string(), description: z.string(),
  /** An adstock's lags (null: the geometric recursion without truncation) and whether its weights sum to 1. */
  defaultOptions: z.object({ maxLag: z.number().nullable().optional(), normalize: z.boolean().optional() }),
  parameters: z.array(z.object({
    name: z.string(), key: z.string(), role: curveRole.optional(), fixed: z.number(), description: z.string(),
    support: z.discriminatedUnion('type', [z.object({ type: z.literal('positive') }), z.object({ type: z.literal('interval'), lower: z.number(), upper: z.number() })]),
    prior: transformPrior,
    search: z.object({ lo: z.number(), hi: z.number() }),
    /** Its support, prior or search range depends on the adstock's lags (given at `maxLag`). */
    dependsOnMaxLag: z.boolean(),
  })),
  /** The model families that can fit it. */
  families: z.array(z.string()),
}).meta({ id: 'CatalogTransform' });

/** What a model config may choose (src/models/catalog.ts `Catalog`): the web wizard builds its lists from it. */
export const catalogSchema = z.object({
  transforms: z.array(catalogTransformSchema),
  /** The number of lags at which lag-dependent ranges and priors are given. */
  maxLag: z.number(),
  families: z.array(z.string()),
  /** The curve parameters `priors.curves` takes: the kind of transform that has each, and the prior its mean and sd become. */
  curveParameters: z.array(z.object({ name: curveRole, kind: transformKind, prior: z.enum(['beta', 'logNormal']) })),
  controlSigns: z.array(z.string()),
  targetKinds: z.array(z.string()),
}).meta({ id: 'Catalog' });
