/**
 * Unbalanced panels (design.ts): a geo's absent rows and empty outcome cells are unobserved, not zero
 * — for the scales, the likelihood, the centring of the intercept, the classic families and the
 * minimum-data check — and an empty media cell in a present row is refused unless the config says
 * it means zero.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { MarginalError } from '../errors.ts';
import { parseModelConfig, type ModelConfigInput } from './config.ts';
import { buildModelData, type WideTable } from './design.ts';
import { simulate, simulationTable, type Simulation } from './simulate/index.ts';
import { prepareMmm } from './bayesian/prepare.ts';
import { buildMmm } from './bayesian/model.ts';
import { fitClassic, requireBayesianMinPeriods } from './linear/families.ts';
import { Rng } from '../util/rng.ts';
import { fitBayesian } from './bayesian/fit.ts';
import { bayesianFittedModel } from './bayesian/fitted.ts';

const LATE = 10; // periods the late geo misses

function configFor(sim: Simulation, extra: Partial<ModelConfigInput> = {}) {
  return parseModelConfig({
    data: { file: 'sim.csv', geo: 'geo' },
    target: { column: 'revenue' },
    channels: sim.truth.channels.map((c) => ({ name: c.name, spend: `${c.name}_spend` })),
    controls: [{ column: 'price', sign: 'negative' }],
    holdout: { periods: 4 },
    ...extra,
  });
}

/** 3 geos × 40 weeks; geo G02's first LATE rows left out (it enters late). */
function lateTable(): { sim: Simulation; full: WideTable; late: WideTable } {
  const sim = simulate({ weeks: 40, channels: 2, geos: 3, seed: 7 });
  const full = simulationTable(sim);
  const geo = full.columns.geo, date = full.columns.date;
  const first = date[0] as string;
  const dates = [...new Set(date as string[])].sort();
  const keep = Array.from({ length: full.rowCount }, (_, i) => i).filter((i) => !(geo[i] === 'G02' && (date[i] as string) < dates[LATE]));
  assert.ok(first === dates[0]);
  return { sim, full, late: { source: 'sim.csv', rowCount: keep.length, columns: Object.fromEntries(Object.entries(full.columns).map(([k, v]) => [k, keep.map((i) => v[i])])) } };
}

function withCell(table: WideTable, column: string, row: number, value: string | number | null): WideTable {
  const values = [...table.columns[column]];
  values[row] = value;
  return { ...table, columns: { ...table.columns, [column]: values } };
}

function errorOf(f: () => unknown): MarginalError {
  try { f(); } catch (e) { assert.ok(e instanceof MarginalError, String(e)); return e; }
  assert.fail('expected an error');
}

test('a geo with missing rows fits: the old "every geo needs every date" refusal is gone; its absent periods are unobserved with zero media', () => {
  const { sim, late } = lateTable();
  const config = configFor(sim);
  const data = buildModelData(config, late);
  assert.equal(data.G, 3);
  assert.equal(data.T, 40);
  const g = data.geos.indexOf('G02'), T = data.T;
  for (let t = 0; t < T; t++) {
    const i = g * T + t, absent = t < LATE;
    assert.equal(data.present[i], absent ? 0 : 1);
    assert.equal(data.observed[i], absent ? 0 : 1);
    assert.equal(Number.isNaN(data.y[i]), absent, `y at ${t}`);
    for (let c = 0; c < data.C; c++) if (absent) assert.equal(data.spend[i * data.C + c], 0);
    assert.equal(data.revenuePerUnit[i], 1); // a revenue target's, absent rows too (prepare weighs them by 0)
  }
  // The other geos are complete.
  assert.equal(data.observed.reduce((a, b) => a + b, 0), 3 * T - LATE);
});

test('a missing row is not read as zero: the geo scale is the mean of its observed fit periods, and totals count observed cells', () => {
  const { sim, late } = lateTable();
  const config = configFor(sim);
  const data = buildModelData(config, late);
  const prep = prepareMmm(config, data);
  const T = data.T, tIn = T - 4;
  data.geos.forEach((_, g) => {
    let s = 0, n = 0;
    for (let t = 0; t < tIn; t++) if (data.observed[g * T + t]) { s += data.y[g * T + t]; n++; }
    assert.ok(Math.abs(prep.yScale[g] - s / n) < 1e-9 * prep.yScale[g], `geo ${g}: ${prep.yScale[g]} vs ${s / n}`);
  });
  // Were the 10 absent weeks read as 0, G02's scale would fall by a third (10 of 36 fit weeks).
  const g = data.geos.indexOf('G02');
  let zeroFilled = 0;
  for (let t = 0; t < tIn; t++) zeroFilled += data.observed[g * T + t] ? data.y[g * T + t] : 0;
  assert.ok(prep.yScale[g] > 1.3 * (zeroFilled / tIn));
  let total = 0;
  for (let i = 0; i < data.G * T; i++) if (data.observed[i]) total += data.y[i];
  assert.ok(Math.abs(prep.yTotal - total) < 1e-9 * total);
  assert.ok(Number.isFinite(prep.revenueTotal));
  // The geo adds nothing (outcome, revenue) in periods it was not in the panel.
  for (let t = 0; t < LATE; t++) { assert.equal(prep.outcomeWeight[g * T + t], 0); assert.equal(prep.revenueWeight[g * T + t], 0); }
});

