/**
 * The local job runner: long work (fits, optimizations, scoring) runs as jobs in worker threads,
 * never on the caller's thread. A job is
 *
 *   prepare (caller's thread: e.g. read inputs from the workspace)
 *   → task (a worker thread: pure computation, progress events)
 *   → finish (caller's thread: e.g. write results to the workspace).
 *
 * A crash or an out-of-memory in the worker fails that job only; `cancel(id)` stops its thread.
 * At most `concurrency` jobs run at once; the rest wait in order.
 *
 *   const runner = new JobRunner({ concurrency: 1 });
 *   const job = runner.submit({ kind: 'fit', prepare: async () => input, finish: async (out) => save(out) });
 *   runner.subscribe(job.id, (event) => …);   // 'progress' | 'status'
 *   await runner.wait(job.id);                 // → JobInfo with status succeeded | failed | cancelled
 */
import { randomBytes } from 'node:crypto';
import { Worker } from 'node:worker_threads';
import { MarginalError, notFound, type ErrorCode, type Problem } from '../errors.ts';
import { sourceUrl } from '../paths.ts';

export type JobStatus = 'queued' | 'running' | 'succeeded' | 'failed' | 'cancelled';
export const FINAL: readonly JobStatus[] = ['succeeded', 'failed', 'cancelled'];

export interface JobError { error: ErrorCode | string; detail: string; problems?: Problem[] }

export interface JobInfo {
  id: string;
  kind: string;
  status: JobStatus;
  createdAt: string;
  startedAt: string | null;
  finishedAt: string | null;
  /** Free-form labels given at submit (e.g. the model name). */
  meta: Record<string, unknown>;
  /** The latest progress event, and the latest per chain when events carry a `chain` number. */
  progress: unknown;
  chains: Record<string, unknown>;
  result: unknown;
  error: JobError | null;
  /** Where the task ran: the worker's name (distributed runner only). */
  worker?: string;
}

export type JobEvent = { type: 'progress'; job: JobInfo; progress: unknown } | { type: 'status'; job: JobInfo };

export interface JobSpec<I = unknown, O = unknown, R = unknown> {
  kind: string;
  meta?: Record<string, unknown>;
  /** Runs on the caller's thread before the worker starts; its value is the task's input. */
  prepare: () => Promise<I>;
  /** Runs on the caller's thread with the task's output; its value is the job's result. */
  finish?: (output: O) => Promise<R>;
  /** Heap limit of the worker in MB (default 4096). */
  maxHeapMb?: number;
  /** The task's time limit in ms (none by default): past it the worker is stopped and the job fails
   *  with TIMED_OUT. Only the task is timed: once it has an output, `finish` always runs. */
  timeoutMs?: number;
}

/**
 * What callers (the server) use of a runner: this local one, or the distributed one on Redis
 * (src/jobs/distributed), which passes the same tests.
 */
export interface Runner {
  submit<I, O, R>(spec: JobSpec<I, O, R>): JobInfo;
  get(id: string): JobInfo;
  list(): JobInfo[];
  wait(id: string): Promise<JobInfo>;
  subscribe(id: string, fn: (e: JobEvent) => void): () => void;
  cancel(id: string): JobInfo;
  close(): Promise<void>;
}

interface Entry { info: JobInfo; spec: JobSpec; worker?: Worker; listeners: Set<(e: JobEvent) => void>; done: Promise<JobInfo>; resolve: (j: JobInfo) => void }

const BOOTSTRAP = sourceUrl('jobs/worker-bootstrap.mjs');
export const JOB_ID = /^[a-z0-9]{12}$/;

export class JobRunner implements Runner {
  readonly concurrency: number;
  private jobs = new Map<string, Entry>();
  private queue: string[] = [];
  private running = 0;
  private keep: number;

  constructor(opts: { concurrency?: number; keep?: number } = {}) {
    this.concurrency = Math.max(1, opts.concurrency ?? 1);
    this.keep = opts.keep ?? 200;
  }

