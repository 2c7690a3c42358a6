/** A plan in flight against new data (src/app/track.ts `TrackResult`): a tracking job's result. */
import { z } from 'zod';
import { planResultSchema } from './planResult.ts';

export const planTrackSchema = z.object({
  plan: z.string(), model: z.string(),
  /** The harmonized table the new periods come from. */
  data: z.string(),
  start: z.string(), end: z.string(),
  /** Plan periods the new data cover, and how many the plan has. */
  covered: z.number(), periods: z.number(),
  /** Per covered period: actual outcome, the plan's forecast (expected, 90% interval) and whether it is inside. */
  weeks: z.array(z.object({ period: z.string(), actual: z.number(), expected: z.number(), low: z.number(), high: z.number(), inside: z.boolean() })),
  outside: z.number(),
  total: z.object({ actual: z.number(), expected: z.number() }),
  /** Per channel over the covered periods: spend the plan meant against spend seen. */
  channels: z.array(z.object({ channel: z.string(), planned: z.number(), actual: z.number(), difference: z.number() })),
  spent: z.number(),
  /** The rest of the plan optimized again on the budget left (null when the data cover the whole plan). */
  remainder: planResultSchema.extend({ budgetLeft: z.number() }).nullable(),
  notes: z.array(z.string()),
  /** The currency of the amounts (the plan's model's); null when unknown. */
  currency: z.string().nullable(),
}).meta({ id: 'PlanTrack' });
