/**
 * Harmonized tables keep versions: harmonizing 'weekly' again with replace makes version 2, and a
 * model fitted on version 1 still loads, plans and shows its insights on version 1's rows — even when
 * the new version is by geo, which used to make plans on the old model fail with "duplicate row for
 * date". The old model is stale (in words) until a refresh on the current version supersedes it; a
 * version no model uses keeps only its history; a dropped table leaves its models readable and stale;
 * a workspace from before versions opens with its tables as version 1.
 */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { MarginalError } from '../../src/errors.ts';
import { dropEntry, getModel, harmonize, ingestFile, listHarmonized, readHarmonized, withWorkspace } from '../../src/data/index.ts';
import { loadFittedModel } from '../../src/app/load.ts';
import { modelInsights } from '../../src/app/insights.ts';
import { optimizePlan } from '../../src/app/plan.ts';
import { fitTable } from '../../src/app/fit.ts';
import { loadModelTable } from '../../src/app/modelTable.ts';
import { listModelsWithStatus } from '../../src/app/modelStatus.ts';
import { refitModel } from '../../src/app/refreshModel.ts';
import { collectOverview } from '../../src/app/overview.ts';
import { parsePlan } from '../../src/planning/index.ts';
import { simulate } from '../../src/models/simulate/index.ts';
import { writeSimulation } from '../../src/app/writeSimulation.ts';
import { FAST, harmonizedWorkspace } from '../support/harmonizedWorkspace.ts';

let fx: Awaited<ReturnType<typeof harmonizedWorkspace>>;
let first: string;
before(async () => {
  fx = await harmonizedWorkspace({ weeks: 110, until: 100 });
  first = await fx.fit();
});
after(() => fx?.cleanup());

const plan = (model: string, name: string) => optimizePlan(fx.workspace, parsePlan({ name, model, budget: 5e5, periods: 8, draws: 30 }));
const status = async (id: string) => (await withWorkspace(fx.workspace, (ws) => listModelsWithStatus(ws))).find((m) => m.id === id)!;

test('a model records the table and version it was fitted on', async () => {
  assert.equal(first, 'weekly-1');
  const m = await withWorkspace(fx.workspace, (ws) => getModel(ws, first));
  assert.deepEqual((m.config as { data: unknown }).data, { harmonized: 'weekly', version: 1, date: 'date' });
  const row = await status(first);
  assert.equal(row.table, 'weekly');
  assert.equal(row.version, 1);
  assert.equal(row.stale, null);
  assert.ok((await plan(first, 'before')).planId);
});

test('harmonizing again with replace makes version 2; the model on version 1 still loads, plans and shows insights on its rows, and is stale', async () => {
  const v2 = await fx.reharmonize();
  assert.equal(v2.version, 2);
  const [weekly] = await withWorkspace(fx.workspace, (ws) => listHarmonized(ws));
  assert.equal(weekly.version, 2);
  assert.deepEqual(weekly.versions.map((v) => [v.version, v.current, v.stored, v.rows]), [[1, false, true, 100], [2, true, true, 110]]);
  assert.deepEqual(weekly.versions[0].datasets.map((d) => d.id), ['media', 'sales', 'factors', 'orders']);
  assert.match(weekly.versions[0].datasets[0].checksum ?? '', /^[0-9a-f]{64}$/);
  assert.equal(weekly.versions[0].to, fx.week(99));

  const { fitted } = await loadFittedModel(fx.workspace, first);
  assert.equal(fitted.actual.length, 100, 'the old model reads the 100 weeks of version 1');
  const insights = await modelInsights(fx.workspace, first);
  assert.equal(new Set(insights.decomposition.map((r) => r.date)).size, 100);
  assert.ok((await plan(first, 'after')).planId, 'a plan on the old model after the table changed');

  const row = await status(first);
  assert.ok(row.stale);
  assert.match(row.stale.reason, /^fitted on version 1 of 'weekly'; version 2 \(\d{4}-\d\d-\d\d, 10 more weeks\) is newer$/);
  assert.deepEqual([row.stale.fittedVersion, row.stale.currentVersion, row.stale.newerPeriods, row.stale.supersededBy], [1, 2, 10, null]);
  assert.deepEqual(row.plans.map((p) => p.id), ['before-1', 'after-1']);
  const o = await withWorkspace(fx.workspace, (ws) => collectOverview(ws));
  assert.deepEqual(o.stale.map((s) => s.id), [first]);
  assert.deepEqual(o.plans.map((p) => p.status), ['stale', 'stale']);
});

test('a refresh fits the same config on the current version and supersedes the stale model', async () => {
  const { output, plan: p } = await refitModel(fx.workspace, first, { mode: 'refresh' }, { chains: 1, draws: 200 });
  assert.equal(output.modelId, 'weekly-2');
  assert.equal(p.fast, true, 'a fast fit is refreshed fast');
  const fresh = await status('weekly-2');
  assert.deepEqual([fresh.version, fresh.stale, fresh.refreshedFrom], [2, null, first]);
  const { fitted } = await loadFittedModel(fx.workspace, 'weekly-2');
  assert.equal(fitted.actual.length, 110);
  const old = await status(first);
  assert.equal(old.stale?.supersededBy, 'weekly-2');
  assert.match(old.stale?.reason ?? '', /; refreshed as weekly-2$/);
  const o = await withWorkspace(fx.workspace, (ws) => collectOverview(ws));
  assert.deepEqual(o.stale, [], 'no stale model left to refresh');
  assert.equal(o.kpis.find((k) => k.kpi === 'revenue')?.model.id, 'weekly-2');
});

