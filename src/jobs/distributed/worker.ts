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
 *
 * **One computation per job, even when a lock is lost.** BullMQ knows that a worker still holds a job
 * only by the job's lock, a Redis key with a time-to-live that the worker renews every `lockMs / 2`.
 * When Redis stops answering for longer than that (paused, swapping, a long fork, a network cut), the
 * lock expires inside Redis while the task goes on computing in its thread; BullMQ's stalled-job check
 * then puts the job back in the queue and another worker — or this one — starts it again from scratch,
 * and the first worker's result is refused. A longer lock only moves the threshold (and delays the
 * retake after a real crash by as much), so the workers keep their own run record per job beside
 * BullMQ's (`keys.run`, a hash; see shared.ts):
 *
 * - Before computing, a worker claims the job in its run record (a script: one claim per job) and then
 *   beats a counter in it every `beatMs` until the task ends.
 * - A worker that takes a job whose record is claimed by another computation does not recompute: it
 *   waits for that result. Whether the claimant is alive is judged by its counter moving, as seen by the
 *   waiting worker over its own clock while Redis answers it (each poll counts at most two beats) — not
 *   by a time-to-live in Redis: a pause of Redis stops the claimant and the watcher alike, so a pause
 *   never makes a claimant look dead, while a claimant that died stops beating for good and the job is
 *   taken over after `lapseMs` of silence.
 * - The result is stored once, keyed by the job id, by whichever computation finishes first (a script
 *   that also refuses to store for a job that no longer exists or was cancelled: that worker logs that
 *   its result was discarded, not "succeeded"). A worker that finds the result stored returns it without
 *   computing, and the job completes with it; a stored failure fails the job with the same coded error.
 * - When a lock renewal fails, the worker takes its lock back if the job is still in BullMQ's active
 *   list and nobody else holds it (the stalled check has not run yet): then nothing was lost and the
 *   job completes here as usual, without waiting for the stalled check. That only shortens the way; the
 *   run record is what keeps the computation single whichever of the two runs first.
 */
import { hostname } from 'node:os';
import { randomBytes } from 'node:crypto';
import { Worker, type Job } from 'bullmq';
import type { Redis } from 'ioredis';
import { JobRunner } from '../runner.ts';
import { badInput } from '../../errors.ts';
import { DEFAULT_QUEUE, PAYLOAD_TTL_S, PREFIX, checkQueue, connect, decode, disconnect, encode, keys, localId, type WireJob, type WireProgress, type WireResult } from './shared.ts';

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
  /**
   * Take a lock lost during a Redis outage back when the job is still active here (default true).
   * Tests turn it off to exercise the other way: the job goes back to the queue, and the worker that
   * takes it waits for this worker's result.
   */
  relock?: boolean;
  /** One line per job start and end (the CLI writes them to stderr). */
  log?: (line: string) => void;
}

export interface WorkerHandle {
  name: string;
  /** Jobs this worker has finished (any outcome). */
  readonly finished: number;
  close(force?: boolean): Promise<void>;
}

// The run record's scripts (see the header). KEYS[1] is always the run record.

/** Claims the computation: KEYS run, cancelled flag, BullMQ job hash; ARGV worker, run token, ttl. */
const CLAIM = `
if redis.call('EXISTS', KEYS[2]) == 1 then return {'cancelled'} end
if redis.call('EXISTS', KEYS[3]) == 0 then return {'gone'} end
local r = redis.call('HMGET', KEYS[1], 'state', 'worker', 'run', 'beat', 'error')
if r[1] == 'ok' or r[1] == 'failed' then return {r[1], r[2] or '', r[5] or ''} end
if r[1] == 'computing' then return {'held', r[2] or '', r[3] or '', tostring(r[4] or '0')} end
redis.call('HSET', KEYS[1], 'state', 'computing', 'worker', ARGV[1], 'run', ARGV[2], 'beat', 0)
redis.call('EXPIRE', KEYS[1], ARGV[3])
return {'mine'}`;

