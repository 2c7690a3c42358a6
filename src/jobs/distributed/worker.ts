/**
 * The worker side of the distributed runner (`marginal worker`): takes jobs from the BullMQ queue and
 * runs each task in a worker thread through a local `JobRunner` — the same task functions, the same
 * isolation (a crash or out-of-memory fails that job, not the worker) — then puts the output in Redis
 * for the submitting process, which stores it in its workspace. Workers never open a workspace.
 *
 *   const worker = await startWorker({ redis: 'redis://10.0.0.5:6379', concurrency: 2 });
 *   …
 *   await worker.close();          // finish the jobs in hand, take no more
 *   await worker.close(true);      // stop now: the jobs in hand go back to the queue for another worker
 */
import { hostname } from 'node:os';
import { randomBytes } from 'node:crypto';
import { Worker, type Job } from 'bullmq';
import type { Redis } from 'ioredis';
import { JobRunner } from '../runner.ts';
import { badInput } from '../../errors.ts';
import { DEFAULT_QUEUE, PAYLOAD_TTL_S, PREFIX, checkQueue, connect, decode, disconnect, encode, keys, localId, type WireJob, type WireResult } from './shared.ts';

export interface WorkerOptions {
  redis: string;
  queue?: string;
  /** Jobs at once, each in its own thread (default 1). */
  concurrency?: number;
  /** Shown in job info (`worker`) and logs (default `<hostname>-<pid>-<random>`). */
  name?: string;
  /** Least time between two progress messages of a job (ms, default 100): the latest event per chain is kept. */
  progressMs?: number;
  /** A job whose worker stopped answering is taken again after this long (ms, default 30 000). */
  lockMs?: number;
  /** How often this worker looks for jobs whose worker stopped answering (ms, default 30 000). */
  stalledMs?: number;
  /** One line per job start and end (the CLI writes them to stderr). */
  log?: (line: string) => void;
}

export interface WorkerHandle {
  name: string;
  /** Jobs this worker has finished (any outcome). */
  readonly finished: number;
  close(force?: boolean): Promise<void>;
}

