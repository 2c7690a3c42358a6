/** Tasks for the runner's own tests: a sleep with progress ticks, a thread crash, a coded failure. */
import { badInput } from '../../errors.ts';
import type { Task } from './index.ts';

export const sleep: Task<{ ms: number; ticks?: number }, { slept: number }> = {
  async run(input, progress) {
    const ticks = input.ticks ?? 5;
    for (let i = 1; i <= ticks; i++) {
      await new Promise((r) => setTimeout(r, input.ms / ticks));
      progress({ iteration: i, total: ticks });
    }
    return { slept: input.ms };
  },
};

export const crash: Task = {
  async run() {
    // An uncaught exception outside the task's promise: kills this thread, not the process.
    setTimeout(() => { throw new Error('boom: the worker thread crashed'); }, 5);
    await new Promise((r) => setTimeout(r, 10_000));
    return null;
  },
};

export const fail: Task = {
  async run() { throw badInput('bad job input: `x` must be positive; got -1'); },
};
