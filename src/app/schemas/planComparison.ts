/** Saved plans side by side (src/planning/compare.ts; `GET /api/plans/compare`, `marginal plans compare`): each against the first, B − A. */
import { z } from 'zod';
import { intervalSchema } from './common.ts';
import { planAllocationSchema, planTotalSchema, planUnitsSchema } from './planResult.ts';

const side = z.object({ id: z.string(), model: z.string(), budget: z.number(), periods: z.number(), total: planTotalSchema.omit({ expectedDraws: true }).extend({ roiInterval: intervalSchema.optional(), /** Conversions models: cost per conversion and its interval. */ cpa: z.number().optional(), cpaInterval: intervalSchema.optional() }), /** The plan's currency (its models'); null when unknown. */ currency: z.string().nullable() });

export const planComparisonSchema = z.object({
  a: side, b: side,
  rows: z.array(z.object({
    key: z.string(), channel: z.string(), geo: z.string().optional(),
    spendA: z.number(), spendB: z.number(), spendDiff: z.number(),
    expectedA: z.number(), expectedB: z.number(), expectedDiff: z.number(),
    expectedIntervalA: intervalSchema.optional(), expectedIntervalB: intervalSchema.optional(),
    /** B − A's 90% interval for this channel, from paired draws (plans on the same model). */
    expectedDiffInterval: intervalSchema.optional(),
    mroiA: z.number().nullable(), mroiB: z.number().nullable(),
  })),
  /** B − A (ROI null when a plan spends nothing); the interval from paired draws of the same model, or across models as if independent (`intervalBasis`). */
  difference: z.object({ budget: z.number(), expected: z.number(), roi: z.number().nullable(), expectedInterval: intervalSchema.optional(), intervalBasis: z.enum(['paired draws', 'independent']).optional() }),
  notes: z.array(z.string()),
  /** The currency of the differences: both plans' when they agree, else null. */
  currency: z.string().nullable(),
}).meta({ id: 'PlanComparison' });

/** The compare answer: the plans (allocation and totals) and each one's comparison with the first. */
export const plansComparedSchema = z.object({
  /** Each plan with its units (absent in plans stored before they were kept): each plan's amounts in its own currency. */
  plans: z.array(z.object({ id: z.string(), model: z.string(), budget: z.number(), periods: z.number(), total: planTotalSchema, allocation: z.array(planAllocationSchema), units: planUnitsSchema.optional() })),
  comparisons: z.array(planComparisonSchema),
}).meta({ id: 'PlansCompared' });
