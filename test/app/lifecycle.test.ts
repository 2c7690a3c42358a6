/**
 * A model's lifecycle through its use cases: rename (display name; the id stays and is not given to a
 * new fit), duplicate (a config copy under a new name, on the current table version), refit (same
 * config, same data), delete (refused while plans depend on it, listing them; forced, the model, its
 * curve cache and an old table version only it used are gone, and its id is never given again). Then the
 * overview of the workspace: per KPI its latest model with health and ROI, freshness, warnings, stale
 * models, plans and their status; and the first-run state of an empty workspace.
 */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { MarginalError } from '../../src/errors.ts';
import { getModel, listHarmonized, withWorkspace } from '../../src/data/index.ts';
import { listPlans } from '../../src/data/plans.ts';
import { optimizePlan } from '../../src/app/plan.ts';
import { renameStoredModel } from '../../src/app/renameModel.ts';
import { duplicateModelConfig } from '../../src/app/duplicateModel.ts';
import { deleteModel } from '../../src/app/deleteModel.ts';
import { refitModel } from '../../src/app/refreshModel.ts';
import { listModelsWithStatus } from '../../src/app/modelStatus.ts';
import { addHealth, collectOverview } from '../../src/app/overview.ts';
import { modelInsights } from '../../src/app/insights.ts';
import { parsePlan } from '../../src/planning/index.ts';
import { harmonizedWorkspace } from '../support/harmonizedWorkspace.ts';

let fx: Awaited<ReturnType<typeof harmonizedWorkspace>>;
before(async () => { fx = await harmonizedWorkspace({ weeks: 80, until: 72 }); });
after(() => fx?.cleanup());

const ws = <T>(fn: Parameters<typeof withWorkspace<T>>[1]) => withWorkspace(fx.workspace, fn);
const plan = (model: string, name: string) => optimizePlan(fx.workspace, parsePlan({ name, model, budget: 4e5, periods: 8, draws: 30 }));
const isCode = (code: string, pattern: RegExp) => (e: unknown) => e instanceof MarginalError && e.code === code && pattern.test(e.message);

test('rename changes the display name only; the next fit of the config does not take the renamed model\'s id', async () => {
  assert.equal(await fx.fit(), 'weekly-1');
  const r = await ws((w) => renameStoredModel(w, 'weekly-1', '  Brand model, Q3  '));
  assert.deepEqual(r, { id: 'weekly-1', name: 'Brand model, Q3', previous: 'weekly' });
  assert.equal((await ws((w) => getModel(w, 'weekly-1'))).name, 'Brand model, Q3');
  await assert.rejects(ws((w) => renameStoredModel(w, 'weekly-1', 'a\tb')), isCode('BAD_INPUT', /1–80 characters/));
  await assert.rejects(ws((w) => renameStoredModel(w, 'nope-1', 'x')), isCode('NOT_FOUND', /model 'nope-1' not found/));
  assert.equal(await fx.fit(), 'weekly-2');
});

test('duplicate: the config under a new name, on the current table version; refit: the same config on the same data, linked', async () => {
  const d = await ws((w) => duplicateModelConfig(w, 'weekly-1'));
  assert.equal(d.name, 'weekly-copy');
  assert.equal(d.config.name, 'weekly-copy');
  assert.equal(d.config.data.version, undefined, 'the copy fits on the current version');
  assert.deepEqual(d.config.channels, (await ws((w) => getModel(w, 'weekly-1'))).config && fx.config().channels);
  assert.equal((await ws((w) => duplicateModelConfig(w, 'weekly-1', 'brand-v2'))).config.name, 'brand-v2');
  await assert.rejects(ws((w) => duplicateModelConfig(w, 'weekly-1', 'not a slug')), isCode('BAD_CONFIG', /name/));

  await fx.reharmonize();
  const { output } = await refitModel(fx.workspace, 'weekly-1', { mode: 'refit' }, { chains: 1, draws: 200 });
  assert.equal(output.modelId, 'weekly-3');
  const rows = await ws((w) => listModelsWithStatus(w));
  const refit = rows.find((m) => m.id === 'weekly-3')!;
  assert.deepEqual([refit.version, refit.refreshedFrom, refit.name], [1, 'weekly-1', 'Brand model, Q3'], 'same data (version 1), linked, same display name');
  assert.ok(refit.stale && refit.stale.supersededBy === null, 'a refit on the old data is as stale as its model');
  await assert.rejects(refitModel(fx.workspace, 'weekly-1', { mode: 'refit', withPriors: true }), isCode('BAD_INPUT', /for a refresh/));
});

