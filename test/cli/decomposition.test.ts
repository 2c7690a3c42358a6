/**
 * One figure, one truth: a NUTS fit with 2 × 175 draws (not the 200 insights once thinned to) shows the
 * same fit metrics and channel contributions in `marginal fit`, `marginal insights`, the API and the
 * report; and its decomposition adds up. On PyMC-Marketing's example (known truth) the events and the
 * channels are recovered.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { simulatedWorkspace } from './simulatedWorkspace.ts';
import { buildApp } from '../../src/server/app.ts';
import { formatDecimals } from '../../src/units.ts';

type Row = Record<string, number | string | boolean | null>;
interface Insights { fit: Row[]; channels: Row[]; contributions: Row[]; decomposition: Row[] }
const rel = (a: number, b: number) => Math.abs(a - b) / Math.max(Math.abs(a), Math.abs(b), 1e-12);

test('every surface shows the stored figure: fit, insights, API, compare and report agree, and the parts add up', async () => {
  const w = simulatedWorkspace('one-figure-', 80, 2);
  w.config.holdout = { periods: 8 };
  const configPath = join(w.dir, 'sim', 'holdout.json');
  (await import('node:fs')).writeFileSync(configPath, JSON.stringify(w.config));
  const fit = w.run('fit', configPath, '--chains', '2', '--warmup', '150', '--draws', '175', '--json');
  assert.equal(fit.status, 0, fit.stderr);
  const out = JSON.parse(fit.stdout) as { modelId: string; fit: { r2: number; mape: number; holdout: { r2: number; mape: number } }; channels: { name: string; contribution: number }[] };
  assert.equal(w.run('fit', configPath, '--fast', '--json').status, 0);

  const ins = w.run('insights', out.modelId, '--json');
  assert.equal(ins.status, 0, ins.stderr);
  const cli = JSON.parse(ins.stdout) as Insights;
  const { app } = await buildApp({ workspace: w.workspace, webRoot: null });
  let api: Insights, compare: { models: { id: string; fit: { r2: number; holdout?: { r2: number; mape: number } } }[] } | { [k: string]: unknown };
  let report = '';
  try {
    api = (await app.inject({ url: `/api/models/${out.modelId}/insights` })).json();
    compare = (await app.inject({ url: `/api/models/compare?ids=${out.modelId},simulated-2` })).json();
    report = (await app.inject({ url: `/api/models/${out.modelId}/report` })).body;
  } finally { await app.close(); }

  for (const [surface, x] of [['insights', cli], ['API', api!]] as const) {
    const hold = x.fit.find((r) => r.sample === 'holdout')!, inS = x.fit.find((r) => r.sample === 'in-sample')!;
    assert.equal(hold.r2, out.fit.holdout.r2, `${surface} holdout R²`);
    assert.equal(hold.mape, out.fit.holdout.mape, `${surface} holdout MAPE`);
    assert.equal(inS.r2, out.fit.r2, `${surface} in-sample R²`);
    for (const c of out.channels) {
      assert.equal(x.channels.find((r) => r.channel === c.name)!.contribution, c.contribution, `${surface} channel table, ${c.name}`);
      assert.equal(x.contributions.find((r) => r.name === c.name)!.total, c.contribution, `${surface} contributions table, ${c.name}`);
      const series = x.decomposition.reduce((s, r) => s + (r[`channel:${c.name}`] as number), 0);
      assert.ok(rel(series, c.contribution) < 1e-9, `${surface} decomposition series of ${c.name} sums to the stored total`);
    }
    for (const r of x.decomposition) {
      const parts = Object.entries(r).filter(([k]) => k.startsWith('channel:') || ['intercept', 'trend', 'seasonality'].includes(k) || k.startsWith('control:')).reduce((s, [, v]) => s + (v as number), 0);
      assert.ok(rel(parts, r.predicted as number) < 1e-9, `${surface} parts add up to the prediction on ${r.date}`);
    }
  }
  const compared = JSON.stringify(compare!);
  assert.ok(compared.includes(String(out.fit.holdout.r2)), 'compare shows the stored holdout R²');
  assert.match(report, new RegExp(`<td>${formatDecimals(out.fit.holdout.r2, 3)}</td>`), 'the report prints the stored holdout R² (in the one format: 3 decimals, as the web and the CLI)');
});

test('PyMC-Marketing example: events and channels against the known truth, each part against its reference', () => {
  const truth = readFileSync(fileURLToPath(new URL('../../data/reference/pymc_marketing/mmm_example_true_components.csv', import.meta.url)), 'utf8').trim().split('\n');
  const head = truth[0].split(',');
  const rows = truth.slice(1).map((l) => Object.fromEntries(l.split(',').map((v, j) => [head[j], Number(v)])));
  const total = (k: string) => rows.reduce((s, r) => s + r[k], 0);
  // Each event is one week; that week's noise is part of what any estimator sees as its effect.
  const eventWeek = (k: string) => rows.find((r) => r[k] !== 0)!;
  const w = simulatedWorkspace('pymc-decomp-', 20, 1);
  const example = fileURLToPath(new URL('../../examples/pymc/model.json', import.meta.url));
  const fit = w.run('fit', example, '--fast', '--json');
  assert.equal(fit.status, 0, fit.stderr);
  const id = (JSON.parse(fit.stdout) as { modelId: string }).modelId;
  const x = JSON.parse(w.run('insights', id, '--json').stdout) as Insights;
  const part = (name: string) => x.contributions.find((r) => r.name === name)!.total as number;
  // Event 2: 2,500 in its week, noise +156 there. Event 1: 1,500, noise +490 there (a third of the effect).
  assert.ok(rel(part('control:event_2'), total('event_2_effect')) < 0.25, `event_2 ${part('control:event_2')} vs truth ${total('event_2_effect')}`);
  const seen1 = total('event_1_effect') + eventWeek('event_1_effect').epsilon;
  assert.ok(rel(part('control:event_1'), seen1) < 0.25, `event_1 ${part('control:event_1')} vs truth + its week's noise ${seen1}`);
  assert.ok(part('control:event_1') > 0.5 * total('event_1_effect'), 'event_1 is far from the old zero');
  for (const c of ['x1', 'x2']) assert.ok(rel(part(c), total(`${c}_contribution`)) < 0.1, `${c}: ${part(c)} vs ${total(`${c}_contribution`)}`);
  // The parts explain the outcome: baseline + trend + seasonality + events + channels = prediction.
  const predicted = x.decomposition.reduce((s, r) => s + (r.predicted as number), 0);
  const sumParts = x.contributions.reduce((s, r) => s + (r.total as number), 0);
  assert.ok(rel(sumParts, predicted) < 1e-9);
});
