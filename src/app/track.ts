/**
 * The plan-in-flight use case (`marginal track`, the job of `POST /api/plans/:id/track`): when new data cover part
 * of a saved plan's period, the actual outcome against the plan's forecast week by week (inside its
 * interval or not), each channel's actual spend against the planned spend over the weeks covered, and
 * the rest of the plan optimized again with what is left of the budget.
 */
import { basename } from 'node:path';
import { badInput } from '../errors.ts';
import { plainNumber } from '../units.ts';
import { loadHarmonized, readWideTable, withWorkspace } from '../data/index.ts';
import { getPlan } from '../data/plans.ts';
import { paidChannels, parseModelConfig, type ModelConfig } from '../models/config.ts';
import type { FittedModel } from '../models/fitted.ts';
import { parsePlan, runPlan, type PlanResult, type PlanSpec } from '../planning/index.ts';
import { referenceWindow } from '../planning/model.ts';
import { fittedFrom, readStoredModel, type StoredModelInput } from './load.ts';
import { parseFitSummary } from '../analysis/summary.ts';
import { spendColumns } from '../models/subchannels.ts';

/** Where the new data are: a harmonized table of the workspace, or (CLI only) a file with the model's columns. */
export type TrackSource = { harmonized: string } | { file: string };

export interface TrackedPeriod { period: string; actual: number; expected: number; low: number; high: number; inside: boolean }
export interface TrackedChannel { channel: string; planned: number; actual: number; difference: number }

export interface TrackResult {
  plan: string;
  model: string;
  data: string;
  start: string;
  end: string;
  /** Plan periods the new data cover, and how many the plan has. */
  covered: number;
  periods: number;
  /** Per covered period: actual outcome, the plan's forecast (expected, 90% interval) and whether it is inside. */
  weeks: TrackedPeriod[];
  outside: number;
  total: { actual: number; expected: number };
  /** Per channel over the covered periods: spend the plan meant (its reference pattern scaled) against spend seen. */
  channels: TrackedChannel[];
  spent: number;
  /** The rest of the plan, optimized again on the budget left (null when the data cover the whole plan). */
  remainder: (PlanResult & { budgetLeft: number }) | null;
  notes: string[];
  /** The currency of the amounts above: the plan's (its model's); null when unknown. */
  currency: string | null;
}

/** Per date (summed over geos): the target and each channel's spend, from the new data. */
async function readNewData(workspace: string, config: ModelConfig, source: TrackSource): Promise<{ name: string; byDate: Map<string, { outcome: number; spend: number[] }> }> {
  const cols: Record<string, ArrayLike<unknown>> = {};
  let rows: number, name: string;
  if ('file' in source) {
    const t = await readWideTable(source.file);
    Object.assign(cols, t.columns);
    rows = t.rowCount; name = basename(source.file);
  } else {
    const h = await loadHarmonized(workspace, source.harmonized);
    cols[config.data.date] = h.dates;
    for (const [k, v] of Object.entries(h.columns)) cols[k] = v;
    rows = h.dates.length; name = `harmonized '${source.harmonized}'`;
  }
  const need = [config.data.date, config.target.column, ...paidChannels(config).flatMap(spendColumns)];
  const missing = need.filter((c) => !(c in cols));
  if (missing.length) throw badInput(`${name} has no column ${missing.map((m) => `'${m}'`).join(', ')}: tracking needs the model's date, outcome (${config.target.column}) and spend columns`);
  const byDate = new Map<string, { outcome: number; spend: number[] }>();
  for (let i = 0; i < rows; i++) {
    const date = String(cols[config.data.date][i]);
    const row = byDate.get(date) ?? { outcome: 0, spend: paidChannels(config).map(() => 0) };
    // A missing outcome (spend reported before sales, say) makes the period not yet observed.
    const raw = cols[config.target.column][i];
    const y = raw === null || raw === undefined || raw === '' ? NaN : Number(raw);
    row.outcome += y;
    paidChannels(config).forEach((c, k) => { for (const col of spendColumns(c)) { const v = Number(cols[col][i] ?? 0); row.spend[k] += Number.isFinite(v) ? v : 0; } });
    byDate.set(date, row);
  }
  return { name, byDate };
}

