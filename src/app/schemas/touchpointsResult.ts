/**
 * A touchpoints job's result (src/app/touchpoints.ts `touchpointsTask`): per method, the credit each
 * channel gets; with a model, the first method's scores calibrated to it and the consistency table;
 * the top paths. The result stays with the job (it is not stored in the workspace).
 */
import { z } from 'zod';

const credit = z.object({ channel: z.string(), conversions: z.number(), value: z.number(), share: z.number() });

/** One method's credit per channel (src/touchpoints/attribute.ts `Summary`). */
export const touchpointSummarySchema = z.object({
  /** The method, or 'calibrated' for scores calibrated to a model. */
  method: z.string(),
  totalConversions: z.number(), totalValue: z.number(),
  channels: z.array(credit),
  journeys: z.number(), convertingJourneys: z.number(), touches: z.number(),
  untouchedConversions: z.number(), untouchedValue: z.number(),
}).meta({ id: 'TouchpointSummary' });

export const touchpointsResultSchema = z.object({
  summaries: z.array(touchpointSummarySchema),
  calibration: z.object({
    model: z.string(), method: z.string(),
    /** The unit of the model's figures below (its outcome's: money in `currency`, or conversions). */
    units: z.object({ outcome: z.enum(['currency', 'conversions']), currency: z.string().nullable() }),
    summary: touchpointSummarySchema,
    /** Per model channel, over all periods (no `period`) and per period: the model's outcome beside the calibrated scores. */
    consistency: z.array(z.object({ channel: z.string(), touchChannels: z.array(z.string()), period: z.string().optional(), mmm: z.number(), touchpoints: z.number(), raw: z.number(), difference: z.number() })),
    /** Touch channels no model channel matched (scored 0 after calibration). */
    unmatchedChannels: z.array(z.string()),
    /** The model's outcome in channel-periods without touch scores. */
    uncovered: z.number(),
  }).nullable(),
  topPaths: z.array(z.object({ path: z.string(), journeys: z.number(), conversions: z.number(), value: z.number(), conversionRate: z.number() })),
  /** Journeys at a glance (src/touchpoints/shape.ts): touches per journey with its conversion rate; days from first touch to conversion. */
  shape: z.object({
    pathLength: z.array(z.object({ touches: z.string(), journeys: z.number(), conversions: z.number(), conversionRate: z.number() })),
    timeToConvert: z.array(z.object({ days: z.string(), conversions: z.number(), share: z.number() })),
    medianDays: z.number().nullable(), p90Days: z.number().nullable(),
  }),
  /** Per touch channel, the customers its touches moved most by the first method (top 1,000): an audience to export (GET /api/touchpoints/:job/audience/:channel). */
  audiences: z.record(z.string(), z.array(z.object({ customer: z.string(), credit: z.number(), journeys: z.number() }))),
  journeys: z.number(),
  touches: z.number(),
}).meta({ id: 'TouchpointsResult' });
