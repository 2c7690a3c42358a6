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
import { useTestTasks } from '../support/jobTasks.ts';

useTestTasks();

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
    const strip = (r: unknown) => ({ ...(r as object), diagnostics: { ...(r as { diagnostics: object }).diagnostics, seconds: 0, phases: undefined } });
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

/** `p`, or a rejection naming `what` after `ms`. */
async function within<T>(p: Promise<T>, ms: number, what: string): Promise<T> {
  let t: NodeJS.Timeout | undefined;
  try {
    return await Promise.race([p, new Promise<never>((_, rej) => { t = setTimeout(() => rej(new Error(`${what}: not within ${ms} ms`)), ms); })]);
  } finally { clearTimeout(t); }
}

async function until(what: string, cond: () => boolean | Promise<boolean>, ms = 15_000): Promise<void> {
  const t0 = Date.now();
  while (!(await cond())) {
    assert.ok(Date.now() - t0 < ms, `timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

// Redis paused (SIGSTOP) for twice the lock's length while a job computes: the lock lapses inside Redis
// while the worker's thread goes on. Before the run record, the stalled check put the job back in the
// queue and another worker computed it again from the start (two computations, the first result refused).
// Now it is computed once and its result stored once — whether the worker takes its lock back (relock;
// the stalled check runs rarely here, so it cannot move the job first) or the job goes back to the queue
// first (relock off, a stalled check every 500 ms) and the worker that takes it waits for the first
// one's result.
for (const relock of [true, false]) {
  test(`Redis paused longer than the lock mid-job (${relock ? 'lock taken back' : 'job retaken by the stalled check'}): computed once, stored once, the worker shown while running`, { skip: skipWithoutRedis, timeout: 90_000 }, async () => {
    const own = await startRedis();
    const queue = `pause-${randomBytes(4).toString('hex')}`;
    const lines: string[] = [];
    const opts = { redis: own.url, queue, lockMs: 2000, stalledMs: relock ? 60_000 : 500, relock };
    const a = await startWorker({ ...opts, name: 'a', log: (l) => lines.push(`a ${l}`) });
    const b = await startWorker({ ...opts, name: 'b', log: (l) => lines.push(`b ${l}`) });
    const runner = await DistributedRunner.open({ redis: own.url, queue, reconcileMs: 500 });
    let finishes = 0;
    try {
      const job = runner.submit({ kind: 'test:sleep', prepare: async () => ({ ms: 7000, ticks: 14 }), finish: async (out: unknown) => { finishes++; return out; } });
      const iterations: number[] = [];
      runner.subscribe(job.id, (e) => { if (e.type === 'progress') iterations.push((e.progress as { iteration: number }).iteration); });
      await until('the job to run on a worker', () => runner.get(job.id).status === 'running' && iterations.length > 0);
      const shown = runner.get(job.id).worker;
      assert.ok(shown === 'a' || shown === 'b', `the job view names its worker while running: ${shown}`);
      own.process.kill('SIGSTOP');
      try { await new Promise((r) => setTimeout(r, 4500)); } finally { own.process.kill('SIGCONT'); }
      const done = await within(runner.wait(job.id), 40_000, 'the job to finish after Redis came back');
      const log = lines.filter((l) => l.includes(job.id)).join('\n');
      assert.equal(done.status, 'succeeded', `${JSON.stringify(done.error)}\n${log}`);
      assert.deepEqual(done.result, { slept: 7000 });
      assert.equal(lines.filter((l) => l.endsWith(`job ${job.id} test:sleep: started`)).length, 1, `computed once:\n${log}`);
      for (let i = 1; i < iterations.length; i++) assert.ok(iterations[i] > iterations[i - 1], `progress never started over: ${iterations.join()}`);
      assert.equal(lines.filter((l) => l.includes(`job ${job.id} test:sleep: succeeded in`)).length, 1, `stored once:\n${log}`);
      assert.doesNotMatch(log, /discarded/);
      assert.equal(finishes, 1, 'the result reached the submitter once');
      assert.equal(done.worker, shown, 'the worker that computed it');
      assert.match(log, /lock lapsed while Redis was unreachable/, `the pause did take the lock away (else this test shows nothing)\n${log}`);
      if (relock) assert.match(log, /lock lapsed while Redis was unreachable; taken back/, log);
      else assert.match(log, /waiting for that result|already computed by worker/, `the job was taken again and not recomputed:\n${log}`);
      // Nothing left behind in Redis: no payload and no run record once the result is collected.
      const ioredis = await import('ioredis');
      const r = new ioredis.Redis(own.url);
      try { assert.deepEqual(await r.keys(`marginal:${queue}:payload:*`), []); assert.deepEqual(await r.keys(`marginal:${queue}:run:*`), []); } finally { r.disconnect(); }
    } finally {
      await runner.close();
      await a.close(true);
      await b.close(true);
      await own.stop();
    }
  });
}

test('Redis restarted empty mid-job: the worker says its result is discarded (not "succeeded"), stores nothing, and the job fails as lost', { skip: skipWithoutRedis, timeout: 60_000 }, async () => {
  let own = await startRedis();
  const queue = `restart-${randomBytes(4).toString('hex')}`;
  const lines: string[] = [];
  const w = await startWorker({ redis: own.url, queue, name: 'w', log: (l) => lines.push(l) });
  const runner = await DistributedRunner.open({ redis: own.url, queue, reconcileMs: 500 });
  try {
    const job = runner.submit({ kind: 'test:sleep', prepare: async () => ({ ms: 2500, ticks: 5 }) });
    await until('the job to run', () => runner.get(job.id).status === 'running');
    await own.stop();
    own = await startRedis(own.port); // the same address, no data
    const done = await within(runner.wait(job.id), 20_000, 'the submitter to notice the lost job');
    assert.equal(done.status, 'failed');
    assert.match(done.error!.detail, /no longer in the queue/);
    await until('the worker to finish the task', () => lines.some((l) => l.startsWith(`job ${job.id} test:sleep: finished in`)), 20_000);
    const log = lines.join('\n');
    assert.match(log, new RegExp(`job ${job.id} test:sleep: finished in [\\d.]+ s, but the result is discarded: the job is no longer in Redis`));
    assert.doesNotMatch(log, /succeeded/);
    const ioredis = await import('ioredis');
    const r = new ioredis.Redis(own.url);
    try { assert.deepEqual(await r.keys(`marginal:${queue}:payload:*`), [], 'no orphan output stored in the new Redis'); } finally { r.disconnect(); }
  } finally {
    await runner.close();
    await w.close(true);
    await own.stop();
  }
});

// The race behind "workers: ,w1,w1,w0": the reconciler read a job while it was active, the job completed,
// then its state read 'completed' and the completion was handled with the return value of the stale read
// (none), so the job had no worker. Forced here: the runner's event stream is closed (every outcome comes
// through the reconciler) and every read of the job made while it is active is held until it has completed.
test('a completion found by the reconciler from a read made while the job was active still names its worker', { skip: skipWithoutRedis, timeout: 60_000 }, async () => {
  const queue = `race-${randomBytes(4).toString('hex')}`;
  const w = await startWorker({ redis: redis!.url, queue, name: 'w' });
  const runner = await DistributedRunner.open({ redis: redis!.url, queue, reconcileMs: 200 });
  const inside = runner as unknown as { events: { close(): Promise<void> }; queue: { getJob(id: string): Promise<{ getState(): Promise<string> } | undefined> } };
  try {
    await inside.events.close();
    const getJob = inside.queue.getJob.bind(inside.queue);
    let stale = 0;
    inside.queue.getJob = async (id: string) => {
      const job = await getJob(id);
      if (job && (await job.getState()) === 'active') {
        stale++;
        await until('the job to complete', async () => (await job.getState()) === 'completed');
      }
      return job;
    };
    const job = runner.submit({ kind: 'test:sleep', prepare: async () => ({ ms: 600, ticks: 2 }) });
    const done = await within(runner.wait(job.id), 20_000, 'the job to finish');
    assert.ok(stale >= 1, 'the reconciler read the job while it was active');
    assert.equal(done.status, 'succeeded', JSON.stringify(done.error));
    assert.equal(done.worker, 'w');
  } finally {
    await runner.close();
    await w.close(true);
  }
});

test('a job claimed by a worker that then died without a word (no heartbeat) is taken over and computed once', { skip: skipWithoutRedis, timeout: 60_000 }, async () => {
  const queue = `ghost-${randomBytes(4).toString('hex')}`;
  const lines: string[] = [];
  const w = await startWorker({ redis: redis!.url, queue, name: 'w', lockMs: 1000, stalledMs: 500, log: (l) => lines.push(l) });
  const runner = await DistributedRunner.open({ redis: redis!.url, queue, reconcileMs: 500 });
  const ioredis = await import('ioredis');
  const r = new ioredis.Redis(redis!.url);
  try {
    // As a worker killed with SIGKILL leaves it: the job claimed, its heartbeat stopped.
    let setId!: (id: string) => void;
    const id = new Promise<string>((res) => { setId = res; });
    const job = runner.submit({ kind: 'test:sleep', prepare: async () => {
      await r.hset(`marginal:${queue}:run:${await id}`, { state: 'computing', worker: 'ghost', run: 'dead', beat: 7 });
      return { ms: 300, ticks: 2 };
    } });
    setId(job.id);
    const t0 = Date.now();
    const done = await within(runner.wait(job.id), 20_000, 'the job to be taken over');
    assert.equal(done.status, 'succeeded', `${JSON.stringify(done.error)}\n${lines.join('\n')}`);
    assert.equal(done.worker, 'w');
    const log = lines.join('\n');
    assert.match(log, /worker ghost is computing it: waiting/);
    assert.match(log, /worker ghost gave no sign of life for 1\.0 s: computing it here/);
    assert.equal(lines.filter((l) => l.endsWith(': started')).length, 1);
    assert.ok(Date.now() - t0 < 10_000, `taken over in ${Date.now() - t0} ms`);
  } finally {
    r.disconnect();
    await runner.close();
    await w.close(true);
  }
});
