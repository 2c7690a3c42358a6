import type { Command } from 'commander';
import { badInput } from '../../errors.ts';

/**
 * `marginal worker --redis URL [--concurrency N] [--queue NAME] [--name NAME]`: takes fit, plan and
 * touchpoint jobs from the Redis queue that `marginal serve --redis URL` fills, and runs each in a
 * worker thread (see docs/distributed.md). It needs no workspace. Ctrl+C (SIGINT/SIGTERM) finishes
 * the jobs in hand and stops; a second Ctrl+C stops at once (those jobs go back to the queue).
 */
export function register(program: Command): void {
  program
    .command('worker')
    .description('Take jobs from a Redis queue (filled by `marginal serve --redis URL`) and run them')
    .option('--redis <url>', 'Redis server (default $MARGINAL_REDIS)')
    .option('--concurrency <n>', 'jobs at once, each in its own thread', '1')
    .option('--queue <name>', 'queue name (default $MARGINAL_QUEUE or "jobs"; the server must use the same)')
    .option('--name <name>', 'this worker\'s name in job info and logs (default host-pid-random)')
    .action(async (opts: { redis?: string; concurrency: string; queue?: string; name?: string }) => {
      const redis = opts.redis ?? process.env.MARGINAL_REDIS;
      if (!redis) throw badInput('marginal worker needs a Redis server: --redis redis://HOST:6379 (or set MARGINAL_REDIS)');
      const concurrency = Number(opts.concurrency);
      if (!Number.isInteger(concurrency) || concurrency < 1 || concurrency > 256) throw badInput(`--concurrency must be an integer 1–256; got '${opts.concurrency}'`);
      const { startWorker, redactUrl, DEFAULT_QUEUE } = await import('../../jobs/distributed/index.ts');
      const queue = opts.queue ?? process.env.MARGINAL_QUEUE ?? DEFAULT_QUEUE;
      const log = (line: string) => process.stderr.write(`${new Date().toISOString()} ${line}\n`);
      const worker = await startWorker({ redis, queue, concurrency, name: opts.name, log });
      log(`worker ${worker.name} taking jobs from ${redactUrl(redis)} (queue '${queue}', concurrency ${concurrency})`);
      await new Promise<void>((resolveStop) => {
        let signals = 0;
        const stop = () => {
          signals++;
          if (signals === 1) {
            log('stopping: finishing the jobs in hand (Ctrl+C again to stop now; they go back to the queue)');
            void worker.close().then(() => resolveStop());
          } else if (signals === 2) {
            void worker.close(true).then(() => resolveStop());
          }
        };
        process.on('SIGINT', stop);
        process.on('SIGTERM', stop);
      });
      log(`worker ${worker.name} stopped after ${worker.finished} job(s)`);
    });
}
