/**
 * Builds the Fastify app (without listening: tests use `app.inject`). Routes are plugins under
 * `routes/`; bodies, queries and params are validated by zod (`schema.ts`); every error goes through
 * one handler (`errors.ts`); the workspace is reached only through the gate (`gate.ts`); long work
 * runs in job workers (src/jobs/runner.ts).
 *
 *   const { app } = await buildApp({ workspace: './marginal.duckdb' });
 *   const res = await app.inject({ method: 'GET', url: '/api/models' });
 */
import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import Fastify, { type FastifyInstance } from 'fastify';
import multipart from '@fastify/multipart';
import fastifyStatic from '@fastify/static';
import { JobRunner } from '../jobs/runner.ts';
import { limitsFromEnv, type JobLimits } from '../jobs/limits.ts';
import { WorkspaceGate } from './gate.ts';
import { Uploads } from './uploads.ts';
import { installErrorHandler } from './errors.ts';
import { allowedHostsFor, installGuard } from './guard.ts';
import { zodValidator } from './schema.ts';
import { answer, plainJsonSerializer } from './answer.ts';
import { healthSchema } from './responses.ts';
import { openApiRoutes } from './routes/openapi.ts';
import { datasetRoutes } from './routes/datasets.ts';
import { harmonizedRoutes } from './routes/harmonized.ts';
import { insightsJson, modelRoutes } from './routes/models.ts';
import { modelLifecycleRoutes } from './routes/modelLifecycle.ts';
import { overviewRoutes } from './routes/overview.ts';
import { listModels } from '../data/index.ts';
import { jobRoutes } from './routes/jobs.ts';
import { planRoutes } from './routes/plans.ts';
import { designRoutes } from './routes/design.ts';
import { touchpointRoutes } from './routes/touchpoints.ts';
import { catalogRoutes } from './routes/catalog.ts';
import type { ServerContext } from './context.ts';
import { sourceUrl } from '../paths.ts';

export interface AppOptions {
  workspace: string;
  /** Required bearer token for /api (MARGINAL_TOKEN); none = open (only allowed on 127.0.0.1). */
  token?: string;
  /** The built web app (default: web/dist when it exists). */
  webRoot?: string | null;
  /** Largest upload in bytes (default 200 MB; MARGINAL_UPLOAD_LIMIT_MB). */
  uploadLimit?: number;
  /** Largest JSON body in bytes (default 1 MB). */
  bodyLimit?: number;
  /** Fit jobs at once (default 1; local runner only: with `redis`, the workers decide). */
  concurrency?: number;
  /** Run fits, plans and touchpoint jobs on `marginal worker` processes through this Redis server
   *  (redis:// URL; default: none, jobs run in this process's worker threads). See docs/distributed.md. */
  redis?: string;
  /** The Redis queue name (default `jobs`); workers must use the same. */
  queue?: string;
  /** Compute the latest model's insights in the background at start (so its page opens at once). */
  warm?: boolean;
  /** Host names (without port) the server answers (default: loopback names and MARGINAL_ALLOWED_HOSTS;
   *  `startServer` adds the bound address); `null` answers any Host. See guard.ts. */
  allowedHosts?: ReadonlySet<string> | null;
  /** Limits on what one request may ask (default: limitsFromEnv(), see src/jobs/limits.ts). */
  limits?: Partial<JobLimits>;
  logger?: boolean;
}

export const DEFAULT_WEB_ROOT = fileURLToPath(sourceUrl('../web/dist'));

export async function buildApp(opts: AppOptions): Promise<{ app: FastifyInstance; ctx: ServerContext }> {
  // The distributed runner connects first: an unreachable Redis fails the start with a clear error.
  const jobs = opts.redis
    ? await (await import('../jobs/distributed/index.ts')).DistributedRunner.open({ redis: opts.redis, queue: opts.queue })
    : new JobRunner({ concurrency: opts.concurrency ?? 1 });
  const app = Fastify({ logger: opts.logger ?? false, bodyLimit: opts.bodyLimit ?? 1024 * 1024, forceCloseConnections: true });
  const ctx: ServerContext = {
    gate: new WorkspaceGate(resolve(opts.workspace)),
    jobs,
    compute: new JobRunner({ concurrency: 2 }),
    uploads: new Uploads(resolve(opts.workspace)),
    uploadLimit: opts.uploadLimit ?? Number(process.env.MARGINAL_UPLOAD_LIMIT_MB ?? 200) * 1024 * 1024,
    cache: new Map(),
    limits: { ...limitsFromEnv(), ...opts.limits },
  };
  ctx.uploads.sweep();
  // Uploads never ingested expire after an hour while the server runs (and at every new upload).
  const sweeper = setInterval(() => ctx.uploads.sweep(), 10 * 60 * 1000);
  sweeper.unref();
  app.setValidatorCompiler(zodValidator);
  app.setSerializerCompiler(plainJsonSerializer);
  app.removeContentTypeParser('text/plain'); // JSON bodies only (and multipart for uploads)
  installErrorHandler(app);
  app.addHook('onClose', async () => { clearInterval(sweeper); await ctx.jobs.close(); await ctx.compute.close(); await ctx.gate.close(); });

  installGuard(app, { token: opts.token, allowedHosts: opts.allowedHosts === undefined ? allowedHostsFor('127.0.0.1') : opts.allowedHosts });

  await app.register(multipart, { limits: { fileSize: ctx.uploadLimit, files: 1 } });
  await app.register(openApiRoutes);
  await app.register(datasetRoutes, ctx);
  await app.register(harmonizedRoutes, ctx);
  await app.register(modelRoutes, ctx);
  await app.register(modelLifecycleRoutes, ctx);
  await app.register(overviewRoutes, ctx);
  await app.register(jobRoutes, ctx);
  await app.register(planRoutes, ctx);
  await app.register(designRoutes, ctx);
  await app.register(touchpointRoutes, ctx);
  await app.register(catalogRoutes);
  app.get('/api/health', { schema: { summary: 'Liveness', tags: ['meta'], response: { 200: answer(healthSchema) } } }, async () => ({ ok: true, jobs: ctx.jobs.list().filter((j) => j.status === 'running').length }));

  const webRoot = opts.webRoot === undefined ? DEFAULT_WEB_ROOT : opts.webRoot;
  if (webRoot && existsSync(resolve(webRoot, 'index.html'))) {
    await app.register(fastifyStatic, { root: resolve(webRoot), prefix: '/', wildcard: false, index: ['index.html'] });
  }
  app.setNotFoundHandler((req, reply) => {
    // The web app routes on the client: any other GET outside /api answers its index.html.
    if (req.method === 'GET' && !req.url.startsWith('/api') && webRoot && existsSync(resolve(webRoot, 'index.html'))) {
      return reply.type('text/html; charset=utf-8').sendFile('index.html');
    }
    if (req.method === 'GET' && (req.url === '/' || req.url.startsWith('/?'))) {
      return reply.type('text/html; charset=utf-8').send('<!doctype html><title>Marginal</title><p>The Marginal API is running (<a href="/api/openapi.json">OpenAPI</a>). The web app is not built: run <code>npm run build</code> and restart.</p>');
    }
    return reply.status(404).send({ error: 'NOT_FOUND', detail: `no route ${req.method} ${req.url.split('?')[0].slice(0, 200)}` });
  });
  if (opts.warm) {
    app.addHook('onReady', async () => {
      void ctx.gate.with((ws) => listModels(ws)).then((models) => {
        const latest = models.at(-1);
        if (latest) insightsJson(ctx, latest.id).catch(() => undefined);
      }, () => undefined);
    });
  }
  return { app, ctx };
}
