/**
 * Plans with flights: several date ranges, each with its own budget and bounds, or one budget split
 * across flights and channels together. Each flight is a plan of its own periods (`runPlan`, the
 * flight's reference pattern and carry-over); flights are taken as adding up, which leaves out the
 * carry-over of one flight's spend into the next flight's periods (said in the plan's notes).
 *
 * The joint split: from each flight's reference share of the budget, money moves between flights while
 * that raises the total, in steps halving down to a 2,048th of the budget. Each flight's budget keeps to
 * the same guardrail as channels do (± `band` around its reference share).
 */
import { badInput } from '../errors.ts';
import { futureDates, periodsAhead, type Forecast, type ForecastPeriod } from './forecast.ts';
import { interval } from './report.ts';
import { runPlan, type PlanModel, type PlanResult, type PlanSpec } from './plan.ts';
import type { PlanTotal } from './types.ts';

/** A plan with or without flights: the entry point the use cases call. */
export function planBudget(spec: PlanSpec, models: PlanModel[]): PlanResult {
  return spec.flights ? runFlights(spec, models) : runPlan(spec, models);
}

/** Flights on the data's calendar (`dates`: the model's periods), each ending before the next starts. */
export function checkFlightDates(spec: PlanSpec, dates: readonly string[]): void {
  const flights = spec.flights ?? [];
  const names = flights.map((f, i) => f.name ?? `flight${i + 1}`);
  flights.forEach((f, i) => {
    const days = futureDates([...dates], f.periods, periodsAhead([...dates], f.start));
    const next = flights[i + 1];
    if (next && days[days.length - 1] >= next.start) throw badInput(`flight '${names[i]}' runs to ${days[days.length - 1]}, past the start of '${names[i + 1]}' (${next.start}): flights may not overlap`);
  });
}

function runFlights(spec: PlanSpec, models: PlanModel[]): PlanResult {
  const flights = spec.flights!;
  const names = flights.map((f, i) => f.name ?? `flight${i + 1}`);
  checkFlightDates(spec, models[0].fitted.dates);
  const sub = (i: number, budget: number, forecast: PlanSpec['forecast']): PlanSpec => ({
    ...spec, flights: undefined, start: flights[i].start, periods: flights[i].periods, budget, target: undefined,
    constraints: flights[i].constraints ?? spec.constraints, forecast,
  });
  const budgets = flights.every((f) => f.budget !== undefined) ? flights.map((f) => f.budget!) : splitBudget(spec, models, sub);
  const parts = flights.map((_, i) => runPlan(sub(i, budgets[i], spec.forecast), models));
  return combine(spec, parts, names, budgets);
}

/** The plan's budget split across flights, step by step, each step to the flight it raises most. */
function splitBudget(spec: PlanSpec, models: PlanModel[], sub: (i: number, budget: number, forecast: PlanSpec['forecast']) => PlanSpec): number[] {
  const total = spec.budget!;
  const F = spec.flights!.length;
  const value = (i: number, b: number) => {
    const r = runPlan(sub(i, b, 'none'), models);
    return r.objective.value;
  };
  // Each flight's reference share: the spend its reference window saw (what the guardrail is around).
  const refs = spec.flights!.map((_, i) => runPlan(sub(i, total / F, 'none'), models).curves.reduce((t, c) => t + c.reference, 0));
  const refSum = refs.reduce((a, b) => a + b, 0);
  const share = refs.map((r) => (refSum > 0 ? r / refSum : 1 / F));
  const band = spec.band === 'none' ? Infinity : spec.band / 100;
  const lo = share.map((s) => Math.max(0, s * total * (1 - band)));
  const hi = share.map((s) => (Number.isFinite(band) ? s * total * (1 + band) : total));
  // From the reference split, move money between flights while that raises the total, in steps that
  // halve down to a 2,048th of the budget (a local search; each flight's optimum is concave in its budget
  // where curves are, so it finds the best split to within the last step).
  const budgets = share.map((s, i) => Math.min(hi[i], Math.max(lo[i], s * total)));
  const current = budgets.map((b, i) => value(i, b));
  for (let d = total / 8; d >= total / 2048; d /= 2) {
    for (let moved = true, rounds = 0; moved && rounds < 64; rounds++) {
      moved = false;
      let best: [number, number, number, number] | null = null, gain = 1e-12 * Math.abs(current.reduce((a, b) => a + b, 0));
      for (let i = 0; i < F; i++) for (let j = 0; j < F; j++) {
        if (i === j || budgets[i] - d < lo[i] - 1e-9 * total || budgets[j] + d > hi[j] + 1e-9 * total) continue;
        const vi = value(i, budgets[i] - d), vj = value(j, budgets[j] + d);
        const g = vi + vj - current[i] - current[j];
        if (g > gain) { gain = g; best = [i, j, vi, vj]; }
      }
      if (best) {
        const [i, j, vi, vj] = best;
        budgets[i] -= d; budgets[j] += d; current[i] = vi; current[j] = vj; moved = true;
      }
    }
  }
  return budgets;
}

const names0 = (key: string, flight: string) => `${key}#${flight}`;

/** Sums per draw, and their interval (the draws are the same model's, in the same order, in every flight). */
function sumTotals(totals: PlanTotal[], mass: number): PlanTotal {
  const spend = totals.reduce((t, x) => t + x.spend, 0), expected = totals.reduce((t, x) => t + x.expected, 0);
  const draws = totals.every((x) => x.expectedDraws) ? totals[0].expectedDraws!.map((_, d) => totals.reduce((t, x) => t + x.expectedDraws![d], 0)) : undefined;
  return {
    spend, expected, roi: spend > 0 ? expected / spend : NaN,
    ...(draws ? { expectedInterval: interval(Float64Array.from(draws), mass), expectedDraws: draws } : {}),
  };
}

