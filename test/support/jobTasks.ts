/**
 * Tasks for the job runners' own tests (a sleep with progress ticks, a thread crash, a coded failure),
 * kept out of the product's task table: a test names this module in MARGINAL_TEST_TASKS (`useTestTasks`).
 */
import { badInput } from '../../src/errors.ts';
import type { Task } from '../../src/app/tasks.ts';

const sleep: Task<{ ms: number; ticks?: number }, { slept: number }> = {
  async run(input, progress) {
    const ticks = input.ticks ?? 5;
    for (let i = 1; i <= ticks; i++) {
      await new Promise((r) => setTimeout(r, input.ms / ticks));
      progress({ iteration: i, total: ticks });
    }
    return { slept: input.ms };
  },
};

const crash: Task = {
  async run() {
    // An uncaught exception outside the task's promise: kills this thread, not the process.
    setTimeout(() => { throw badInput('boom: the worker thread crashed'); }, 5);
    await new Promise((r) => setTimeout(r, 10_000));
    return null;
  },
};

const fail: Task = {
  async run() { throw badInput('bad job input: `x` must be positive; got -1'); },
};

export const tasks: Record<string, Task> = { 'test:sleep': sleep as Task, 'test:crash': crash, 'test:fail': fail };

/** Makes the test kinds known to every worker started from now on (threads and spawned processes inherit it). */
export function useTestTasks(): void {
  process.env.MARGINAL_TEST_TASKS = new URL('./jobTasks.ts', import.meta.url).href;
}
