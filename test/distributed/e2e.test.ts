/**
 * End to end: `buildApp` with the distributed runner on a private redis-server, one `marginal worker`
 * child process (bin/marginal), a NUTS fit through the REST API: the worker runs it, progress reaches
 * the job, and the model lands in the server's workspace. Then the worker stops on SIGTERM.
 */
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import { resolve } from 'node:path';
import type { FastifyInstance } from 'fastify';
import { demoConfig, demoFiles, ingestVia, testApp, waitJob } from '../server/helpers.ts';
import { skipWithoutRedis, startRedis, type TestRedis } from './redis.ts';

const BIN = resolve(import.meta.dirname, '../../bin/marginal');
const QUEUE = 'e2e';
let redis: TestRedis | undefined;
let app: FastifyInstance | undefined;
let worker: ChildProcess | undefined;
let workerLog = '';
let workerExit: Promise<number | null> | undefined;

function startWorkerProcess(url: string): void {
  worker = spawn(process.execPath, [BIN, 'worker', '--redis', url, '--queue', QUEUE, '--concurrency', '1', '--name', 'e2e-worker'], { stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, MARGINAL_REDIS: '' } });
  worker.stdout!.on('data', (d) => { workerLog += d; });
  worker.stderr!.on('data', (d) => { workerLog += d; });
  const w = worker;
  workerExit = new Promise((r) => w.once('exit', (code) => r(code)));
}

/** SIGTERM, then SIGKILL after `ms`: the exit code, or null when it had to be killed. */
async function stopWorker(ms = 10_000): Promise<number | null> {
  if (!worker || worker.exitCode !== null || worker.signalCode !== null) return worker?.exitCode ?? null;
  worker.kill('SIGTERM');
  const t = setTimeout(() => worker!.kill('SIGKILL'), ms);
  const code = await workerExit!;
  clearTimeout(t);
  return code;
}

before(async () => {
  if (skipWithoutRedis) return;
  redis = await startRedis();
  startWorkerProcess(redis.url);
});
after(async () => {
  await app?.close();
  await stopWorker(2000);
  await redis?.stop();
});

test('a fit through the API runs on a `marginal worker` process and lands in the workspace', { skip: skipWithoutRedis, timeout: 120_000 }, async () => {
  const demo = demoFiles(104, 2);
  const channels = demo.sim.truth.channels.map((c) => c.name);
  ({ app } = await testApp(demo.workspace, { redis: redis!.url, queue: QUEUE }));
  for (const [file, kind, name] of [[demo.files.media, 'summary', 'media'], [demo.files.sales, 'conversions', 'sales'], [demo.files.factors, 'factors', 'factors']] as const) {
    assert.equal((await ingestVia(app, file, kind, name)).statusCode, 201);
  }
  assert.equal((await app.inject({ method: 'POST', url: '/api/harmonized', payload: { name: 'demo', grain: 'week' } })).statusCode, 201);

  const post = await app.inject({ method: 'POST', url: '/api/models/demo/fit', payload: { config: demoConfig(channels), chains: 2, warmup: 40, draws: 40, seed: 3 } });
  assert.equal(post.statusCode, 202, post.body);
  const job = await waitJob(app, post.json().id, 90_000);
  assert.equal(job.status, 'succeeded', `${JSON.stringify(job.error)}\nworker log:\n${workerLog}`);
  assert.equal(job.worker, 'e2e-worker');
  assert.deepEqual(Object.keys(job.chains).sort(), ['0', '1'], 'per-chain progress came back from the worker');
  assert.match(job.result.modelId, /^demo-\d+$/);

  // The submitting process stored it: the model is in this workspace, with its draws.
  const model = await app.inject({ url: `/api/models/${job.result.modelId}` });
  assert.equal(model.statusCode, 200, model.body);
  assert.deepEqual(model.json().output.channels.map((c: { name: string }) => c.name), channels);
  const list = (await app.inject({ url: '/api/models' })).json();
  assert.ok(list.some((m: { id: string }) => m.id === job.result.modelId));
  assert.equal((await app.inject({ url: `/api/models/${job.result.modelId}/insights` })).statusCode, 200);
  assert.match(workerLog, new RegExp(`job ${job.id} fit: succeeded`));

  // The worker stops cleanly on SIGTERM (nothing in hand).
  assert.equal(await stopWorker(), 0, workerLog);
  assert.match(workerLog, /stopped after 1 job/);
});
