/**
 * A stored model back as a `FittedModel` (config + data reloaded from its source + stored draws), for
 * insights, reports and plans. `readStoredModel` is the I/O half (main thread), `fittedFromStored` the
 * pure half (it also runs in job workers).
 */
import { getModel, withWorkspace, type StoredModel } from '../data/index.ts';
import { parseModelConfig, type ModelConfig } from '../models/config.ts';
import type { WideTable } from '../models/design.ts';
import { buildModelDataReadingHolidays } from './modelData.ts';
import type { FittedModel } from '../models/fitted.ts';
import { familyOf } from '../models/families.ts';
import { loadModelTable } from './modelTable.ts';

/** A stored model with its data table: what a job worker needs to rebuild it (plain data). */
export interface StoredModelInput {
  modelId: string; family: string; config: unknown; output: unknown; result: unknown; table: WideTable;
  /** Posterior draws to keep (default 200: enough for 90% intervals, quick to evaluate). */
  maxDraws?: number;
}

export interface LoadedModel { stored: StoredModel; fitted: FittedModel }

/** Reads a stored model and its data table from the workspace. */
export async function readStoredModel(workspace: string, id: string): Promise<{ stored: StoredModel; input: StoredModelInput }> {
  const stored = await withWorkspace(workspace, (ws) => getModel(ws, id));
  const table = await loadModelTable(fittedOnVersion(parseModelConfig(stored.config, `model '${id}'`)), workspace);
  return { stored, input: { modelId: id, family: stored.family, config: stored.config, output: stored.output, result: stored.result, table } };
}

/**
 * A stored model's config reading the table version it was fitted on: the one it names, or version 1
 * for a model from before versions (its table's rows from then read as version 1).
 */
export function fittedOnVersion(config: ModelConfig): ModelConfig {
  return config.data.harmonized && config.data.version === undefined ? { ...config, data: { ...config.data, version: 1 } } : config;
}

export async function loadFittedModel(workspace: string, id: string, opts: { maxDraws?: number } = {}): Promise<LoadedModel> {
  const { stored, input: { table } } = await readStoredModel(workspace, id);
  const config = parseModelConfig(stored.config, `model '${id}'`);
  return { stored, fitted: fittedFromStored(id, stored.family, config, stored.result, table, opts.maxDraws) };
}

/** The `FittedModel` of a stored model read by `readStoredModel` (no I/O). */
export function fittedFrom(input: Omit<StoredModelInput, 'output'>): FittedModel {
  const config = parseModelConfig(input.config, `model '${input.modelId}'`);
  return fittedFromStored(input.modelId, input.family, config, input.result, input.table, input.maxDraws ?? 200);
}

/** Rebuilds a stored fit as a `FittedModel` from its config and its data table (no I/O); the result is checked against its family's schema first. */
export function fittedFromStored(id: string, family: string, config: ModelConfig, result: unknown, table: WideTable, maxDraws?: number): FittedModel {
  const f = familyOf(family, `model '${id}'`);
  const checked = f.checkResult(result, `model '${id}'`);
  const data = buildModelDataReadingHolidays(config, table);
  const fitted = f.load(config, data, checked, maxDraws);
  // Sub-channels never reach the families: the analysis splits their channels afterwards.
  return data.subchannels ? Object.assign(fitted, { subchannels: data.subchannels }) : fitted;
}
