/** The OpenAPI 3.1 document, built from every route's schema (themselves built from zod). */
import type { FastifyPluginAsync, RouteOptions } from 'fastify';
import fp from 'fastify-plugin';
import { answer, type Answer } from '../answer.ts';
import { hoistDefs } from '../openapiRefs.ts';
import { errorSchema } from '../responses.ts';

interface Collected { method: string; url: string; schema: Record<string, unknown> }

export const openApiRoutes: FastifyPluginAsync = fp(async (app) => {
  const routes: Collected[] = [];
  app.addHook('onRoute', (r: RouteOptions) => {
    if (!r.url.startsWith('/api/') || r.url === '/api/openapi.json') return;
    for (const m of [r.method].flat()) if (m !== 'HEAD') routes.push({ method: m.toLowerCase(), url: r.url, schema: (r.schema ?? {}) as Record<string, unknown> });
  });
  let doc: unknown = null;
  app.get('/api/openapi.json', async () => (doc ??= build(routes)));
});

function build(routes: Collected[]) {
  const paths: Record<string, Record<string, unknown>> = {};
  const schemas: Record<string, unknown> = {};
  const hoist = (schema: unknown) => hoistDefs(schema, schemas);
  for (const r of routes) {
    const path = r.url.replace(/:([A-Za-z_]+)/g, '{$1}');
    const s = r.schema;
    const parameters: unknown[] = [];
    for (const [where, key] of [['path', 'params'], ['query', 'querystring']] as const) {
      const js = s[key] as { properties?: Record<string, unknown>; required?: string[] } | undefined;
      for (const [name, schema] of Object.entries(js?.properties ?? {})) parameters.push({ name, in: where, required: where === 'path' || !!js?.required?.includes(name), schema: hoist(schema) });
    }
    // Each answer the route documents (200, 201, 202: src/server/answer.ts); a route that documents none says only "OK".
    const answers = (s.response ?? { 200: { description: 'OK' } }) as Record<string, Partial<Answer>>;
    const responses: Record<string, unknown> = {};
    for (const [status, a] of Object.entries(answers)) {
      responses[status] = a.content ? { description: a.description ?? 'OK', content: Object.fromEntries(Object.entries(a.content).map(([type, c]) => [type, { schema: hoist(c.schema) }])) } : { description: a.description ?? 'OK' };
    }
    const op: Record<string, unknown> = {
      summary: s.summary, tags: s.tags, parameters,
      responses: { ...responses, 400: { $ref: '#/components/responses/Error' }, 404: { $ref: '#/components/responses/Error' } },
    };
    if (s.body) op.requestBody = { required: true, content: { 'application/json': { schema: hoist(s.body) } } };
    if ((s.consumes as string[] | undefined)?.includes('multipart/form-data')) {
      op.requestBody = { required: true, content: { 'multipart/form-data': { schema: { type: 'object', properties: { file: { type: 'string', format: 'binary' } }, required: ['file'] } } } };
    }
    (paths[path] ??= {})[r.method] = op;
  }
  const error = answer(errorSchema, 'An error');
  const responses = { Error: { description: error.description, content: { 'application/json': { schema: hoist(error.content['application/json'].schema) } } } };
  return {
    openapi: '3.1.0',
    info: { title: 'Marginal REST API', version: '0.1.0', description: 'Marketing mix modeling: data, models, insights, plans, touchpoints. Errors are `{error, detail}`.' },
    servers: [{ url: '/' }],
    components: {
      securitySchemes: { bearer: { type: 'http', scheme: 'bearer', description: 'MARGINAL_TOKEN; required when the server listens on an address other than 127.0.0.1' } },
      responses,
      schemas: Object.fromEntries(Object.entries(schemas).sort(([a], [b]) => a.localeCompare(b))),
    },
    security: [{ bearer: [] }],
    paths,
  };
}
