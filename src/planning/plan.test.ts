import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { Ajv2020 } from 'ajv/dist/2020.js';
import { parseModelConfig } from '../models/config.ts';
import { buildModelData } from '../models/design.ts';
import { simulate } from '../models/simulate/index.ts';
import { fitBayesian } from '../models/bayesian/fit.ts';
import { bayesianFittedModel } from '../models/bayesian/fitted.ts';
import { MarginalError } from '../errors.ts';
import { capturedFraction, modelCurves } from './model.ts';
import { parsePlan, runPlan } from './plan.ts';
import { planBudget } from './flights.ts';
import { futureDates } from './forecast.ts';
import { forecastPlan } from './forecast.ts';

const schema = JSON.parse(readFileSync(new URL('../../contracts/optimize-output.schema.json', import.meta.url), 'utf8'));
const validate = new Ajv2020({ strict: false }).compile(schema);

const sim = simulate({ weeks: 80, channels: 3, seed: 4 });
const config = parseModelConfig({
  data: { file: 'x.csv' }, target: { column: 'revenue' },
  channels: sim.truth.channels.map((c) => ({ name: c.name, spend: `${c.name}_spend` })),
  controls: [{ column: 'price', sign: 'negative' }],
});
const data = buildModelData(config, { source: 'x.csv', rowCount: sim.rows.length, columns: Object.fromEntries(sim.columns.map((c, j) => [c, sim.rows.map((r) => r[j])])) });
const fit = await fitBayesian(config, data, { fast: true, chains: 1, draws: 100 });
const fitted = bayesianFittedModel(config, data, fit, 100);
const names = fitted.channels;
const C = names.length, T = fitted.dates.length;
let ref13 = 0;
for (let t = T - 13; t < T; t++) for (let c = 0; c < C; c++) ref13 += fitted.spend[t * C + c];
const model = [{ id: 'sim-1', fitted, weight: 1 }];
const mean = (x: Float64Array) => x.reduce((a, b) => a + b, 0) / x.length;
const rel = (a: number, b: number) => Math.abs(a - b) / Math.max(Math.abs(a), Math.abs(b), 1e-12);

test('captured fraction: closed form', () => {
  assert.equal(capturedFraction([1, 1], [0.5, 0.5]), 0.75);
  assert.equal(capturedFraction([1, 1], [0.5, 0.5], 3), 1);
  assert.equal(capturedFraction([2, 0], [0.25, 0.25, 0.5], 2), 0.5);
  assert.equal(capturedFraction([0, 2], [0.5, 0.5]), 0.5);
  assert.equal(capturedFraction([3, 1, 4], [1]), 1);
});

test('model curves: at the nodes the model\'s own response over the window (carry-over corrected); between nodes close to it', () => {
  const { curves } = modelCurves(fitted, { periods: 13, maxSpend: 2 * ref13 });
  assert.equal(curves.length, C);
  for (const c of curves) {
    assert.ok(c.captured > 0.5 && c.captured < 1, `${c.key}: captured ${c.captured}`);
    const truth = (m: number) => mean(fitted.response({ channel: c.channelIndex, multiplier: m, window: [T - 13, T] })) / c.captured;
    assert.ok(rel(c.expected(c.reference), truth(1)) < 1e-9, `${c.key} at the reference spend`);
    assert.ok(rel(mean(c.draws!(c.reference)), truth(1)) < 1e-9, `${c.key} draws at the reference spend`);
    for (const m of [0.37, 1.7]) assert.ok(rel(c.expected(m * c.reference), truth(m)) < 0.01, `${c.key} at ×${m}: ${c.expected(m * c.reference)} vs ${truth(m)}`);
    assert.equal(c.expected(0), 0);
  }
});

