/** The OpenAPI 3.1 document, built from every route's schema (themselves built from zod). */
import type { FastifyPluginAsync, RouteOptions } from 'fastify';
import fp from 'fastify-plugin';

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
  for (const r of routes) {
    const path = r.url.replace(/:([A-Za-z_]+)/g, '{$1}');
    const s = r.schema;
    const parameters: unknown[] = [];
    for (const [where, key] of [['path', 'params'], ['query', 'querystring']] as const) {
      const js = s[key] as { properties?: Record<string, unknown>; required?: string[] } | undefined;
      for (const [name, schema] of Object.entries(js?.properties ?? {})) parameters.push({ name, in: where, required: where === 'path' || !!js?.required?.includes(name), schema });
    }
    const op: Record<string, unknown> = {
      summary: s.summary, tags: s.tags, parameters,
      responses: { 200: { description: 'OK' }, 400: { $ref: '#/components/responses/Error' }, 404: { $ref: '#/components/responses/Error' } },
    };
    if (s.body) op.requestBody = { required: true, content: { 'application/json': { schema: s.body } } };
    if ((s.consumes as string[] | undefined)?.includes('multipart/form-data')) {
      op.requestBody = { required: true, content: { 'multipart/form-data': { schema: { type: 'object', properties: { file: { type: 'string', format: 'binary' } }, required: ['file'] } } } };
    }
    (paths[path] ??= {})[r.method] = op;
  }
  return {
    openapi: '3.1.0',
    info: { title: 'Marginal REST API', version: '0.1.0', description: 'Marketing mix modeling: data, models, insights, plans, touchpoints. Errors are `{error, detail}`.' },
    servers: [{ url: '/' }],
    components: {
      securitySchemes: { bearer: { type: 'http', scheme: 'bearer', description: 'MARGINAL_TOKEN; required when the server listens on an address other than 127.0.0.1' } },
      responses: { Error: { description: 'An error', content: { 'application/json': { schema: { type: 'object', properties: { error: { type: 'string' }, detail: { type: 'string' }, problems: { type: 'array' } }, required: ['error', 'detail'] } } } } },
    },
    security: [{ bearer: [] }],
    paths,
  };
}
