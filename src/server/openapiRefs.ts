/**
 * Named schemas (zod `.meta({ id })`) into the OpenAPI document's `components.schemas`. Each route's
 * JSON Schema carries its named parts in its own `$defs` (zod's `toJSONSchema`); the document keeps one
 * copy of each under `components.schemas` and points every `$ref` there, so a generated client has one
 * type per name (`components['schemas']['PlanOutput']`).
 */
import { internal } from '../errors.ts';

type Json = Record<string, unknown>;

/**
 * A copy of `schema` (never the route's own object: Fastify keeps it) with its `$defs` moved into
 * `components` and `#/$defs/X` references rewritten to `#/components/schemas/X`. Two different
 * schemas under one name are a programming error.
 */
export function hoistDefs(schema: unknown, components: Record<string, unknown>): unknown {
  const copy = JSON.parse(JSON.stringify(schema ?? null), (key, value) => (key === '$ref' && typeof value === 'string' ? value.replace(/^#\/\$defs\//, '#/components/schemas/') : value));
  if (!copy || typeof copy !== 'object') return copy;
  const defs = (copy as Json).$defs as Record<string, unknown> | undefined;
  delete (copy as Json).$defs;
  for (const [name, def] of Object.entries(defs ?? {})) {
    const known = components[name];
    if (known !== undefined && JSON.stringify(known) !== JSON.stringify(def)) throw internal(`OpenAPI: two different schemas are both named '${name}'`);
    components[name] = def;
  }
  return copy;
}