test('optimize: validates against the contract; sums to the budget; bounds; equal marginal ROI; never below the baseline', () => {
  const budget = 1.2 * ref13;
  // No guardrail band: this checks the optimizer's own optimum under an explicit cap.
  const spec = parsePlan({ model: 'sim-1', budget, periods: 13, objective: 'revenue', band: 'none', constraints: { [names[0].toUpperCase()]: { max: 0.3 * budget } } });
  const out = runPlan(spec, model);
  assert.ok(validate(out), JSON.stringify(validate.errors));
  const spent = out.allocation.reduce((s, a) => s + a.spend, 0);
  assert.ok(Math.abs(spent - budget) <= 1e-9 * budget, `spent ${spent} of ${budget}`);
  const capped = out.allocation.find((a) => a.channel === names[0])!;
  assert.ok(capped.spend <= 0.3 * budget * (1 + 1e-12));
  assert.ok(out.total.expected >= out.baseline.expected * (1 - 1e-12), 'not below the baseline');
  const inside = out.allocation.filter((a) => a.spend > 1e-6 * budget && !(a.channel === names[0] && Math.abs(a.spend - 0.3 * budget) < 1e-6 * budget));
  for (const a of inside) assert.ok(rel(a.mroi, out.equalMroi!) < 1e-3, `${a.key}: mROI ${a.mroi} vs ${out.equalMroi}`);
  assert.ok(out.total.expectedInterval![0] <= out.total.expected && out.total.expected <= out.total.expectedInterval![1]);
  assert.equal(out.forecast.length, 1);
  assert.equal(out.forecast[0].periods.length, 13);
});

test('optimize matches a dense grid search over the model\'s curves within 0.1%', () => {
  const budget = ref13;
  const out = runPlan(parsePlan({ model: 'sim-1', budget, periods: 13, forecast: 'none', band: 'none' }), model);
  const { curves } = modelCurves(fitted, { periods: 13, maxSpend: budget });
  let best = -Infinity;
  const n = 400;
  for (let i = 0; i <= n; i++) for (let j = 0; i + j <= n; j++) {
    const s = [i, j, n - i - j].map((k) => (k / n) * budget);
    best = Math.max(best, curves.reduce((t, c, q) => t + c.expected(s[q]), 0));
  }
  assert.ok(out.total.expected >= best * (1 - 1e-3), `optimizer ${out.total.expected} vs grid ${best}`);
});

test('guardrail by default: each channel within ±30% of its reference-mix spend, the best plan inside that band (grid search), never below the reference mix', () => {
  const budget = ref13;
  const out = runPlan(parsePlan({ model: 'sim-1', budget, periods: 13, forecast: 'none' }), model);
  assert.deepEqual(out.band, { requested: 30, applied: 30, curves: 3 });
  const base = new Map(out.baseline.allocation.map((a) => [a.key, a.spend]));
  for (const a of out.allocation) {
    const b = base.get(a.key)!;
    assert.ok(a.spend >= 0.7 * b * (1 - 1e-9) && a.spend <= 1.3 * b * (1 + 1e-9), `${a.key}: ${a.spend} outside ±30% of ${b}`);
  }
  assert.ok(out.total.expected >= out.baseline.expected * (1 - 1e-12), 'not below the reference mix');
  // Ground truth: the best split on a dense grid of the band (two free shares, the third takes the rest).
  const { curves } = modelCurves(fitted, { periods: 13, maxSpend: budget });
  const b = curves.map((c) => base.get(c.key)!);
  let best = -Infinity;
  const n = 300;
  for (let i = 0; i <= n; i++) for (let j = 0; j <= n; j++) {
    const s0 = b[0] * (0.7 + 0.6 * i / n), s1 = b[1] * (0.7 + 0.6 * j / n), s2 = budget - s0 - s1;
    if (s2 < 0.7 * b[2] || s2 > 1.3 * b[2]) continue;
    best = Math.max(best, curves[0].expected(s0) + curves[1].expected(s1) + curves[2].expected(s2));
  }
  assert.ok(out.total.expected >= best * (1 - 1e-4), `optimizer ${out.total.expected} vs grid ${best} inside the band`);
  const free = runPlan(parsePlan({ model: 'sim-1', budget, periods: 13, forecast: 'none', band: 'none' }), model);
  assert.equal(free.band, null);
  assert.ok(free.total.expected >= out.total.expected * (1 - 1e-9), 'no band can only do as well or better in the model');
});

