import { test } from 'node:test';
import assert from 'node:assert/strict';
import { JobRunner } from './runner.ts';
import { useTestTasks } from '../../test/support/jobTasks.ts';

useTestTasks();

test('a job runs in a worker, reports progress and finishes on the caller thread', async () => {
  const runner = new JobRunner();
  const seen: unknown[] = [];
  const job = runner.submit({ kind: 'test:sleep', prepare: async () => ({ ms: 50, ticks: 3 }), finish: async (out: { slept: number }) => ({ ...out, finished: true }) });
  runner.subscribe(job.id, (e) => { if (e.type === 'progress') seen.push(e.progress); });
  const done = await runner.wait(job.id);
  assert.equal(done.status, 'succeeded');
  assert.deepEqual(done.result, { slept: 50, finished: true });
  assert.deepEqual(seen, [{ iteration: 1, total: 3 }, { iteration: 2, total: 3 }, { iteration: 3, total: 3 }]);
});

test('a crash in the worker fails that job only; the next job still runs', async () => {
  const runner = new JobRunner();
  const bad = runner.submit({ kind: 'test:crash', prepare: async () => null });
  const good = runner.submit({ kind: 'test:sleep', prepare: async () => ({ ms: 10, ticks: 1 }) });
  const b = await runner.wait(bad.id);
  assert.equal(b.status, 'failed');
  assert.equal(b.error!.error, 'INTERNAL');
  assert.match(b.error!.detail, /crashed: boom/);
  assert.equal((await runner.wait(good.id)).status, 'succeeded');
});

test('a coded error in a task keeps its code and message', async () => {
  const runner = new JobRunner();
  const j = await runner.wait(runner.submit({ kind: 'test:fail', prepare: async () => null }).id);
  assert.equal(j.status, 'failed');
  assert.deepEqual(j.error, { error: 'BAD_INPUT', detail: 'bad job input: `x` must be positive; got -1' });
});

test('cancel stops a running job, frees its slot, and a finished job cannot be cancelled', async () => {
  const runner = new JobRunner({ concurrency: 1 });
  const slow = runner.submit({ kind: 'test:sleep', prepare: async () => ({ ms: 20_000, ticks: 2 }) });
  const next = runner.submit({ kind: 'test:sleep', prepare: async () => ({ ms: 10, ticks: 1 }) });
  assert.equal(runner.get(next.id).status, 'queued');
  await new Promise((r) => setTimeout(r, 100));
  assert.equal(runner.cancel(slow.id).status, 'cancelled');
  assert.equal((await runner.wait(next.id)).status, 'succeeded');
  assert.throws(() => runner.cancel(next.id), (e: Error & { code?: string }) => e.code === 'CONFLICT');
  assert.throws(() => runner.get('../../etc'), (e: Error & { code?: string }) => e.code === 'NOT_FOUND');
});

test('a failing prepare fails the job without starting a worker', async () => {
  const runner = new JobRunner();
  const j = await runner.wait(runner.submit({ kind: 'test:sleep', prepare: async () => { throw new Error('no table'); } }).id);
  assert.equal(j.status, 'failed');
  assert.equal(j.error!.detail, 'no table');
});

test('a job past its time limit is stopped, fails with TIMED_OUT, and frees its slot', async () => {
  const runner = new JobRunner({ concurrency: 1 });
  const t0 = Date.now();
  const slow = runner.submit({ kind: 'test:sleep', timeoutMs: 300, prepare: async () => ({ ms: 30_000, ticks: 3 }) });
  const next = runner.submit({ kind: 'test:sleep', timeoutMs: 10_000, prepare: async () => ({ ms: 10, ticks: 1 }) });
  const s = await runner.wait(slow.id);
  assert.equal(s.status, 'failed');
  assert.equal(s.error!.error, 'TIMED_OUT');
  assert.match(s.error!.detail, /stopped after 0\.3 s.*MARGINAL_JOB_TIMEOUT_MIN/);
  assert.equal((await runner.wait(next.id)).status, 'succeeded');
  assert.ok(Date.now() - t0 < 10_000, `the queue waited ${Date.now() - t0} ms`);
});

test('a time limit past what a timer can hold is no limit, not an instant failure', async () => {
  const runner = new JobRunner();
  const j = await runner.wait(runner.submit({ kind: 'test:sleep', timeoutMs: 2 ** 31 + 5, prepare: async () => ({ ms: 50, ticks: 1 }) }).id);
  assert.equal(j.status, 'succeeded');
});
