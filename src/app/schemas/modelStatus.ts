/**
 * What a model's status adds to its stored row (src/app/modelStatus.ts): whether it is stale — its
 * harmonized table has a newer version than the one it was fitted on, or was dropped — and the saved
 * plans that depend on it.
 */
import { z } from 'zod';

export const staleSchema = z.object({
  /** In words, e.g. "fitted on version 1 of 'weekly'; version 2 (2026-12-05, 4 more weeks) is newer". */
  reason: z.string(),
  table: z.string(),
  fittedVersion: z.number(),
  /** Null when the table was dropped. */
  currentVersion: z.number().nullable(),
  /** Periods the current version ends after the fitted one (negative: before); null when unknown or dropped. */
  newerPeriods: z.number().nullable(),
  /** A refresh of this model on the current version, when there is one. */
  supersededBy: z.string().nullable(),
}).meta({ id: 'Stale' });

/** A saved plan that names a model. */
export const dependentPlanSchema = z.object({ id: z.string(), name: z.string() }).meta({ id: 'DependentPlan' });

/** The status fields a model listing and a model answer carry. */
export const modelStatusShape = {
  /** Null when the model reads the current version of its table (or a file). */
  stale: staleSchema.nullable(),
  /** Saved plans on this model (deleting it asks about them). */
  plans: z.array(dependentPlanSchema),
};
