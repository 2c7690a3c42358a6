/**
 * `runChains`: several NUTS chains in parallel in `worker_threads`. Each worker imports the target
 * factory's module (TypeScript works: workers load `tsx`), builds the target once, and runs the chains
 * the main thread hands it, one at a time. Chain k always uses random stream `Rng(seed).fork(k)` and
 * the init `init + jitter·U(-1, 1)` drawn from `Rng(seed + 1).fork(k)`, so results do not depend on the
 * number of workers. A crash or an error in a worker rejects the promise (all workers are stopped).
 */
import { availableParallelism } from 'node:os';
import { Worker } from 'node:worker_threads';
import { badConfig, internal } from '../errors.ts';
import type { ChainResult, NutsProgress } from './nuts.ts';
import { Rng } from '../util/rng.ts';
import type { TargetFactory } from './target.ts';
import { sourceUrl } from '../paths.ts';

export interface RunChainsOptions {
  chains?: number;
  /** Worker threads (default min(chains, cores)). */
  workers?: number;
  warmup: number;
  draws: number;
  seed: number;
  /** Start (e.g. the MAP), jittered per chain; default: Stan's uniform(-2, 2) inits. */
  init?: Float64Array;
  /** Per-chain starts (e.g. draws of a Laplace approximation at the MAP); overrides `init` for the chains it covers. */
  inits?: Float64Array[];
  /** Half-width of the uniform jitter added to `init` per coordinate (default 0.5; 0 = none). */
  jitter?: number;
  maxTreeDepth?: number;
  targetAccept?: number;
  metric?: 'diag' | 'dense';
  /** Initial inverse metric for every chain (see `NutsOptions.invMetric`). */
  invMetric?: Float64Array;
  onProgress?: (p: NutsProgress) => void;
}

export interface MultiChainResult {
  dim: number;
  chains: ChainResult[];
  /** Wall-clock seconds from the run's start: worker start-up included for `runChains`, not for workers a `ChainWorkers` started earlier. */
  seconds: number;
}

interface ChainJob { chain: number; init?: Float64Array }
type FromWorker =
  | { type: 'ready' }
  | { type: 'progress'; progress: NutsProgress }
  | { type: 'done'; result: ChainResult }
  | { type: 'error'; message: string; stack?: string; code?: string };

/** The initial point of chain k: `init + jitter·U(-1, 1)` from its own stream, or undefined. */
export function chainInit(init: Float64Array | undefined, jitter: number, seed: number, chain: number): Float64Array | undefined {
  if (!init) return undefined;
  const rng = new Rng(seed + 1).fork(chain);
  return init.map((v) => v + jitter * (2 * rng.uniform() - 1));
}

/** Runs `chains` NUTS chains on the target built by `factory`, in parallel. */
export function runChains(factory: TargetFactory, opts: RunChainsOptions): Promise<MultiChainResult> {
  const nChains = opts.chains ?? 4;
  if (!Number.isInteger(nChains) || nChains < 1) return Promise.reject(badConfig(`\`chains\` must be a positive integer; got ${nChains}`));
  return new ChainWorkers(factory, workersFor(nChains, opts.workers)).run(opts);
}

/** Worker threads for `chains` chains: min(chains, `workers` or the cores). */
export function workersFor(chains: number, workers?: number): number {
  return Math.max(1, Math.min(chains, workers ?? availableParallelism()));
}

/**
 * Chain workers started ahead of the run: each imports the target's module and builds the target
 * (~0.8 s for the 40-geo MMM from source) while the caller still looks for where to start (the mode,
 * the Laplace start), then `run` hands them the chains. One run per pool; the workers stop when it
 * settles, and `close` stops them if it is never called (the caller failed before sampling).
 */
export class ChainWorkers {
  private readonly workers: Worker[] = [];
  private readonly stopping = new Set<Worker>();
  private readonly idle: Worker[] = [];
  private failure: Error | null = null;
  private onReady: ((w: Worker) => void) | null = null;
  private onMessage: ((w: Worker, m: FromWorker) => void) | null = null;
  private onFailure: ((err: Error) => void) | null = null;
  private used = false;

  constructor(factory: TargetFactory, count: number) {
    for (let i = 0; i < count; i++) {
      const w = new Worker(sourceUrl('inference/worker-bootstrap.mjs'), { workerData: { factory } });
      this.workers.push(w);
      w.on('message', (m: FromWorker) => {
        if (this.failure) return;
        if (m.type === 'error') {
          const err = new Error(`chain worker failed: ${m.message}`);
          if (m.stack) err.stack = m.stack;
          this.fail(err);
        } else if (m.type === 'ready') {
          if (this.onReady) this.onReady(w); else this.idle.push(w);
        } else this.onMessage?.(w, m);
      });
      w.on('error', (e) => this.fail(e instanceof Error ? e : new Error(String(e))));
      w.on('exit', (code) => { if (!this.stopping.has(w)) this.fail(new Error(`chain worker exited with code ${code} before finishing its chains`)); });
    }
  }

  private stop(w: Worker): void { this.stopping.add(w); void w.terminate(); }

  private fail(err: Error): void {
    if (this.failure) return;
    this.failure = err;
    this.close();
    this.onFailure?.(err);
  }

  /** Stops every worker (idempotent). */
  close(): void { for (const w of this.workers) if (!this.stopping.has(w)) this.stop(w); }

  run(opts: RunChainsOptions): Promise<MultiChainResult> {
    const nChains = opts.chains ?? 4;
    if (!Number.isInteger(nChains) || nChains < 1) { this.close(); return Promise.reject(badConfig(`\`chains\` must be a positive integer; got ${nChains}`)); }
    if (this.used) return Promise.reject(internal('a ChainWorkers pool runs once'));
    this.used = true;
    if (this.failure) return Promise.reject(this.failure);
    const jitter = opts.jitter ?? 0.5;
    const t0 = performance.now();
    const queue: ChainJob[] = Array.from({ length: nChains }, (_, k) => ({ chain: k, init: opts.inits?.[k] ?? chainInit(opts.init, jitter, opts.seed, k) }));
    const results: ChainResult[] = new Array(nChains);
    const nutsOpts = { warmup: opts.warmup, draws: opts.draws, seed: opts.seed, maxTreeDepth: opts.maxTreeDepth, targetAccept: opts.targetAccept, metric: opts.metric, invMetric: opts.invMetric };
    return new Promise((resolve, reject) => {
      let remaining = nChains;
      const next = (w: Worker) => {
        const job = queue.shift();
        if (job) w.postMessage({ type: 'run', job, opts: nutsOpts, progress: !!opts.onProgress });
        else this.stop(w);
      };
      this.onFailure = reject;
      this.onReady = next;
      this.onMessage = (w, m) => {
        if (m.type === 'progress') opts.onProgress?.(m.progress);
        else if (m.type === 'done') {
          results[m.result.chain] = m.result;
          if (--remaining === 0) {
            this.close();
            resolve({ dim: m.result.dim, chains: results, seconds: (performance.now() - t0) / 1000 });
          } else next(w);
        }
      };
      for (const w of this.idle.splice(0)) next(w);
    });
  }
}
