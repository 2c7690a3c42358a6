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

const estimate = z.object({ estimate: z.number(), lower: z.number(), upper: z.number() });

export const segmentAnalysisSchema = z.object({
  attribute: z.string(), channels: z.array(z.string()),
  levels: z.array(z.object({ segment: z.string(), customers: z.number(), conversions: z.number(), incremental: estimate, perCustomer: estimate, rank: z.number() })),
  cells: z.array(z.object({ segment: z.string(), channel: z.string(), exposedCustomers: z.number(), incremental: estimate, perExposed: estimate })),
  notes: z.array(z.string()),
  params: z.array(z.object({ segment: z.string(), alpha: z.number(), beta: z.record(z.string(), z.number()) })),
  lambda: z.record(z.string(), z.number()),
  draws: z.number(), journeys: z.number(), journeysFitted: z.number(), journeysPerDraw: z.number(), iterations: z.number(), converged: z.boolean(), seconds: z.number(),
}).meta({ id: 'SegmentAnalysis' });

export const touchpointsResultSchema = z.object({
  summaries: z.array(touchpointSummarySchema),
  calibration: z.object({
    model: z.string(), method: z.string(),
    /** The unit of the model's figures below (its outcome's: money in `currency`, or conversions). */
    units: z.object({ outcome: z.enum(['currency', 'conversions']), currency: z.string().nullable() }),
    summary: touchpointSummarySchema,
    /** Per model channel, over all periods (no `period`) and per period: the model's outcome beside the calibrated scores. */
    consistency: z.array(z.object({ channel: z.string(), touchChannels: z.array(z.string()), campaigns: z.array(z.string()).optional(), period: z.string().optional(), mmm: z.number(), touchpoints: z.number(), raw: z.number(), difference: z.number() })),
    /** Touch channels no model channel matched (scored 0 after calibration). */
    unmatchedChannels: z.array(z.string()),
    /** The model's outcome in channel-periods without touch scores. */
    uncovered: z.number(),
  }).nullable(),
  /** The paths with the most conversions; with the incremental method scored, what each path's touches caused. */
  topPaths: z.array(z.object({
    path: z.string(), journeys: z.number(), conversions: z.number(), value: z.number(), conversionRate: z.number(),
    incremental: z.number().optional(), incrementalValue: z.number().optional(), incrementalPerJourney: z.number().optional(),
  })),
  /** Journeys at a glance (src/touchpoints/shape.ts): touches per journey with its conversion rate; days from first touch to conversion. */
  shape: z.object({
    pathLength: z.array(z.object({ touches: z.string(), journeys: z.number(), conversions: z.number(), conversionRate: z.number() })),
    timeToConvert: z.array(z.object({ days: z.string(), conversions: z.number(), share: z.number() })),
    medianDays: z.number().nullable(), p90Days: z.number().nullable(),
  }),
  /** Per touch channel, the customers its touches moved most by the first method (top 1,000): an audience to export (GET /api/touchpoints/:job/audience/:channel). */
  audiences: z.record(z.string(), z.array(z.object({ customer: z.string(), credit: z.number(), journeys: z.number() }))),
  /** With `segment`: incremental conversions per segment and per segment × channel (src/touchpoints/segments.ts), each with its 90% interval. */
  segments: segmentAnalysisSchema.nullable(),
  /** What the reader should know, in words (e.g. an incremental model that finds almost nothing, and why). */
  notes: z.array(z.string()),
  /** The per-touch scores the job kept for download (GET /api/touchpoints/:job/scores): their rows and the methods side by side; null when not asked for. */
  perTouch: z.object({ rows: z.number(), methods: z.array(z.string()) }).nullable(),
  /** The journeys' campaigns (the first 200), for a campaign mapping. */
  campaigns: z.array(z.string()),
  journeys: z.number(),
  touches: z.number(),
}).meta({ id: 'TouchpointsResult' });