test("a geo's absent rows are skipped in the likelihood, and its intercept is centred over its own observed periods", () => {
  const { sim, late } = lateTable();
  const config = configFor(sim);
  const data = buildModelData(config, late);
  const prep = prepareMmm(config, data);
  const T = data.T, tIn = T - 4, g = data.geos.indexOf('G02');
  assert.equal(prep.inSampleIndex.length, 3 * tIn - LATE);
  assert.ok(![...prep.inSampleIndex].some((i) => Math.floor(i / T) === g && i % T < LATE));
  const { model } = buildMmm(prep, data.controlSigns);
  const theta = model.init(new Rng(3), 0.5);
  const before = model.logDensity(theta);
  assert.ok(Number.isFinite(before));
  // Whatever sits in the scaled outcome of an absent cell, the density does not move.
  const poked = { ...prep, yScaled: Float64Array.from(prep.yScaled, (v, i) => (Math.floor(i / T) === g && i % T < LATE ? 1e6 : v)) };
  assert.equal(buildMmm(poked, data.controlSigns).model.logDensity(theta), before);
  // τ[g] = level[g] − mean of the rest over the geo's likelihood cells: μ averages to level[g] there
  // (26 cells for G02, 36 for the others), which a common 1/tIn weight would get wrong for G02.
  const { mu } = model.generated(theta, ['mu']);
  const level = model.constrain(theta).level;
  for (let gi = 0; gi < data.G; gi++) {
    const cells = [...prep.inSampleIndex].filter((i) => Math.floor(i / T) === gi);
    const mean = cells.reduce((s, i) => s + mu[i], 0) / cells.length;
    assert.ok(Math.abs(mean - level[gi]) < 1e-9, `geo ${gi}: mean μ ${mean}, level ${level[gi]}`);
  }
});

test('an empty outcome cell in a present row is unobserved (not zero); its media still count', () => {
  const { sim, full } = lateTable();
  const config = configFor(sim);
  const row = 5; // G01, week 6
  const data = buildModelData(config, withCell(full, 'revenue', row, ''));
  assert.equal(data.present[row], 1);
  assert.equal(data.observed[row], 0);
  assert.ok(Number.isNaN(data.y[row]));
  assert.ok(data.spend[row * data.C] > 0);
  const prep = prepareMmm(config, data);
  assert.ok(![...prep.inSampleIndex].includes(row));
  assert.ok(prep.outcomeWeight[row] > 0);
});

test('a control may be empty where the outcome is (a harmonized late geo), not beside an observed outcome', () => {
  const { sim, full } = lateTable();
  const config = configFor(sim);
  const both = withCell(withCell(full, 'revenue', 5, null), 'price', 5, null);
  const data = buildModelData(config, both);
  assert.equal(data.observed[5], 0);
  assert.ok(Number.isFinite(data.controlValues[5 * data.K]));
  const err = errorOf(() => buildModelData(config, withCell(full, 'price', 5, null)));
  assert.match(err.message, /price/);
  assert.match(err.message, /empty \(geo 'G01', date 2023-02-06\) where the outcome is observed/);
});

test('an empty media cell in a present row is refused with its geo, date and column, unless data.missingMedia is zero', () => {
  const { sim, full } = lateTable();
  const table = withCell(full, 'tv_spend', 45, null); // G02, week 6
  const err = errorOf(() => buildModelData(configFor(sim), table));
  assert.equal(err.exitCode, 2);
  assert.match(err.message, /tv_spend/);
  assert.match(err.message, /geo 'G02', date 2023-02-06/);
  assert.match(err.message, /`data\.missingMedia` to 'zero'/);
  assert.doesNotMatch(err.message, /--/); // no CLI flag in a core message
  const zero = buildModelData(configFor(sim, { data: { file: 'sim.csv', geo: 'geo', missingMedia: 'zero' } }), table);
  assert.equal(zero.spend[45 * zero.C], 0);
  assert.equal(zero.observed[45], 1);
  // An outcome or control left empty everywhere in a geo's fit periods leaves nothing to fit it on.
  const silent = { ...full, columns: { ...full.columns, revenue: full.columns.revenue.map((v, i) => (full.columns.geo[i] === 'G03' && i % 40 < 36 ? null : v)) } };
  assert.match(errorOf(() => buildModelData(configFor(sim), silent)).message, /geo 'G03' has no observed outcome in the fit periods/);
});

