/**
 * The design use case (issue 27): a stored Bayesian model → lift tests for the channels whose ROI the
 * data leave open, ranked by information per unit of cost, and each test's plan for the media team.
 * `designTask` is pure (it runs in a job worker for the API); `designModel` reads the model and runs
 * it in one go (`marginal design`).
 */
import { badInput } from '../errors.ts';
import { parseModelConfig } from '../models/config.ts';
import { parseFitSummary, revenueFactor, type Design, type DesignOptions } from '../analysis/index.ts';
import { designTests } from '../analysis/design/design.ts';
import { testPlan, type TestPlanRow } from '../analysis/design/plan.ts';
import { fittedFrom, readStoredModel, type StoredModelInput } from './load.ts';

/** Posterior draws the design reads: enough for its importance weights, quick to evaluate. */
export const DESIGN_DRAWS = 1000;

export interface DesignRequest extends DesignOptions { draws?: number }

export interface DesignOutput extends Design {
  /** Each test's plan, by rank (only when asked: `plans`). */
  plans?: Record<number, TestPlanRow[]>;
}

/** The channels a fit flagged, and why, read from its stored warnings. */
export function flaggedChannels(channels: readonly string[], warnings: readonly string[]): Map<string, string> {
  const out = new Map<string, string>();
  for (const name of channels) {
    if (warnings.some((w) => w.startsWith(`ALWAYS ON: ${name} never`))) out.set(name, 'always on');
    else if (warnings.some((w) => w.startsWith(`WEAKLY IDENTIFIED: the data say little about ${name}'s`))) out.set(name, 'weakly identified');
  }
  return out;
}

/** The design on a stored model read by `readStoredModel` (no I/O). */
export function designTask(input: StoredModelInput & { request: DesignRequest; plans?: boolean }): DesignOutput {
  const what = `model '${input.modelId}'`;
  if (input.family !== 'bayesian') throw badInput(`${what} is a ${input.family} model: designing tests needs a Bayesian model (its posterior draws say what a test would teach); fit the config with family "bayesian"`);
  parseModelConfig(input.config, what);
  const summary = parseFitSummary(input.output, what);
  const fitted = fittedFrom({ ...input, maxDraws: input.request.draws ?? DESIGN_DRAWS });
  for (const name of input.request.channels ?? []) {
    if (!fitted.channels.includes(name)) throw badInput(`${what} has no channel '${name}'; the channels are ${fitted.channels.join(', ')}`, [{ field: 'channels', message: `'${name}' is not a channel of the model: choose one of ${fitted.channels.join(', ')}` }]);
  }
  const byName = new Map(summary.channels.map((c) => [c.name, c]));
  const design = designTests({
    modelId: input.modelId, fitted, flagged: flaggedChannels(fitted.channels, summary.warnings),
    revenueFactor: (name) => { const c = byName.get(name); return c ? revenueFactor(fitted, c) : null; },
  }, input.request);
  if (!input.plans) return design;
  return { ...design, plans: Object.fromEntries(design.tests.map((t) => [t.rank, testPlan(fitted, t)])) };
}

/** `marginal design`: reads the model, designs. */
export async function designModel(workspace: string, id: string, request: DesignRequest, opts: { plans?: boolean } = {}): Promise<DesignOutput> {
  const { input } = await readStoredModel(workspace, id);
  return designTask({ ...input, request, plans: opts.plans });
}

/** One test's plan as CSV: geo, group, channel, week, planned spend. */
export function testPlanCsv(rows: readonly TestPlanRow[]): string {
  const q = (s: string) => (/[",\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s);
  return ['geo,group,channel,week,planned_spend', ...rows.map((r) => [q(r.geo), r.group, q(r.channel), r.week, r.plannedSpend.toFixed(2)].join(','))].join('\n') + '\n';
}
