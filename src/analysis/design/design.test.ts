/**
 * The design end to end on a fitted simulated geo model: a channel with no effect at all (spend that
 * never reaches the outcome) gets a dark test whose expected result contains zero, and running it in
 * the true process gives a measured lift whose interval contains zero too; the output follows the
 * design-output contract; the plan holds the treatment dark and the controls at business as usual.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { Ajv2020 } from 'ajv/dist/2020.js';
import { parseModelConfig } from '../../models/config.ts';
import { buildModelData, type WideTable } from '../../models/design.ts';
import { simulate } from '../../models/simulate/index.ts';
import { fitBayesian } from '../../models/bayesian/fit.ts';
import { bayesianFittedModel } from '../../models/bayesian/fitted.ts';
import { Rng } from '../../util/rng.ts';
import { designTests } from './design.ts';
import { testPlan } from './plan.ts';
import { geoLiftEstimate, RATIO_WEEKS } from './estimator.ts';
import { bauActivity } from '../../models/bayesian/changeTest.ts';

const validate = new Ajv2020({ strict: false }).compile(JSON.parse(readFileSync(new URL('../../../contracts/design-output.schema.json', import.meta.url), 'utf8')));
const T0 = 104, W = 8, T = T0 + W, G = 8;
const sim = simulate({ weeks: T, channels: 3, geos: G, seed: 6 });
// A fourth, always-on channel whose spend never reaches the outcome.
const rng = new Rng(9);
const ghost = sim.rows.map((_, i) => Math.round(4000 * sim.truth.geoShares[Math.floor(i / T)] * Math.exp(0.2 * rng.normal()) * 100) / 100);
const columns: Record<string, (string | number)[]> = Object.fromEntries(sim.columns.map((c, j) => [c, sim.rows.map((r) => r[j])]));
columns.ghost_spend = ghost;
const fitRows = sim.rows.map((_, i) => i).filter((i) => i % T < T0);
const table: WideTable = { source: 'sim.csv', rowCount: fitRows.length, columns: Object.fromEntries(Object.entries(columns).map(([k, v]) => [k, fitRows.map((i) => v[i])])) };
const config = parseModelConfig({
  data: { file: 'sim.csv', geo: 'geo', population: 'population' }, target: { column: 'revenue' },
  channels: [...sim.truth.channels.map((c) => ({ name: c.name, spend: `${c.name}_spend` })), { name: 'ghost', spend: 'ghost_spend' }],
  controls: [{ column: 'price', sign: 'negative' }],
});
const data = buildModelData(config, table);
const fit = await fitBayesian(config, data, { fast: true, chains: 1, draws: 600 });
const fitted = bayesianFittedModel(config, data, fit, 600);

test('a dark test on a channel with no effect: the expected result and the realized one both contain zero', () => {
  const design = designTests({ modelId: 'sim', fitted, flagged: new Map(), revenueFactor: () => 1 }, { channels: ['ghost'], weeks: W, spendChanges: [-1] });
  const valid = validate(design);
  assert.ok(valid, JSON.stringify(validate.errors));
  assert.ok(design.tests.length >= 1);
  const y = Float64Array.from(sim.rows, (r) => r[sim.columns.indexOf('revenue')] as number);
  for (const t of design.tests) {
    assert.equal(t.start, sim.rows[T0][0]);
    assert.ok(t.resultInterval[0] < 0 && t.resultInterval[1] > 0, `expected result ${t.resultInterval} contains 0`);
    // The test run in the true process: the ghost goes dark in the treatment geos, nothing changes.
    const treatment = t.treatment!.geos.map((g) => fitted.geos.indexOf(g)), control = t.control!.geos.map((g) => fitted.geos.indexOf(g));
    const measured = geoLiftEstimate(y, T, treatment, control, [T0 - RATIO_WEEKS, T0], [T0, T], -1);
    assert.ok(Math.abs(measured) < 1.96 * t.expectedLiftSe, `measured ${measured.toFixed(0)} ± ${t.expectedLiftSe.toFixed(0)} contains 0`);
    assert.ok(t.expectedRoiInterval[1] - t.expectedRoiInterval[0] <= 1.02 * (t.roiIntervalNow[1] - t.roiIntervalNow[0]), `expected ROI interval ${t.expectedRoiInterval} against ${t.roiIntervalNow} now, information ${t.information}`);
  }
});

test('tests for flagged channels: ranked, priced, with a plan the media team can run', () => {
  const design = designTests({ modelId: 'sim', fitted, flagged: new Map([['search', 'always on']]), revenueFactor: () => 1 }, { weeks: 4 });
  assert.ok(validate(design), JSON.stringify(validate.errors));
  assert.deepEqual(design.channels.map((c) => c.channel), ['search']);
  assert.deepEqual(design.tests.map((t) => t.rank), design.tests.map((_, i) => i + 1));
  const t = design.tests[0];
  assert.equal(t.kind, 'geo');
  assert.equal(t.treatment!.geos.length + t.control!.geos.length, G);
  assert.ok(t.expectedLift > 0 && t.expectedLiftSe > 0 && t.cost > 0);
  assert.ok(t.information > 0 && t.information < 1, `information ${t.information}`);
  // The experiment to enter carries what the design expected, so the refit can tell a surprise.
  const kept = (t.experiment as { design: { expectedLift: number; resultInterval: [number, number] } }).design;
  assert.equal(kept.expectedLift, t.expectedLift);
  assert.deepEqual(kept.resultInterval, t.resultInterval);
  const plan = testPlan(fitted, t);
  assert.equal(plan.length, G * 4);
  for (const r of plan) {
    assert.equal(r.channel, 'search');
    if (r.group === 'treatment') assert.ok(Math.abs(r.plannedSpend - (plan.find((q) => q.geo === r.geo && q.week === r.week)!.plannedSpend)) < 1e-9);
    else assert.ok(r.plannedSpend > 0);
  }
  // A cost cap leaves out what costs more.
  const capped = designTests({ modelId: 'sim', fitted, flagged: new Map([['search', 'always on']]), revenueFactor: () => 1 }, { weeks: 4, maxCost: t.cost / 2 });
  assert.ok(capped.tests.every((x) => x.cost <= t.cost / 2));
});

test('default geo lengths: 4 to 16 weeks on a long pre-period, none longer than half the ratio\'s pre-period on a short one', () => {
  const lengths = (d: ReturnType<typeof designTests>) => [...new Set(d.tests.map((t) => t.periods.length))].sort((a, b) => a - b);
  const long = designTests({ modelId: 'sim', fitted, flagged: new Map(), revenueFactor: () => 1 }, { channels: ['search'], spendChanges: [-1], perChannel: 100 });
  assert.deepEqual(lengths(long), [4, 8, 12, 16]);
  // Starting at week 20 leaves the ratio 20 weeks: 12 and 16 would be read mostly through ρ̂'s error.
  const short = designTests({ modelId: 'sim', fitted, flagged: new Map(), revenueFactor: () => 1 }, { channels: ['search'], spendChanges: [-1], perChannel: 100, start: sim.rows[20][0] as string });
  assert.deepEqual(lengths(short), [4, 8]);
  assert.ok(short.notes.some((n) => n.includes('12 periods are not proposed')), short.notes.join(' | '));
  // Each test's predicted range of ROI interval widths after it: ordered, positive, and no wider than
  // the interval now at its top (a test does not widen the ROI's interval for most results).
  for (const t of long.tests) {
    const [lo, hi] = t.expectedRoiWidthRange, mean = t.expectedRoiInterval[1] - t.expectedRoiInterval[0];
    assert.ok(lo > 0 && lo <= hi, `range ${t.expectedRoiWidthRange}`);
    assert.ok(lo <= mean * 1.001 && mean <= hi * 1.001 + 1e-12 || t.preposterior.method === 'gaussian', `mean width ${mean} inside ${t.expectedRoiWidthRange}`);
    assert.ok(hi <= 1.05 * (t.roiIntervalNow[1] - t.roiIntervalNow[0]), `range ${t.expectedRoiWidthRange} against now ${t.roiIntervalNow}`);
  }
  // The longest dark test leaves the least standard error per unit of expected lift.
  const rel = (w: number) => { const t = long.tests.find((x) => x.periods.length === w && x.treatment!.geos.length === long.tests[0].treatment!.geos.length)!; return t.expectedLiftSe / t.expectedLift; };
  assert.ok(rel(16) < rel(8), `se ÷ lift 16 weeks ${rel(16).toFixed(3)} against 8 weeks ${rel(8).toFixed(3)}`);
});

test('a national on/off test is priced by the outcome its change moves, not by the contrast its estimator reads', async () => {
  const nsim = simulate({ weeks: 130, channels: 3, seed: 4 });
  const ncols: Record<string, (string | number)[]> = Object.fromEntries(nsim.columns.map((c, j) => [c, nsim.rows.map((r) => r[j])]));
  const nconfig = parseModelConfig({ data: { file: 'n.csv' }, target: { column: 'revenue' }, channels: nsim.truth.channels.map((c) => ({ name: c.name, spend: `${c.name}_spend` })), controls: [{ column: 'price', sign: 'negative' }] });
  const ndata = buildModelData(nconfig, { source: 'n.csv', rowCount: nsim.rows.length, columns: ncols });
  const nfit = await fitBayesian(nconfig, ndata, { fast: true, chains: 1, draws: 300 });
  const nfitted = bayesianFittedModel(nconfig, ndata, nfit, 300);
  const design = designTests({ modelId: 'n', fitted: nfitted, flagged: new Map(), revenueFactor: () => 1 }, { channels: ['search'], weeks: 8, spendChanges: [0.5, -1] });
  const times = design.tests.filter((t) => t.kind === 'time');
  assert.ok(times.length >= 2, `${times.length} time tests`);
  const roi = nfit.channels.find((c) => c.name === 'search')!;
  for (const t of times) {
    // Raising spend adds outcome and cutting it loses some, at no more than the channel's ROI allows.
    assert.equal(Math.sign(t.outcomeChange), Math.sign(t.spendChange), `${t.spendChange}: outcome change ${t.outcomeChange}`);
    const perSpend = t.outcomeChange / t.spendMoved;
    assert.ok(perSpend > 0 && perSpend < 2 * roi.roiInterval![1], `outcome per unit of spend moved ${perSpend} (ROI interval ${roi.roiInterval})`);
    assert.ok(Math.abs(t.netCost! - (t.spendMoved - t.outcomeChange)) < 1e-6 * Math.abs(t.spendMoved));
    // The same quantity by another road: the model's forecast media over the window with the test's
    // spend path against business as usual (the carry-in is the same in both and cancels).
    const c = nfitted.channels.indexOf('search'), C = nfitted.channels.length, W = t.periods.length;
    const bau = bauActivity({ T: ndata.T, C, activity: ndata.activity }, c, 0, ndata.T, W);
    const path = (changed: (d: string) => boolean) => Float64Array.from({ length: W * C }, (_, i) => (i % C === c ? bau * (changed(t.periods[Math.floor(i / C)]) ? 1 + t.spendChange : 1) : 0));
    const media = (activity: Float64Array) => { const f = nfitted.futureDraws!({ dates: t.periods, activity }); return f.media.reduce((a, b) => a + b, 0) / f.nDraws; };
    const byForecast = media(path((d) => t.weeks!.includes(d))) - media(path(() => false));
    assert.ok(Math.abs(t.outcomeChange - byForecast) < 1e-9 * Math.abs(byForecast), `outcome change ${t.outcomeChange} against ${byForecast} by the forecast`);
  }
});
