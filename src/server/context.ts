/** What every route plugin shares: the workspace gate, the job runner, uploads and caches. */
import type { JobRunner } from '../jobs/runner.ts';
import type { WorkspaceGate } from './gate.ts';
import type { Uploads } from './uploads.ts';

export interface ServerContext {
  gate: WorkspaceGate;
  /** User-visible jobs (fits, plans): listed at /api/jobs. */
  jobs: JobRunner;
  /** Internal computations (insights) in worker threads, not queued behind fits. */
  compute: JobRunner;
  uploads: Uploads;
  uploadLimit: number;
  /** Per-model computed views (models are immutable once stored). */
  cache: Map<string, Promise<unknown>>;
}