/** Takes over a claim whose computation stopped beating: ARGV its run token, worker, new run token. */
const TAKEOVER = `
if redis.call('HGET', KEYS[1], 'state') ~= 'computing' or redis.call('HGET', KEYS[1], 'run') ~= ARGV[1] then return 0 end
redis.call('HSET', KEYS[1], 'worker', ARGV[2], 'run', ARGV[3], 'beat', 0)
return 1`;

/** One heartbeat of a computation: ARGV its run token. -1 when the claim is no longer its own. */
const BEAT = `
if redis.call('HGET', KEYS[1], 'state') ~= 'computing' or redis.call('HGET', KEYS[1], 'run') ~= ARGV[1] then return -1 end
return redis.call('HINCRBY', KEYS[1], 'beat', 1)`;

/** Gives a claim up (the computation stopped without a result): ARGV its run token. */
const RELEASE = `
if redis.call('HGET', KEYS[1], 'state') == 'computing' and redis.call('HGET', KEYS[1], 'run') == ARGV[1] then redis.call('DEL', KEYS[1]) end
return 0`;

/**
 * Stores a result once: KEYS run, output, cancelled flag, BullMQ job hash, BullMQ lock; ARGV worker,
 * 'ok' | 'failed', the output bytes or the error (JSON), ttl, this worker's lock token.
 * → {'stored', lock still ours 1|0} | {'exists', worker, state, error} | {'gone'} | {'cancelled'} | {'late'}
 */
const STORE = `
if redis.call('EXISTS', KEYS[3]) == 1 then return {'cancelled'} end
if redis.call('EXISTS', KEYS[4]) == 0 then return {'gone'} end
local r = redis.call('HMGET', KEYS[1], 'state', 'worker', 'error')
if not r[1] then return {'late'} end
if r[1] == 'ok' or r[1] == 'failed' then return {'exists', r[2] or '', r[1], r[3] or ''} end
if ARGV[2] == 'ok' then redis.call('SET', KEYS[2], ARGV[3], 'EX', ARGV[4]) else redis.call('HSET', KEYS[1], 'error', ARGV[3]) end
redis.call('HSET', KEYS[1], 'state', ARGV[2], 'worker', ARGV[1])
redis.call('EXPIRE', KEYS[1], ARGV[4])
if redis.call('GET', KEYS[5]) == ARGV[5] then return {'stored', 1} end
return {'stored', 0}`;

/**
 * Takes a lost BullMQ lock back while the job is still active and nobody holds it: KEYS job hash, lock,
 * active list, stalled set; ARGV token, lock ms, BullMQ job id. → 1 renewed or taken back, -1 the job is
 * gone, -2 another worker holds it, -3 it went back to the queue.
 */
const RELOCK = `
if redis.call('EXISTS', KEYS[1]) == 0 then return -1 end
local l = redis.call('GET', KEYS[2])
if l and l ~= ARGV[1] then return -2 end
if not l and not redis.call('LPOS', KEYS[3], ARGV[3]) then return -3 end
redis.call('SET', KEYS[2], ARGV[1], 'PX', ARGV[2])
redis.call('SREM', KEYS[4], ARGV[3])
return 1`;

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const never = () => new Promise<never>(() => undefined);

