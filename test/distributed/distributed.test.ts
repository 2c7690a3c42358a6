/**
 * The shared job tests (suite.ts) on the distributed runner: a private redis-server, a
 * `DistributedRunner` and `slots` workers (concurrency 1 each, in this process; each runs its tasks in
 * worker threads). Every harness uses its own queue, so tests never see each other's jobs.
 */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { DistributedRunner, startWorker, type WorkerHandle } from '../../src/jobs/distributed/index.ts';
import { runnerSuite } from './suite.ts';
import { skipWithoutRedis, startRedis, type TestRedis } from './redis.ts';

let redis: TestRedis | undefined;
before(async () => { if (!skipWithoutRedis) redis = await startRedis(); });
after(async () => { await redis?.stop(); });

runnerSuite('distributed runner', async (slots) => {
  const url = redis!.url;
  const queue = `test-${randomBytes(4).toString('hex')}`;
  const workers: WorkerHandle[] = [];
  for (let i = 0; i < slots; i++) workers.push(await startWorker({ redis: url, queue, concurrency: 1, name: `w${i}`, lockMs: 5000 }));
  const runner = await DistributedRunner.open({ redis: url, queue, reconcileMs: 500 });
  return {
    runner,
    close: async () => {
      await runner.close();
      await Promise.all(workers.map((w) => w.close(true)));
    },
  };
}, { skip: skipWithoutRedis, distributed: true });

test('a worker that dies mid-job: another worker takes the job again and it succeeds', { skip: skipWithoutRedis, timeout: 60_000 }, async () => {
  const url = redis!.url;
  const queue = `test-${randomBytes(4).toString('hex')}`;
  const fast = { lockMs: 1000, stalledMs: 500 };
  const a = await startWorker({ redis: url, queue, name: 'a', ...fast });
  const runner = await DistributedRunner.open({ redis: url, queue, reconcileMs: 500 });
  let b: WorkerHandle | undefined;
  try {
    const job = runner.submit({ kind: 'test:sleep', prepare: async () => ({ ms: 1500, ticks: 3 }) });
    const t0 = Date.now();
    while (runner.get(job.id).status !== 'running') {
      assert.ok(Date.now() - t0 < 15_000, 'worker a took the job');
      await new Promise((r) => setTimeout(r, 20));
    }
    await a.close(true); // as if its machine went away: no answer, the lock lapses
    b = await startWorker({ redis: url, queue, name: 'b', ...fast });
    let t: NodeJS.Timeout | undefined;
    const done = await Promise.race([runner.wait(job.id), new Promise<never>((_, rej) => { t = setTimeout(() => rej(new Error('not retaken within 20 s')), 20_000); })]);
    clearTimeout(t);
    assert.equal(done.status, 'succeeded', JSON.stringify(done.error));
    assert.equal(done.worker, 'b');
    assert.deepEqual(done.result, { slept: 1500 });
  } finally {
    await runner.close();
    await b?.close(true);
  }
});

test('the same fit gives the same result on a worker as in a local thread (same task, same seed)', { skip: skipWithoutRedis, timeout: 60_000 }, async () => {
  const { JobRunner } = await import('../../src/jobs/runner.ts');
  const { fitInput } = await import('./suite.ts');
  const { input } = await fitInput();
  const fast = { ...input, options: { ...input.options, fast: true } };
  const queue = `test-${randomBytes(4).toString('hex')}`;
  const w = await startWorker({ redis: redis!.url, queue });
  const remote = await DistributedRunner.open({ redis: redis!.url, queue });
  const local = new JobRunner();
  try {
    const [a, b] = await Promise.all([
      remote.wait(remote.submit({ kind: 'fit', prepare: async () => fast }).id),
      local.wait(local.submit({ kind: 'fit', prepare: async () => fast }).id),
    ]);
    assert.equal(a.status, 'succeeded', JSON.stringify(a.error));
    assert.equal(b.status, 'succeeded', JSON.stringify(b.error));
    const strip = (r: unknown) => ({ ...(r as object), diagnostics: { ...(r as { diagnostics: object }).diagnostics, seconds: 0 } });
    assert.deepEqual(strip(a.result), strip(b.result));
  } finally {
    await remote.close();
    await local.close();
    await w.close();
  }
});

test('closing the runner while Redis is gone ends within a bound (server shutdown never hangs)', { skip: skipWithoutRedis, timeout: 30_000 }, async () => {
  const { startRedis: start } = await import('./redis.ts');
  const own = await start();
  const runner = await DistributedRunner.open({ redis: own.url, queue: 'gone' });
  const job = runner.submit({ kind: 'test:sleep', prepare: async () => ({ ms: 10_000, ticks: 2 }) });
  await new Promise((r) => setTimeout(r, 200));
  await own.stop();
  const t0 = Date.now();
  await runner.close();
  assert.ok(Date.now() - t0 < 9000, `close took ${Date.now() - t0} ms`);
  assert.equal(runner.get(job.id).status, 'cancelled');
});
