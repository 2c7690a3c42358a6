/**
 * Fitting a stored model again, in one action (`marginal models refit|refresh`, `marginal refresh`,
 * `POST /api/models/:id/refit|refresh`): its own config, under its config's name (so `weekly-1` is
 * followed by `weekly-2`) and display name, linked to it (`refreshedFrom`), with its sampling (a fast
 * fit stays fast).
 *
 * - **refit**: the same config on the same data (the table version it was fitted on).
 * - **refresh**: the same config on the current version of its table; optionally with curve priors
 *   from its posterior (`marginal priors`: means, sd × widen, never wider than its prior; the
 *   config's own curve priors win).
 *
 * `prepareRefit` reads the workspace; the fit itself is the fit use case (a job on the server).
 */
import { currentVersion, getModel, withWorkspace, type Workspace } from '../data/index.ts';
import { badInput } from '../errors.ts';
import { parseModelConfig, type ModelConfig } from '../models/config.ts';
import type { FitOptions } from '../models/bayesian/fit.ts';
import { curvePriorsOfModel } from './curvePriors.ts';
import { runFit, type FitOutput } from './fit.ts';

export interface RefitRequest { mode: 'refit' | 'refresh'; withPriors?: boolean; widen?: number }

export interface RefitPlan {
  /** The model fitted again, the config name the new one is stored under, and its display name. */
  model: string; name: string; displayName: string;
  config: ModelConfig;
  /** The old fit was a fast (Laplace) one. */
  fast: boolean;
  /** What was done to the config, in words (to stderr in the CLI). */
  notes: string[];
}

export async function prepareRefit(ws: Workspace, id: string, req: RefitRequest): Promise<RefitPlan> {
  const m = await getModel(ws, id);
  const stored = parseModelConfig(m.config, `model '${id}'`);
  const table = stored.data.harmonized;
  // A model from before versions names none: it was fitted on version 1.
  let config: ModelConfig = table && stored.data.version === undefined ? { ...stored, data: { ...stored.data, version: 1 } } : stored;
  const notes: string[] = [];
  if (req.mode === 'refresh') {
    if (!table) throw badInput(`model '${id}' was fitted on a file, not a harmonized table: there is no newer version to refresh it on; refit it instead`);
    const version = await currentVersion(ws, table);
    if (version === null) throw badInput(`harmonized table '${table}', which model '${id}' was fitted on, was dropped; harmonize it again (same --name) before refreshing the model`);
    if (version !== config.data.version) notes.push(`on version ${version} of '${table}' (it was fitted on version ${config.data.version})`);
    else notes.push(`on version ${version} of '${table}', the one it was fitted on (no newer version)`);
    config = { ...config, data: { ...config.data, version } };
    if (req.withPriors) config = await withCurvePriors(ws, id, config, req.widen ?? 2, notes);
  } else if (req.withPriors) {
    throw badInput('curve priors from the posterior are for a refresh (new data); a refit fits the same config on the same data');
  }
  const name = config.name ?? id.replace(/-\d+$/, '');
  return { model: id, name, displayName: m.name, config: { ...config, name }, fast: !!(m.output as { approximate?: boolean }).approximate, notes };
}

/** `priors.curves` from the model's posterior, under the config's own (which win, parameter by parameter). */
async function withCurvePriors(ws: Workspace, id: string, config: ModelConfig, widen: number, notes: string[]): Promise<ModelConfig> {
  const { curves, skipped } = await curvePriorsOfModel(ws, id, config, widen);
  const raw = JSON.parse(JSON.stringify(config)) as { priors?: { curves?: Record<string, Record<string, unknown>> } };
  const merged: Record<string, Record<string, unknown>> = Object.fromEntries(Object.entries(curves).map(([name, entry]) => [name, { ...entry }]));
  for (const [name, entry] of Object.entries(raw.priors?.curves ?? {})) merged[name] = { ...(merged[name] ?? {}), ...entry };
  notes.push(`with curve priors from ${id}'s posterior (sd × ${widen}) for ${Object.keys(curves).join(', ') || 'no channel'}`, ...skipped.map((s) => `skipped ${s}`));
  return parseModelConfig({ ...raw, priors: { ...(raw.priors ?? {}), curves: merged } }, `the refresh of model '${id}'`);
}

/** The whole use case in one process (the CLI): prepare, fit, store linked to the old model. */
export async function refitModel(workspace: string, id: string, req: RefitRequest, opts: FitOptions = {}): Promise<{ plan: RefitPlan; output: FitOutput }> {
  const plan = await withWorkspace(workspace, (ws) => prepareRefit(ws, id, req));
  const { output } = await runFit(plan.config, workspace, { ...opts, fast: opts.fast ?? plan.fast }, { displayName: plan.displayName, refreshedFrom: id });
  return { plan, output };
}
