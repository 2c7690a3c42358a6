/**
 * A plan file (`marginal optimize PLAN.json`): one zod schema, and `runPlan`, which turns a plan and its
 * fitted model(s) into the contract output (allocation, total, baseline) plus marginal ROI, forecast and
 * notes. Pure: the caller loads the models and stores the result.
 *
 * Goals: maximize the outcome (`objective` 'outcome', 'revenue' or 'conversions') or the profit for a
 * budget; or reach a target at least cost: `target.outcome` (the smallest budget whose optimal plan
 * reaches it). `target.roi` / `target.cpa` are efficiency floors: ROI falls as spend grows, so the plan is
 * the *largest* budget (up to `budget` when given) whose optimal plan keeps ROI ≥ the target (cost per
 * conversion ≤ the target) — the most outcome that still meets the efficiency goal.
 */
import { z } from 'zod';
import { isoDate } from '../calendar.ts';
import { describeIssue } from '../validation.ts';
import { commonCurrency, formatAmount, plainNumber } from '../units.ts';
import { badInput, onField } from '../errors.ts';
import type { FittedModel } from '../models/fitted.ts';
import { forecastPlan, futureDates, periodsAhead, type Forecast } from './forecast.ts';
import { jointCurves, modelCurves, referenceWindow, type ModelCurve } from './model.ts';
import { optimizeBudget } from './optimizer.ts';
import { minimizeCostForTarget } from './target.ts';
import type { Allocation, AppliedBand, OptimizeResult, PlanTotal, ResponseCurve } from './types.ts';

// Amounts past 10^15 are no budget (the ingest refuses such values too): the optimizer's sums lose
// their precision, and a request for 1e308 was queued and failed in the job instead of at once.
const bound = z.number().finite().nonnegative().max(1e15);
const nameSchema = z.string().regex(/^[A-Za-z0-9][A-Za-z0-9_.-]{0,63}$/, 'letters, digits, _ . - (at most 64)');

/** A plan name as the plan file takes it; BAD_INPUT saying what a name may hold. */
export function planName(raw: unknown): string {
  const r = nameSchema.safeParse(raw);
  if (!r.success) throw badInput(`plan name '${String(raw).slice(0, 80)}': ${r.error.issues[0].message}`);
  return r.data;
}
/** The default guardrail band (percent), as Meridian's optimizer: see `band` below. */
export const DEFAULT_BAND_PCT = 30;
const constraintsSchema = z.record(z.string(), z.object({ min: bound.optional(), max: bound.optional(), locked: bound.optional(), minPct: bound.optional(), maxPct: bound.optional() }).strict());
/** A flight: a date range of the plan with, optionally, its own budget and bounds (src/planning/flights.ts). */
const flightSchema = z.object({
  name: nameSchema.optional(),
  /** First period of the flight, on the data's calendar after its last period. */
  start: isoDate,
  periods: z.number().int().positive(),
  budget: bound.optional(),
  /** The flight's bounds, in place of the plan's `constraints` for this flight. */
  constraints: constraintsSchema.optional(),
}).strict();
export const planSchema = z.object({
  name: nameSchema.optional(),
  model: z.string().min(1).optional(),
  models: z.array(z.object({ model: z.string().min(1), weight: z.number().finite().positive().default(1) }).strict()).min(1).optional(),
  budget: bound.optional(),
  /** 13 when not given (set in parsePlan: with flights the flights set it, so the schema has no default). */
  periods: z.number().int().positive().optional(),
  objective: z.enum(['outcome', 'revenue', 'conversions', 'profit']).default('outcome'),
  margin: z.number().finite().positive().optional(),
  target: z.object({ outcome: z.number().finite().positive().optional(), roi: z.number().finite().positive().optional(), cpa: z.number().finite().positive().optional() }).strict().optional(),
  constraints: constraintsSchema.optional(),
  /**
   * Flights: date ranges, each with an optional budget and bounds of its own, in place of `start` and
   * `periods`. With a budget on every flight, each is optimized for its own; with none, the plan's
   * `budget` is split across flights and channels together.
   */
  flights: z.array(flightSchema).min(1).max(12).optional(),
  /**
   * Guardrail, in percent: each channel (each channel × geo in a geo plan) the plan's own `constraints`
   * leave free stays within ± this of its reference-mix spend. 30 by default, as Meridian's optimizer
   * (±30% of historical spend unless told otherwise): a response curve is known near the spend the data
   * saw, and a plan that moves every channel at once far from it rests on the curves' extrapolation.
   * Widen it (e.g. 100: 0 to 2×) or turn it off with "none".
   */
  band: z.union([z.number().finite().min(0).max(10_000), z.literal('none')]).default(DEFAULT_BAND_PCT),
  geos: z.boolean().default(false),
  /** First date of the plan period: a later period on the data's calendar (default: the next one). */
  start: isoDate.optional(),
  /** The reference spend pattern: the last `periods` periods (default) or `periods` periods from `start`. */
  reference: z.object({ start: isoDate }).strict().optional(),
  forecast: z.enum(['period', 'month', 'none']).default('period'),
  intervalMass: z.number().gt(0).lt(1).default(0.9),
  /** Posterior draws used for intervals (fewer is faster). */
  draws: z.number().int().min(10).max(4000).default(100),
  /**
   * Organic channels' volume in the plan period as a multiple of their last year's (by channel; default
   * 1, held as it was): a scenario, not a decision — e.g. { "newsletter": 1.2 } for 20% more sends.
   * Organic volume is in the forecast's base, never in the budget.
   */
  organic: z.record(z.string(), z.number().finite().min(0).max(100)).optional(),
  /**
   * Reach & frequency channels held at an average frequency (exposures per person reached per period)
   * in the plan period, by channel — e.g. their optimal frequency from the model's insights: each
   * channel's spend then buys the same impressions spread over reach at that frequency.
   */
  frequency: z.record(z.string(), z.number().finite().min(1).max(1000)).optional(),
}).strict();

