/** What every route plugin shares: the workspace gate, the job runner, uploads and caches. */
import type { JobRunner, Runner } from '../jobs/runner.ts';
import type { WorkspaceGate } from './gate.ts';
import type { Uploads } from './uploads.ts';
import type { JobLimits } from '../jobs/limits.ts';

export interface ServerContext {
  gate: WorkspaceGate;
  /** User-visible jobs (fits, plans, touchpoints): listed at /api/jobs. Local worker threads, or
   *  `marginal worker` processes through Redis when the server runs with `--redis`. */
  jobs: Runner;
  /** Internal computations (insights) in worker threads, not queued behind fits. */
  compute: JobRunner;
  uploads: Uploads;
  uploadLimit: number;
  /** What one request may ask of this server (src/jobs/limits.ts). */
  limits: JobLimits;
  /** Per-model computed views (models are immutable once stored). */
  cache: Map<string, Promise<unknown>>;
}
