/**
 * The distributed job runner: the same interface as the local `JobRunner` (src/jobs/runner.ts), but
 * the task runs in a `marginal worker` process on any machine that reaches the Redis server. A job is
 *
 *   prepare (this process: read inputs from the workspace)
 *   → the input goes to Redis, the job to a BullMQ queue
 *   → a worker takes it and runs the task in a worker thread (progress relayed through BullMQ)
 *   → the output comes back through Redis → finish (this process: write results to the workspace).
 *
 * Status: `queued` until a worker takes the job (so `prepare` runs while queued), then `running`, with
 * `worker` set as soon as the worker starts computing (its first progress message names it). Which
 * worker runs it, and how many at once, is up to the workers (`--concurrency`). A task that crashes
 * fails its job only; a worker process that dies mid-job has its job taken again by another worker
 * (BullMQ's stalled-job check) once; a job whose lock lapsed while its worker went on computing (Redis
 * unreachable for a while) is not computed again (see worker.ts); `cancel` removes a waiting job or
 * stops the running thread.
 * Jobs are known to the process that submitted them (ids, progress, results): a second server on the
 * same queue sees only its own jobs.
 *
 *   const runner = await DistributedRunner.open({ redis: 'redis://127.0.0.1:6379' });
 *   const job = runner.submit({ kind: 'fit', prepare: async () => input, finish: async (out) => save(out) });
 *   await runner.wait(job.id);
 *   await runner.close();
 */
import { randomBytes } from 'node:crypto';
import { Queue, QueueEvents } from 'bullmq';
import type { Redis } from 'ioredis';
import { MarginalError, notFound } from '../../errors.ts';
import { CODES, FINAL, JOB_ID, emitJob, endJob, pruneFinished, snapshot, toJobError, type JobError, type JobEvent, type JobInfo, type JobSpec, type JobStatus, type Runner } from '../runner.ts';
import { DEFAULT_QUEUE, PAYLOAD_TTL_S, PREFIX, bullId, checkQueue, connect, decode, disconnect, encode, keys, localId, type WireJob, type WireProgress, type WireResult } from './shared.ts';

export interface DistributedOptions {
  /** redis:// URL of the server the workers also use. */
  redis: string;
  /** Queue name (default `jobs`): workers must use the same. */
  queue?: string;
  /** Finished jobs remembered for get/list (default 200). */
  keep?: number;
  /** How often to check on jobs whose events may have been missed (ms, default 2000). */
  reconcileMs?: number;
}

interface Entry {
  info: JobInfo;
  spec: JobSpec;
  listeners: Set<(e: JobEvent) => void>;
  done: Promise<JobInfo>;
  resolve: (j: JobInfo) => void;
  /** In the queue (set once the input is in Redis and the job added). */
  enqueued: boolean;
  /** Completion being handled (events and the reconciler may both report it). */
  settling: boolean;
}

export class DistributedRunner implements Runner {
  readonly queueName: string;
  private jobs = new Map<string, Entry>();
  private pending = new Set<Promise<unknown>>();
  private timer: NodeJS.Timeout;
  private closed = false;
  private k: ReturnType<typeof keys>;

  private constructor(
    private redis: Redis,
    private queue: Queue,
    private events: QueueEvents,
    private eventsConn: Redis,
    queueName: string,
    private keep: number,
    reconcileMs: number,
  ) {
    this.queueName = queueName;
    this.k = keys(queueName);
    events.on('active', ({ jobId }) => this.active(jobId));
    events.on('progress', ({ jobId, data }) => this.progress(jobId, data));
    events.on('completed', ({ jobId, returnvalue }) => this.completed(jobId, returnvalue as unknown));
    events.on('failed', ({ jobId, failedReason }) => this.failed(jobId, failedReason));
    events.on('error', () => { /* connection trouble: ioredis reconnects; the reconciler catches up */ });
    this.timer = setInterval(() => this.track(this.reconcile()), reconcileMs);
    this.timer.unref();
  }

  /** Connects to Redis (BAD_INPUT if unreachable within 5 s) and starts listening for job events. */
  static async open(opts: DistributedOptions): Promise<DistributedRunner> {
    const queueName = checkQueue(opts.queue ?? DEFAULT_QUEUE);
    const redis = await connect(opts.redis);
    const eventsConn = await connect(opts.redis).catch(async (e) => { await disconnect(redis); throw e; });
    const queue = new Queue(queueName, { connection: redis, prefix: PREFIX });
    queue.on('error', () => { /* reported through the failing calls */ });
    const events = new QueueEvents(queueName, { connection: eventsConn, prefix: PREFIX });
    await events.waitUntilReady();
    return new DistributedRunner(redis, queue, events, eventsConn, queueName, opts.keep ?? 200, opts.reconcileMs ?? 2000);
  }