export type PlanSpec = Omit<z.infer<typeof planSchema>, 'periods'> & { periods: number };
/** The plan period's length when neither `periods` nor flights say. */
export const DEFAULT_PERIODS = 13;

/** Parses a plan; BAD_INPUT naming the field. `source` names the file in messages. */
export function parsePlan(raw: unknown, source = 'plan'): PlanSpec {
  const r = planSchema.safeParse(raw, { reportInput: true });
  if (!r.success) {
    throw badInput(`${source}: ${describeIssue(r.error.issues[0])}`);
  }
  const p: PlanSpec = { ...r.data, periods: r.data.periods ?? DEFAULT_PERIODS };
  if (!!p.model === !!p.models) throw badInput(`${source}: give exactly one of \`model\` (an id) or \`models\` ([{ model, weight }]); got ${p.model ? 'both' : 'neither'}`);
  const targets = Object.keys(p.target ?? {});
  if (targets.length > 1) throw badInput(`${source}: \`target\` takes one of outcome, roi, cpa; got ${targets.join(', ')}`);
  if (p.flights) checkFlights(p, raw as Record<string, unknown>, source);
  const flightBudgets = !!p.flights && p.flights.every((f) => f.budget !== undefined);
  if (p.budget === undefined && !flightBudgets && !p.target?.outcome && !p.target?.roi && !p.target?.cpa) throw badInput(`${source}: \`budget\` is required (or a \`target\`)`);
  if (p.target && p.objective === 'profit') throw badInput(`${source}: a \`target\` cannot be combined with objective 'profit'`);
  checkConstraintsAlone(p, source);
  return p;
}

/** Flights in order, named once, with budgets on all or none, and no `start`, `periods` or `target` beside them. */
function checkFlights(p: PlanSpec, raw: Record<string, unknown>, source: string): void {
  const flights = p.flights!;
  // `start` and `periods` follow from the flights (a parsed plan carries them, so they may be given when they agree).
  const periods = flights.reduce((t, f) => t + f.periods, 0);
  if (raw.target !== undefined) throw badInput(`${source}: \`target\` cannot be given with \`flights\`: a flighted plan spends a budget`);
  if (raw.periods !== undefined && raw.periods !== periods) throw badInput(`${source}: \`periods\` cannot be given with \`flights\` (they cover ${periods} periods): each flight has its own start and periods`);
  if (raw.start !== undefined && raw.start !== flights[0].start) throw badInput(`${source}: \`start\` cannot be given with \`flights\`: each flight has its own start and periods`);
  p.periods = periods;
  p.start = flights[0].start;
  const names = flights.map((f, i) => f.name ?? `flight${i + 1}`);
  const dup = names.find((n, i) => names.indexOf(n) !== i);
  if (dup) throw badInput(`${source}: two flights are named '${dup}'`);
  for (let i = 1; i < flights.length; i++) {
    if (flights[i].start <= flights[i - 1].start) throw badInput(`${source}: \`flights\` must be in date order: '${names[i]}' starts ${flights[i].start}, not after '${names[i - 1]}' (${flights[i - 1].start})`);
  }
  const withBudget = flights.filter((f) => f.budget !== undefined).length;
  if (withBudget && withBudget < flights.length) throw badInput(`${source}: give every flight a \`budget\`, or none (then the plan's \`budget\` is split across flights); ${withBudget} of ${flights.length} have one`);
  if (withBudget && p.budget !== undefined) {
    const sum = flights.reduce((t, f) => t + f.budget!, 0);
    if (Math.abs(sum - p.budget) > 1e-9 * Math.max(1, p.budget)) throw badInput(`${source}: the flights' budgets add up to ${formatAmount(sum)}, not the plan's \`budget\` ${formatAmount(p.budget)}; leave \`budget\` out or make them agree`);
  }
  for (const [i, f] of flights.entries()) checkConstraintsAlone({ ...p, budget: f.budget ?? p.budget, target: undefined, constraints: f.constraints ?? p.constraints }, `${source}: flight '${names[i]}'`, f.constraints ? `flights[${i}].` : '');
}

