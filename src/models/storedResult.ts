/**
 * What a stored fit result must hold for the model to be rebuilt from it, checked where a stored
 * result crosses a boundary (read from the workspace, or received by a job worker) — so a row written
 * by another version, or edited by hand, is refused with the field named instead of failing somewhere
 * inside a model. The schemas check the parts readers rely on and keep the rest as it is (`loose`).
 */
import { z } from 'zod';
import { conflict } from '../errors.ts';
import { classicFamilies } from './familyNames.ts';

/** A stored number: JSON turns NaN (an undefined metric, say) into null. */
const stored = z.number().nullable();
const series = z.array(stored);
const loose = z.object({}).loose();

const fitMetrics = z.object({ r2: stored, mape: stored, nrmse: stored }).loose();
const channel = z.object({ name: z.string(), spend: stored, contribution: stored, roi: stored, mroi: stored }).loose();

const common = {
  approximate: z.boolean(),
  fit: fitMetrics,
  diagnostics: z.object({ seconds: stored }).loose(),
  channels: z.array(channel),
  warnings: z.array(z.string()),
};

export const bayesianResultSchema = z.object({
  ...common,
  family: z.literal('bayesian'),
  method: z.enum(['nuts', 'laplace']),
  parameters: z.array(loose),
  series: z.object({
    dates: z.array(z.string()), geos: z.array(z.string()), actual: series, predicted: series,
    contributions: z.record(z.string(), series), components: z.record(z.string(), series).optional(),
  }).loose(),
  paramNames: z.array(z.string()),
  draws: z.array(z.array(z.number())),
}).loose();

export const classicResultSchema = z.object({
  ...common,
  family: z.enum(classicFamilies),
  series: z.object({ dates: z.array(z.string()), geos: z.array(z.string()), actual: series, predicted: series, contributions: z.record(z.string(), series) }).loose(),
  stored: z.discriminatedUnion('kind', [
    z.object({ kind: z.literal('regression'), names: z.array(z.string()), coef: z.array(z.number()), replicates: z.array(z.array(z.number())) }).loose(),
    z.object({ kind: z.literal('trees'), family: z.enum(['forest', 'boosting']), seed: z.number(), checksum: z.number() }).loose(),
  ]),
}).loose();

/** Checks a stored result against its family's schema; a mismatch is CONFLICT naming the first bad field. */
export function checkStoredResult<T>(schema: z.ZodType, value: unknown, what: string): T {
  const r = schema.safeParse(value);
  if (!r.success) {
    const issue = r.error.issues[0];
    throw conflict(`${what}: its stored fit result does not have the shape this version reads (at \`${issue.path.join('.') || '(top)'}\`: ${issue.message}); refit the model`);
  }
  // The schema checked every field a reader uses; the value is the stored one, not a partial copy.
  return value as T;
}
