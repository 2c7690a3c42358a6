/**
 * Worker-thread side of the local job runner: runs one task (`workerData.kind`) on its input, posts
 * progress while it runs and its output (or a coded error) when it ends. Tasks are pure computation:
 * they never open the workspace (the main thread reads inputs before and writes results after).
 */
import { parentPort, workerData } from 'node:worker_threads';
import { MarginalError } from '../errors.ts';
import { taskOf, tasks } from '../app/tasks.ts';


const port = parentPort!;
const { kind, input } = workerData as { kind: string; input: unknown };

try {
  const task = await taskOf(kind);
  if (!task) throw new MarginalError('INTERNAL', `unknown job kind '${kind}'; known: ${Object.keys(tasks).join(', ')}`);
  const output = await task.run(input, (progress: unknown) => port.postMessage({ type: 'progress', progress }));
  port.postMessage({ type: 'done', output });
} catch (e) {
  const err = e instanceof Error ? e : new Error(String(e));
  const code = err instanceof MarginalError ? err.code : 'INTERNAL';
  const problems = err instanceof MarginalError ? err.problems : [];
  port.postMessage({ type: 'error', error: { code, message: err.message, problems, stack: err.stack } });
}
