/**
 * The shared job tests (suite.ts) on the distributed runner: a private redis-server, a
 * `DistributedRunner` and `slots` workers (concurrency 1 each, in this process; each runs its tasks in
 * worker threads). Every harness uses its own queue, so tests never see each other's jobs.
 */
import { after, before } from 'node:test';
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