test('guardrail: a channel the plan locks is not banded; the others widen just enough to spend the budget, and say so', () => {
  const budget = ref13;
  const base = runPlan(parsePlan({ model: 'sim-1', budget, periods: 13, forecast: 'none' }), model).baseline.allocation;
  // Lock the first channel at 5% of its reference-mix spend: the other two must take up the rest.
  const locked = 0.05 * base[0].spend;
  const out = runPlan(parsePlan({ model: 'sim-1', budget, periods: 13, forecast: 'none', constraints: { [base[0].key]: { locked } } }), model);
  assert.ok(Math.abs(out.allocation.find((a) => a.key === base[0].key)!.spend - locked) < 1e-6 * budget);
  assert.ok(Math.abs(out.total.spend - budget) <= 1e-6 * budget, `spent ${out.total.spend} of ${budget}`);
  assert.equal(out.band!.requested, 30);
  const rest = base[1].spend + base[2].spend;
  const needed = 100 * ((budget - locked) / rest - 1);
  assert.ok(out.band!.applied >= needed && out.band!.applied < needed + 0.2, `applied ±${out.band!.applied}%, needed ±${needed}%`);
  assert.ok(out.warnings.some((w) => w.startsWith('GUARDRAIL WIDENED') && w.includes(`±${out.band!.applied}%`)), out.warnings.join(' | '));
});

test('guardrail: a negative band or an unknown word is refused naming `band`', () => {
  assert.throws(() => parsePlan({ model: 'sim-1', budget: 1, band: -5 }), (e: unknown) => e instanceof MarginalError && /band/.test(e.message));
  assert.throws(() => parsePlan({ model: 'sim-1', budget: 1, band: 'off' }), (e: unknown) => e instanceof MarginalError && /band/.test(e.message));
});

test('targets: outcome at least cost; ROI floor at the largest budget; out of reach is BAD_INPUT', () => {
  const base = runPlan(parsePlan({ model: 'sim-1', budget: ref13, periods: 13, forecast: 'none' }), model);
  const goal = base.total.expected;
  const t = runPlan(parsePlan({ model: 'sim-1', periods: 13, target: { outcome: goal }, forecast: 'none' }), model);
  assert.ok(t.total.expected >= goal * (1 - 1e-9));
  assert.ok(rel(t.budget, ref13) < 1e-3, `least cost ${t.budget} vs ${ref13}`);
  const roi = base.total.roi;
  const r = runPlan(parsePlan({ model: 'sim-1', periods: 13, target: { roi }, forecast: 'none' }), model);
  assert.ok(r.total.roi >= roi * (1 - 1e-9) && rel(r.budget, ref13) < 1e-3, `ROI floor ${roi}: budget ${r.budget} vs ${ref13}`);
  // On a revenue model a CPA ceiling C is the ROI floor 1/C: the same plan.
  const cpa = runPlan(parsePlan({ model: 'sim-1', periods: 13, target: { cpa: 1 / roi }, forecast: 'none' }), model);
  assert.ok(rel(cpa.budget, r.budget) < 1e-6 && cpa.goal === 'target-cpa');
  assert.throws(() => runPlan(parsePlan({ model: 'sim-1', periods: 13, target: { roi: 1e6 }, forecast: 'none' }), model), (e: unknown) => e instanceof MarginalError && /out of reach/.test(e.message));
});

test('joint plan: two lines of business sharing the channels, weights 1 and 2 → 3× the outcome, the same allocation', () => {
  const one = runPlan(parsePlan({ model: 'sim-1', budget: ref13, periods: 13, forecast: 'none' }), model);
  const two = runPlan(parsePlan({ models: [{ model: 'a' }, { model: 'b', weight: 2 }], budget: ref13, periods: 13, forecast: 'none' }), [
    { id: 'a', fitted, weight: 1 }, { id: 'b', fitted, weight: 2 }]);
  assert.ok(rel(two.total.expected, 3 * one.total.expected) < 1e-6);
  two.allocation.forEach((a, i) => assert.ok(Math.abs(a.spend - one.allocation[i].spend) < 1e-3 * ref13, `${a.key}`));
});

test('forecast: zero media spend gives the base (plus carry-in) only; months group periods; intervals bracket', () => {
  const { curves } = modelCurves(fitted, { periods: 13 });
  const zero = forecastPlan({ fitted, curves, spend: curves.map(() => 0), periods: 13 });
  for (const p of zero.periods) { assert.equal(p.media, 0); assert.ok(p.expectedInterval[0] < p.expected && p.expected < p.expectedInterval[1]); }
  const full = forecastPlan({ fitted, curves, spend: curves.map((c) => c.reference), periods: 13, grain: 'month' });
  assert.ok(full.periods.length >= 3 && full.periods.length <= 4);
  assert.ok(rel(full.total.base, zero.total.base) < 1e-9);
  const mediaPlusAfter = full.total.media + full.carryOverAfter;
  assert.ok(rel(mediaPlusAfter, curves.reduce((s, c) => s + c.expected(c.reference), 0)) < 0.02, 'media in the periods + after the plan = the curves\' total');
});

