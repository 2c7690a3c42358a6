/**
 * A design job's result (src/app/design.ts `DesignOutput`; contract design-output for its `--json`):
 * the tests ranked by information per unit of cost, the channels designed for, and each test's plan.
 */
import { z } from 'zod';

const pair = z.tuple([z.number(), z.number()]);
const geos = z.object({ geos: z.array(z.string()) });

export const designedTestSchema = z.object({
  rank: z.number().int(), channel: z.string(), reason: z.string(), kind: z.enum(['geo', 'time']),
  treatment: geos.optional(), control: geos.optional(), weeks: z.array(z.string()).optional(), periods: z.array(z.string()),
  start: z.string(), end: z.string(), spendChange: z.number(), alternate: z.number().int().optional(),
  expectedLift: z.number(), expectedLiftSe: z.number(), liftInterval: pair, resultInterval: pair,
  minimumDetectableLift: z.number(), power: z.number(),
  roiIntervalNow: pair, expectedRoiInterval: pair, expectedRoiWidthRange: pair, information: z.number(),
  spendMoved: z.number(), outcomeChange: z.number(), netCost: z.number().nullable(), cost: z.number(), informationPerCost: z.number(),
  preposterior: z.object({ method: z.enum(['importance', 'gaussian']), effectiveDraws: z.number() }),
  balance: z.object({ distance: z.number(), trackingError: z.number() }).optional(),
  warnings: z.array(z.string()),
  experiment: z.record(z.string(), z.unknown()),
}).meta({ id: 'DesignedTest' });

export const testPlanRowSchema = z.object({ geo: z.string(), group: z.enum(['treatment', 'control', 'changed', 'unchanged']), channel: z.string(), week: z.string(), plannedSpend: z.number() }).meta({ id: 'TestPlanRow' });

export const designOutputSchema = z.object({
  model: z.string(),
  tests: z.array(designedTestSchema),
  channels: z.array(z.object({ channel: z.string(), reason: z.string(), roiIntervalNow: pair, candidates: z.number().int() })),
  draws: z.number().int(),
  notes: z.array(z.string()),
  plans: z.record(z.string(), z.array(testPlanRowSchema)).optional(),
}).meta({ id: 'DesignOutput' });

/** What POST /api/models/:id/design takes: the CLI's flags. */
export const designBodySchema = z.strictObject({
  channels: z.array(z.string().min(1)).max(50).optional(),
  weeks: z.number().int().min(1).max(52).optional(),
  maxCost: z.number().positive().optional(),
  start: z.string().regex(/^\d{4}-\d{2}-\d{2}$/, 'must be a date YYYY-MM-DD').optional(),
}).meta({ id: 'DesignRequest' });
