/**
 * The report of classic fits (ridge, Robyn-style search, boosting) on small simulated data: bootstrap
 * wording and no convergence claims, no predictive band, the coefficient table with bootstrap
 * intervals, the search's Pareto chart data and cluster table, the tree settings and synergy table.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { simulate } from '../../models/simulate/index.ts';
import { parseModelConfig, type ModelConfigInput } from '../../models/config.ts';
import { buildModelData } from '../../models/design.ts';
import { fitClassic } from '../../models/linear/families.ts';
import type { ClassicFit } from '../../models/linear/result.ts';
import { MarginalError } from '../../errors.ts';
import { coefficientRows, health, overallLevel, renderReport, synergyReading, type ReportInput } from './index.ts';
import { reportScripts } from '../../app/reportScripts.ts';

const hostile = '<img src=x onerror="window.__pwned=1">';
const sim = simulate({ weeks: 80, channels: 3, seed: 1 });
const columns = Object.fromEntries(sim.columns.map((c, j) => [c, sim.rows.map((r) => r[j])]));
const names = sim.truth.channels.map((c, i) => (i === 1 ? hostile : c.name));

function fit(extra: Partial<ModelConfigInput>): ClassicFit {
  const config = parseModelConfig({
    data: { file: 'x.csv' }, target: { column: 'revenue' },
    channels: sim.truth.channels.map((c, i) => ({ name: names[i], spend: `${c.name}_spend` })),
    controls: [{ column: 'price', sign: 'negative' }], holdout: { periods: 8 },
    classic: { bootstrap: 5, trees: { nTrees: 20 } }, ...extra,
  });
  const data = buildModelData(config, { source: 'x.csv', rowCount: sim.rows.length, columns });
  return fitClassic(config, data);
}

const input = (result: ClassicFit): ReportInput => ({ modelId: `${result.family}-1`, name: `Sim ${result.family}`, createdAt: '2026-11-23T10:00:00Z', target: { column: 'revenue', kind: 'revenue' }, result });

function markup(html: string): string {
  return html.replace(/<script\b[^>]*>[\s\S]*?<\/script>/g, '<script></script>');
}
function chartData(html: string) {
  return JSON.parse(/<script type="application\/json" id="report-data">([\s\S]*?)<\/script>/.exec(html)![1]);
}
function tableRows(html: string, id: string): string[][] {
  const table = new RegExp(`<table id="${id}">[\\s\\S]*?<tbody>([\\s\\S]*?)</tbody>`).exec(html);
  assert.ok(table, `table ${id}`);
  return [...table[1].matchAll(/<tr[^>]*>([\s\S]*?)<\/tr>/g)].map((r) => [...r[1].matchAll(/<td[^>]*>([\s\S]*?)<\/td>/g)].map((c) => c[1]));
}

/** Wording every classic report shares: bootstrap intervals, no credible intervals, no convergence claim, no band. */
function assertClassicWording(html: string, result: ClassicFit): void {
  const m = markup(html);
  assert.deepEqual(m.match(/[^.>]*credible[^.]*/gi), [' The 90% intervals are bootstrap intervals, not Bayesian credible intervals: the model was refitted on 5 resamples of the periods (moving blocks) and the ranges show how much the estimates moved'], 'credible only to say the intervals are not');
  assert.doesNotMatch(m, /[Cc]onverged|R-hat|\bESS\b|NUTS|[Pp]osterior/);
  assert.doesNotMatch(m, /id="param-table"/);
  assert.match(m, /with 90% bootstrap intervals; the dashed line is break-even/);
  assert.match(m, new RegExp(`In brackets: 90% \\(5%–95%\\) bootstrap intervals from ${result.diagnostics.bootstrap} moving-block refits`));
  assert.match(m, /Intervals are 90% bootstrap intervals \(5 refits\)/);
  assert.match(m, /<b>Intervals\.<\/b> The 90% intervals are bootstrap intervals, not Bayesian credible intervals/);
  assert.match(m, /5 refits are too few for stable intervals/);
  assert.match(m, /the next unit returns [0-9.]+ \(90% bootstrap: /);
  assert.doesNotMatch(m, /<img/i);
  const data = chartData(html);
  assert.equal(data.series.low, null, 'no predictive band');
  assert.equal(data.series.high, null);
  assert.equal(data.intervalName, '90% bootstrap');
  assert.deepEqual(data.channels.map((c: { name: string }) => c.name), names);
  for (const [i, c] of result.channels.entries()) {
    assert.equal(data.channels[i].roi, c.roi);
    assert.deepEqual([data.channels[i].roiLo, data.channels[i].roiHi], c.roiInterval);
  }
  assert.equal(health(result).some((i) => i.label === 'Convergence'), false);
}

test('ridge report: λ, coefficients with bootstrap intervals (5% / 95% quantiles of the stored replicates), no band', () => {
  const result = fit({ family: 'ridge' });
  const html = renderReport(input(result), reportScripts());
  assertClassicWording(html, result);
  const m = markup(html);
  assert.match(m, /· national · ridge regression<\/div>/);
  assert.match(m, /<b>Method\.<\/b> Ridge regression \(penalty λ [0-9.e-]+ chosen by time-series cross-validation\)/);
  assert.match(m, /<b>Response to spend\.<\/b> Carry-over and diminishing returns use fixed default transform parameters/);
  assert.match(m, /no band: a regression fit has no predictive distribution/);
  const rows = coefficientRows(result);
  assert.equal(rows.length, 1 + Object.keys(result.diagnostics.coefficients!).length);
  assert.equal(rows[0].name, '(intercept)');
  assert.equal(rows[0].value, result.diagnostics.intercept);
  // Type-7 quantiles of 5 replicates: 5% = v0 + 0.2 (v1 − v0), 95% = v3 + 0.8 (v4 − v3) of the sorted values.
  const st = result.stored as { names: string[]; replicates: number[][] };
  assert.equal(st.replicates.length, 5);
  const tv = rows.find((r) => r.name === 'tv')!;
  const v = st.replicates.map((r) => r[1 + st.names.indexOf('tv')]).sort((a, b) => a - b);
  assert.ok(Math.abs(tv.interval![0] - (v[0] + 0.2 * (v[1] - v[0]))) <= 1e-9 * Math.abs(v[0]));
  assert.ok(Math.abs(tv.interval![1] - (v[3] + 0.8 * (v[4] - v[3]))) <= 1e-9 * Math.abs(v[4]));
  const table = tableRows(m, 'coef-table');
  assert.equal(table.length, rows.length);
  assert.equal(table[2][0], '&lt;img src=x onerror=&quot;window.__pwned=1&quot;&gt;', 'hostile channel name escaped in the coefficient table');
  assert.match(m, /<h3>Coefficients \(ridge, λ /);
  assert.doesNotMatch(m, /id="search-table"|id="tree-table"|id="chart-pareto"/);
  assert.equal(chartData(html).pareto, null);
});

test('search report: Pareto chart data, one row per cluster with the refitted recommendation marked', () => {
  const result = fit({ family: 'ridge', search: { iterations: 200, trials: 1 } });
  const s = result.diagnostics.search!;
  const html = renderReport(input(result), reportScripts());
  assertClassicWording(html, result);
  const m = markup(html);
  assert.match(m, /· ridge regression \(Robyn-style search\)<\/div>/);
  assert.match(m, new RegExp(`<b>Method\\.</b> Ridge regression chosen by a Robyn-style multi-objective search: 200 candidate models \\(1 trial\\), ${s.paretoSize} on the Pareto front in ${s.clusters} cluster`));
  assert.doesNotMatch(m, /fixed default transform parameters/, 'the search estimates the transforms');
  assert.match(m, /id="chart-pareto"/);
  const data = chartData(html);
  assert.equal(data.pareto.length, s.paretoSize);
  assert.equal(data.pareto.filter((p: { chosen: boolean }) => p.chosen).length, 1);
  assert.equal(data.pareto.filter((p: { recommended: boolean }) => p.recommended).length, s.clusters);
  const chosen = data.pareto.find((p: { chosen: boolean }) => p.chosen);
  const rec = s.recommended.find((r) => r.chosen)!;
  assert.equal(chosen.nrmse, rec.nrmse);
  assert.equal(chosen.cluster, rec.cluster);
  const rows = tableRows(m, 'search-table');
  assert.equal(rows.length, s.clusters);
  assert.equal(rows.filter((r) => r[0].includes('(this report)')).length, 1);
  assert.equal(rows.find((r) => r[0].includes('(this report)'))![0], `${rec.cluster} <b>(this report)</b>`);
  // Columns: cluster, models, NRMSE, DECOMP.RSSD, λ, then one ROI per channel.
  assert.equal(rows[0].length, 5 + names.length);
  assert.equal(rows.reduce((n, r) => n + Number(r[1]), 0), s.paretoSize, 'cluster sizes add up to the Pareto set');
  assert.match(m, /<th>ROI · &lt;img src=x/);
  assert.match(m, /<table id="coef-table">/, 'the recommended model is a ridge fit with coefficients');
});

test('boosting report: tree settings, synergy table, extrapolation and non-monotone response said in plain words', () => {
  const result = fit({ family: 'boosting' });
  const st = result.stored as { synergy: { a: string; b: string; h2: number }[]; params: { nTrees: number } };
  const html = renderReport(input(result), reportScripts());
  assertClassicWording(html, result);
  const m = markup(html);
  assert.match(m, /· gradient boosting<\/div>/);
  assert.match(m, /<b>Method\.<\/b> Gradient boosting, 20 rounds of depth 3 at learning rate 0\.1/);
  assert.match(m, /no band: a tree fit has no predictive distribution/);
  assert.match(m, /TreeSHAP values of the fitted model/);
  assert.match(m, /Marginal ROI of a tree model is measured over a 10% step in spend/);
  const settings = Object.fromEntries(tableRows(m, 'tree-table').map((r) => [r[0], r[1]]));
  assert.equal(settings['Rounds (trees)'], '20');
  assert.equal(settings['Learning rate'], '0.1');
  assert.equal(settings['Features tried per split'], '100% of the features');
  assert.equal(st.synergy.length, 3, 'three channel pairs');
  const syn = tableRows(m, 'synergy-table');
  assert.deepEqual(syn.map((r) => r[2]), st.synergy.map((p) => synergyReading(p.h2)));
  assert.ok(syn.some((r) => r[0].includes('&lt;img src=x')));
  assert.doesNotMatch(m, /id="coef-table"/);
  // The fit's EXTRAPOLATION warning: amber box, caution in health, a caveat under the advice.
  assert.ok(result.warnings.some((w) => w.startsWith('EXTRAPOLATION')));
  assert.equal(overallLevel(result), 'warn');
  const response = health(result).find((i) => i.label === 'Response to spend')!;
  assert.equal(response.level, 'warn');
  assert.match(response.text, /no change beyond the largest spend seen in training/);
  assert.match(m, /a tree model gives no credit for spend above the largest seen in training/);
  assert.match(m, /Largest spend per period seen in training/);
  // A NOT MONOTONE warning names the channel in health and in the caveats.
  const bent = { ...result, warnings: [`NOT MONOTONE: ${hostile}'s response to spend goes down somewhere between 0 and 2× its observed spend (a tree artefact or a confounder): do not read its marginal ROI literally.`, ...result.warnings] };
  const b = health(bent).find((i) => i.label === 'Response to spend')!;
  assert.match(b.text, /^The response of <img src=x onerror="window.__pwned=1"> to spend goes down somewhere between zero and twice/);
  const bm = markup(renderReport(input(bent), reportScripts()));
  assert.match(bm, /the tree model&#39;s response to spend is not monotone for &lt;img src=x/);
  assert.doesNotMatch(bm, /<img/i);
});

test('an estimate outside its own bootstrap interval is named in the health item', () => {
  const result = fit({ family: 'linear' });
  const c0 = result.channels[0];
  const clean = { ...result, channels: result.channels.map((c) => ({ ...c, roiInterval: [c.roi - 1, c.roi + 1] as [number, number], mroiInterval: [c.mroi - 1, c.mroi + 1] as [number, number] })) };
  assert.doesNotMatch(health(clean).find((i) => i.label === 'Intervals')!.text, /outside its own bootstrap interval/);
  const off = { ...clean, channels: clean.channels.map((c, i) => (i === 0 ? { ...c, mroiInterval: [c0.mroi + 0.1, c0.mroi + 0.5] as [number, number] } : c)) };
  const item = health(off).find((i) => i.label === 'Intervals')!;
  assert.equal(item.level, 'warn');
  assert.match(item.text, new RegExp(`For ${c0.name} \\(marginal ROI\\), the estimate lies outside its own bootstrap interval`));
});

test('classic synergy readings and malformed classic input', () => {
  assert.deepEqual([0, 0.049, 0.05, 0.19, 0.2, 0.9].map(synergyReading), ['additive', 'additive', 'some interaction', 'some interaction', 'strong interaction', 'strong interaction']);
  const result = fit({ family: 'linear' });
  const cases: [ReportInput, RegExp][] = [
    [input({ ...result, family: 'svm' as 'linear' }), /`result.family` must be one of bayesian, linear, ridge, forest, boosting; got 'svm'/],
    [input({ ...result, diagnostics: { ...result.diagnostics, bootstrap: undefined as unknown as number } }), /`result.diagnostics.bootstrap` must be the number of bootstrap refits/],
    [input({ ...result, series: { ...result.series, predicted: [1] } }), /`result.series.predicted` must have 80 values \(80 dates × 1 geos\); got 1/],
  ];
  for (const [bad, message] of cases) {
    assert.throws(() => renderReport(bad, reportScripts()), (e: unknown) => e instanceof MarginalError && e.code === 'BAD_INPUT' && message.test(e.message), String(message));
  }
  // A stored state of an unknown shape (an old row) still renders, without the coefficient intervals.
  const html = markup(renderReport(input({ ...result, stored: null }), reportScripts()));
  assert.match(html, /<table id="coef-table">/);
  assert.ok(tableRows(html, 'coef-table').every((r) => r[2] === '–'));
  assert.match(html, /<b>Method\.<\/b> Linear regression \(least squares\)/);
});