test('a plan far beyond observed spend warns of extrapolation; one near it does not', () => {
  const near = runPlan(parsePlan({ model: 'sim-1', budget: ref13, periods: 13, forecast: 'none' }), model);
  assert.ok(!near.warnings.some((w) => w.startsWith('EXTRAPOLATION')), near.warnings.join('; '));
  const far = runPlan(parsePlan({ model: 'sim-1', budget: 10 * ref13, periods: 13, forecast: 'none' }), model);
  assert.ok(far.warnings.some((w) => w.startsWith('EXTRAPOLATION')));
});

test('reference window from a date: an earlier period\'s pattern; curve at its reference spend is the model\'s response there', () => {
  const start = fitted.dates[20];
  const out = runPlan(parsePlan({ model: 'sim-1', budget: ref13, periods: 13, reference: { start }, forecast: 'none' }), model);
  assert.deepEqual(out.reference, { start, end: fitted.dates[32] });
  const { curves } = modelCurves(fitted, { periods: 13, start });
  for (const c of curves) {
    let s = 0;
    for (let t = 20; t < 33; t++) s += fitted.spend[t * C + c.channelIndex];
    assert.ok(rel(c.reference, s) < 1e-12);
    assert.equal(c.captured, 1, 'an early window keeps its whole carry-over inside the data');
    assert.ok(rel(c.expected(c.reference), mean(fitted.response({ channel: c.channelIndex, multiplier: 1, window: [20, 33] }))) < 1e-9);
  }
  assert.throws(() => parsePlan({ model: 'x', budget: 1, reference: { start: '2024-13-99x' } }), /YYYY-MM-DD/);
  assert.throws(() => runPlan(parsePlan({ model: 'sim-1', budget: 1, periods: 13, reference: { start: fitted.dates[T - 5] } }), model), /past the data's end/);
});

test('a zero budget is a valid plan: nothing spent, nothing expected, no ROI, still the contract', () => {
  const out = runPlan(parsePlan({ model: 'sim-1', budget: 0, periods: 13, forecast: 'none' }), model);
  assert.ok(validate(out), JSON.stringify(validate.errors));
  assert.equal(out.total.spend, 0); assert.equal(out.total.expected, 0);
  assert.ok(!('roi' in out.total));
});

test('a plan period later in the future: dates from its start, less carry-in, a start off the calendar is BAD_INPUT', () => {
  const { curves } = modelCurves(fitted, { periods: 13 });
  const spend = curves.map((c) => c.reference);
  const next = forecastPlan({ fitted, curves, spend, periods: 13, seed: 3 });
  const last = fitted.dates[T - 1];
  const in10 = new Date(Date.parse(`${last}T00:00:00Z`) + 70 * 86_400_000).toISOString().slice(0, 10);
  const later = forecastPlan({ fitted, curves, spend, periods: 13, seed: 3, start: in10 });
  assert.equal(later.periods[0].period, in10);
  // Ten weeks on, the adstock of past spend (max lag 8) has died out: no carry-in left.
  assert.ok(next.carryIn > 0);
  assert.ok(Math.abs(later.carryIn) < 1e-9 * next.carryIn, `carry-in ten weeks on: ${later.carryIn}`); // 0 up to the adstock recursion's rounding
  const out = runPlan(parsePlan({ model: 'sim-1', budget: ref13, periods: 13, start: in10, forecast: 'none' }), model);
  assert.equal(out.start, in10);
  assert.throws(() => runPlan(parsePlan({ model: 'sim-1', budget: ref13, periods: 13, start: '2099-01-01' }), model), /same calendar/);
});

test('plan files: unknown keys, both model and models, and bad constraint names are BAD_INPUT naming the field', () => {
  // The wording of config errors: the field in backticks, then what is expected.
  assert.throws(() => parsePlan({ model: 'x', budget: 1, budjet: 2 }, 'plan.json'), /plan\.json: unknown key `budjet`$/);
  assert.throws(() => parsePlan({ model: 'x', budget: 'ten' }, 'plan.json'), /plan\.json: `budget` must be a number; got 'ten'$/);
  assert.throws(() => parsePlan({ model: 'x', budget: 1, periods: 0 }, 'plan.json'), /plan\.json: `periods` must be more than 0; got 0$/);
  assert.throws(() => parsePlan({ models: [], budget: 1 }, 'plan.json'), /plan\.json: `models` must list at least 1 item$/);
  assert.throws(() => parsePlan({ model: 'x', models: [{ model: 'y' }], budget: 1 }), /exactly one of/);
  assert.throws(() => parsePlan({ model: 'x' }), /budget/);
  assert.throws(() => runPlan(parsePlan({ model: 'x', budget: 100, periods: 13, constraints: { radio: { max: 1 } } }), model), (e: unknown) => e instanceof MarginalError && /radio/.test(e.message));
});

test('a budget or constraint orders of magnitude past the data\'s spend is refused naming the field', () => {
  assert.throws(() => runPlan(parsePlan({ model: 'sim-1', budget: 1e13, periods: 13 }), model), (e) => e instanceof MarginalError && e.code === 'BAD_INPUT' && /`budget` is 10,000,000,000,000, more than 100× the [\d,]+ spent over the last 13 periods/.test(e.message));
  // Past 10^15 the plan file itself is refused, before any model is read (the API answers 400 at once).
  assert.throws(() => parsePlan({ model: 'sim-1', budget: 1e308, periods: 13 }), (e) => e instanceof MarginalError && /budget/.test(e.message));
  assert.throws(() => runPlan(parsePlan({ model: 'sim-1', budget: ref13, periods: 13, constraints: { [names[0]]: { min: 1000 * ref13 } } }), model), /`constraints\..*\.min` is/);
  const near = runPlan(parsePlan({ model: 'sim-1', budget: 50 * ref13, periods: 13, forecast: 'none' }), model);
  assert.ok(Math.abs(near.total.spend - 50 * ref13) < 1e-6 * ref13, 'a large budget within the bound is still planned');
});

test('a conversions model with a revenue per conversion: the plan states its units and gives revenue ROI as insights do', async () => {
  const cconfig = parseModelConfig({ ...config, target: { column: 'revenue', kind: 'conversions', revenuePerConversion: 2.5 } });
  const cdata = buildModelData(cconfig, { source: 'x.csv', rowCount: sim.rows.length, columns: Object.fromEntries(sim.columns.map((c, j) => [c, sim.rows.map((r) => r[j])])) });
  const cfit = await fitBayesian(cconfig, cdata, { fast: true, chains: 1, draws: 100 });
  const cfitted = bayesianFittedModel(cconfig, cdata, cfit, 100);
  const out = runPlan(parsePlan({ model: 'c-1', budget: ref13, periods: 13, forecast: 'none' }), [{ id: 'c-1', fitted: cfitted, weight: 1 }]);
  assert.deepEqual(out.units, { expected: 'conversions', roi: 'conversions-per-spend', revenuePerConversion: 2.5, currency: null });
  assert.ok(Math.abs(out.total.revenueRoi! - 2.5 * out.total.roi) < 1e-12);
  assert.equal(runPlan(parsePlan({ model: 'sim-1', budget: ref13, periods: 13, forecast: 'none' }), model).total.revenueRoi, undefined, 'revenue models have one ROI');
});

test('a plan whose bounds contradict themselves is refused from the file alone, in words a marketer reads', () => {
  const refuse = (plan: object, pattern: RegExp) => assert.throws(() => parsePlan({ model: 'sim-1', budget: 1000, ...plan }, 'q1.json'), (e: unknown) => e instanceof MarginalError && pattern.test(e.message));
  refuse({ constraints: { tv: { min: 500, max: 300 } } }, /^q1\.json: `constraints\.tv`: the minimum spend 500 is more than the maximum 300$/);
  refuse({ constraints: { tv: { locked: 800 }, radio: { locked: 400 } } }, /the locked spends add up to 1,200, more than the budget 1,000/);
  refuse({ constraints: { tv: { locked: 100, max: 50 } } }, /a locked spend cannot have a minimum or maximum as well/);
  refuse({ constraints: { tv: { minPct: 150 } } }, /minPct` is 150; it is a percentage below the reference-mix spend, from 0 to 100/);
});

test('guardrail: a fractional band is reported as asked, not as widened by rounding', () => {
  const out = runPlan(parsePlan({ model: 'sim-1', budget: ref13, periods: 13, forecast: 'none', band: 10.3 }), model);
  assert.deepEqual(out.band, { requested: 10.3, applied: 10.3, curves: 3 });
  assert.ok(!out.warnings.some((w) => w.startsWith('GUARDRAIL WIDENED')), out.warnings.join(' | '));
});

test('flights: each with its own budget spends it over its own dates; rows are channel#flight; the forecast runs over both', () => {
  const ahead = futureDates(fitted.dates, 20);
  const spec = parsePlan({ model: 'sim-1', flights: [{ name: 'spring', start: ahead[0], periods: 6, budget: 0.5 * ref13 }, { name: 'autumn', start: ahead[10], periods: 8, budget: 0.7 * ref13 }] });
  const out = planBudget(spec, model);
  assert.deepEqual(out.flights!.map((f) => [f.name, f.start, f.periods, f.budget]), [['spring', ahead[0], 6, 0.5 * ref13], ['autumn', ahead[10], 8, 0.7 * ref13]]);
  for (const f of out.flights!) assert.ok(rel(f.spend, f.budget) < 1e-9, `${f.name} spends ${f.spend} of ${f.budget}`);
  assert.equal(out.allocation.length, 2 * C);
  assert.ok(out.allocation.every((a) => a.key === `${a.channel}#${a.flight}`));
  assert.ok(rel(out.total.spend, 1.2 * ref13) < 1e-9);
  assert.equal(out.forecast[0].periods.length, 14);
  assert.deepEqual(out.forecast[0].periods.map((p) => p.period), [...ahead.slice(0, 6), ...ahead.slice(10, 18)]);
  assert.ok(out.total.expectedInterval![0] <= out.total.expected && out.total.expected <= out.total.expectedInterval![1]);
});

test('flights without budgets share the plan budget: the split is within a step of the best split on a grid', () => {
  const ahead = futureDates(fitted.dates, 30);
  const flights = [{ name: 'a', start: ahead[0], periods: 4 }, { name: 'b', start: ahead[13], periods: 13 }];
  const budget = ref13 * 1.2;
  const out = planBudget(parsePlan({ model: 'sim-1', budget, flights, forecast: 'none', band: 'none' }), model);
  assert.ok(rel(out.total.spend, budget) < 1e-6, `spent ${out.total.spend} of ${budget}`);
  // Ground truth: every split of the budget in 2% steps, each flight optimized for its share.
  let best = -Infinity;
  for (let k = 0; k <= 50; k++) {
    const x = (k / 50) * budget;
    const v = [x, budget - x].reduce((t, b, i) => t + runPlan(parsePlan({ model: 'sim-1', budget: b, start: flights[i].start, periods: flights[i].periods, forecast: 'none', band: 'none' }), model).total.expected, 0);
    best = Math.max(best, v);
  }
  assert.ok(out.total.expected >= best * (1 - 2e-3), `flights ${out.total.expected} vs best split ${best}`);
  assert.ok(out.flights![1].budget > out.flights![0].budget, 'the 13-period flight gets more than the 4-period one');
});

test('flights are refused when they overlap, are out of order, mix budgets, or come with start or periods', () => {
  const ahead = futureDates(fitted.dates, 20);
  const refuse = (plan: object, pattern: RegExp) => assert.throws(() => planBudget(parsePlan({ model: 'sim-1', ...plan }, 'f.json'), model), (e: unknown) => e instanceof MarginalError && pattern.test(e.message), JSON.stringify(plan));
  refuse({ budget: 100, flights: [{ name: 'x', start: ahead[0], periods: 6 }, { name: 'y', start: ahead[3], periods: 4 }] }, /flight 'x' runs to .*past the start of 'y'.*may not overlap/);
  refuse({ budget: 100, flights: [{ start: ahead[5], periods: 2 }, { start: ahead[0], periods: 2 }] }, /must be in date order: 'flight2' starts/);
  refuse({ flights: [{ start: ahead[0], periods: 2, budget: 10 }, { start: ahead[5], periods: 2 }] }, /give every flight a `budget`, or none.*1 of 2 have one/);
  refuse({ budget: 100, periods: 13, flights: [{ start: ahead[0], periods: 2 }] }, /`periods` cannot be given with `flights` \(they cover 2 periods\)/);
  refuse({ budget: 100, flights: [{ start: ahead[0], periods: 2, budget: 60 }, { start: ahead[5], periods: 2, budget: 60 }] }, /the flights' budgets add up to 120, not the plan's `budget` 100/);
});