  submit<I, O, R>(spec: JobSpec<I, O, R>): JobInfo {
    if (this.closed) throw new MarginalError('CONFLICT', 'the job runner is closed');
    const id = randomBytes(6).toString('hex');
    const info: JobInfo = { id, kind: spec.kind, status: 'queued', createdAt: new Date().toISOString(), startedAt: null, finishedAt: null, meta: spec.meta ?? {}, progress: null, chains: {}, result: null, error: null };
    let resolve!: (j: JobInfo) => void;
    const done = new Promise<JobInfo>((r) => { resolve = r; });
    const e: Entry = { info, spec: spec as JobSpec, listeners: new Set(), done, resolve, enqueued: false, settling: false };
    this.jobs.set(id, e);
    pruneFinished(this.jobs, this.keep);
    this.track(this.enqueue(e));
    return snapshot(info);
  }

  get(id: string): JobInfo { return snapshot(this.entry(id).info); }

  list(): JobInfo[] { return [...this.jobs.values()].map((e) => snapshot(e.info)).reverse(); }

  wait(id: string): Promise<JobInfo> { return this.entry(id).done; }

  subscribe(id: string, fn: (e: JobEvent) => void): () => void {
    const e = this.entry(id);
    e.listeners.add(fn);
    return () => { e.listeners.delete(fn); };
  }

  /** Cancels a queued or running job: removes it from the queue, or tells its worker to stop the thread. */
  cancel(id: string): JobInfo {
    const e = this.entry(id);
    if (FINAL.includes(e.info.status)) throw new MarginalError('CONFLICT', `job '${id}' has already ${e.info.status === 'cancelled' ? 'been cancelled' : e.info.status}`);
    endJob(e, 'cancelled', null, { error: 'CANCELLED', detail: 'cancelled by the user' });
    if (e.enqueued) this.track(this.revoke(id));
    return snapshot(e.info);
  }

  /** Cancels every unfinished job of this process, then closes the connections. */
  async close(): Promise<void> {
    if (this.closed) return;
    for (const e of this.jobs.values()) if (!FINAL.includes(e.info.status)) this.cancel(e.info.id);
    this.closed = true;
    clearInterval(this.timer);
    // Bounded: with Redis unreachable, commands wait for a reconnect that may never come.
    const deadline = Date.now() + 3000;
    while (this.pending.size && Date.now() < deadline) await bounded(Promise.allSettled([...this.pending]), deadline - Date.now());
    await bounded(this.events.close().catch(() => undefined), 1000);
    await bounded(this.queue.close().catch(() => undefined), 1000);
    await disconnect(this.eventsConn);
    await disconnect(this.redis);
  }

  private entry(id: string): Entry {
    const e = JOB_ID.test(id) ? this.jobs.get(id) : undefined;
    if (!e) throw notFound('job', id);
    return e;
  }

  /** Keeps a background promise so `close` can wait for it; its failure is handled where it starts. */
  private track(p: Promise<unknown>): void {
    const q = p.catch(() => undefined);
    this.pending.add(q);
    void q.finally(() => this.pending.delete(q));
  }

  private async enqueue(e: Entry): Promise<void> {
    const { info, spec } = e;
    try {
      const input = await spec.prepare();
      if (info.status !== 'queued') return;
      const data: WireJob = { kind: spec.kind, ...(spec.maxHeapMb ? { maxHeapMb: spec.maxHeapMb } : {}), ...(spec.timeoutMs ? { timeoutMs: spec.timeoutMs } : {}), meta: info.meta };
      await this.redis.set(this.k.input(info.id), encode(input), 'EX', PAYLOAD_TTL_S);
      if (info.status !== 'queued') { await this.redis.del(this.k.input(info.id)); return; }
      await this.queue.add(spec.kind, data, { jobId: bullId(info.id), attempts: 1, removeOnComplete: { age: 3600 }, removeOnFail: { age: 24 * 3600 } });
      e.enqueued = true;
      if (info.status !== 'queued' && info.status !== 'running') await this.revoke(info.id);
    } catch (err) {
      if (!FINAL.includes(info.status)) endJob(e, 'failed', null, toJobError(err));
    }
  }

  /** Takes a cancelled job back: flags it, removes it if still waiting, tells a worker running it to stop. */
  private async revoke(id: string): Promise<void> {
    await this.redis.set(this.k.cancelled(id), '1', 'EX', PAYLOAD_TTL_S);
    await this.queue.remove(bullId(id)).catch(() => 0); // a job a worker holds is locked: the message stops it
    await this.redis.publish(this.k.cancelChannel, id);
    await this.redis.del(this.k.input(id), this.k.output(id), this.k.run(id));
  }

  private mine(bull: string): Entry | undefined {
    const e = this.jobs.get(localId(bull));
    return e && !FINAL.includes(e.info.status) ? e : undefined;
  }

  private active(bull: string): void {
    const e = this.mine(bull);
    if (!e || e.info.status !== 'queued') return;
    e.info.status = 'running';
    e.info.startedAt = new Date().toISOString();
    emitJob(e, { type: 'status', job: snapshot(e.info) });
  }

