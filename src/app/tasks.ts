/**
 * The tasks a job worker can run, by kind: the pure middle of each use case (`prepare` reads the
 * workspace before, `store` writes it after, both on the submitting side). A task is
 * `run(input, progress)` → output: plain data in, plain data out (structured-cloned across the thread
 * boundary or through Redis), no workspace access. The local and the distributed worker look kinds up here.
 */
export interface Task<I = unknown, O = unknown> {
  run(input: I, progress: (p: unknown) => void): Promise<O> | O;
}

export const tasks: Record<string, () => Promise<Task>> = {
  fit: async () => ({ run: (await import('./fit.ts')).fitTask }) as Task,
  insights: async () => ({ run: (await import('./insights.ts')).insightsTask }) as Task,
  plan: async () => ({ run: (await import('./plan.ts')).planTask }) as Task,
  touchpoints: async () => ({ run: (await import('./touchpoints.ts')).touchpointsTask }) as Task,
  track: async () => ({ run: (await import('./track.ts')).trackTask }) as Task,
  design: async () => ({ run: (await import('./design.ts')).designTask }) as Task,
};

/**
 * The task of a kind. Tests add their own kinds (a sleep, a crash) from the module named by
 * `MARGINAL_TEST_TASKS` (set by the test, inherited by worker threads and spawned workers), so
 * the production table holds only product tasks.
 */
export async function taskOf(kind: string): Promise<Task | undefined> {
  const load = tasks[kind];
  if (load) return load();
  const extra = process.env.MARGINAL_TEST_TASKS;
  if (!extra) return undefined;
  const mod = (await import(extra)) as { tasks?: Record<string, Task> };
  return mod.tasks?.[kind];
}
