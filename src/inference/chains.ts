/**
 * `runChains`: several NUTS chains in parallel in `worker_threads`. Each worker imports the target
 * factory's module (TypeScript works: workers load `tsx`), builds the target once, and runs the chains
 * the main thread hands it, one at a time. Chain k always uses random stream `Rng(seed).fork(k)` and
 * the init `init + jitter·U(-1, 1)` drawn from `Rng(seed + 1).fork(k)`, so results do not depend on the
 * number of workers. A crash or an error in a worker rejects the promise (all workers are stopped).
 */
import { availableParallelism } from 'node:os';
import { Worker } from 'node:worker_threads';
import { badConfig } from '../errors.ts';
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
  /** Wall-clock seconds, worker start-up included. */
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
  const nWorkers = Math.max(1, Math.min(nChains, opts.workers ?? availableParallelism()));
  const jitter = opts.jitter ?? 0.5;
  const t0 = performance.now();
  const queue: ChainJob[] = Array.from({ length: nChains }, (_, k) => ({ chain: k, init: opts.inits?.[k] ?? chainInit(opts.init, jitter, opts.seed, k) }));
  const results: ChainResult[] = new Array(nChains);
  const nutsOpts = { warmup: opts.warmup, draws: opts.draws, seed: opts.seed, maxTreeDepth: opts.maxTreeDepth, targetAccept: opts.targetAccept, metric: opts.metric, invMetric: opts.invMetric };
  return new Promise((resolve, reject) => {
    const workers: Worker[] = [];
    const stopping = new Set<Worker>();
    let remaining = nChains, failed = false;
    const stop = (w: Worker) => { stopping.add(w); void w.terminate(); };
    const fail = (err: Error) => {
      if (failed) return;
      failed = true;
      for (const w of workers) stop(w);
      reject(err);
    };
    const next = (w: Worker) => {
      const job = queue.shift();
      if (job) w.postMessage({ type: 'run', job, opts: nutsOpts, progress: !!opts.onProgress });
      else stop(w);
    };
    for (let i = 0; i < nWorkers; i++) {
      const w = new Worker(sourceUrl('inference/worker-bootstrap.mjs'), { workerData: { factory } });
      workers.push(w);
      w.on('message', (m: FromWorker) => {
        if (failed) return;
        if (m.type === 'ready') next(w);
        else if (m.type === 'progress') opts.onProgress?.(m.progress);
        else if (m.type === 'done') {
          results[m.result.chain] = m.result;
          if (--remaining === 0) {
            for (const x of workers) stop(x);
            resolve({ dim: m.result.dim, chains: results, seconds: (performance.now() - t0) / 1000 });
          } else next(w);
        } else if (m.type === 'error') {
          const err = new Error(`chain worker failed: ${m.message}`);
          if (m.stack) err.stack = m.stack;
          fail(err);
        }
      });
      w.on('error', (e) => fail(e instanceof Error ? e : new Error(String(e))));
      w.on('exit', (code) => { if (!stopping.has(w) && !failed) fail(new Error(`chain worker exited with code ${code} before finishing its chains`)); });
    }
  });
}
