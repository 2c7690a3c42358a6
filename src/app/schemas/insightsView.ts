/**
 * The insights view of a model (src/app/insights.ts `insightsView`): the insights tables of
 * src/analysis/insights.ts (one row per period, channel, curve point, …) with the fit's synergy,
 * diagnostics, warnings, summary and fitted series. What `GET /api/models/:id/insights` answers and the
 * web's Insights page draws; computed from a stored model, cached, never stored.
 */
import { z } from 'zod';
import { fitSummarySchema } from '../../analysis/summary.ts';
import { cellSchema, figureUnitsSchema, maybeNumber } from './common.ts';

/**
 * One geo and period: date, geo (geo models only), whether the period is in the fit's sample, actual,
 * predicted, residual, then one number per base part (`intercept`, `trend`, `seasonality`,
 * `control:NAME`, …) and per channel (`channel:NAME`), which add up to `predicted`. The parts are
 * cells rather than numbers only so a typed client's index signature admits the named fields too.
 */
export const decompositionRowSchema = z.object({
  date: z.string(), geo: z.string().optional(), inSample: z.boolean(), actual: z.number(), predicted: z.number(), residual: z.number(),
}).catchall(cellSchema).meta({ id: 'DecompositionRow' });

/** Per channel: spend, contribution, shares, ROI, marginal ROI, the ROI prior, cost per conversion (conversions targets), break-even. */
export const channelInsightSchema = z.object({
  channel: z.string(), spend: z.number(), shareOfSpend: maybeNumber,
  contribution: z.number(), contributionLow: maybeNumber, contributionHigh: maybeNumber, shareOfEffect: maybeNumber,
  roi: z.number(), roiLow: maybeNumber, roiHigh: maybeNumber,
  mroi: z.number(), mroiLow: maybeNumber, mroiHigh: maybeNumber,
  roiPriorMedian: maybeNumber, roiPriorLow: maybeNumber, roiPriorHigh: maybeNumber,
  cpa: maybeNumber.optional(), cpaLow: maybeNumber.optional(), cpaHigh: maybeNumber.optional(),
  breakEvenSpend: maybeNumber, breakEvenMultiplier: maybeNumber,
  /** Reach & frequency channels: the optimal average frequency (90% interval) and the observed, reach-weighted one. */
  optimalFrequency: z.number().optional(), optimalFrequencyLow: z.number().optional(), optimalFrequencyHigh: z.number().optional(), observedFrequency: z.number().optional(),
}).meta({ id: 'ChannelInsight' });

/** An organic channel's figures (src/analysis/insights.ts `organic`). */
export const organicInsightSchema = z.object({
  channel: z.string(), activity: z.number(),
  contribution: z.number(), contributionLow: z.number(), contributionHigh: z.number(),
  share: z.number(), shareLow: z.number(), shareHigh: z.number(),
  perUnit: z.number(), perUnitLow: z.number(), perUnitHigh: z.number(),
  sharePriorMedian: maybeNumber, sharePriorLow: maybeNumber, sharePriorHigh: maybeNumber,
}).meta({ id: 'OrganicInsight' });

/**
 * Per sub-channel (channels with `subchannels`): spend and its share of the channel's, contribution,
 * share of the channel's contribution and ROI, each with its 90% interval (src/analysis/subchannels.ts).
 */
export const subchannelInsightSchema = z.object({
  channel: z.string(), subchannel: z.string(), spend: z.number(), shareOfSpend: maybeNumber,
  contribution: z.number(), contributionLow: maybeNumber, contributionHigh: maybeNumber,
  share: maybeNumber, shareLow: maybeNumber, shareHigh: maybeNumber,
  roi: maybeNumber, roiLow: maybeNumber, roiHigh: maybeNumber,
}).meta({ id: 'SubchannelInsight' });

export const curveRowSchema = z.object({
  channel: z.string(), geo: z.string().nullable(), multiplier: z.number(), spend: z.number(),
  expected: z.number(), expectedLow: z.number(), expectedHigh: z.number(), mroi: z.number(), mroiLow: z.number(), mroiHigh: z.number(),
}).meta({ id: 'CurveRow' });

export const curvePointSchema = z.object({
  channel: z.string(), geo: z.string().nullable(), point: z.enum(['current', 'break-even']),
  multiplier: z.number(), spend: z.number(), expected: z.number(), expectedLow: z.number(), expectedHigh: z.number(), mroi: z.number(),
  spendLow: maybeNumber, spendHigh: maybeNumber,
}).meta({ id: 'CurvePoint' });

