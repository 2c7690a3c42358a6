/**
 * The server on a real port: 1,000 concurrent GETs while a fit runs (no errors, the fit completes),
 * the bearer token off loopback, cancelling a running NUTS fit.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { startServer } from '../../src/server/listen.ts';
import { demoConfig, demoFiles, ingestVia, testApp } from './helpers.ts';

async function seeded() {
  const demo = demoFiles(80, 2);
  const { app } = await testApp(demo.workspace);
  for (const [file, kind, name] of [[demo.files.media, 'summary', 'media'], [demo.files.sales, 'conversions', 'sales'], [demo.files.factors, 'factors', 'factors']] as const) {
    assert.equal((await ingestVia(app, file, kind, name)).statusCode, 201);
  }
  assert.equal((await app.inject({ method: 'POST', url: '/api/harmonized', payload: { name: 'demo', grain: 'week' } })).statusCode, 201);
  await app.close();
  return { ...demo, channels: demo.sim.truth.channels.map((c) => c.name) };
}

test('1,000 concurrent GETs during a fit: all answered, the fit completes', async () => {
  const demo = await seeded();
  const server = await startServer({ workspace: demo.workspace, port: 0, webRoot: null });
  try {
    const post = await fetch(`${server.url}/api/models/demo/fit`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ config: demoConfig(demo.channels), chains: 2, warmup: 60, draws: 60 }) });
    assert.equal(post.status, 202);
    const job = await post.json() as { id: string };
    const urls = ['/api/models', '/api/datasets', `/api/jobs/${job.id}`, '/api/harmonized/demo', '/api/health'];
    const t0 = performance.now();
    const statuses = await Promise.all(Array.from({ length: 1000 }, (_, i) => fetch(`${server.url}${urls[i % urls.length]}`).then(async (r) => { await r.arrayBuffer(); return r.status; }, (e: Error) => e.message)));
    const seconds = (performance.now() - t0) / 1000;
    const bad = statuses.filter((s) => s !== 200);
    assert.deepEqual(bad, [], `non-200 answers: ${bad.slice(0, 5)}`);
    let status = '';
    for (let i = 0; i < 600 && !['succeeded', 'failed', 'cancelled'].includes(status); i++) {
      status = ((await (await fetch(`${server.url}/api/jobs/${job.id}`)).json()) as { status: string }).status;
      if (status === 'running' || status === 'queued') await new Promise((r) => setTimeout(r, 200));
    }
    assert.equal(status, 'succeeded');
    const models = await (await fetch(`${server.url}/api/models`)).json() as { id: string }[];
    assert.deepEqual(models.map((m) => m.id), ['demo-1']);
    process.stderr.write(`1000 concurrent GETs answered in ${seconds.toFixed(2)} s during a fit\n`);
  } finally { await server.close(); }
});

test('a running NUTS fit can be cancelled; nothing is stored', async () => {
  const demo = await seeded();
  const { app } = await testApp(demo.workspace);
  try {
    const r = await app.inject({ method: 'POST', url: '/api/models/demo/fit', payload: { config: demoConfig(demo.channels), chains: 2, warmup: 2000, draws: 2000 } });
    const id = r.json().id;
    for (let i = 0; i < 100; i++) {
      const j = (await app.inject({ url: `/api/jobs/${id}` })).json();
      if (j.progress) break;
      await new Promise((res) => setTimeout(res, 100));
    }
    const running = (await app.inject({ url: `/api/jobs/${id}` })).json();
    assert.equal(running.status, 'running');
    const chain = Object.values(running.chains)[0] as { phase: string; total: number; iteration: number; divergences: number };
    assert.equal(chain.phase, 'warmup');
    assert.equal(chain.total, 4000);
    assert.ok(chain.iteration >= 1 && chain.divergences >= 0);
    const c = await app.inject({ method: 'DELETE', url: `/api/jobs/${id}` });
    assert.equal(c.statusCode, 200, c.body);
    assert.equal(c.json().status, 'cancelled');
    assert.equal((await app.inject({ method: 'DELETE', url: `/api/jobs/${id}` })).statusCode, 409);
    await new Promise((res) => setTimeout(res, 300));
    assert.deepEqual((await app.inject({ url: '/api/models' })).json(), []);
  } finally { await app.close(); }
});

test('off loopback the server refuses to start without a token, and then requires it', async () => {
  const saved = process.env.MARGINAL_TOKEN;
  delete process.env.MARGINAL_TOKEN;
  try {
    await assert.rejects(startServer({ workspace: '/tmp/unused.duckdb', host: '0.0.0.0', port: 0, webRoot: null }), /MARGINAL_TOKEN/);
    const token = 'a-very-secret-token-123';
    const server = await startServer({ workspace: demoFiles(10, 1).workspace, host: '0.0.0.0', port: 0, token, webRoot: null });
    try {
      const url = server.url.replace('0.0.0.0', '127.0.0.1');
      const no = await fetch(`${url}/api/models`);
      assert.equal(no.status, 401);
      assert.equal(((await no.json()) as { error: string }).error, 'UNAUTHORIZED');
      assert.equal((await fetch(`${url}/api/models`, { headers: { authorization: 'Bearer wrong-token-wrong-token' } })).status, 401);
      assert.equal((await fetch(`${url}/api/models`, { headers: { authorization: `Bearer ${token}` } })).status, 200);
    } finally { await server.close(); }
  } finally { if (saved !== undefined) process.env.MARGINAL_TOKEN = saved; }
});
