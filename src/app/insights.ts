/**
 * The insights use case: a stored model (config, fit output, result) and its data table → the insights
 * tables of src/analysis (decomposition, channels, response curves, adstock, fit, health). One
 * computation behind `marginal insights`, the report, the API and the web; the API runs
 * `insightsTask` in a job worker and caches its answer (a stored model never changes).
 */
import { parseModelConfig } from '../models/config.ts';
import type { BayesianFit } from '../models/bayesian/fit.ts';
import { computeInsights, parseFitSummary, type Insights, type Row } from '../analysis/index.ts';
import type { FitSummary } from '../analysis/summary.ts';
import { figureUnits } from '../units.ts';
import { fittedFrom, readStoredModel, type StoredModelInput } from './load.ts';

/** A stored model's insights and its parsed fit summary (no I/O). */
export function storedInsights(input: StoredModelInput, opts: { perGeo?: boolean } = {}): { insights: Insights; summary: FitSummary } {
  const fitted = fittedFrom(input);
  const summary = parseFitSummary(input.output, `model '${input.modelId}'`);
  const params = (input.result as { parameters?: unknown }).parameters;
  const parameters = Array.isArray(params) ? (params as Record<string, unknown>[]).map((p) => Object.fromEntries(Object.entries(p).filter(([, v]) => v === null || ['string', 'number', 'boolean'].includes(typeof v)))) as Row[] : [];
  const config = parseModelConfig(input.config, `model '${input.modelId}'`);
  const references = (input.result as { series?: { references?: { control: string; level: number; rule: string }[] } }).series?.references;
  const insights = computeInsights(input.modelId, fitted, summary, { parameters, experiments: config.experiments, units: figureUnits(config.target), references, perGeo: opts.perGeo });
  return { insights, summary };
}

/** A stored model's insights, read from the workspace (`marginal insights`). */
export async function modelInsights(workspace: string, id: string, opts: { perGeo?: boolean } = {}): Promise<Insights> {
  return storedInsights((await readStoredModel(workspace, id)).input, opts).insights;
}

/** The insights view the API serves and the web draws: the insights with the fit's synergy, diagnostics, warnings and fitted series. */
export function insightsView(input: StoredModelInput): Insights & Record<string, unknown> {
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

/** The insights as a job task. */
export async function insightsTask(input: StoredModelInput): Promise<unknown> {
  return insightsView(input);
}