const liftTestRow = z.object({
  channel: z.string(), geo: z.string().nullable(), start: z.string(), end: z.string(), measured: z.number(), measuredSe: z.number(), model: z.number(), z: z.number(),
  spendChange: z.number().nullable(),
  roiLow: z.number().nullable(), roiHigh: z.number().nullable(),
  roiBeforeLow: z.number().nullable(), roiBeforeHigh: z.number().nullable(),
  roiPredictedLow: z.number().nullable(), roiPredictedHigh: z.number().nullable(),
  expectedResultLow: z.number().nullable(), expectedResultHigh: z.number().nullable(),
});

export const insightsViewSchema = z.object({
  modelId: z.string(),
  family: z.string(),
  target: z.object({ column: z.string(), kind: z.enum(['revenue', 'conversions']) }),
  units: figureUnitsSchema,
  decomposition: z.array(decompositionRowSchema),
  /** Totals over all periods and geos per base part and channel, with the share of the prediction and what each is measured against. */
  contributions: z.array(z.object({ kind: z.enum(['base', 'organic', 'channel']), name: z.string(), total: z.number(), share: z.number(), reference: z.string() })),
  channels: z.array(channelInsightSchema),
  /** Organic channels (no spend, no ROI): activity, contribution, share of the prediction, contribution per unit of activity, each with its 90% interval. */
  organic: z.array(organicInsightSchema),
  /** Organic channels' response curves (Bayesian fits): activity multiple, activity, expected incremental outcome with its 90% interval. */
  organicCurves: z.array(z.object({ channel: z.string(), multiplier: z.number(), activity: z.number(), expected: z.number(), expectedLow: z.number(), expectedHigh: z.number() })),
  /** Empty when no channel has sub-channels. */
  subchannels: z.array(subchannelInsightSchema),
  responseCurves: z.array(curveRowSchema),
  curvePoints: z.array(curvePointSchema),
  adstock: z.array(z.object({ channel: z.string(), lag: z.number(), weight: z.number(), cumulative: z.number() })),
  /** Bayesian fits: per channel and curve parameter, the posterior mean and 90% interval beside the prior. */
  curveParameters: z.array(z.object({ channel: z.string(), parameter: z.string(), mean: z.number(), low: z.number(), high: z.number(), priorMean: z.number(), priorSd: z.number(), priorGiven: z.boolean() })),
  fit: z.array(z.object({ sample: z.enum(['in-sample', 'holdout']), n: z.number(), r2: maybeNumber, mape: maybeNumber, smape: maybeNumber, rmse: maybeNumber, nrmse: maybeNumber })),
  /** The family's parameter table (Bayesian fits), one row of plain cells per parameter. */
  parameters: z.array(z.record(z.string(), cellSchema)),
  liftTests: z.array(liftTestRow),
  health: z.array(z.object({ topic: z.string(), level: z.enum(['ok', 'caution', 'problem']), text: z.string() })),
  /** Families with interactions (forest, boosting): Friedman's H² per channel pair. */
  synergy: z.array(z.object({ channelA: z.string(), channelB: z.string(), h2: z.number() })),
  approximate: z.boolean(),
  /** Bayesian: sampler diagnostics; classic families: bootstrap refits, ridge penalty, search and tree settings. */
  diagnostics: z.record(z.string(), z.unknown()).nullable(),
  warnings: z.array(z.string()),
  /** The stored fit output's metrics and channels as insights parse them (src/analysis/summary.ts). */
  summary: z.object({ fit: fitSummarySchema.shape.fit, channels: fitSummarySchema.shape.channels }),
  /** A geo model's geos (empty for a national model); the answer is national unless `?geo=` named one of them. */
  geos: z.array(z.string()),
  /** Per [g, t]: the 90% interval of the expected outcome and the 90% posterior predictive interval (Bayesian fits). */
  series: z.object({
    dates: z.array(z.string()), geos: z.array(z.string()),
    predictedLow: z.array(z.number()).optional(), predictedHigh: z.array(z.number()).optional(),
    predictiveLow: z.array(z.number()).nullable(), predictiveHigh: z.array(z.number()).nullable(),
  }).nullable(),
}).meta({ id: 'InsightsView' });

export type InsightsView = z.infer<typeof insightsViewSchema>;
