/**
 * Zod at the HTTP boundary. `body(schema)`, `query(schema)`, `params(schema)` turn a zod schema into
 * the JSON Schema Fastify keeps on the route (and the OpenAPI document shows), and remember the zod
 * schema behind it: `zodValidator` then validates every request with zod's own `safeParse`, so the
 * parsed value (defaults applied, types coerced only where the schema says) is what handlers get.
 */
import { z } from 'zod';
import type { FastifySchemaCompiler } from 'fastify';
import { badInput } from '../errors.ts';
import { describeIssues, issueProblems } from '../validation.ts';

const bySchema = new WeakMap<object, z.ZodType>();

/** JSON Schema of `schema` (the shape a client sends), remembered for validation. */
export function json(schema: z.ZodType): Record<string, unknown> {
  const out = z.toJSONSchema(schema, { io: 'input', unrepresentable: 'any' }) as Record<string, unknown>;
  delete out.$schema;
  bySchema.set(out, schema);
  return out;
}

/** One line per problem, in the wording configs and plans use (src/validation.ts). */
export function zodMessage(error: z.ZodError): string {
  return describeIssues(error);
}

export const zodValidator: FastifySchemaCompiler<unknown> = ({ schema, httpPart }) => {
  const zs = bySchema.get(schema as object);
  if (!zs) return (data: unknown) => ({ value: data });
  return (data: unknown) => {
    const r = zs.safeParse(data, { reportInput: true });
    if (r.success) return { value: r.data };
    // A MarginalError keeps its code through Fastify's validation path; its problems carry each field's
    // whole path, and `field` the body's top-level field of the first, so a form can put the message
    // next to the input it concerns (src/server/errors.ts).
    const part = httpPart === 'body' || !httpPart ? '' : httpPart === 'querystring' ? 'query' : httpPart;
    const err = badInput(part ? `${part}: ${zodMessage(r.error)}` : zodMessage(r.error), issueProblems(r.error));
    const first = r.error.issues[0]?.path[0];
    if (!part && first !== undefined) err.field = String(first);
    return { error: err };
  };
};

/** A slug id in a URL: letters, digits, '_', '-', '.', never '..' or a slash. */
export const idParam = z.string().regex(/^[A-Za-z0-9][A-Za-z0-9_.-]{0,63}$/, 'must be 1–64 letters, digits, _ . - starting with a letter or digit')
  .refine((s) => !s.includes('..'), 'must not contain ..');
export const idParams = z.strictObject({ id: idParam });

/** The query of the compare routes: `?ids=a,b,…`. */
export const idListQuery = z.strictObject({ ids: z.string().min(1).max(2000) });

/**
 * The ids of a compare route's `?ids=a,b,…`: 2 to 10 valid ids (`distinct`: duplicates dropped first),
 * else BAD_INPUT naming what is wrong. `what` names the kind of id in the message ('plan', 'model').
 */
export function idList(raw: string, what: string, opts: { distinct?: boolean } = {}): string[] {
  let ids = raw.split(',').map((s) => s.trim()).filter(Boolean);
  if (opts.distinct) ids = [...new Set(ids)];
  if (ids.length < 2 || ids.length > 10) throw badInput(`\`ids\` must list 2 to 10 ${opts.distinct ? 'different ' : ''}${what} ids separated by commas; got ${ids.length}`);
  for (const id of ids) if (!idParam.safeParse(id).success) throw badInput(`${what} id '${id.slice(0, 80)}' is not a valid id`);
  return ids;
}

declare module 'fastify' {
  interface FastifySchema { summary?: string; tags?: string[]; consumes?: string[] }
}