/**
 * What can be refused from the plan file alone, before any model is loaded or job queued: a channel's
 * minimum above its maximum, a lock beside other bounds, locked spends above the budget.
 */
function checkConstraintsAlone(p: PlanSpec, source: string, fieldPrefix = ''): void {
  let locked = 0;
  for (const [name, c] of Object.entries(p.constraints ?? {})) {
    // The field, for a form to show the message beside that channel's bounds.
    const field = `${fieldPrefix}constraints.${name}`;
    if (c.min !== undefined && c.max !== undefined && c.min > c.max) {
      const words = `the minimum spend ${formatAmount(c.min)} is more than the maximum ${formatAmount(c.max)}`;
      throw badInput(`${source}: \`constraints.${name}\`: ${words}`, [{ field, message: `${words}: lower the minimum or raise the maximum` }]);
    }
    if (c.minPct !== undefined && c.minPct > 100) throw badInput(`${source}: \`constraints.${name}.minPct\` is ${c.minPct}; it is a percentage below the reference-mix spend, from 0 to 100`);
    if (c.locked !== undefined && (c.min !== undefined || c.max !== undefined || c.minPct !== undefined || c.maxPct !== undefined)) throw badInput(`${source}: \`constraints.${name}\`: a locked spend cannot have a minimum or maximum as well`);
    locked += c.locked ?? 0;
  }
  if (p.budget !== undefined && !p.target && locked > p.budget) throw badInput(`${source}: the locked spends add up to ${formatAmount(locked)}, more than the budget ${formatAmount(p.budget)}`);
}

/** A model in a plan; `cache` (optional) holds its response-curve nodes across plans (see ModelCurveOptions.cache). */
export interface PlanModel {
  id: string; fitted: FittedModel; weight: number; cache?: Map<string, Float64Array>;
  /** The model's currency (its stored units'), so the plan's amounts carry it; null or absent: unknown. */
  currency?: string | null;
}

export interface PlanAllocation extends Allocation {
  /** The most spent on this curve in any window of the plan's length in the data (null: unknown). */
  observedMax: number | null;
  /** Whether the plan spends past EXTRAPOLATION_RATIO × observedMax: the curve there is extrapolated. */
  extrapolated: boolean;
  /** The flight of the row, in a plan with flights (src/planning/flights.ts). */
  flight?: string;
}

/** One flight of a flighted plan: its dates, budget and what it is expected to return. */
export interface PlanFlight { name: string; start: string; end: string; periods: number; budget: number; spend: number; expected: number; expectedInterval?: [number, number]; equalMroi: number | null }

