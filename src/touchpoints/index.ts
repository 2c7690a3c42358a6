/**
 * Touchpoints (multi-touch attribution): journeys, per-touch scores, consistency with the MMM, exports.
 *
 * Journeys:  `loadJourneys(ws, dataset, { lookbackDays })` → Journeys (built in DuckDB);
 *            `journeysFrom(list)` builds them from plain lists.
 * Scores:    `attribute(j, method, opts)` → Scores (first|last|linear|position|decay|markov|shapley);
 *            `markovScores(j, order)`, `shapleyScores(j, opts)`, `ruleScores(j, method, opts)`;
 *            `fitIncremental(j, opts)` → the hazard model's incremental and influenced scores.
 * Summary:   `summarize(j, scores)` → the `--json` contract (touchpoints-output).
 * MMM:       `calibrateToMmm(j, scores, mmmSeries, channelMap)` → calibrated scores + consistency table;
 *            `contributionSharePriors(credit, mmmChannels, confidence, channelMap, mediaShare)` → priors.contributionShare.
 * Export:    `exportScores(j, scores[], out, consistency?)` writes per-touch rows and aggregates.
 * At scale:  `scorePartitioned(ws, datasetEvents(id) | await parquetEvents(ws, file), opts)` → every method's
 *            credit per channel, partition by partition of customers (no journey held beyond a slice).
 */
export * from './types.ts';
export { journeysFrom, splitPath, type JourneyInput } from './build.ts';
export { loadJourneys, type JourneyOptions } from './journeys.ts';
export { ruleScores, ruleWeights, type RuleMethod, type RuleOptions } from './rules.ts';
export { markovScores, buildChain, absorption, type MarkovResult, type MarkovChain } from './markov.ts';
export { shapleyScores, shapleyValues, coalitionWorth, MAX_SHAPLEY_CHANNELS, type ShapleyOptions } from './shapley.ts';
export { attribute, summarize, CHEAP_METHODS, type AttributeOptions, type Summary } from './attribute.ts';
export { calibrateToMmm, contributionSharePriors, resolveChannelMap, resolveCampaignMap, periodIndex, type MmmSeries, type ConsistencyRow, type Calibration, type SharePrior } from './calibrate.ts';
export { aggregates, aggregateBy, topPaths, positionOf, weekOf, type PathRow } from './aggregate.ts';
export { exportScores, outFormat, reshapeTouchCsv, writeTouchCsv, type ExportResult } from './export.ts';
export { simulateJourneys, segmentTruth, DEFAULT_SIMULATION, SEGMENTED_SIMULATION, type JourneySimulation } from './simulate.ts';
export { segmentIncremental, segmentLevels, segmentTotals, findAttribute, NOT_GIVEN, MAX_SEGMENT_LEVELS, type SegmentAnalysis, type SegmentCell, type SegmentLevel, type Estimate } from './segments.ts';
export { fitIncremental, scoreHazard, discretize, type IncrementalOptions, type IncrementalResult, type HazardParams } from './incremental.ts';
export { journeyShape, type JourneyShape } from './shape.ts';
export { channelAudience, type AudienceRow } from './audience.ts';
export { scorePartitioned, datasetEvents, parquetEvents, customerNumbers, type EventSource, type PartitionedOptions, type PartitionedResult } from './partitioned.ts';
