/**
 * What a route answers, described for the OpenAPI document: `answer(schema)` for JSON (the zod schema's
 * output side as JSON Schema), `fileAnswer(...)` for CSV, Parquet, HTML and event streams. Routes put
 * them in `schema.response` by status (200, 201, 202); src/server/routes/openapi.ts lists them.
 *
 *   app.get('/api/models', { schema: { …, response: { 200: answer(z.array(modelListingSchema)) } } }, …)
 */
import { z } from 'zod';
import type { FastifySerializerCompiler } from 'fastify';

export interface Answer { description: string; content: Record<string, { schema: Record<string, unknown> }> }

/** A JSON answer: the JSON Schema of what `schema` parses to (its `io: 'output'` side). */
export function answer(schema: z.ZodType, description = 'OK'): Answer {
  const out = z.toJSONSchema(schema, { io: 'output', unrepresentable: 'any' }) as Record<string, unknown>;
  delete out.$schema;
  return { description, content: { 'application/json': { schema: out } } };
}

/** A file or stream answer, one entry per media type it may come as (the body is text or bytes). */
export function fileAnswer(description: string, ...mediaTypes: string[]): Answer {
  const binary = (type: string) => !/^text\//.test(type);
  return { description, content: Object.fromEntries(mediaTypes.map((type) => [type, { schema: binary(type) ? { type: 'string', format: 'binary' } : { type: 'string' } }])) };
}

/**
 * Fastify serializes a reply with its response schema by default (fast-json-stringify), and that
 * drops every property the schema does not list and coerces values to the listed types. We keep
 * `JSON.stringify` instead: the answers stay byte for byte what they were before they were described
 * (a NaN still becomes null, a family's own fields still pass), and a schema that falls behind the
 * real answer fails a test (test/server/responses.test.ts) instead of silently cutting the answer.
 * Nothing is lost in speed that matters: the largest answer (insights) is serialized once and cached.
 */
export const plainJsonSerializer: FastifySerializerCompiler<unknown> = () => (data: unknown) => JSON.stringify(data);