test('a new version by geo: plans on the models of the national versions still work (no "duplicate row for date")', async () => {
  const geo = writeSimulation(simulate({ weeks: 110, channels: 3, geos: 3, seed: 5 }), join(fx.dir, 'geo'));
  await withWorkspace(fx.workspace, async (ws) => {
    await ingestFile(ws, geo.media, { kind: 'summary', name: 'geo-media' });
    await ingestFile(ws, geo.sales, { kind: 'conversions', name: 'geo-sales' });
    await ingestFile(ws, geo.factors, { kind: 'factors', name: 'geo-factors' });
  });
  assert.equal((await fx.reharmonize({ datasets: ['geo-media', 'geo-sales', 'geo-factors'] })).version, 3);
  // What the old models would have read before versions: the national config on the geo rows.
  const current = fx.config();
  await assert.rejects(async () => fitTable(current, await loadModelTable(current, fx.workspace), FAST), /duplicate row for geo|duplicate row for date/);
  for (const id of [first, 'weekly-2']) {
    const out = await plan(id, `geo-era-${id}`);
    assert.ok(out.planId, `plan on ${id}`);
  }
  assert.match((await status('weekly-2')).stale?.reason ?? '', /^fitted on version 2 of 'weekly'; version 3 \(/);
});

test('a version no model was fitted on keeps its history but not its rows; a dropped table leaves its models readable and stale', async () => {
  await withWorkspace(fx.workspace, async (ws) => {
    await harmonize(ws, { name: 'scratch', grain: 'week', datasets: ['media', 'sales'] });
    await harmonize(ws, { name: 'scratch', grain: 'week', datasets: ['media', 'sales'], to: fx.week(50), replace: true });
    const scratch = (await listHarmonized(ws)).find((t) => t.id === 'scratch')!;
    assert.deepEqual(scratch.versions.map((v) => [v.version, v.stored]), [[1, false], [2, true]]);
    await assert.rejects(readHarmonized(ws, 'scratch', 1), (e) => e instanceof MarginalError && e.code === 'CONFLICT' && /version 1 of harmonized table 'scratch' is no longer stored/.test(e.message));
    await assert.rejects(readHarmonized(ws, 'scratch', 7), (e) => e instanceof MarginalError && e.code === 'NOT_FOUND');
    await dropEntry(ws, 'weekly');
  });
  const row = await status('weekly-2');
  assert.match(row.stale?.reason ?? '', /^fitted on version 2 of 'weekly'; the table was dropped on \d{4}-\d\d-\d\d$/);
  assert.equal(row.stale?.currentVersion, null);
  assert.ok((await plan('weekly-2', 'after-drop')).planId, 'the model on a dropped table still plans');
  await assert.rejects(refitModel(fx.workspace, 'weekly-2', { mode: 'refresh' }), /was dropped; harmonize it again/);
  // Harmonized again under the same name: numbering goes on.
  assert.equal((await withWorkspace(fx.workspace, (ws) => harmonize(ws, { name: 'weekly', grain: 'week', datasets: ['media', 'sales', 'factors'] }))).version, 4);
});

test('a workspace from before versions opens with its tables as version 1 and its models on them', async () => {
  const legacy = await harmonizedWorkspace({ weeks: 60, channels: 2, until: 56 });
  try {
    const id = await legacy.fit();
    // Take the workspace back to before versions: no version column, no history, models that name no version.
    await withWorkspace(legacy.workspace, async (ws) => {
      await ws.run('ALTER TABLE harmonized DROP COLUMN version');
      await ws.run('DROP TABLE harmonized_versions');
      await ws.run(`UPDATE models SET config = json_merge_patch(config, '{"data": {"version": null}}')`);
      assert.equal(await ws.value(`SELECT json_extract(config, '$.data.version') FROM models`), null);
    });
    const [t] = await withWorkspace(legacy.workspace, (ws) => listHarmonized(ws));
    assert.deepEqual([t.version, t.versions.length], [1, 1]);
    const row = (await withWorkspace(legacy.workspace, (ws) => listModelsWithStatus(ws)))[0];
    assert.deepEqual([row.id, row.version, row.stale], [id, 1, null]);
    // Replaced: the old model keeps version 1's rows.
    assert.equal((await legacy.reharmonize()).version, 2);
    const { fitted } = await loadFittedModel(legacy.workspace, id);
    assert.equal(fitted.actual.length, 56);
    assert.match((await withWorkspace(legacy.workspace, (ws) => listModelsWithStatus(ws)))[0].stale?.reason ?? '', /4 more weeks/);
  } finally {
    legacy.cleanup();
  }
});