/** Each channel's planned spend per plan period: its reference-window pattern scaled to its planned total. */
function plannedSchedule(fitted: FittedModel, plan: PlanResult, channels: string[]): number[][] {
  const P = plan.periods, T = fitted.dates.length, C = fitted.channels.length, G = fitted.spend.length / (T * C);
  const [t0] = referenceWindow(fitted, P, plan.reference?.start);
  return channels.map((channel) => {
    const c = fitted.channels.indexOf(channel);
    const pattern = Array.from({ length: P }, (_, k) => { let s = 0; for (let g = 0; g < G; g++) s += fitted.spend[(g * T + t0 + k) * C + c]; return s; });
    const sum = pattern.reduce((a, b) => a + b, 0);
    const total = plan.allocation.filter((a) => a.channel === channel).reduce((s, a) => s + a.spend, 0);
    return pattern.map((x) => (sum > 0 ? (x / sum) * total : total / P));
  });
}

/**
 * The plan's bounds for the periods left: an amount (`min`, `max`, `locked`) is for the whole plan, so
 * what was already spent on the channel comes off it (never below 0); percentages of the reference mix
 * stay. Bounds on one geo are left out (spend so far is national) and named.
 */
function remainingBounds(all: PlanSpec['constraints'], spentOn: Map<string, number>): { constraints: PlanSpec['constraints'] | undefined; dropped: string[] } {
  if (!all) return { constraints: undefined, dropped: [] };
  const out: NonNullable<PlanSpec['constraints']> = {};
  const dropped: string[] = [];
  for (const [name, c] of Object.entries(all)) {
    if (name.includes('@')) { dropped.push(`\`constraints.${name}\``); continue; }
    const spent = spentOn.get(name.toLowerCase()) ?? 0;
    const less = (v: number | undefined) => (v === undefined ? undefined : Math.max(0, v - spent));
    const next = { ...c, min: less(c.min), max: less(c.max), locked: less(c.locked) };
    out[name] = Object.fromEntries(Object.entries(next).filter(([, v]) => v !== undefined));
  }
  return { constraints: Object.keys(out).length ? out : undefined, dropped };
}

/** What a tracking job carries to its worker: the plan, its model with its data table, the new data by date (plain data). */
export interface TrackTaskInput {
  planId: string; spec: unknown; plan: PlanResult; model: StoredModelInput; name: string;
  byDate: [string, { outcome: number; spend: number[] }][]; replan: boolean;
}

/** Reads the plan, its model and the new data (main thread); refuses what cannot be tracked before any work. */
export async function prepareTrack(workspace: string, planId: string, source: TrackSource, opts: { replan?: boolean } = {}): Promise<TrackTaskInput> {
  const stored = await withWorkspace(workspace, (ws) => getPlan(ws, planId));
  const spec = parsePlan(stored.spec, `plan '${planId}'`);
  const plan = stored.result as PlanResult;
  if (spec.models && spec.models.length > 1) throw badInput(`plan '${planId}' spreads over ${spec.models.length} models; tracking follows a plan on one model`);
  if (spec.flights) throw badInput(`plan '${planId}' has flights; tracking follows a plan of one period for now: track a plan per flight`);
  const modelId = spec.model ?? spec.models![0].model;
  const forecast = plan.forecast.find((f) => f.model === modelId);
  if (!forecast || spec.forecast !== 'period') throw badInput(`plan '${planId}' has no per-period forecast (its \`forecast\` is '${spec.forecast}'); optimize it again with "forecast": "period" to track it`);
  const { input: model } = await readStoredModel(workspace, modelId);
  model.maxDraws = spec.draws;
  const config = parseModelConfig(model.config, `model '${modelId}'`);
  const { name, byDate } = await readNewData(workspace, config, source);
  const first = byDate.get(forecast.periods[0].period);
  if (!first || !Number.isFinite(first.outcome)) throw badInput(`${name} has no row for the plan's first period (${plan.start}); tracking needs data from the plan's start on`);
  return { planId, spec: stored.spec, plan, model, name, byDate: [...byDate], replan: opts.replan !== false };
}

