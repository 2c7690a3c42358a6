/**
 * A client generated from the API's OpenAPI document type-checks and has real types: openapi-typescript
 * (its Node API) turns the document a test server serves into a .d.ts, a small client file uses its
 * answers as a client would, and the repo's tsc checks it. The `@ts-expect-error` lines fail the check
 * if the answers were typed `any` or `unknown` (an unused expect-error is itself an error).
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { demoFiles, testApp } from './helpers.ts';
import { typeCheckAlone } from '../support/tsc.ts';
// @ts-expect-error: a plain-JavaScript script without type declarations
import { typesOf } from '../../scripts/gen-api-types.mjs';

const client = `
import type { components, paths } from './api';

type Json<P extends keyof paths, M extends keyof paths[P], S extends number> =
  paths[P][M] extends { responses: { [K in S]: { content: { 'application/json': infer T } } } } ? T : never;

export function roiOfFirstChannel(x: Json<'/api/models/{id}/insights', 'get', 200>): number {
  const roi: number = x.channels[0].roi;
  const low: number | null = x.channels[0].roiLow;
  // @ts-expect-error: a channel row has no 'profit'
  x.channels[0].profit;
  // @ts-expect-error: ROI is a number, not text
  const text: string = x.channels[0].roi;
  return roi + (low ?? 0) + text.length;
}

export function planJob(job: Json<'/api/plans', 'post', 202>): string {
  const id: string = job.id;
  const status: 'queued' | 'running' | 'succeeded' | 'failed' | 'cancelled' = job.status;
  // @ts-expect-error: a job has no 'plan'; its result is the plan
  job.plan;
  const plan = job.result as components['schemas']['PlanOutput'] | null;
  return \`\${id} \${status} \${plan?.planId ?? ''} \${plan?.allocation[0].spend.toFixed(0) ?? ''}\`;
}

export function models(list: Json<'/api/models', 'get', 200>): (number | null)[] {
  // @ts-expect-error: r2 may be null
  const r2: number = list[0].r2;
  return list.map((m) => m.r2).concat(r2);
}

export type PlanBody = paths['/api/plans']['post']['requestBody'] extends { content: { 'application/json': infer B } } ? B : never;
export const body: PlanBody = { model: 'demo-1', budget: 1000, periods: 13 };
`;

test('a client generated with openapi-typescript from /api/openapi.json type-checks, with real types', async () => {
  const { app } = await testApp(demoFiles(10, 1).workspace);
  let doc: unknown;
  try {
    const res = await app.inject({ url: '/api/openapi.json' });
    assert.equal(res.statusCode, 200);
    doc = res.json();
  } finally { await app.close(); }
  const dir = mkdtempSync(join(tmpdir(), 'marginal-client-'));
  writeFileSync(join(dir, 'api.d.ts'), await typesOf(doc));
  writeFileSync(join(dir, 'client.ts'), client);
  const r = typeCheckAlone(dir, ['api.d.ts', 'client.ts'], { strict: true, noEmit: true, module: 'esnext', moduleResolution: 'bundler', target: 'es2022', types: [], skipLibCheck: false });
  assert.equal(r.status, 0, r.output);
});
