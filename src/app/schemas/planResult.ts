/**
 * An optimized plan (src/planning/plan.ts `PlanResult`, the contract `optimize-output` and more) as a
 * workspace stores it (`plans.result`), and a plan job's result (src/app/plan.ts `PlanOutput`: the
 * same with the saved plan's id).
 */
import { z } from 'zod';
import { intervalSchema } from './common.ts';

/** The units of a plan's figures: outcome and ROI in the model's units, amounts of money in `currency`. */
export const planUnitsSchema = z.object({
  expected: z.enum(['currency', 'conversions']), roi: z.enum(['revenue-per-spend', 'conversions-per-spend']), revenuePerConversion: z.number().nullable(),
  currency: z.string().nullable().optional(),
}).meta({ id: 'PlanUnits' });

export const allocationSchema = z.object({
  /** The curve's key: the channel, or `channel@geo` for plans by geo. */
  key: z.string(), channel: z.string(), geo: z.string().optional(),
  spend: z.number(), expected: z.number(), expectedInterval: intervalSchema.optional(),
  /** d expected / d spend at this spend. */
  mroi: z.number(),
  /** The expected outcome per posterior draw, for paired comparisons of plans on the same model. */
  expectedDraws: z.array(z.number()).optional(),
}).meta({ id: 'Allocation' });

/** A plan's row: the allocation with how it stands against the spend the data have seen. */
export const planAllocationSchema = allocationSchema.extend({
  /** The most spent on this curve in any window of the plan's length in the data (null: unknown). Absent in plans stored before it was kept. */
  observedMax: z.number().nullable().optional(),
  /** Whether the plan spends so far past `observedMax` that the curve there is extrapolated. Absent in plans stored before it was kept. */
  extrapolated: z.boolean().optional(),
  /** The row's flight, in a plan with flights (its key is then `channel#flight`). */
  flight: z.string().optional(),
}).meta({ id: 'PlanAllocation' });

export const planTotalSchema = z.object({
  spend: z.number(), expected: z.number(), expectedInterval: intervalSchema.optional(),
  /** expected ÷ spend; left out at zero spend, where it is undefined. */
  roi: z.number().optional(),
  /** Conversions models with a revenue per conversion: revenue per unit of spend. */
  revenueRoi: z.number().optional(),
  /** The expected total per posterior draw, for paired comparisons. */
  expectedDraws: z.array(z.number()).optional(),
}).meta({ id: 'PlanTotal' });

const forecastPeriod = z.object({ period: z.string(), base: z.number(), media: z.number(), expected: z.number(), expectedInterval: intervalSchema });

/** One model's forecast of the plan (src/planning/forecast.ts `Forecast`). */
export const forecastSchema = z.object({
  model: z.string(),
  grain: z.enum(['period', 'month']),
  periods: z.array(forecastPeriod),
  total: z.object({ expected: z.number(), expectedInterval: intervalSchema, media: z.number(), base: z.number() }),
  carryIn: z.number(), carryOverAfter: z.number(), residualSd: z.number(),
  uncertainty: z.object({ method: z.enum(['posterior-predictive', 'residual']), controls: z.enum(['given', 'unknown', 'none']), noiseSd: z.number(), driftStep: z.number(), samples: z.number() }),
}).meta({ id: 'Forecast' });

const bounds = z.object({ min: z.number().optional(), max: z.number().optional(), locked: z.number().optional(), minPct: z.number().optional(), maxPct: z.number().optional() });

export const planResultSchema = z.object({
  allocation: z.array(planAllocationSchema),
  total: planTotalSchema,
  /** The reference mix scaled to the budget: its totals and rows. */
  baseline: planTotalSchema.extend({ allocation: z.array(allocationSchema) }),
  iterations: z.number(),
  /** Common marginal ROI of the channels not at a bound; null when every channel is at one. */
  equalMroi: z.number().nullable(),
  objective: z.object({ kind: z.enum(['outcome', 'profit']), value: z.number(), baseline: z.number(), name: z.enum(['outcome', 'revenue', 'conversions', 'profit']) }),
  /** `currency`: ISO code of spend (and revenue), the plan's models' (absent in plans stored before it was kept; null when unknown). */
  units: planUnitsSchema,
  name: z.string().nullable(),
  /** The model id, or ids joined with '+' for a plan on several models. */
  model: z.string(),
  models: z.array(z.object({ model: z.string(), weight: z.number() })),
  budget: z.number(),
  periods: z.number(),
  goal: z.enum(['maximize', 'target-outcome', 'target-roi', 'target-cpa']),
  target: z.object({ outcome: z.number().optional(), roi: z.number().optional(), cpa: z.number().optional() }).nullable(),
  constraints: z.record(z.string(), bounds).nullable(),
  start: z.string(), end: z.string(),
  reference: z.object({ start: z.string(), end: z.string() }),
  curves: z.array(z.object({ key: z.string(), channel: z.string(), geo: z.string().optional(), reference: z.number(), captured: z.number() })),
  forecast: z.array(forecastSchema),
  /** With a per-period forecast: the same by calendar month. */
  forecastMonthly: z.array(forecastSchema).optional(),
  /** The guardrail applied: the band asked for and applied (percent around the reference mix; wider only when the constraints force it) and the curves it bounded; null with `band: "none"`. Absent in plans stored before guardrails. */
  band: z.object({ requested: z.number(), applied: z.number(), curves: z.number() }).nullable().optional(),
  /** A plan with flights: each flight's dates, budget and expected outcome. */
  flights: z.array(z.object({ name: z.string(), start: z.string(), end: z.string(), periods: z.number(), budget: z.number(), spend: z.number(), expected: z.number(), expectedInterval: intervalSchema.optional(), equalMroi: z.number().nullable() })).optional(),
  notes: z.array(z.string()),
  warnings: z.array(z.string()),
}).meta({ id: 'PlanResult' });

/** A plan job's result: the plan and the id it was saved under (null when not saved). */
export const planOutputSchema = planResultSchema.extend({ planId: z.string().nullable() }).meta({ id: 'PlanOutput' });
