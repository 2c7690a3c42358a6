/**
 * The insights task: a stored model (config, fit output, result) and its data table → the insights
 * tables of src/analysis (decomposition, channels, response curves, adstock, fit, health). Pure
 * computation in a job worker; the caller reads the model and the table from the workspace.
 */
import { parseModelConfig } from '../../models/config.ts';
import type { WideTable } from '../../models/design.ts';
import type { BayesianFit } from '../../models/bayesian/fit.ts';
import type { FittedModel } from '../../models/fitted.ts';
import { computeInsights, parseFitSummary, type Insights, type Row } from '../../analysis/index.ts';
import type { FitSummary } from '../../analysis/summary.ts';
import { fittedFromStored } from '../load.ts';
import { figureUnits } from '../../units.ts';

export interface InsightsInput { modelId: string; family: string; config: unknown; output: unknown; result: unknown; table: WideTable; maxDraws?: number }

export function fittedFrom(input: Omit<InsightsInput, 'output'>): FittedModel {
  const config = parseModelConfig(input.config, `model '${input.modelId}'`);
  return fittedFromStored(input.modelId, input.family, config, input.result, input.table, input.maxDraws ?? 200);
}

/** A stored model's insights: the one use case behind `marginal insights`, the API and the web. */
export function storedInsights(input: InsightsInput, opts: { perGeo?: boolean } = {}): { insights: Insights; summary: FitSummary } {
  const fitted = fittedFrom(input);
  const summary = parseFitSummary(input.output, `model '${input.modelId}'`);
  const params = (input.result as { parameters?: unknown }).parameters;
  const parameters = Array.isArray(params) ? (params as Record<string, unknown>[]).map((p) => Object.fromEntries(Object.entries(p).filter(([, v]) => v === null || ['string', 'number', 'boolean'].includes(typeof v)))) as Row[] : [];
  const config = parseModelConfig(input.config, `model '${input.modelId}'`);
  const references = (input.result as { series?: { references?: { control: string; level: number; rule: string }[] } }).series?.references;
  const insights = computeInsights(input.modelId, fitted, summary, { parameters, experiments: config.experiments, units: figureUnits(config.target), references, perGeo: opts.perGeo });
  return { insights, summary };
}

export async function run(input: InsightsInput): Promise<unknown> {
  const { insights, summary } = storedInsights(input);
  const r = input.result as Partial<BayesianFit>;
  // Families with interactions (forest, boosting) store Friedman's H² per channel pair.
  const syn = ((input.result as { stored?: { synergy?: unknown } }).stored?.synergy ?? null) as { a: string; b: string; h2: number }[] | null;
  return {
    ...insights,
    synergy: Array.isArray(syn) ? syn.map((x) => ({ channelA: x.a, channelB: x.b, h2: x.h2 })) : [],
    approximate: !!r.approximate,
    diagnostics: r.diagnostics ?? null,
    warnings: summary.warnings,
    summary: { fit: summary.fit, channels: summary.channels },
    series: r.series ? { dates: r.series.dates, geos: r.series.geos, predictedLow: r.series.predictedLow, predictedHigh: r.series.predictedHigh, predictiveLow: r.series.predictiveLow ?? null, predictiveHigh: r.series.predictiveHigh ?? null } : null,
  };
}