test('delete is refused while plans depend on the model (listing them), then forced: the model, its curve cache and the table version only it used are gone', async () => {
  await plan('weekly-1', 'q');
  await plan('weekly-1', 'h2');
  await assert.rejects(ws((w) => deleteModel(w, 'weekly-1')), (e: unknown) => {
    assert.ok(e instanceof MarginalError && e.code === 'CONFLICT', String(e));
    assert.match(e.message, /^model 'weekly-1' has 2 saved plans that depend on it: q-1, h2-1; .*--force/);
    assert.deepEqual(e.problems.map((p) => p.value), ['q-1', 'h2-1']);
    return true;
  });
  assert.ok(await ws((w) => getModel(w, 'weekly-1')), 'still there after the refusal');
  // Version 1 is kept for weekly-1 and weekly-3 (the refit); weekly-3 goes first, without plans.
  assert.deepEqual(await ws((w) => deleteModel(w, 'weekly-3')), { deleted: 'weekly-3', plans: [] });
  const nodes = async () => Number(await ws((w) => w.value("SELECT count(*) FROM plan_curve_nodes WHERE model = 'weekly-1'")));
  assert.ok(await nodes() > 0, 'the plans cached curve nodes');
  const out = await ws((w) => deleteModel(w, 'weekly-1', { force: true }));
  assert.deepEqual(out, { deleted: 'weekly-1', plans: [{ id: 'q-1', name: 'q' }, { id: 'h2-1', name: 'h2' }] });
  await assert.rejects(ws((w) => getModel(w, 'weekly-1')), isCode('NOT_FOUND', /model 'weekly-1' not found/));
  assert.equal(await nodes(), 0);
  const [t] = await ws((w) => listHarmonized(w));
  assert.deepEqual(t.versions.map((v) => [v.version, v.stored]), [[1, true], [2, true]], 'version 1 is kept for weekly-2');
  assert.deepEqual((await ws((w) => listPlans(w))).map((p) => p.id), ['q-1', 'h2-1'], 'the plans keep their saved results');
  // A deleted model's id is never given again.
  assert.equal(await fx.fit(), 'weekly-4');
});

test('the overview: per KPI the latest model with its health and ROI, freshness, warnings, stale models and plans; the last model on an old version takes its rows with it', async () => {
  assert.equal(await fx.fit({ name: 'orders', target: { column: 'orders', kind: 'conversions' } }), 'orders-1');
  const o = await addHealth(await ws((w) => collectOverview(w)), async (id) => (await modelInsights(fx.workspace, id)).health);
  assert.equal(o.empty, false);
  assert.equal(o.next, null);
  assert.deepEqual(o.kpis.map((k) => [k.kpi, k.kind, k.model.id]).sort(), [['orders', 'conversions', 'orders-1'], ['revenue', 'revenue', 'weekly-4']]);
  const revenue = o.kpis.find((k) => k.kpi === 'revenue')!;
  assert.deepEqual(revenue.otherModels, ['weekly-2']);
  assert.equal(revenue.stale, null);
  assert.match(revenue.health.line, /^(Healthy|Use with care|Do not act on it yet)/);
  assert.equal(revenue.health.level, 'caution', 'a fast fit is approximate: a caution');
  assert.match(revenue.health.line, /method/);
  // ROI as the fit stored it, with its 90% interval.
  const stored = (await ws((w) => getModel(w, 'weekly-4'))).output as { channels: { name: string; roi: number; roiInterval: [number, number] }[] };
  assert.deepEqual(revenue.channels.map((c) => [c.name, c.roi, c.roiInterval]), stored.channels.map((c) => [c.name, c.roi, c.roiInterval]));
  assert.equal(revenue.units?.currency, 'USD');
  assert.deepEqual(o.datasets.map((d) => [d.id, d.to]).sort(), [['factors', fx.week(79)], ['media', fx.week(79)], ['orders', fx.week(79)], ['sales', fx.week(79)]]);
  assert.deepEqual(o.tables.map((t) => [t.id, t.version, t.versions, t.to]), [['weekly', 2, 2, fx.week(79)]]);
  assert.deepEqual(o.stale.map((s) => s.id), ['weekly-2']);
  assert.match(o.stale[0].reason, /fitted on version 1 of 'weekly'; version 2 \(.*8 more weeks\) is newer/);
  assert.ok(o.warnings.some((w) => w.source === 'model weekly-4' && /^method: /.test(w.text)), JSON.stringify(o.warnings.slice(0, 3)));
  const report = (await ws((w) => listHarmonized(w)))[0].report as { warnings: string[] };
  assert.deepEqual(o.warnings.filter((w) => w.source === 'table weekly').map((w) => w.text), report.warnings, 'the current table\'s validation warnings');
  assert.deepEqual(o.plans.map((p) => [p.id, p.status]), [['q-1', 'model deleted'], ['h2-1', 'model deleted']]);
  assert.match(o.plans[0].note, /model weekly-1 was deleted/);

  // The last model on version 1 goes: so do version 1's rows (its history stays).
  await ws((w) => deleteModel(w, 'weekly-2'));
  const [t] = await ws((w) => listHarmonized(w));
  assert.deepEqual(t.versions.map((v) => [v.version, v.stored]), [[1, false], [2, true]]);
  assert.equal(Number(await ws((w) => w.value("SELECT count(*) FROM hv_values WHERE h = (SELECT id FROM obs_names WHERE name = 'weekly@1')"))), 0);
});

test('the overview of an empty workspace says what to do first', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'marginal-empty-'));
  try {
    const o = await withWorkspace(join(dir, 'ws.duckdb'), (w) => collectOverview(w));
    assert.equal(o.empty, true);
    assert.equal(o.next?.step, 'upload');
    assert.match(o.next?.text ?? '', /Data page/);
    assert.deepEqual([o.kpis, o.datasets, o.tables, o.plans, o.stale], [[], [], [], [], []]);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