export async function startWorker(opts: WorkerOptions): Promise<WorkerHandle> {
  const queue = checkQueue(opts.queue ?? DEFAULT_QUEUE);
  const concurrency = opts.concurrency ?? 1;
  if (!Number.isInteger(concurrency) || concurrency < 1 || concurrency > 256) throw badInput(`--concurrency must be an integer 1–256; got '${opts.concurrency}'`);
  const name = opts.name ?? `${hostname()}-${process.pid}-${randomBytes(2).toString('hex')}`;
  const log = opts.log ?? (() => undefined);
  const lockMs = opts.lockMs ?? 30_000;
  /** Heartbeat of a computation, and how long a waiting worker hears none before taking the job over. */
  const beatMs = Math.min(1000, Math.max(50, Math.round(lockMs / 10)));
  const lapseMs = Math.max(Math.round(lockMs / 3), 10 * beatMs);
  const k = keys(queue);
  const redis = await connect(opts.redis);
  const conns: Redis[] = [redis];
  const open = async () => { const c = await connect(opts.redis); conns.push(c); return c; };
  const local = new JobRunner({ concurrency, keep: concurrency * 4 });
  /** Jobs this worker computes: local id → the job's id in the local runner (null until its thread starts). */
  const computing = new Map<string, { thread: string | null }>();
  /** Jobs in hand: BullMQ id → its lock token, and whether a lost lock was already told in the log. */
  const held = new Map<string, { token: string; told: boolean }>();
  /** BullMQ ids whose BullMQ errors (lost lock, missing job) this worker's log has already explained. */
  const explained = new Set<string>();
  let forced = false;
  let finished = 0;

  // Cancellation: the submitter flags the job and publishes its id; the worker computing it stops the thread.
  const sub = await open();
  await sub.subscribe(k.cancelChannel);
  sub.on('message', (_channel: string, id: string) => {
    const thread = computing.get(id)?.thread;
    if (thread) { try { local.cancel(thread); } catch { /* already over */ } }
  });

  /** An error whose outcome is already in the log (the catch below does not log it again). */
  const told = (err: Error) => Object.assign(err, { told: true });

  const processor = async (job: Job<WireJob, WireResult>, token?: string): Promise<WireResult> => {
    const bull = job.id!;
    const id = localId(bull);
    const what = `job ${id} ${job.data.kind}`;
    const t0 = Date.now();
    const hold = { token: token ?? '', told: false };
    held.set(bull, hold);
    const jobKey = worker.toKey(bull);
    try {
      const run = randomBytes(8).toString('hex');
      const claimed = await claimOrWait(id, what, jobKey, run);
      if (claimed !== 'mine') return claimed;
      return await compute(job, id, what, jobKey, run, token ?? '', t0);
    } catch (err) {
      if (forced) return never(); // stopping now (connections closing): the job goes back to the queue
      if (!(err as { told?: boolean }).told) {
        const reason = (() => { try { const j = JSON.parse((err as Error).message) as { error: string; detail: string }; return `${j.error === 'CANCELLED' ? 'cancelled' : `failed (${j.error})`}: ${j.detail}`; } catch { return `failed: ${(err as Error).message}`; } })();
        log(`${what}: ${reason.slice(0, 300)}`);
      }
      throw err;
    } finally {
      if (held.get(bull) === hold) held.delete(bull);
      setTimeout(() => explained.delete(bull), 60_000).unref();
      finished++;
    }
  };

  /**
   * Claims the job's computation ('mine'), or waits for the computation that holds the claim and
   * returns its stored result (or throws its stored error). Each turn polls Redis once, then waits
   * one beat; it ends with a result, a claim, the claimant's silence (taken over), a cancel or a
   * forced stop.
   */
  async function claimOrWait(id: string, what: string, jobKey: string, run: string): Promise<'mine' | WireResult> {
    let watched: { run: string; beat: string; quietMs: number; at: number } | null = null;
    for (;;) {
      if (forced) return never(); // stopping now: the job goes back to the queue when the lock lapses
      const r = await redis.eval(CLAIM, 3, k.run(id), k.cancelled(id), jobKey, name, run, PAYLOAD_TTL_S) as string[];
      if (r[0] === 'mine') return 'mine';
      if (r[0] === 'cancelled') throw wireError('CANCELLED', 'cancelled by the user');
      if (r[0] === 'gone') { log(`${what}: not computed: ${GONE}`); throw told(wireError('INTERNAL', GONE)); }
      if (r[0] === 'ok') {
        log(`${what}: already computed by worker ${r[1]}; its stored result is delivered (not computed again)`);
        return { worker: r[1], bytes: 0 };
      }
      if (r[0] === 'failed') {
        const e = JSON.parse(r[2]) as { error: string; detail: string; problems?: unknown[] };
        log(`${what}: already failed on worker ${r[1]} (${e.error}): not computed again`);
        throw told(wireError(e.error, e.detail, e.problems));
      }
      // 'held': another computation has the claim.
      const [, owner, ownerRun, beat] = r;
      const now = Date.now();
      if (!watched || watched.run !== ownerRun) {
        watched = { run: ownerRun, beat, quietMs: 0, at: now };
        log(`${what}: taken again (its lock lapsed, e.g. while Redis was unreachable); worker ${owner} is computing it: waiting for that result while its heartbeat goes on, instead of computing it again`);
      } else if (beat !== watched.beat) {
        watched.beat = beat; watched.quietMs = 0; watched.at = now;
      } else {
        // At most two beats per poll: time this worker spent waiting for Redis itself does not count.
        watched.quietMs += Math.min(now - watched.at, 2 * beatMs);
        watched.at = now;
        if (watched.quietMs >= lapseMs) {
          if (Number(await redis.eval(TAKEOVER, 1, k.run(id), ownerRun, name, run)) === 1) {
            log(`${what}: worker ${owner} gave no sign of life for ${(lapseMs / 1000).toFixed(1)} s: computing it here`);
            return 'mine';
          }
          watched = null;
          continue;
        }
      }
      await sleep(beatMs);
    }
  }

  /** Computes the job in a thread, beating its claim, and stores the result once. */
  async function compute(job: Job<WireJob, WireResult>, id: string, what: string, jobKey: string, run: string, token: string, t0: number): Promise<WireResult> {
    const mine = { thread: null as string | null };
    computing.set(id, mine);
    const send = (events: unknown[]) => job.updateProgress({ worker: name, events } satisfies WireProgress as unknown as object);
    void send([]).catch(() => undefined); // the job shows this worker from now on
    let beating = true;
    let beatTimer: NodeJS.Timeout | undefined;
    const beat = () => {
      beatTimer = setTimeout(() => {
        void (redis.eval(BEAT, 1, k.run(id), run) as Promise<number>).then((n) => {
          if (Number(n) < 0 && beating) { beating = false; log(`${what}: another worker took the computation over (this one gave no sign of life for a while); going on — the first result stored is kept`); }
        }, () => undefined).finally(() => { if (beating) beat(); });
      }, beatMs);
    };
    beat();
    let stored = false;
    try {
      const buf = await redis.getBuffer(k.input(id));
      if (!buf) throw wireError('INTERNAL', `the input of job '${id}' is missing from Redis (expired or deleted)`);
      const input = decode(buf);
      log(`${what}: started`);
      const threadJob = local.submit({ kind: job.data.kind, meta: job.data.meta, maxHeapMb: job.data.maxHeapMb, timeoutMs: job.data.timeoutMs, prepare: async () => input });
      mine.thread = threadJob.id;
      if (await redis.exists(k.cancelled(id))) local.cancel(threadJob.id); // cancelled while we were starting
      const relay = new ProgressRelay(send, opts.progressMs ?? 100);
      local.subscribe(threadJob.id, (e) => { if (e.type === 'progress') relay.push(e.progress); });
      const done = await local.wait(threadJob.id);
      await relay.flush();
      if (done.status === 'cancelled' && forced) {
        // Forced stop: give the claim up so that the worker retaking the job computes it at once.
        beating = false;
        await redis.eval(RELEASE, 1, k.run(id), run).catch(() => undefined);
        return never();
      }
      if (done.status === 'cancelled') throw wireError('CANCELLED', done.error?.detail ?? 'cancelled by the user');
      const seconds = ((Date.now() - t0) / 1000).toFixed(1);
      const ok = done.status === 'succeeded';
      const out = ok ? encode(done.result) : null;
      const error = ok ? null : { error: done.error?.error ?? 'INTERNAL', detail: done.error?.detail ?? 'the task failed', ...(done.error?.problems?.length ? { problems: done.error.problems } : {}) };
      const r = await redis.eval(STORE, 5, k.run(id), k.output(id), k.cancelled(id), jobKey, `${jobKey}:lock`, name, ok ? 'ok' : 'failed', out ?? JSON.stringify(error), PAYLOAD_TTL_S, token) as (string | number)[];
      stored = true;
      const bull = job.id!;
      if (r[0] === 'stored') {
        if (Number(r[1]) !== 1) explained.add(bull);
        const note = Number(r[1]) === 1 ? '' : ' (result stored; this worker lost the job\'s lock while Redis was unreachable, and the worker that holds the job now delivers this result)';
        if (ok) { log(`${what}: succeeded in ${seconds} s${note}`); return { worker: name, bytes: out!.length }; }
        log(`${what}: failed (${error!.error}) in ${seconds} s: ${error!.detail.slice(0, 300)}${note}`);
        throw told(wireError(error!.error, error!.detail, error!.problems));
      }
      explained.add(bull);
      if (r[0] === 'exists') {
        log(`${what}: finished in ${seconds} s, but worker ${r[1]} had already stored its result for this job: that one is kept, this one discarded`);
        if (r[2] === 'ok') return { worker: String(r[1]), bytes: 0 };
        const e = JSON.parse(String(r[3])) as { error: string; detail: string; problems?: unknown[] };
        throw told(wireError(e.error, e.detail, e.problems));
      }
      if (r[0] === 'cancelled') { log(`${what}: finished in ${seconds} s, but the job was cancelled meanwhile: result discarded`); throw told(wireError('CANCELLED', 'cancelled by the user')); }
      if (r[0] === 'late') { log(`${what}: finished in ${seconds} s, but the job had already been delivered from another worker: result discarded`); throw told(wireError('INTERNAL', 'the job was already finished')); }
      log(`${what}: finished in ${seconds} s, but the result is discarded: ${GONE}`);
      throw told(wireError('INTERNAL', `result discarded: ${GONE}`));
    } catch (err) {
      if (!stored) await redis.eval(RELEASE, 1, k.run(id), run).catch(() => undefined); // no result: whoever retakes it computes
      throw err;
    } finally {
      beating = false;
      clearTimeout(beatTimer);
      if (computing.get(id) === mine) computing.delete(id);
    }
  }

  const worker = new Worker<WireJob, WireResult>(queue, processor, {
    connection: await open(), prefix: PREFIX, name, concurrency, autorun: false,
    // An idle worker long-polls for 1 s at a time: jobs added together can wake just one worker (BullMQ's
    // wake-up marker is one key), and the others then notice the waiting jobs within a second.
    drainDelay: 1,
    lockDuration: lockMs, stalledInterval: opts.stalledMs ?? 30_000, maxStalledCount: 1,
  });
  worker.on('error', (err) => {
    // BullMQ's own report of a lost lock or a vanished job, when this worker's log already says what it means.
    const m = /for job (j[0-9a-z]{12})\b/.exec(err.message);
    if (m && explained.has(m[1])) return;
    log(`worker error: ${err.message}`);
  });
  // A lock renewal failed (Redis was unreachable for longer than the lock): take the lock back if the job
  // is still active here; otherwise the job went back to the queue, and whoever takes it waits for this
  // worker's result (the run record) instead of computing it again.
  worker.on('lockRenewalFailed', (ids: string[]) => {
    for (const bull of ids) {
      const h = held.get(bull);
      if (!h) continue;
      explained.add(bull);
      const what = `job ${localId(bull)}`;
      const jobKey = worker.toKey(bull);
      void (async () => {
        if (opts.relock === false) {
          if (!h.told) log(`${what}: lock lapsed while Redis was unreachable (not taken back: relock is off); the worker that takes the job again will wait for this result instead of computing it again`);
          h.told = true;
          return;
        }
        const r = Number(await redis.eval(RELOCK, 4, jobKey, `${jobKey}:lock`, worker.keys.active, worker.keys.stalled, h.token, lockMs, bull).catch(() => 0));
        if (h.told) return;
        if (r === 1) { log(`${what}: lock lapsed while Redis was unreachable; taken back (the job is still in hand here)`); return; }
        h.told = true;
        if (r === -3) log(`${what}: lock lapsed while Redis was unreachable and the job went back to the queue; the worker that takes it will wait for this result instead of computing it again`);
        else if (r === -2) log(`${what}: lock lapsed while Redis was unreachable; another worker holds the job now and will deliver this worker's result`);
        else if (r === -1) log(`${what}: lock lost: ${GONE}; its result will be discarded`);
        else h.told = false;
      })();
    }
  });
  void worker.run().catch((err: Error) => log(`worker stopped: ${err.message}`));
  await worker.waitUntilReady();

  return {
    name,
    get finished() { return finished; },
    async close(force = false) {
      if (force) {
        forced = true;
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

/** Why a worker cannot deliver a job's result. */
const GONE = 'the job is no longer in Redis (Redis restarted without its data, or the job was removed)';

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
