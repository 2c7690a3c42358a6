/**
 * The model lifecycle over the API: GET /api/models and /api/models/:id say when a model is stale (in
 * words) and which plans depend on it; POST /api/models/:id/refresh queues the fit job on the current
 * table version (optionally with curve priors from the posterior); PATCH renames; POST …/duplicate
 * gives a config copy; DELETE is refused with the dependent plans listed (409), then forced with
 * `?force=true`; GET /api/overview gives the workspace at a glance, and a first-run state when empty.
 */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { FastifyInstance } from 'fastify';
import { optimizePlan } from '../../src/app/plan.ts';
import { parsePlan } from '../../src/planning/index.ts';
import { harmonizedWorkspace } from '../support/harmonizedWorkspace.ts';
import { testApp, waitJob } from './helpers.ts';

let fx: Awaited<ReturnType<typeof harmonizedWorkspace>>;
let app: FastifyInstance;
before(async () => {
  fx = await harmonizedWorkspace({ weeks: 80, until: 72 });
  await fx.fit();
  await optimizePlan(fx.workspace, parsePlan({ name: 'q', model: 'weekly-1', budget: 4e5, periods: 8, draws: 30 }));
  await fx.reharmonize();
  ({ app } = await testApp(fx.workspace));
});
after(async () => { await app?.close(); fx?.cleanup(); });

const get = async (url: string) => { const r = await app.inject({ url }); assert.equal(r.statusCode, 200, r.body); return r.json(); };

test('a stale model is marked in the list and in its answer, with its dependent plans', async () => {
  const [m] = await get('/api/models');
  assert.equal(m.id, 'weekly-1');
  assert.deepEqual([m.table, m.version, m.target], ['weekly', 1, 'revenue']);
  assert.match(m.stale.reason, /^fitted on version 1 of 'weekly'; version 2 \(\d{4}-\d\d-\d\d, 8 more weeks\) is newer$/);
  assert.deepEqual(m.plans, [{ id: 'q-1', name: 'q' }]);
  const one = await get('/api/models/weekly-1');
  assert.deepEqual(one.stale, m.stale);
  assert.equal(one.config.data.version, 1);
  const o = await get('/api/overview');
  assert.deepEqual(o.stale.map((s: { id: string }) => s.id), ['weekly-1']);
  assert.equal(o.kpis[0].health.level, 'caution');
  assert.deepEqual(o.plans.map((p: { id: string; status: string }) => [p.id, p.status]), [['q-1', 'stale']]);
});

test('refresh queues the fit on the current version; the new model supersedes the stale one', async () => {
  const started = await app.inject({ method: 'POST', url: '/api/models/weekly-1/refresh', payload: { usePosteriorAsPriors: true } });
  assert.equal(started.statusCode, 202, started.body);
  assert.equal(started.json().meta.refreshOf, 'weekly-1');
  const done = await waitJob(app, started.json().id);
  assert.equal(done.status, 'succeeded', JSON.stringify(done.error));
  assert.equal(done.result.modelId, 'weekly-2');
  const fresh = await get('/api/models/weekly-2');
  assert.deepEqual([fresh.config.data.version, fresh.stale, fresh.refreshedFrom], [2, null, 'weekly-1']);
  assert.ok(fresh.config.priors.curves.tv.decay, 'curve priors from the posterior');
  assert.equal((await get('/api/models/weekly-1')).stale.supersededBy, 'weekly-2');
  assert.deepEqual((await get('/api/overview')).stale, []);
  const bad = await app.inject({ method: 'POST', url: '/api/models/weekly-1/refresh', payload: { usePosteriorAsPriors: 'yes' } });
  assert.equal(bad.statusCode, 400);
});

test('rename, duplicate, and delete refused with the dependent plans listed, then forced', async () => {
  const renamed = await app.inject({ method: 'PATCH', url: '/api/models/weekly-1', payload: { name: 'Brand, Q3' } });
  assert.equal(renamed.statusCode, 200, renamed.body);
  assert.deepEqual([renamed.json().id, renamed.json().name], ['weekly-1', 'Brand, Q3']);
  assert.equal((await app.inject({ method: 'PATCH', url: '/api/models/weekly-1', payload: { name: 'x'.repeat(81) } })).statusCode, 400);
  const dup = await app.inject({ method: 'POST', url: '/api/models/weekly-1/duplicate', payload: {} });
  assert.equal(dup.statusCode, 200, dup.body);
  assert.deepEqual([dup.json().name, dup.json().config.name, dup.json().config.data.version], ['weekly-copy', 'weekly-copy', undefined]);

  await get('/api/models/weekly-1/insights');
  const refused = await app.inject({ method: 'DELETE', url: '/api/models/weekly-1' });
  assert.equal(refused.statusCode, 409);
  assert.match(refused.json().detail, /^model 'weekly-1' has 1 saved plan that depends on it: q-1;/);
  assert.deepEqual(refused.json().problems.map((p: { value: string }) => p.value), ['q-1']);
  const forced = await app.inject({ method: 'DELETE', url: '/api/models/weekly-1?force=true' });
  assert.equal(forced.statusCode, 200, forced.body);
  assert.deepEqual(forced.json(), { deleted: 'weekly-1', plans: [{ id: 'q-1', name: 'q' }] });
  assert.equal((await app.inject({ url: '/api/models/weekly-1' })).statusCode, 404);
  assert.equal((await app.inject({ url: '/api/models/weekly-1/insights' })).statusCode, 404, 'its cached insights went with it');
  assert.deepEqual((await get('/api/overview')).plans.map((p: { status: string }) => p.status), ['model deleted']);
});

test('an empty workspace: the overview says what to do first', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'marginal-empty-'));
  const { app: empty } = await testApp(join(dir, 'ws.duckdb'));
  try {
    const o = (await empty.inject({ url: '/api/overview' })).json();
    assert.deepEqual([o.empty, o.next.step, o.kpis], [true, 'upload', []]);
  } finally {
    await empty.close();
    rmSync(dir, { recursive: true, force: true });
  }
});