  submit<I, O, R>(spec: JobSpec<I, O, R>): JobInfo {
    const id = randomBytes(6).toString('hex');
    const info: JobInfo = { id, kind: spec.kind, status: 'queued', createdAt: new Date().toISOString(), startedAt: null, finishedAt: null, meta: spec.meta ?? {}, progress: null, chains: {}, result: null, error: null };
    let resolve!: (j: JobInfo) => void;
    const done = new Promise<JobInfo>((r) => { resolve = r; });
    this.jobs.set(id, { info, spec: spec as JobSpec, listeners: new Set(), done, resolve });
    this.queue.push(id);
    pruneFinished(this.jobs, this.keep);
    this.pump();
    return snapshot(info);
  }

  get(id: string): JobInfo {
    const e = this.entry(id);
    return snapshot(e.info);
  }

  list(): JobInfo[] {
    return [...this.jobs.values()].map((e) => snapshot(e.info)).reverse();
  }

  /** Resolves when the job has ended (any final status). */
  wait(id: string): Promise<JobInfo> { return this.entry(id).done; }

  /** Calls `fn` on each event of the job until the returned function is called. */
  subscribe(id: string, fn: (e: JobEvent) => void): () => void {
    const e = this.entry(id);
    e.listeners.add(fn);
    return () => { e.listeners.delete(fn); };
  }

  /** Cancels a queued or running job; a finished job cannot be cancelled (CONFLICT). */
  cancel(id: string): JobInfo {
    const e = this.entry(id);
    if (FINAL.includes(e.info.status)) throw new MarginalError('CONFLICT', `job '${id}' has already ${e.info.status === 'cancelled' ? 'been cancelled' : e.info.status}`);
    const wasRunning = e.info.status === 'running';
    this.queue = this.queue.filter((q) => q !== id);
    endJob(e, 'cancelled', null, { error: 'CANCELLED', detail: 'cancelled by the user' });
    if (e.worker) void e.worker.terminate();
    if (wasRunning) { this.running--; this.pump(); }
    return snapshot(e.info);
  }

  /** Stops every running job (e.g. on server shutdown). */
  async close(): Promise<void> {
    for (const e of this.jobs.values()) if (!FINAL.includes(e.info.status)) this.cancel(e.info.id);
  }

  private entry(id: string): Entry {
    const e = JOB_ID.test(id) ? this.jobs.get(id) : undefined;
    if (!e) throw notFound('job', id);
    return e;
  }

  private pump(): void {
    while (this.running < this.concurrency && this.queue.length) {
      const id = this.queue.shift()!;
      const e = this.jobs.get(id)!;
      this.running++;
      void this.start(e).finally(() => {
        if (e.info.status !== 'cancelled') { this.running--; this.pump(); }
      });
    }
  }

  private async start(e: Entry): Promise<void> {
    const { info, spec } = e;
    info.status = 'running';
    info.startedAt = new Date().toISOString();
    emitJob(e, { type: 'status', job: snapshot(info) });
    try {
      const input = await spec.prepare();
      if (info.status !== 'running') return;
      // setTimeout fires at once past 2^31 − 1 ms; such a limit is no limit (limits.ts refuses it from the environment).
      const timer = spec.timeoutMs && spec.timeoutMs <= 2 ** 31 - 1 ? setTimeout(() => this.timeOut(e, spec.timeoutMs!), spec.timeoutMs) : null;
      const output = await this.inWorker(e, input).finally(() => { if (timer) clearTimeout(timer); });
      if (info.status !== 'running') return;
      const result = spec.finish ? await spec.finish(output) : output;
      if (info.status !== 'running') return;
      endJob(e, 'succeeded', result, null);
    } catch (err) {
      if (info.status !== 'running') return;
      endJob(e, 'failed', null, toJobError(err));
    }
  }

  /** Ends a job whose task ran past its limit; stopping its worker lets `start` free the slot. */
  private timeOut(e: Entry, ms: number): void {
    if (e.info.status !== 'running') return;
    endJob(e, 'failed', null, { error: 'TIMED_OUT', detail: `the ${e.spec.kind} job was stopped after ${formatMinutes(ms)}, the server's time limit for one job (the operator sets it with MARGINAL_JOB_TIMEOUT_MIN); ask for fewer draws or iterations` });
    if (e.worker) void e.worker.terminate();
  }

