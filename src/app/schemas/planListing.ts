/** Saved plans (src/data/plans.ts): one row of the list, and a stored plan with its spec and result. */
import { z } from 'zod';
import { planSchema } from '../../planning/plan.ts';
import { maybeNumber } from './common.ts';
import { planResultSchema, planUnitsSchema } from './planResult.ts';

export const planListingSchema = z.object({
  id: z.string(), name: z.string(), model: z.string(), createdAt: z.string(),
  budget: maybeNumber, expected: maybeNumber, roi: maybeNumber,
  /** The plan's units (its result's; null for plans stored before they were kept): `expected` in money or conversions, amounts in `currency`. */
  units: planUnitsSchema.nullable(),
}).meta({ id: 'PlanListing' });

export const storedPlanSchema = z.object({
  id: z.string(), name: z.string(), model: z.string(), createdAt: z.string(),
  /** The plan file as parsed (defaults filled in). */
  spec: planSchema.meta({ id: 'PlanSpec' }),
  result: planResultSchema,
}).meta({ id: 'StoredPlan' });