test('classic families drop unobserved rows: the fit and holdout metrics count observed cells only, and absent cells add nothing', () => {
  const { sim, late } = lateTable();
  const config = configFor(sim, { family: 'ridge' });
  const data = buildModelData(config, late);
  const fit = fitClassic(config, data, { bootstrap: 10 });
  assert.equal(fit.fit.n, 3 * 36 - LATE);
  assert.equal(fit.fit.holdout?.n, 3 * 4);
  assert.ok(Number.isFinite(fit.fit.r2!) && fit.fit.r2! > 0.5, `r2 ${fit.fit.r2}`);
  const g = data.geos.indexOf('G02');
  for (let t = 0; t < LATE; t++) assert.equal(fit.series.predicted[g * data.T + t], 0);
  for (const ch of fit.channels) assert.ok(Number.isFinite(ch.roi), ch.name);
});

test('the minimum-data check counts observed cells (geo × period) against parameters, a level per geo included', () => {
  // 12 geos × 16 weeks: 16 periods would be under the national floor for this model (its regression
  // coefficients + 10), but 192 cells are plenty against those + 11 geo levels + 10.
  const sim = simulate({ weeks: 16, channels: 2, geos: 12, seed: 3 });
  const config = configFor(sim, { holdout: { periods: 0 } });
  assert.doesNotThrow(() => requireBayesianMinPeriods(config, buildModelData(config, simulationTable(sim))));
  // With only one geo observed through most of the series the cells run short, and the message says
  // what was counted.
  const table = simulationTable(sim);
  // G01 in weeks 1–12, every other geo in the last week only: 12 + 11 = 23 cells over 13 periods.
  const keep = Array.from({ length: table.rowCount }, (_, i) => i).filter((i) => (table.columns.geo[i] === 'G01' ? i % 16 < 12 : i % 16 === 15));
  const thin: WideTable = { source: 'sim.csv', rowCount: keep.length, columns: Object.fromEntries(Object.entries(table.columns).map(([k, v]) => [k, keep.map((i) => v[i])])) };
  const err = errorOf(() => requireBayesianMinPeriods(config, buildModelData(config, thin)));
  assert.match(err.message, /too few observations for the Bayesian model: the data have 23 observed fit cells \(geo × period, over 13 periods\); this model needs at least \d+ observed cells/);
});

test('a Bayesian fit on a late-entering geo: its absent periods are 0 in the decomposition and the fitted series, and its forecast uses its own scale', async () => {
  const { sim, late } = lateTable();
  const config = configFor(sim);
  const data = buildModelData(config, late);
  const fit = await fitBayesian(config, data, { fast: true, draws: 200 });
  const fitted = bayesianFittedModel(config, data, fit);
  const g = data.geos.indexOf('G02'), T = data.T;
  const dec = fitted.decomposition();
  for (let t = 0; t < LATE; t++) {
    const i = g * T + t;
    assert.equal(dec.predicted[i], 0);
    for (const x of [...Object.values(dec.components), ...Object.values(dec.channels)]) assert.equal(x[i], 0);
    assert.equal(fit.series.predictiveHigh?.[i], 0);
  }
  assert.ok(dec.predicted[g * T + LATE] > 0);
  assert.equal(fit.fit.n, 3 * 36 - LATE);
  // The first future period's base for G02 is of the size of its observed outcome (not 0).
  const future = fitted.futureDraws!({ dates: ['2023-10-09'] });
  let base = 0;
  for (let d = 0; d < future.nDraws; d++) base += future.base[(d * future.geos + g) * future.periods] / future.nDraws;
  let recent = 0;
  for (let t = T - 8; t < T; t++) recent += data.y[g * T + t] / 8;
  assert.ok(base > 0.5 * recent && base < 1.5 * recent, `base ${base} against recent outcome ${recent}`);
});

test('a geo that leaves: its carry-over past its last row is not counted, and it adds nothing afterwards', async () => {
  const sim = simulate({ weeks: 40, channels: 2, geos: 3, seed: 7 });
  const full = simulationTable(sim);
  const keep = Array.from({ length: full.rowCount }, (_, i) => i).filter((i) => !(full.columns.geo[i] === 'G03' && i % 40 >= 30));
  const table: WideTable = { source: 'sim.csv', rowCount: keep.length, columns: Object.fromEntries(Object.entries(full.columns).map(([k, v]) => [k, keep.map((i) => v[i])])) };
  const config = configFor(sim, { holdout: { periods: 0 } });
  const data = buildModelData(config, table);
  const fit = await fitBayesian(config, data, { fast: true, draws: 200 });
  const fitted = bayesianFittedModel(config, data, fit);
  const g = 2, T = data.T;
  const dec = fitted.decomposition();
  // tv spent up to its last row, so its adstock runs on past it; none of that is counted.
  assert.ok(data.spend[(g * T + 29) * data.C] > 0 || data.spend[(g * T + 28) * data.C] > 0);
  for (let t = 30; t < T; t++) for (const x of [dec.predicted, ...Object.values(dec.channels)]) assert.equal(x[g * T + t], 0);
  const tv = fitted.response({ channel: 0, multiplier: 1, geo: g });
  let inside = 0;
  for (let t = 0; t < 30; t++) inside += dec.channels.tv[g * T + t];
  const mean = tv.reduce((a, b) => a + b, 0) / tv.length;
  assert.ok(Math.abs(mean - inside) < 0.05 * inside, `response ${mean} against the decomposition's ${inside} inside the geo's periods`);
});