  private inWorker(e: Entry, input: unknown): Promise<unknown> {
    return new Promise((resolve, reject) => {
      const worker = new Worker(BOOTSTRAP, {
        workerData: { kind: e.spec.kind, input },
        resourceLimits: { maxOldGenerationSizeMb: e.spec.maxHeapMb ?? 4096 },
        stderr: false,
      });
      e.worker = worker;
      let settled = false;
      const settle = (fn: () => void) => { if (!settled) { settled = true; fn(); } };
      worker.on('message', (m: { type: string; progress?: unknown; output?: unknown; error?: { code: string; message: string; problems: Problem[] } }) => {
        if (m.type === 'progress') this.progress(e, m.progress);
        else if (m.type === 'done') settle(() => resolve(m.output));
        else if (m.type === 'error') {
          const err = m.error!;
          settle(() => reject(err.code in CODES ? new MarginalError(err.code as ErrorCode, err.message, err.problems) : new MarginalError('INTERNAL', err.message)));
        }
      });
      worker.on('error', (err: Error) => settle(() => reject(new MarginalError('INTERNAL', `the ${e.spec.kind} job's worker crashed: ${err.message}`))));
      worker.on('exit', (code) => {
        e.worker = undefined;
        settle(() => reject(new MarginalError('INTERNAL', `the ${e.spec.kind} job's worker stopped (exit code ${code}) before finishing`)));
      });
    });
  }

  private progress(e: Entry, p: unknown): void {
    if (e.info.status !== 'running') return;
    e.info.progress = p;
    const chain = (p as { chain?: unknown })?.chain;
    if (typeof chain === 'number') e.info.chains[String(chain)] = p;
    emitJob(e, { type: 'progress', job: e.info, progress: p });
  }
}

export const CODES: Record<string, true> = { BAD_INPUT: true, BAD_CONFIG: true, BAD_FILE: true, NOT_FOUND: true, CONFLICT: true, TOO_LARGE: true, FIT_FAILED: true, TIMED_OUT: true, INTERNAL: true };

function formatMinutes(ms: number): string {
  return ms >= 60_000 ? `${+(ms / 60_000).toFixed(1)} min` : `${+(ms / 1000).toFixed(1)} s`;
}

export function toJobError(err: unknown): JobError {
  if (err instanceof MarginalError) return { error: err.code, detail: err.message, ...(err.problems.length ? { problems: err.problems } : {}) };
  return { error: 'INTERNAL', detail: err instanceof Error ? err.message : String(err) };
}

/** What every runner keeps per job: its info, its listeners and the resolver of its `done` promise. */
export interface JobEntry { info: JobInfo; listeners: Set<(e: JobEvent) => void>; resolve: (j: JobInfo) => void }

/** Finishes a job: final status, result or error, one last 'status' event, then `done` resolves. */
export function endJob(e: JobEntry, status: JobStatus, result: unknown, error: JobError | null): void {
  e.info.status = status;
  e.info.finishedAt = new Date().toISOString();
  e.info.result = result;
  e.info.error = error;
  const snap = snapshot(e.info);
  emitJob(e, { type: 'status', job: snap });
  e.listeners.clear();
  e.resolve(snap);
}

export function emitJob(e: JobEntry, ev: JobEvent): void {
  for (const fn of e.listeners) {
    try { fn(ev); } catch { /* a listener's failure is its own */ }
  }
}

/** Forgets the oldest finished jobs beyond `keep` (a Map iterates in insertion order). */
export function pruneFinished(jobs: Map<string, JobEntry>, keep: number): void {
  if (jobs.size <= keep) return;
  for (const [id, e] of jobs) {
    if (jobs.size <= keep) break;
    if (FINAL.includes(e.info.status)) jobs.delete(id);
  }
}

export function snapshot(info: JobInfo): JobInfo {
  return { ...info, meta: { ...info.meta }, chains: { ...info.chains } };
}
