/**
 * The fit use case: config → data (file or harmonized table) → model data → fit → stored in the
 * workspace with its summary. In three parts so the CLI runs them in one go and the server as a job:
 * `prepareFit` (main thread: read the table, fail fast on missing columns), `fitTask` (pure: runs in
 * a job worker, local or distributed), `storeFit` (main thread: write the model and its summary).
 */
import { currentVersion, harmonizedCurrency, saveModel, withWorkspace, type Workspace } from '../data/index.ts';
import { figureUnits, type FigureUnits } from '../units.ts';
import { parseModelConfig, type ModelConfig } from '../models/config.ts';
import type { WideTable } from '../models/design.ts';
import { buildModelDataReadingHolidays } from './modelData.ts';
import type { BayesianFit, FitOptions, OrganicResult } from '../models/bayesian/fit.ts';
import { priorCheck, type PriorCheck } from '../models/bayesian/priorCheck.ts';
import { prepareMmm } from '../models/bayesian/prepare.ts';
import type { ClassicFit } from '../models/linear/result.ts';
import { familyOf, type FitResult } from '../models/families.ts';
import { loadModelTable } from './modelTable.ts';

export interface FitOutput {
  modelId: string;
  name: string;
  family: string;
  approximate: boolean;
  fit: BayesianFit['fit'];
  diagnostics: BayesianFit['diagnostics'] | ClassicFit['diagnostics'];
  channels: BayesianFit['channels'] | ClassicFit['channels'];
  /** Organic channels (no spend): contribution, share and per-unit effect, no ROI. */
  organic?: OrganicResult[];
  warnings: string[];
  /** The unit of every figure above (src/units.ts): spend and money in `currency`, contributions in the target's unit. */
  units: FigureUnits;
  /** Bayesian fits: the media share of the outcome the ROI priors imply before the data (priorCheck.ts). */
  priorCheck?: PriorCheck;
}

export type { FitResult };

/** The stored fit output of a fit result (one shape for the CLI, the API and the jobs). */
export function fitSummary(name: string, config: ModelConfig, result: FitResult, currency: string | null): Omit<FitOutput, 'modelId'> {
  return {
    name, family: result.family, approximate: result.approximate, fit: result.fit, diagnostics: result.diagnostics, channels: result.channels,
    ...(result.organic?.length ? { organic: result.organic } : {}), warnings: result.warnings,
    units: figureUnits(config.target, currency), ...('priorCheck' in result && result.priorCheck ? { priorCheck: result.priorCheck } : {}),
  };
}

/**
 * The config with `data.version` set to its harmonized table's current version, so that the stored
 * model records the version it was fitted on and keeps reading it after the table is harmonized again.
 * A config on a file, one that names its version, or one whose table is missing (reading it will say
 * so) is returned as it is.
 */
export async function pinDataVersion(ws: Workspace, config: ModelConfig): Promise<ModelConfig> {
  const id = config.data.harmonized;
  if (!id || config.data.version !== undefined) return config;
  const version = await currentVersion(ws, id);
  return version === null ? config : { ...config, data: { ...config.data, version } };
}

/** Who a stored fit is for: its display name (default: the name) and the model it refreshes. */
export interface StoreOptions { displayName?: string; refreshedFrom?: string }

/** Stores a fit with its summary; the currency comes from the harmonized table's datasets. */
export async function storeFit(ws: Workspace, name: string, config: ModelConfig, result: FitResult, opts: StoreOptions = {}): Promise<FitOutput> {
  const pinned = await pinDataVersion(ws, config);
  const currency = pinned.data.harmonized ? await harmonizedCurrency(ws, pinned.data.harmonized) : null;
  const summary = fitSummary(name, pinned, result, currency);
  const modelId = await saveModel(ws, { name, family: result.family, config: pinned, output: summary, result, displayName: opts.displayName, refreshedFrom: opts.refreshedFrom });
  return { modelId, ...summary };
}

/** Reads the config's table and builds its model data once, so a missing table or column fails before any job is queued. */
export async function prepareFit(config: ModelConfig, workspace: string): Promise<WideTable> {
  const table = await loadModelTable(config, workspace);
  buildModelDataReadingHolidays(config, table);
  return table;
}

/** The prior predictive check of a config on the data its config names (`POST /api/models/prior-check`). */
export async function checkConfigPriors(config: ModelConfig, workspace: string): Promise<ReturnType<typeof checkPriors>> {
  return checkPriors(config, await loadModelTable(config, workspace));
}

/** The prior predictive check of a Bayesian config on its data, before any fitting (priorCheck.ts). */
export function checkPriors(config: ModelConfig, table: WideTable): PriorCheck & { channels: { name: string; priorMedian: number; impliedShare: number }[] } {
  const data = buildModelDataReadingHolidays(config, table);
  const prep = prepareMmm(config, data);
  const check = priorCheck(prep.roiPrior, prep.spendTotal, prep.revenueTotal, prep.defaultRoiRule);
  return { ...check, channels: data.channels.map((name, c) => ({ name, priorMedian: Math.exp(prep.roiPrior[c].mu), impliedShare: check.channelShare[c] })) };
}

/** Fits the config's family on an already-loaded table (no I/O). */
export async function fitTable(config: ModelConfig, table: WideTable, opts: FitOptions = {}): Promise<FitResult> {
  return familyOf(config.family).fit(config, buildModelDataReadingHolidays(config, table), opts);
}

/** What a fit job carries to its worker: plain data (structured-cloned to a thread or through Redis). */
export interface FitTaskInput { config: unknown; table: WideTable; options: Omit<FitOptions, 'onProgress'> }

/** The fit as a job task: the config is parsed again on the worker's side of the boundary. */
export function fitTask(input: FitTaskInput, progress: (p: unknown) => void): Promise<FitResult> {
  return fitTable(parseModelConfig(input.config, 'model config'), input.table, { ...input.options, onProgress: progress });
}

/** The whole use case in one process (the CLI, the demo): pin the table's version, read, fit, store. */
export async function runFit(config: ModelConfig, workspace: string, opts: FitOptions = {}, store: StoreOptions = {}): Promise<{ output: FitOutput; result: FitResult }> {
  const pinned = await withWorkspace(workspace, (ws) => pinDataVersion(ws, config));
  const result = await fitTable(pinned, await loadModelTable(pinned, workspace), opts);
  const output = await withWorkspace(workspace, (ws) => storeFit(ws, pinned.name ?? 'model', pinned, result, store));
  return { output, result };
}
