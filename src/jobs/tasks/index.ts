/**
 * The tasks a job worker can run, by kind. A task is `run(input, progress)` → output: plain data in,
 * plain data out (structured-cloned across the thread boundary), no workspace access.
 */
export interface Task<I = unknown, O = unknown> {
  run(input: I, progress: (p: unknown) => void): Promise<O>;
}

export const tasks: Record<string, () => Promise<Task>> = {
  fit: async () => (await import('./fit.ts')) as Task,
  insights: async () => (await import('./insights.ts')) as Task,
  plan: async () => (await import('./plan.ts')) as Task,
  touchpoints: async () => (await import('./touchpoints.ts')) as Task,
  // Test tasks: a slow task with progress, and one that crashes its thread.
  'test:sleep': async () => (await import('./testing.ts')).sleep as Task,
  'test:crash': async () => (await import('./testing.ts')).crash as Task,
  'test:fail': async () => (await import('./testing.ts')).fail as Task,
};
