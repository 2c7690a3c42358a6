/**
 * POST /api/models/:id/design as a job and GET /api/designs/:job/plan: a geo model gets geo tests whose
 * result follows the design-output contract, the plan comes as CSV, and what cannot be designed is
 * refused before anything is queued (a channel the model lacks, a classic model, a bad body).
 */
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { Ajv2020 } from 'ajv/dist/2020.js';
import { fastFitFixture } from '../support/fastFit.ts';
import { testApp, waitJob } from './helpers.ts';

const validate = new Ajv2020({ strict: false }).compile(JSON.parse(readFileSync(new URL('../../contracts/design-output.schema.json', import.meta.url), 'utf8')));
const fx = await fastFitFixture({ weeks: 104, channels: 3, geos: 8, seed: 3 });
const { app } = await testApp(fx.workspace);
after(async () => { await app.close(); fx.cleanup(); });

test('a design job on a geo model: geo tests, the contract, a plan as CSV', async () => {
  const started = await app.inject({ method: 'POST', url: `/api/models/${fx.modelId}/design`, payload: { channels: ['social'], weeks: 4 } });
  assert.equal(started.statusCode, 202, started.body);
  const done = await waitJob(app, started.json().id, 120_000);
  assert.equal(done.status, 'succeeded', JSON.stringify(done.error));
  const { plans, ...design } = done.result as { plans: Record<string, unknown>; tests: { kind: string; channel: string }[] };
  assert.ok(validate(design), JSON.stringify(validate.errors));
  assert.ok(design.tests.length > 0 && design.tests.every((t: { kind: string; channel: string }) => t.kind === 'geo' && t.channel === 'social'));
  assert.equal(Object.keys(plans).length, design.tests.length);
  const csv = await app.inject({ url: `/api/designs/${done.id}/plan?rank=1` });
  assert.equal(csv.statusCode, 200);
  assert.match(csv.headers['content-type'] as string, /text\/csv/);
  const lines = csv.body.trim().split('\n');
  assert.equal(lines[0], 'geo,group,channel,week,planned_spend');
  assert.equal(lines.length, 1 + 8 * 4);
  assert.equal((await app.inject({ url: `/api/designs/${done.id}/plan?rank=999` })).statusCode, 404);
});

test('refused before queueing: a channel the model lacks, a bad body, an unknown model', async () => {
  const bad = await app.inject({ method: 'POST', url: `/api/models/${fx.modelId}/design`, payload: { channels: ['nope'] } });
  assert.equal(bad.statusCode, 400);
  assert.equal(bad.json().problems[0].field, 'channels');
  assert.equal((await app.inject({ method: 'POST', url: `/api/models/${fx.modelId}/design`, payload: { weeks: 0 } })).statusCode, 400);
  assert.equal((await app.inject({ method: 'POST', url: `/api/models/${fx.modelId}/design`, payload: { secret: 1 } })).statusCode, 400);
  assert.equal((await app.inject({ method: 'POST', url: '/api/models/nothing-1/design', payload: {} })).statusCode, 404);
});