  /** Who computes the job: told by its worker when it starts, and again with its result. */
  private setWorker(e: Entry, worker: unknown): void {
    if (typeof worker !== 'string' || !worker || e.info.worker === worker || FINAL.includes(e.info.status)) return;
    e.info.worker = worker;
    if (e.info.status === 'running') emitJob(e, { type: 'status', job: snapshot(e.info) });
  }

  private progress(bull: string, data: unknown): void {
    const e = this.mine(bull);
    if (!e) return;
    if (e.info.status === 'queued') this.active(bull);
    // The worker names itself and batches events (the latest per chain every ~100 ms): a WireProgress.
    const wire = data as Partial<WireProgress> | null;
    this.setWorker(e, wire?.worker);
    const events = Array.isArray(wire?.events) ? wire.events : Array.isArray(data) ? data : [data];
    for (const p of events) {
      e.info.progress = p;
      const chain = (p as { chain?: unknown })?.chain;
      if (typeof chain === 'number') e.info.chains[String(chain)] = p;
      emitJob(e, { type: 'progress', job: e.info, progress: p });
    }
  }

  private completed(bull: string, returnvalue: unknown): void {
    const e = this.mine(bull);
    if (!e || e.settling) return;
    e.settling = true;
    this.track(this.collect(e, returnvalue));
  }

  /**
   * Fetches the output from Redis and runs `finish` here (e.g. stores the model in the workspace).
   * The worker that computed it is read from the job's run record, written before the job completes
   * in BullMQ — not from the return value, which a reconcile pass may have read before the job
   * completed (a job fetched while active, then found completed, has no return value in hand).
   */
  private async collect(e: Entry, returnvalue: unknown): Promise<void> {
    const { info, spec } = e;
    try {
      const [buf, worker] = await Promise.all([this.redis.getBuffer(this.k.output(info.id)), this.redis.hget(this.k.run(info.id), 'worker')]);
      const wire = (typeof returnvalue === 'string' ? JSON.parse(returnvalue) : returnvalue) as WireResult | null;
      if (worker || wire?.worker) info.worker = worker || wire!.worker;
      if (!info.startedAt) info.startedAt = new Date().toISOString();
      if (!buf) throw new MarginalError('INTERNAL', `the output of job '${info.id}' is missing from Redis (expired or deleted)`);
      const output = decode(buf);
      await this.redis.del(this.k.input(info.id), this.k.output(info.id), this.k.run(info.id));
      if (FINAL.includes(info.status)) return;
      const result = spec.finish ? await spec.finish(output) : output;
      if (FINAL.includes(info.status)) return;
      endJob(e, 'succeeded', result, null);
    } catch (err) {
      if (!FINAL.includes(info.status)) endJob(e, 'failed', null, toJobError(err));
    }
  }

  private failed(bull: string, reason: string): void {
    const e = this.mine(bull);
    if (!e || e.settling) return;
    e.settling = true;
    this.track(this.redis.del(this.k.input(e.info.id), this.k.output(e.info.id), this.k.run(e.info.id)));
    endJob(e, 'failed', null, parseReason(reason));
  }

  /** Catches up with jobs whose events were missed (e.g. while the event connection was down). */
  private async reconcile(): Promise<void> {
    for (const e of [...this.jobs.values()]) {
      if (!e.enqueued || e.settling || FINAL.includes(e.info.status)) continue;
      const job = await this.queue.getJob(bullId(e.info.id));
      if (!job) { if (!e.settling && !FINAL.includes(e.info.status)) { e.settling = true; endJob(e, 'failed', null, { error: 'INTERNAL', detail: `job '${e.info.id}' is no longer in the queue (Redis restarted without its data?): submit it again` }); } continue; }
      const state = await job.getState();
      // `job` was read before its state: a job that completed or failed in between has no return value
      // or reason in hand, so those are read again.
      if (state === 'completed' || state === 'failed') {
        const now = await this.queue.getJob(bullId(e.info.id));
        if (state === 'completed') this.completed(job.id!, now?.returnvalue ?? null);
        else this.failed(job.id!, now?.failedReason ?? job.failedReason);
      } else if (state === 'active') {
        this.active(job.id!);
        if (!e.info.worker) this.setWorker(e, await this.redis.hget(this.k.run(e.info.id), 'worker'));
      }
    }
  }
}

/** Waits for `p`, but at most `ms`. */
async function bounded(p: Promise<unknown>, ms: number): Promise<void> {
  let t: NodeJS.Timeout | undefined;
  await Promise.race([p, new Promise((r) => { t = setTimeout(r, Math.max(0, ms)); })]);
  clearTimeout(t);
}

/** A worker fails a job with its coded error as JSON; anything else (e.g. a stalled job) is INTERNAL. */
export function parseReason(reason: string): JobError {
  try {
    const j = JSON.parse(reason) as JobError;
    if (j && typeof j.error === 'string' && typeof j.detail === 'string') {
      return { error: j.error in CODES ? j.error : 'INTERNAL', detail: j.detail, ...(j.problems?.length ? { problems: j.problems } : {}) };
    }
  } catch { /* plain text */ }
  return { error: 'INTERNAL', detail: reason || 'the job failed in its worker' };
}