/** The tracking itself (no I/O): runs in a job worker for the API, in process for the CLI. */
export function trackTask(input: TrackTaskInput): TrackResult {
  const { planId, plan, name } = input;
  const spec = parsePlan(input.spec, `plan '${planId}'`);
  const modelId = input.model.modelId;
  const forecast = plan.forecast.find((f) => f.model === modelId)!;
  const fitted = fittedFrom(input.model);
  const config = parseModelConfig(input.model.config, `model '${modelId}'`);
  const currency = plan.units.currency ?? parseFitSummary(input.model.output, `model '${modelId}'`).units?.currency ?? null;
  const byDate = new Map(input.byDate);
  const weeks: TrackedPeriod[] = [];
  for (const f of forecast.periods) {
    const seen = byDate.get(f.period);
    if (!seen || !Number.isFinite(seen.outcome)) break;
    const [low, high] = f.expectedInterval;
    weeks.push({ period: f.period, actual: seen.outcome, expected: f.expected, low, high, inside: seen.outcome >= low && seen.outcome <= high });
  }
  if (!weeks.length) throw badInput(`${name} has no row for the plan's first period (${plan.start}); tracking needs data from the plan's start on`);
  const covered = weeks.length;
  const channels = paidChannels(config).map((c) => c.name).filter((c) => plan.allocation.some((a) => a.channel === c));
  const schedule = plannedSchedule(fitted, plan, channels);
  const tracked: TrackedChannel[] = channels.map((channel, k) => {
    const ci = paidChannels(config).findIndex((c) => c.name === channel);
    const planned = schedule[k].slice(0, covered).reduce((a, b) => a + b, 0);
    const actual = weeks.reduce((s, w) => s + byDate.get(w.period)!.spend[ci], 0);
    return { channel, planned, actual, difference: actual - planned };
  });
  const spent = tracked.reduce((s, c) => s + c.actual, 0);
  const notes = [
    `The forecast is the plan's, made for the planned spend; where actual spend differs (see the channel table), so does the outcome to expect.`,
  ];
  let remainder: TrackResult['remainder'] = null;
  const left = plan.periods - covered;
  if (left > 0 && input.replan) {
    const budgetLeft = Math.max(0, plan.budget - spent);
    const spentOn = new Map(tracked.map((c) => [c.channel.toLowerCase(), c.actual]));
    const { constraints, dropped } = remainingBounds(spec.constraints, spentOn);
    if (dropped.length) notes.push(`The remainder leaves out ${dropped.join(', ')}: bounds per geo cannot be set against national spend so far.`);
    // The periods left match the end of the plan's reference window, not its start.
    const [t0] = referenceWindow(fitted, plan.periods, plan.reference?.start);
    const reference = spec.reference ? { reference: { start: fitted.dates[t0 + covered] } } : {};
    try {
      const rest = parsePlan({ ...(input.spec as object), name: undefined, periods: left, budget: budgetLeft, target: undefined, constraints, ...reference, start: forecast.periods[covered].period }, `plan '${planId}' (remainder)`);
      remainder = { ...runPlan(rest, [{ id: modelId, weight: 1, fitted, currency }]), budgetLeft };
    } catch (e) {
      notes.push(`The rest of the plan could not be re-optimized: ${e instanceof Error ? e.message : String(e)}`);
    }
    notes.push(`The remainder spends what is left of the budget (${plainNumber(plan.budget)} − ${plainNumber(spent)} spent) over the ${left} periods left; it does not count the carry-over of the spend already made, which adds to those periods' outcome.`);
  }
  return {
    plan: planId, model: modelId, data: name, start: plan.start, end: plan.end, covered, periods: plan.periods,
    weeks, outside: weeks.filter((w) => !w.inside).length,
    total: { actual: weeks.reduce((s, w) => s + w.actual, 0), expected: weeks.reduce((s, w) => s + w.expected, 0) },
    channels: tracked, spent, remainder, notes, currency,
  };
}

/** The whole use case in one process (`marginal track`). */
export async function trackPlan(workspace: string, planId: string, source: TrackSource, opts: { replan?: boolean } = {}): Promise<TrackResult> {
  return trackTask(await prepareTrack(workspace, planId, source, opts));
}
