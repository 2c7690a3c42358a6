/**
 * A job as the runner reports it (src/jobs/runner.ts `JobInfo`): status, timestamps, labels, progress,
 * and the result or error. `result` is the task's: a fit's `FitOutput`, a plan's `PlanOutput`, a tracking's `PlanTrack`, a
 * touchpoints job's `TouchpointsResult`, a design's `DesignOutput`; the job list and the event stream shorten a fit's to its
 * `modelId`. Null until the job succeeds.
 */
import { z } from 'zod';
import { problemSchema } from './common.ts';
import { fitOutputSchema } from './fitOutput.ts';
import { planOutputSchema } from './planResult.ts';
import { planTrackSchema } from './planTrack.ts';
import { touchpointsResultSchema } from './touchpointsResult.ts';
import { designOutputSchema } from './designOutput.ts';

export const jobStatusSchema = z.enum(['queued', 'running', 'succeeded', 'failed', 'cancelled']).meta({ id: 'JobStatus' });

export const jobErrorSchema = z.object({ error: z.string(), detail: z.string(), problems: z.array(problemSchema).optional() }).meta({ id: 'JobError' });

/** The list's and the event stream's short form of a fit's result. */
export const jobBriefResultSchema = z.object({ modelId: z.string() }).meta({ id: 'JobBriefResult' });

export const jobInfoSchema = z.object({
  id: z.string(),
  kind: z.string(),
  status: jobStatusSchema,
  createdAt: z.string(),
  startedAt: z.string().nullable(),
  finishedAt: z.string().nullable(),
  /** Labels given at submit (e.g. the model name, the number of chains). */
  meta: z.record(z.string(), z.unknown()),
  /** The latest progress event of the task (a fit: per chain, iteration of total; touchpoints: methods done). */
  progress: z.unknown(),
  /** The latest progress event per chain, by chain number (fits). */
  chains: z.record(z.string(), z.unknown()),
  result: z.union([fitOutputSchema, planOutputSchema, planTrackSchema, touchpointsResultSchema, designOutputSchema, jobBriefResultSchema, z.null()]),
  error: jobErrorSchema.nullable(),
  /** Where the task ran: the worker's name (distributed runner only). */
  worker: z.string().optional(),
}).meta({ id: 'JobInfo' });