/** One model's forecast over every flight: the periods in order; the total's interval is the sum of the flights' (wider than the true one). */
function joinForecasts(list: (Forecast & { model: string })[]): Forecast & { model: string } {
  const periods: ForecastPeriod[] = [];
  for (const f of list) for (const p of f.periods) {
    const same = periods.find((q) => q.period === p.period);
    if (same) {
      same.expected += p.expected; same.base += p.base; same.media += p.media;
      same.expectedInterval = [same.expectedInterval[0] + p.expectedInterval[0], same.expectedInterval[1] + p.expectedInterval[1]];
    } else periods.push({ ...p, expectedInterval: [...p.expectedInterval] as [number, number] });
  }
  const sum = (k: 'expected' | 'media' | 'base') => list.reduce((t, f) => t + f.total[k], 0);
  return {
    ...list[0], periods,
    total: { expected: sum('expected'), media: sum('media'), base: sum('base'), expectedInterval: [list.reduce((t, f) => t + f.total.expectedInterval[0], 0), list.reduce((t, f) => t + f.total.expectedInterval[1], 0)] },
    carryOverAfter: list[list.length - 1].carryOverAfter,
  };
}

function combine(spec: PlanSpec, parts: PlanResult[], names: string[], budgets: number[]): PlanResult {
  const first = parts[0], last = parts[parts.length - 1];
  const mass = spec.intervalMass;
  const perModel = (pick: (r: PlanResult) => PlanResult['forecast'] | undefined) => {
    const lists = parts.map(pick);
    if (lists.some((l) => !l || !l.length)) return [];
    return lists[0]!.map((f, m) => joinForecasts(lists.map((l) => l![m])));
  };
  const total = sumTotals(parts.map((r) => r.total), mass);
  const baselineTotal = sumTotals(parts.map((r) => r.baseline), mass);
  const perConversion = first.units.revenuePerConversion;
  const withRevenueRoi = (t: PlanTotal) => (perConversion !== null && Number.isFinite(t.roi) ? { ...t, revenueRoi: t.roi * perConversion } : t);
  const mrois = parts.map((r) => r.equalMroi).filter((x): x is number => x !== null).sort((a, b) => a - b);
  const monthly = perModel((r) => r.forecastMonthly);
  return {
    ...first,
    allocation: parts.flatMap((r, i) => r.allocation.map((a) => ({ ...a, key: names0(a.key, names[i]), flight: names[i] }))),
    baseline: { ...withRevenueRoi(baselineTotal), allocation: parts.flatMap((r, i) => r.baseline.allocation.map((a) => ({ ...a, key: names0(a.key, names[i]) }))) },
    total: withRevenueRoi(total),
    iterations: parts.reduce((t, r) => t + r.iterations, 0),
    // Flights on budgets of their own each have their own marginal ROI (in `flights`); a shared budget
    // split where moving money no longer pays leaves them about equal, so their median stands for all.
    equalMroi: spec.flights!.every((f) => f.budget !== undefined) || !mrois.length ? null : mrois[Math.floor(mrois.length / 2)],
    objective: { ...first.objective, value: parts.reduce((t, r) => t + r.objective.value, 0), baseline: parts.reduce((t, r) => t + r.objective.baseline, 0) },
    band: first.band ? { requested: first.band.requested, applied: Math.max(...parts.map((r) => r.band?.applied ?? 0)), curves: parts.reduce((t, r) => t + (r.band?.curves ?? 0), 0) } : null,
    budget: budgets.reduce((a, b) => a + b, 0),
    periods: parts.reduce((t, r) => t + r.periods, 0),
    start: first.start, end: last.end,
    reference: { start: first.reference.start, end: last.reference.end },
    constraints: spec.constraints ?? null,
    curves: parts.flatMap((r, i) => r.curves.map((c) => ({ ...c, key: names0(c.key, names[i]) }))),
    forecast: perModel((r) => r.forecast),
    ...(monthly.length ? { forecastMonthly: monthly } : {}),
    flights: parts.map((r, i) => ({ name: names[i], start: r.start, end: r.end, periods: r.periods, budget: budgets[i], spend: r.total.spend, expected: r.total.expected, ...(r.total.expectedInterval ? { expectedInterval: r.total.expectedInterval } : {}), equalMroi: r.equalMroi })),
    notes: [
      `A plan of ${parts.length} flights (${parts.map((r, i) => `${names[i]}: ${r.start} to ${r.end}`).join('; ')}); each keeps its own reference pattern, and rows are keyed channel#flight.`,
      spec.flights!.every((f) => f.budget !== undefined)
        ? 'Each flight spends its own budget.'
        : `The budget was split across flights where moving money between them no longer raised the outcome${spec.band === 'none' ? '' : `, each flight within ±${spec.band}% of its reference share`}.`,
      'Flights are taken as adding up: the carry-over of one flight\'s spend into a later flight\'s periods is left out of that later flight, so the plan slightly understates what flights close together return. The forecast total\'s interval is the sum of the flights\' intervals, wider than the true one; the plan total\'s interval comes from the draws.',
      ...first.notes.slice(1),
    ],
    warnings: parts.flatMap((r, i) => r.warnings.map((w) => `flight ${names[i]}: ${w}`)),
  };
}