export async function startWorker(opts: WorkerOptions): Promise<WorkerHandle> {
  const queue = checkQueue(opts.queue ?? DEFAULT_QUEUE);
  const concurrency = opts.concurrency ?? 1;
  if (!Number.isInteger(concurrency) || concurrency < 1 || concurrency > 256) throw badInput(`--concurrency must be an integer 1–256; got '${opts.concurrency}'`);
  const name = opts.name ?? `${hostname()}-${process.pid}-${randomBytes(2).toString('hex')}`;
  const log = opts.log ?? (() => undefined);
  const k = keys(queue);
  const redis = await connect(opts.redis);
  const conns: Redis[] = [redis];
  const open = async () => { const c = await connect(opts.redis); conns.push(c); return c; };
  const local = new JobRunner({ concurrency, keep: concurrency * 4 });
  /** Local id of each job in hand → its id in the local runner (null until its thread starts). */
  const inHand = new Map<string, string | null>();
  let stopping = false;
  let finished = 0;

  // Cancellation: the submitter flags the job and publishes its id; the worker holding it stops the thread.
  const sub = await open();
  await sub.subscribe(k.cancelChannel);
  sub.on('message', (_channel: string, id: string) => {
    const threadJob = inHand.get(id);
    if (threadJob) { try { local.cancel(threadJob); } catch { /* already over */ } }
  });

  const processor = async (job: Job<WireJob, WireResult>): Promise<WireResult> => {
    const id = localId(job.id!);
    const t0 = Date.now();
    inHand.set(id, null);
    try {
      if (await redis.exists(k.cancelled(id))) throw wireError('CANCELLED', 'cancelled by the user');
      const buf = await redis.getBuffer(k.input(id));
      if (!buf) throw wireError('INTERNAL', `the input of job '${id}' is missing from Redis (expired or deleted)`);
      const input = decode(buf);
      log(`job ${id} ${job.data.kind}: started`);
      const threadJob = local.submit({ kind: job.data.kind, meta: job.data.meta, maxHeapMb: job.data.maxHeapMb, prepare: async () => input });
      inHand.set(id, threadJob.id);
      if (await redis.exists(k.cancelled(id))) local.cancel(threadJob.id); // cancelled while we were starting
      const relay = new ProgressRelay((batch) => job.updateProgress(batch as unknown as object), opts.progressMs ?? 100);
      local.subscribe(threadJob.id, (e) => { if (e.type === 'progress') relay.push(e.progress); });
      const done = await local.wait(threadJob.id);
      await relay.flush();
      if (done.status === 'cancelled' && stopping) await new Promise(() => undefined); // forced stop: the lock lapses and the job is taken again
      if (done.status !== 'succeeded') throw wireError(done.error?.error ?? 'INTERNAL', done.error?.detail ?? 'the task failed', done.error?.problems);
      const out = encode(done.result);
      await redis.set(k.output(id), out, 'EX', PAYLOAD_TTL_S);
      log(`job ${id} ${job.data.kind}: succeeded in ${((Date.now() - t0) / 1000).toFixed(1)} s`);
      return { worker: name, bytes: out.length };
    } catch (err) {
      const reason = (() => { try { const j = JSON.parse((err as Error).message) as { error: string; detail: string }; return `${j.error === 'CANCELLED' ? 'cancelled' : `failed (${j.error})`}: ${j.detail}`; } catch { return `failed: ${(err as Error).message}`; } })();
      log(`job ${id} ${job.data.kind}: ${reason.slice(0, 300)}`);
      throw err;
    } finally {
      inHand.delete(id);
      finished++;
    }
  };

  const worker = new Worker<WireJob, WireResult>(queue, processor, {
    connection: await open(), prefix: PREFIX, name, concurrency, autorun: false,
    // An idle worker long-polls for 1 s at a time: jobs added together can wake just one worker (BullMQ's
    // wake-up marker is one key), and the others then notice the waiting jobs within a second.
    drainDelay: 1,
    lockDuration: opts.lockMs ?? 30_000, stalledInterval: opts.stalledMs ?? 30_000, maxStalledCount: 1,
  });
  worker.on('error', (err) => log(`worker error: ${err.message}`));
  void worker.run().catch((err: Error) => log(`worker stopped: ${err.message}`));
  await worker.waitUntilReady();

  return {
    name,
    get finished() { return finished; },
    async close(force = false) {
      stopping = true;
      if (force) {
        const closing = worker.close(true);
        await local.close(); // terminates the threads; their jobs are retaken after the lock lapses
        await closing;
      } else {
        await worker.close();
        await local.close();
      }
      for (const c of conns) await disconnect(c);
    },
  };
}

/** A task's failure as BullMQ's failure reason: the coded error as JSON (the submitter parses it). */
function wireError(error: string, detail: string, problems?: unknown[]): Error {
  return new Error(JSON.stringify({ error, detail, ...(problems?.length ? { problems } : {}) }));
}

/**
 * Sends a job's progress events in batches, at most one batch per `intervalMs`: between two sends
 * only the latest event per chain (events without a `chain` share one slot) is kept, in order.
 * A NUTS fit emits thousands of events a second; the server shows at most ten a second anyway.
 */
export class ProgressRelay {
  private pending = new Map<string, unknown>();
  private timer: NodeJS.Timeout | null = null;
  private last = 0;
  private chain: Promise<unknown> = Promise.resolve();

  constructor(private send: (batch: unknown[]) => Promise<unknown>, private intervalMs: number) {}

  push(p: unknown): void {
    const c = (p as { chain?: unknown })?.chain;
    const key = typeof c === 'number' ? String(c) : '_';
    this.pending.delete(key);
    this.pending.set(key, p);
    if (!this.timer) this.timer = setTimeout(() => { void this.flush(); }, Math.max(0, this.last + this.intervalMs - Date.now()));
  }

  /** Sends what is pending now; resolves when every batch so far has been sent. */
  flush(): Promise<unknown> {
    if (this.timer) { clearTimeout(this.timer); this.timer = null; }
    if (this.pending.size) {
      const batch = [...this.pending.values()];
      this.pending.clear();
      this.last = Date.now();
      this.chain = this.chain.then(() => this.send(batch)).catch(() => undefined);
    }
    return this.chain;
  }
}