export interface PlanResult extends Omit<OptimizeResult, 'baseline' | 'objective' | 'allocation' | 'band'> {
  allocation: PlanAllocation[];
  /** The guardrail applied (null: `band: "none"`). */
  band: AppliedBand | null;
  /** The optimizer's objective value for the plan and the baseline, and the plan file's objective name. */
  objective: OptimizeResult['objective'] & { name: PlanSpec['objective'] };
  /** The reference allocation's totals (contract summary) and its rows. */
  baseline: PlanTotal & { allocation: Allocation[] };
  name: string | null;
  model: string;
  models: { model: string; weight: number }[];
  budget: number;
  periods: number;
  goal: 'maximize' | 'target-outcome' | 'target-roi' | 'target-cpa';
  target: PlanSpec['target'] | null;
  constraints: PlanSpec['constraints'] | null;
  start: string;
  end: string;
  /** The reference periods whose spend pattern the plan scales. */
  reference: { start: string; end: string };
  /** Per curve: reference spend over the window and the captured carry-over fraction. */
  curves: { key: string; channel: string; geo?: string; reference: number; captured: number }[];
  forecast: (Forecast & { model: string })[];
  /** With a per-period forecast: the same by calendar month. */
  forecastMonthly?: (Forecast & { model: string })[];
  /** A plan with flights: each flight's dates, budget and expected outcome. */
  flights?: PlanFlight[];
  notes: string[];
  warnings: string[];
  /**
   * Units of the plan's figures: `expected` in the model's outcome (money or conversions), `roi` as
   * expected ÷ spend in that unit; conversions models with a revenue per conversion add
   * `total.revenueRoi` (revenue per spend, the unit of their ROI in insights) at `revenuePerConversion`.
   */
  units: { expected: 'currency' | 'conversions'; roi: 'revenue-per-spend' | 'conversions-per-spend'; revenuePerConversion: number | null; currency?: string | null };
}

/** Mean of a [g·T + t] series over the periods [t0, t1) of every geo. */
function meanOver(x: Float64Array, T: number, [t0, t1]: readonly [number, number]): number {
  let s = 0, n = 0;
  for (let g = 0; g < x.length / T; g++) for (let t = t0; t < t1; t++) { s += x[g * T + t]; n++; }
  return n ? s / n : NaN;
}

/** How far past the data's own spend a plan may ask: beyond this the response curves say nothing. */
export const OFF_SCALE = 100;

/** Refuses a budget or a constraint more than OFF_SCALE× the spend of the last `periods` periods, naming the field. */
function refuseOffScale(spec: PlanSpec, reference: number, periods: number): void {
  const cap = OFF_SCALE * reference;
  const say = (field: string, v: number) => badInput(`\`${field}\` is ${plainNumber(v)}, more than ${OFF_SCALE}× the ${plainNumber(reference)} spent over the last ${periods} periods of the data; the model knows nothing that far out`);
  if (spec.budget !== undefined && spec.budget > cap) throw say('budget', spec.budget);
  for (const [name, c] of Object.entries(spec.constraints ?? {})) {
    for (const key of ['min', 'max', 'locked'] as const) {
      const v = c[key];
      if (v !== undefined && v > cap) throw say(`constraints.${name}.${key}`, v);
    }
  }
}

/** Spend past this multiple of the most spent in any observed window is extrapolation (marked on the row, warned). */
export const EXTRAPOLATION_RATIO = 1.5;

