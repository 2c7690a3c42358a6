/**
 * Worker-thread side of `runChains`: builds the target from the factory once, then runs each chain it
 * is sent and posts the result back (typed arrays are transferred, not copied).
 */
import { internal } from '../errors.ts';
import { parentPort, workerData } from 'node:worker_threads';
import { pathToFileURL } from 'node:url';
import { isAbsolute } from 'node:path';
import { sampleNuts, type NutsOptions } from './nuts.ts';
import type { Target, TargetFactory } from './target.ts';


const port = parentPort!;
const { factory } = workerData as { factory: TargetFactory };

function report(e: unknown): void {
  const err = e instanceof Error ? e : new Error(String(e));
  port.postMessage({ type: 'error', message: err.message, stack: err.stack, code: (err as { code?: string }).code });
}

try {
  const url = factory.module.startsWith('file:') ? factory.module : isAbsolute(factory.module) ? pathToFileURL(factory.module).href : factory.module;
  const mod = (await import(url)) as Record<string, unknown>;
  const make = mod[factory.export];
  if (typeof make !== 'function') throw internal(`module ${factory.module} has no function export '${factory.export}'`);
  const target = (await (make as (a: unknown) => Target | Promise<Target>)(factory.args));
  port.on('message', (m: { type: 'run'; job: { chain: number; init?: Float64Array }; opts: NutsOptions; progress: boolean }) => {
    try {
      const result = sampleNuts(target, {
        ...m.opts, chain: m.job.chain, init: m.job.init,
        onProgress: m.progress ? (p) => port.postMessage({ type: 'progress', progress: p }) : undefined,
      });
      const transfer = [result.draws, result.logp, result.treeDepth, result.nLeapfrog, result.divergent, result.energy, result.acceptStat].map((a) => a.buffer as ArrayBuffer);
      port.postMessage({ type: 'done', result }, transfer);
    } catch (e) { report(e); }
  });
  port.postMessage({ type: 'ready' });
} catch (e) { report(e); }
