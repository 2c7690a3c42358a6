/**
 * The plan use case: a plan spec on stored model(s) → the optimized plan (allocation, totals,
 * baseline, forecast), saved in the workspace. In three parts so the CLI runs them in one go and the
 * server as a job: `preparePlan` (main thread: the models, their tables and their saved response-curve
 * nodes), `planTask` (pure: optimizes in a job worker) and `storePlan` (main thread: the plan and the
 * curve nodes computed on the way, which the next plan on the same model reuses).
 */
import { getModel, withWorkspace, type Workspace } from '../data/index.ts';
import { badInput } from '../errors.ts';
import { parseModelConfig } from '../models/config.ts';
import { getPlan, loadCurveNodes, saveCurveNodes, savePlan } from '../data/plans.ts';
import { checkFlightDates, comparePlans, parsePlan, planBudget, type ComparablePlan, type PlanComparison, type PlanResult, type PlanSpec } from '../planning/index.ts';
import { fittedFrom, readStoredModel, type StoredModelInput } from './load.ts';
import { parseFitSummary } from '../analysis/summary.ts';

export interface PlanModelInput extends Omit<StoredModelInput, 'output'> { weight: number; nodes: Map<string, Float64Array>; currency?: string | null }
export interface PlanTaskInput { spec: unknown; models: PlanModelInput[] }
/** The plan and, per model, the curve nodes it computed that were not saved before. */
export interface PlanTaskOutput { result: PlanResult; freshNodes: { model: string; nodes: Map<string, Float64Array> }[] }
export type PlanOutput = PlanResult & { planId: string | null };

/** The models a plan names, each with its weight (one model: weight 1). */
export function planModelRefs(spec: PlanSpec): { model: string; weight: number }[] {
  return spec.models ?? [{ model: spec.model!, weight: 1 }];
}

/**
 * Fails fast, before any job is queued: a model the plan names that is not in the workspace
 * (NOT_FOUND), and a constraint naming a channel or a geo the first model does not have (BAD_INPUT,
 * listing what it has).
 */
export async function requirePlanModels(ws: Workspace, spec: PlanSpec): Promise<void> {
  const models = [];
  for (const r of planModelRefs(spec)) models.push(await getModel(ws, r.model));
  const channels = new Map<string, string>();
  const geos = new Set<string>();
  for (const m of models) {
    for (const c of parseModelConfig(m.config, `model '${m.id}'`).channels) channels.set(c.name.toLowerCase(), c.name);
    const series = (m.result as { series?: { geos?: unknown } }).series;
    if (Array.isArray(series?.geos)) for (const g of series.geos as unknown[]) geos.add(String(g));
  }
  // Flights on the first model's calendar, not overlapping: refused here rather than in the job.
  const series0 = (models[0].result as { series?: { dates?: unknown } }).series;
  if (spec.flights && Array.isArray(series0?.dates)) checkFlightDates(spec, [...new Set((series0.dates as unknown[]).map(String))]);
  const which = models.length > 1 ? `the plan's models (${models.map((m) => m.id).join(', ')})` : `model '${models[0].id}'`;
  for (const name of Object.keys(spec.constraints ?? {})) {
    if (channels.has(name.toLowerCase())) continue;
    const at = name.lastIndexOf('@');
    const channel = at > 0 ? name.slice(0, at) : name, geo = at > 0 ? name.slice(at + 1) : undefined;
    if (!channels.has(channel.toLowerCase())) throw badInput(`\`constraints.${name}\`: ${which} ha${models.length > 1 ? 've' : 's'} no channel '${channel}'; the channels are ${[...channels.values()].join(', ')}`);
    if (geo === undefined) continue;
    if (geos.size <= 1) throw badInput(`\`constraints.${name}\`: ${which} ha${models.length > 1 ? 've' : 's'} no geo '${geo}' (national)`);
    if (![...geos].some((g) => g.toLowerCase() === geo.toLowerCase())) throw badInput(`\`constraints.${name}\`: ${which} ha${models.length > 1 ? 've' : 's'} no geo '${geo}'; the geos are ${[...geos].slice(0, 12).join(', ')}${geos.size > 12 ? `, … (${geos.size})` : ''}`);
    if (!spec.geos) throw badInput(`\`constraints.${name}\` bounds one geo, but the plan allocates nationally: set "geos": true to plan per geo`);
  }
}

/** Reads the plan's models, their data tables and their saved curve nodes. */
export async function preparePlan(workspace: string, spec: PlanSpec): Promise<PlanTaskInput> {
  const models: PlanModelInput[] = [];
  for (const r of planModelRefs(spec)) {
    const { input } = await readStoredModel(workspace, r.model);
    const nodes = await withWorkspace(workspace, (ws) => loadCurveNodes(ws, r.model));
    const currency = parseFitSummary(input.output, `model '${input.modelId}'`).units?.currency ?? null;
    models.push({ modelId: input.modelId, family: input.family, config: input.config, result: input.result, table: input.table, weight: r.weight, nodes, currency });
  }
  return { spec, models };
}

/** Optimizes the plan (no I/O). */
export function planTask(input: PlanTaskInput): PlanTaskOutput {
  const spec = parsePlan(input.spec, 'plan');
  const models = input.models.map((m) => ({ id: m.modelId, weight: m.weight, currency: m.currency ?? null, fitted: fittedFrom({ ...m, maxDraws: spec.draws }), cache: new Map(m.nodes), known: new Set(m.nodes.keys()) }));
  const result = planBudget(spec, models);
  const freshNodes = models.map((m) => ({ model: m.id, nodes: new Map([...m.cache].filter(([k]) => !m.known.has(k))) }));
  return { result, freshNodes };
}

/** Saves the curve nodes the plan computed and, unless `save` is false, the plan itself. */
export async function storePlan(ws: Workspace, spec: PlanSpec, output: PlanTaskOutput, opts: { save?: boolean } = {}): Promise<PlanOutput> {
  for (const f of output.freshNodes) await saveCurveNodes(ws, f.model, f.nodes, new Set());
  const { result } = output;
  const planId = opts.save === false ? null : await savePlan(ws, { name: spec.name ?? 'plan', model: result.model, spec, result });
  return { planId, ...result };
}

/** The whole use case in one process (`marginal optimize`). */
export async function optimizePlan(workspace: string, spec: PlanSpec, opts: { save?: boolean } = {}): Promise<PlanOutput> {
  await withWorkspace(workspace, (ws) => requirePlanModels(ws, spec));
  const output = planTask(await preparePlan(workspace, spec));
  return withWorkspace(workspace, (ws) => storePlan(ws, spec, output, opts));
}

/** Two or more saved plans side by side: each against the first (B − A). */
export async function comparePlanIds(ws: Workspace, ids: readonly string[]): Promise<{ plans: ComparablePlan[]; comparisons: PlanComparison[] }> {
  const plans: ComparablePlan[] = [];
  for (const id of ids) plans.push({ id, ...((await getPlan(ws, id)).result as Omit<ComparablePlan, 'id'>) });
  return { plans, comparisons: plans.slice(1).map((b) => comparePlans(plans[0], b)) };
}
