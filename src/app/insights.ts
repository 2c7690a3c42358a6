/**
 * The insights use case: a stored model (config, fit output, result) and its data table → the insights
 * tables of src/analysis (decomposition, channels, response curves, adstock, fit, health). One
 * computation behind `marginal insights`, the report, the API and the web; the API runs
 * `insightsTask` in a job worker and caches its answer (a stored model never changes).
 */
import { parseModelConfig } from '../models/config.ts';
import { familyOf, type FitResult } from '../models/families.ts';
import { computeInsights, parseFitSummary, type Insights, type Row } from '../analysis/index.ts';
import type { FitSummary } from '../analysis/summary.ts';
import { figureUnits } from '../units.ts';
import { fittedFrom, readStoredModel, type StoredModelInput } from './load.ts';

/** A stored model's insights and its parsed fit summary (no I/O). */
export function storedInsights(input: StoredModelInput, opts: { perGeo?: boolean } = {}): { insights: Insights; summary: FitSummary; result: FitResult } {
  const fitted = fittedFrom(input);
  const what = `model '${input.modelId}'`;
  const summary = parseFitSummary(input.output, what);
  const result = familyOf(input.family, what).checkResult(input.result, what);
  const parameters = 'parameters' in result ? result.parameters.map((p) => Object.fromEntries(Object.entries(p).filter(([, v]) => v === null || ['string', 'number', 'boolean'].includes(typeof v))) as Row) : [];
  const config = parseModelConfig(input.config, what);
  const references = 'references' in result.series ? result.series.references : undefined;
  const insights = computeInsights(input.modelId, fitted, summary, { parameters, experiments: config.experiments, units: figureUnits(config.target), references, perGeo: opts.perGeo });
  return { insights, summary, result };
}

/** A stored model's insights, read from the workspace (`marginal insights`). */
export async function modelInsights(workspace: string, id: string, opts: { perGeo?: boolean } = {}): Promise<Insights> {
  return storedInsights((await readStoredModel(workspace, id)).input, opts).insights;
}

/** The insights view the API serves and the web draws: the insights with the fit's synergy, diagnostics, warnings and fitted series. */
export function insightsView(input: StoredModelInput): Insights & Record<string, unknown> {
  const { insights, summary, result: r } = storedInsights(input);
  return {
    ...insights,
    synergy: synergyOf(r),
    approximate: !!r.approximate,
    diagnostics: r.diagnostics ?? null,
    warnings: summary.warnings,
    summary: { fit: summary.fit, channels: summary.channels },
    // Classic families have no intervals around the fitted series: the web draws the line alone.
    series: r.family === 'bayesian'
      ? { dates: r.series.dates, geos: r.series.geos, predictedLow: r.series.predictedLow, predictedHigh: r.series.predictedHigh, predictiveLow: r.series.predictiveLow ?? null, predictiveHigh: r.series.predictiveHigh ?? null }
      : { dates: r.series.dates, geos: r.series.geos, predictiveLow: null, predictiveHigh: null },
  };
}

/** Families with interactions (forest, boosting) store Friedman's H² per channel pair. */
function synergyOf(r: FitResult): { channelA: string; channelB: string; h2: number }[] {
  if (r.family === 'bayesian') return [];
  const syn = (r.stored as { synergy?: { a: string; b: string; h2: number }[] }).synergy;
  return Array.isArray(syn) ? syn.map((x) => ({ channelA: x.a, channelB: x.b, h2: x.h2 })) : [];
}

/** The insights as a job task. */
export async function insightsTask(input: StoredModelInput): Promise<unknown> {
  return insightsView(input);
}