export function runPlan(spec: PlanSpec, models: PlanModel[]): PlanResult {
  const first = models[0].fitted;
  for (const name of Object.keys(spec.frequency ?? {})) {
    const without = models.find((m) => !(m.fitted.rf ?? []).includes(name));
    if (without) {
      const has = without.fitted.rf ?? [];
      throw onField(`frequency.${name}`, badInput(`a frequency is held for '${name}', which is not a reach and frequency channel of model ${without.id}: ${has.length ? `its reach and frequency channels are ${has.join(', ')}` : 'it has none'}`));
    }
  }
  const noFuture = spec.organic ? models.find((m) => !m.fitted.futureDraws) : undefined;
  if (noFuture) throw onField('organic', badInput(`a volume scenario for organic channels needs a model that draws its own future (the Bayesian family); model ${noFuture.id} is ${noFuture.fitted.family}, whose forecast holds organic media as they were`));
  for (const name of Object.keys(spec.organic ?? {})) {
    const without = models.find((m) => !(m.fitted.organic ?? []).includes(name));
    if (without) {
      const has = without.fitted.organic ?? [];
      throw onField(`organic.${name}`, badInput(`a volume scenario names '${name}', which is not an organic channel of model ${without.id}: ${has.length ? `its organic channels are ${has.join(', ')}` : 'it has none'}`));
    }
  }
  const kind = first.target.kind;
  const P = spec.periods;
  const reach = (ms: ModelCurve[]) => ms.reduce((t, c) => t + c.reference, 0);
  // Grids must cover the budget; target searches may go to 16× the reference spend.
  const window = first.dates.length - P;
  let refRaw = 0;
  for (let i = 0; i < first.spend.length; i++) if (Math.floor(i / first.channels.length) % first.dates.length >= window) refRaw += first.spend[i];
  refuseOffScale(spec, refRaw, P);
  const hint = spec.budget ?? (spec.target ? 16 * refRaw : 0);
  const sets = models.map((m) => ({ label: m.id, weight: m.weight, ...modelCurves(m.fitted, { periods: P, start: spec.reference?.start, byGeo: spec.geos, maxSpend: hint, cache: m.cache, ...(spec.frequency ? { frequency: spec.frequency } : {}) }) }));
  const warnings: string[] = [];
  for (const s of sets) if (s.skipped.length) warnings.push(`model ${s.label}: no spend in the last ${P} periods for ${s.skipped.join(', ')}: not planned (no reference pattern to scale)`);
  const refTotal = reach(sets[0].curves);
  const curves: ResponseCurve[] = sets.length === 1 && sets[0].weight === 1 ? sets[0].curves
    : jointCurves(sets.map((s) => ({ curves: s.curves, weight: s.weight, label: s.label })));
  if (!curves.length) throw badInput(`no channel has spend in the last ${P} periods: nothing to plan`);
  const constraints = spec.constraints;
  const mass = spec.intervalMass;
  const band = spec.band === 'none' ? undefined : spec.band;
  let margin = spec.margin ?? 1;
  if (spec.objective === 'profit' && spec.margin === undefined && kind === 'conversions') {
    const rpu = first.revenuePerUnit;
    if (rpu.every((v) => v === 1)) throw badInput('objective profit on a conversions model needs `margin` (the value of one conversion)');
    margin = rpu.reduce((a, b) => a + b, 0) / rpu.length;
  }
  let result: OptimizeResult & { budget?: number };
  let goal: PlanResult['goal'] = 'maximize';
  if (spec.target?.outcome !== undefined) {
    goal = 'target-outcome';
    result = minimizeCostForTarget({ curves, target: spec.target.outcome, constraints, intervalMass: mass, band });
  } else if (spec.target?.roi !== undefined || spec.target?.cpa !== undefined) {
    goal = spec.target.roi !== undefined ? 'target-roi' : 'target-cpa';
    const ok = (r: OptimizeResult) => (spec.target!.roi !== undefined ? r.total.roi >= spec.target!.roi : r.total.spend / r.total.expected <= spec.target!.cpa!);
    const solve = (b: number) => optimizeBudget({ curves, budget: b, constraints, intervalMass: mass, band });
    let hi = spec.budget ?? 16 * Math.max(refTotal, 1);
    let lo = 1e-6 * hi;
    const atLo = solve(lo);
    if (!ok(atLo)) throw badInput(`target ${goal === 'target-roi' ? `ROI ${spec.target.roi}` : `CPA ${spec.target.cpa}`} is out of reach: even the first unit of spend returns ${goal === 'target-roi' ? `ROI ${atLo.total.roi.toFixed(3)}` : `CPA ${(atLo.total.spend / atLo.total.expected).toFixed(3)}`}`);
    let best = atLo;
    const atHi = solve(hi);
    if (ok(atHi)) best = atHi;
    else {
      for (let k = 0; k < 40 && hi - lo > 1e-6 * hi; k++) {
        const mid = 0.5 * (lo + hi), r = solve(mid);
        if (ok(r)) { lo = mid; best = r; } else hi = mid;
      }
    }
    result = { ...best, budget: best.total.spend };
  } else {
    result = optimizeBudget({ curves, budget: spec.budget!, constraints, objective: spec.objective === 'profit' ? 'profit' : 'outcome', margin, intervalMass: mass, band });
  }
  const budget = result.budget ?? spec.budget!;
  // Response curves are estimated from observed spend: far beyond it they are extrapolation.
  const observed = new Map(sets[0].curves.map((c) => [c.key.toLowerCase(), c.observedMax]));
  const ratioOf = (a: Allocation) => a.spend / (observed.get(a.key.toLowerCase()) ?? Infinity);
  const far = result.allocation.filter((a) => ratioOf(a) > EXTRAPOLATION_RATIO);
  if (result.band && result.band.applied > result.band.requested) warnings.push(`GUARDRAIL WIDENED: the constraints given leave the budget no way to be spent with every other channel within ±${result.band.requested}% of its reference-mix spend, so the band was widened to ±${result.band.applied}%`);
  if (far.length) warnings.push(`EXTRAPOLATION: the plan spends more on ${far.map((a) => `${a.key} (${(a.spend / observed.get(a.key.toLowerCase())!).toFixed(1)}×)`).join(', ')} than in any ${P} observed periods; the model has not seen spend at that level, so its response there is an extrapolation. Cap it with a \`max\` constraint to stay near observed spend.`);
  const dates = futureDates(first.dates, P, spec.start ? periodsAhead(first.dates, spec.start) : 1);
  const refWindow = referenceWindow(first, P, spec.reference?.start);
  const refStart = first.dates[refWindow[0]], refEnd = first.dates[refWindow[1] - 1];

  const forecast: PlanResult['forecast'] = [];
  const forecastMonthly: PlanResult['forecast'] = [];
  if (spec.forecast !== 'none') {
    sets.forEach((s, i) => {
      const spend = s.curves.map((c) => result.allocation.find((a) => a.key.toLowerCase() === c.key.toLowerCase())!.spend);
      const at = (grain: 'period' | 'month') => ({ model: models[i].id, ...forecastPlan({ fitted: models[i].fitted, curves: s.curves, spend, periods: P, grain, intervalMass: mass, weight: models[i].weight, start: spec.start, organic: spec.organic }) });
      forecast.push(at(spec.forecast === 'month' ? 'month' : 'period'));
      // The same draws by calendar month (intervals of monthly sums, not sums of weekly intervals), for budget meetings.
      if (spec.forecast === 'period') forecastMonthly.push(at('month'));
    });
  }
  const captured = new Map(sets[0].curves.map((c) => [c.key, c.captured]));
  const unit = kind === 'revenue' ? 'revenue' : 'conversions';
  // A conversions model with a revenue per conversion: its ROI in insights is revenue per spend, so the
  // plan gives that too (at the reference periods' revenue per conversion) beside conversions per spend.
  const rpu = first.revenuePerUnit;
  const perConversion = kind === 'conversions' && !rpu.every((v) => v === 1) ? meanOver(rpu, first.dates.length, refWindow) : null;
  const withRevenueRoi = <T extends PlanTotal>(t: T): T => (perConversion !== null && Number.isFinite(t.roi) ? { ...t, revenueRoi: t.roi * perConversion } : t);
  // ROI is undefined at zero spend: leave it out rather than print null where the contract wants a number.
  const finiteRoi = <T extends PlanTotal>(t: T): T => (Number.isFinite(t.roi) ? t : (({ roi: _roi, ...rest }) => rest as T)(t));
  return {
    ...result,
    // Per row: the most the data spent on it in any P periods, and whether the plan goes past it.
    allocation: result.allocation.map((a) => ({ ...a, observedMax: observed.get(a.key.toLowerCase()) ?? null, extrapolated: ratioOf(a) > EXTRAPOLATION_RATIO })),
    band: result.band ?? null,
    total: withRevenueRoi(finiteRoi(result.total)),
    baseline: { ...withRevenueRoi(finiteRoi(result.baseline.total)), allocation: result.baseline.allocation },
    // The currency of spend (and revenue): the models', when they agree; null (no symbol) when unknown or they differ.
    units: { expected: kind === 'revenue' ? 'currency' : 'conversions', roi: kind === 'revenue' ? 'revenue-per-spend' : 'conversions-per-spend', revenuePerConversion: perConversion, currency: commonCurrency(models.map((m) => m.currency)) },
    name: spec.name ?? null,
    model: models.map((m) => m.id).join('+'),
    models: models.map((m) => ({ model: m.id, weight: m.weight })),
    objective: { ...result.objective, name: spec.objective },
    budget, periods: P, goal, target: spec.target ?? null, constraints: constraints ?? null,
    start: dates[0], end: dates[dates.length - 1], reference: { start: refStart, end: refEnd },
    curves: curves.map((c) => ({ key: c.key, channel: c.channel, ...(c.geo !== undefined ? { geo: c.geo } : {}), reference: c.reference, captured: captured.get(c.key) ?? 1 })),
    forecast,
    ...(forecastMonthly.length ? { forecastMonthly } : {}),
    notes: [
      `Spend and expected ${unit} are totals over the ${P} periods from ${dates[0]} to ${dates[dates.length - 1]}; each channel keeps the time pattern of its spend in the reference periods (${refStart} to ${refEnd}), scaled.`,
      `Expected ${unit} is incremental (media only) and includes the carry-over of the plan's spend after the plan period; the forecast is the total ${unit} per period (base + media) with its media part beside it.`,
      'The baseline is the spend mix of the last periods scaled to the budget; marginal ROI is equal across channels not at a bound (equalMroi).',
    ],
    warnings,
  };
}
