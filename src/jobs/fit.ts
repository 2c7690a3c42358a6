/**
 * The fit job: config → data (file or harmonized table) → model data → fit → stored in the workspace.
 * `fitTable` is the pure part (no workspace: it runs in the server's job workers too); `runFit`
 * adds the reading and the storing for the CLI.
 */
import { basename } from 'node:path';
import { badConfig } from '../errors.ts';
import { harmonizedCurrency, loadHarmonized, readWideTable, saveModel, withWorkspace, type Workspace } from '../data/index.ts';
import { figureUnits, type FigureUnits } from '../units.ts';
import type { ModelConfig } from '../models/config.ts';
import type { WideTable } from '../models/design.ts';
import { buildModelDataReadingHolidays } from './modelData.ts';
import { fitBayesian, type BayesianFit, type FitOptions } from '../models/bayesian/fit.ts';
import { priorCheck, type PriorCheck } from '../models/bayesian/priorCheck.ts';
import { prepareMmm } from '../models/bayesian/prepare.ts';
import { fitClassic, requireBayesianMinPeriods } from '../models/linear/families.ts';
import type { ClassicFit } from '../models/linear/result.ts';

export interface FitOutput {
  modelId: string;
  name: string;
  family: string;
  approximate: boolean;
  fit: BayesianFit['fit'];
  diagnostics: BayesianFit['diagnostics'] | ClassicFit['diagnostics'];
  channels: BayesianFit['channels'] | ClassicFit['channels'];
  warnings: string[];
  /** The unit of every figure above (src/units.ts): spend and money in `currency`, contributions in the target's unit. */
  units: FigureUnits;
  /** Bayesian fits: the media share of the outcome the ROI priors imply before the data (priorCheck.ts). */
  priorCheck?: PriorCheck;
}

/** The stored fit output of a fit result (one shape for the CLI, the API and the jobs). */
export function fitSummary(name: string, config: ModelConfig, result: BayesianFit | ClassicFit, currency: string | null): Omit<FitOutput, 'modelId'> {
  return {
    name, family: result.family, approximate: result.approximate, fit: result.fit, diagnostics: result.diagnostics, channels: result.channels, warnings: result.warnings,
    units: figureUnits(config.target, currency), ...('priorCheck' in result && result.priorCheck ? { priorCheck: result.priorCheck } : {}),
  };
}

/** Stores a fit with its summary; the currency comes from the harmonized table's datasets. */
export async function storeFit(ws: Workspace, name: string, config: ModelConfig, result: BayesianFit | ClassicFit): Promise<FitOutput> {
  const currency = config.data.harmonized ? await harmonizedCurrency(ws, config.data.harmonized) : null;
  const summary = fitSummary(name, config, result, currency);
  const modelId = await saveModel(ws, { name, family: result.family, config, output: summary, result });
  return { modelId, ...summary };
}

export async function loadModelTable(config: ModelConfig, workspace: string): Promise<WideTable> {
  if (config.data.file) {
    const t = await readWideTable(config.data.file);
    return { source: basename(config.data.file), rowCount: t.rowCount, columns: t.columns, lines: t.lines };
  }
  const id = config.data.harmonized!;
  const h = await loadHarmonized(workspace, id);
  const columns: WideTable['columns'] = {};
  columns[config.data.date] = h.dates;
  if (config.data.geo) {
    if (!h.geos) throw badConfig(`\`data.geo\` is '${config.data.geo}' but harmonized table '${id}' is national`);
    columns[config.data.geo] = h.geos;
  }
  for (const [name, values] of Object.entries(h.columns)) columns[name] = Array.from(values, (v) => (Number.isNaN(v) ? null : v));
  return { source: `harmonized '${id}'`, rowCount: h.dates.length, columns };
}

/** The prior predictive check of a Bayesian config on its data, before any fitting (priorCheck.ts). */
export function checkPriors(config: ModelConfig, table: WideTable): PriorCheck & { channels: { name: string; priorMedian: number; impliedShare: number }[] } {
  const data = buildModelDataReadingHolidays(config, table);
  const prep = prepareMmm(config, data);
  const check = priorCheck(prep.roiPrior, prep.spendTotal, prep.revenueTotal, prep.defaultRoiRule);
  return { ...check, channels: data.channels.map((name, c) => ({ name, priorMedian: Math.exp(prep.roiPrior[c].mu), impliedShare: check.channelShare[c] })) };
}

/** Fits the config's family on an already-loaded table (no I/O). */
export async function fitTable(config: ModelConfig, table: WideTable, opts: FitOptions = {}): Promise<BayesianFit | ClassicFit> {
  const data = buildModelDataReadingHolidays(config, table);
  if (config.family !== 'bayesian') return fitClassic(config, data, { seed: opts.seed });
  requireBayesianMinPeriods(config, data);
  return fitBayesian(config, data, opts);
}

export async function runFit(config: ModelConfig, workspace: string, opts: FitOptions = {}): Promise<{ output: FitOutput; result: BayesianFit | ClassicFit }> {
  const result = await fitTable(config, await loadModelTable(config, workspace), opts);
  const output = await withWorkspace(workspace, (ws) => storeFit(ws, config.name ?? 'model', config, result));
  return { output, result };
}
