/**
 * Models: list, show, fit (a job with progress), insights (computed once per model in a job worker
 * and cached: a stored model never changes), the HTML report and CSV exports of the insight tables.
 */
import { z } from 'zod';
import type { FastifyPluginAsync } from 'fastify';
import { getModel, toCsv } from '../../data/index.ts';
import { MAX_ITERATIONS, modelConfigSchema, parseModelConfig, type ModelConfig } from '../../models/config.ts';
import { checkConfigPriors, pinDataVersion, prepareFit } from '../../app/fit.ts';
import { listModelsWithStatus, modelWithStatus } from '../../app/modelStatus.ts';
import { insightsJson, insightsOf } from '../insightsCache.ts';
import { sendCached } from '../cachedBody.ts';
import { submitFit } from '../fitJob.ts';
import { checkFitLimits } from '../../jobs/limits.ts';
import { badConfig, badInput } from '../../errors.ts';
import { idList, idListQuery, idParams, json } from '../schema.ts';
import { answer, fileAnswer } from '../answer.ts';
import { curvePriorsSchema, holidayCountriesSchema, modelComparisonSchema, priorCheckAnswerSchema } from '../responses.ts';
import { insightsViewSchema } from '../../app/schemas/insightsView.ts';
import { jobInfoSchema } from '../../app/schemas/jobInfo.ts';
import { modelListingSchema } from '../../app/schemas/modelListing.ts';
import { modelSchema } from '../../app/schemas/storedModel.ts';
import { compareModelIds } from '../../app/compare.ts';
import { curvePriorsOfModel } from '../../app/curvePriors.ts';
import type { ServerContext } from '../context.ts';

export const fitBody = z.strictObject({
  config: modelConfigSchema,
  fast: z.boolean().optional(),
  chains: z.number().int().min(1).max(16).optional(),
  draws: z.number().int().min(10).max(MAX_ITERATIONS).optional(),
  warmup: z.number().int().min(10).max(MAX_ITERATIONS).optional(),
  seed: z.number().int().min(0).optional(),
});
const exportParams = z.strictObject({ id: idParams.shape.id, table: z.enum(['decomposition', 'contributions', 'channels', 'responseCurves', 'curvePoints', 'adstock', 'curveParameters', 'fit', 'parameters', 'health', 'liftTests']) });
export const curvePriorsBody = z.strictObject({ config: modelConfigSchema, widen: z.number().min(1).max(100).optional() });

/** No request may name a file on the server's disk: a config's `data.file` and `holidays.file` are refused. */
export function refuseFilePaths(config: { data: { file?: string }; holidays?: { file?: string } }): void {
  if (config.holidays?.file !== undefined) throw badConfig('`holidays.file` is not accepted by the server (no request may read files outside the workspace); use `holidays.country` alone for the built-in public-holiday calendar, or add holiday flags to the data and name them in `holidays.columns`');
  if (config.data.file !== undefined) throw badConfig('`data.file` is not accepted by the server (no request may read files outside the workspace); ingest and harmonize the data and use `data.harmonized`');
}

export { insightsJson, insightsOf } from '../insightsCache.ts';

const insightsQuery = z.strictObject({ geo: z.string().min(1).max(200).optional() });

export const modelRoutes: FastifyPluginAsync<ServerContext> = async (app, ctx) => {
  const { gate } = ctx;

  app.get('/api/holidays/countries', { schema: { summary: 'Countries of the built-in public-holiday calendar (`holidays.country`): ISO code → name', tags: ['models'], response: { 200: answer(holidayCountriesSchema) } } }, async () => {
    const { holidayCountries } = await import('../../models/holidayCalendar.ts');
    return holidayCountries();
  });

  app.get('/api/models/compare', { schema: { summary: 'Two or more stored models side by side: fit, holdout fit, ROI (with intervals), marginal ROI and contribution per channel', tags: ['models'], querystring: json(idListQuery), response: { 200: answer(modelComparisonSchema) } } }, async (req) => {
    const ids = idList((req.query as { ids: string }).ids, 'model', { distinct: true });
    return gate.with((ws) => compareModelIds(ws, ids));
  });

  app.get('/api/models', { schema: { summary: 'List fitted models with status and health: the table version each was fitted on, whether it is stale (a newer version, or the table dropped) in words, and the saved plans on it', tags: ['models'], response: { 200: answer(z.array(modelListingSchema)) } } }, async () => gate.shared('models', (ws) => listModelsWithStatus(ws)));

  app.get('/api/models/:id', { schema: { summary: 'One model: config (with the table version it was fitted on) and fit output (contract fit-output), whether it is stale, and the saved plans on it', tags: ['models'], params: json(idParams), response: { 200: answer(modelSchema) } } }, async (req) => {
    const { id } = req.params as { id: string };
    return gate.with((ws) => modelWithStatus(ws, id));
  });

  app.post('/api/models/:id/fit', {
    schema: { summary: 'Fit a model named :id from a config (a job: 202 with the job; progress at /api/jobs/:job/events). The stored model id is `<name>-<n>`.', tags: ['models'], params: json(idParams), body: json(fitBody), response: { 202: answer(jobInfoSchema, 'The fit job, queued; the stored model id is in its result') } },
  }, async (req, reply) => {
    const { id } = req.params as { id: string };
    const body = req.body as z.infer<typeof fitBody>;
    refuseFilePaths(body.config);
    const config: ModelConfig = parseModelConfig({ ...body.config, name: id }, 'config');
    checkFitLimits(config, body, ctx.limits);
    // Fail fast on a missing table or columns, before queueing.
    // The table's current version is pinned in the config, so the model records the one it was fitted on.
    const pinned = await gate.with((ws) => pinDataVersion(ws, config));
    const table = await gate.use((path) => prepareFit(pinned, path));
    const job = submitFit(ctx, id, pinned, table, { fast: body.fast, chains: body.chains, draws: body.draws, warmup: body.warmup, seed: body.seed });
    return reply.status(202).header('location', `/api/jobs/${job.id}`).send(job);
  });

  app.post('/api/models/prior-check', {
    schema: { summary: 'Prior predictive check of a config before training: the share of the outcome its ROI priors alone imply media explain (median, 90% interval), per channel and in total, and how the default ROI prior was chosen', tags: ['models'], body: json(z.strictObject({ config: modelConfigSchema })), response: { 200: answer(priorCheckAnswerSchema) } },
  }, async (req) => {
    const body = req.body as { config: ModelConfig };
    refuseFilePaths(body.config);
    const config = parseModelConfig(body.config, 'config');
    return gate.use((path) => checkConfigPriors(config, path));
  });

  app.post('/api/models/:id/curve-priors', {
    schema: { summary: "A model refresh: `priors.curves` for a config from model :id's posterior (mean, sd × widen, never wider than the old prior), as `marginal priors` writes them; `skipped` names what the config's transforms have no place for", tags: ['models'], params: json(idParams), body: json(curvePriorsBody), response: { 200: answer(curvePriorsSchema) } },
  }, async (req) => {
    const { id } = req.params as { id: string };
    const body = req.body as z.infer<typeof curvePriorsBody>;
    refuseFilePaths(body.config);
    const config = parseModelConfig(body.config, 'config');
    const widen = body.widen ?? 2;
    return { model: id, widen, ...await gate.with((ws) => curvePriorsOfModel(ws, id, config, widen)) };
  });

  app.get('/api/models/:id/insights', { schema: { summary: 'Insights of a model: decomposition, contributions, channels (ROI, marginal ROI, break-even), response and adstock curves, fit, parameters, health. A geo model\'s answer is national (its decomposition summed over geos, national curves) unless `geo` names one geo: then that geo\'s decomposition, curves and fit bands (`geos` lists them). Sent gzipped to a client that accepts it, with an entity tag: a current `If-None-Match` gets 304 with no body', tags: ['models'], params: json(idParams), querystring: json(insightsQuery), response: { 200: answer(insightsViewSchema) } } }, async (req, reply) => {
    const { id } = req.params as { id: string };
    const { geo } = req.query as z.infer<typeof insightsQuery>;
    return sendCached(req, reply, await insightsJson(ctx, id, geo));
  });

  app.get('/api/models/:id/export/:table', { schema: { summary: 'One insights table as CSV', tags: ['models'], params: json(exportParams), response: { 200: fileAnswer('The table as CSV', 'text/csv') } } }, async (req, reply) => {
    const { id, table } = req.params as z.infer<typeof exportParams>;
    const x = await insightsOf(ctx, id);
    const rows = x[table];
    if (!Array.isArray(rows)) throw badInput(`model '${id}' has no table '${table}'`);
    return reply.type('text/csv; charset=utf-8').header('content-disposition', `attachment; filename="${id}-${table}.csv"`).send(toCsv(rows as Record<string, unknown>[]));
  });

  app.get('/api/models/:id/report', { schema: { summary: 'The self-contained HTML report of a model', tags: ['models'], params: json(idParams), response: { 200: fileAnswer('The report: one HTML file with its charts inlined, no network needed', 'text/html') } } }, async (req, reply) => {
    const { id } = req.params as { id: string };
    const m = await gate.with((ws) => getModel(ws, id));
    // The same report as `marginal report`, its response curves the model's insights' (computed once
    // per model in a job worker and cached, as the Insights page draws them). Without them (the data
    // table is gone, say) the report is served without the curve section.
    const { reportInsightsFrom, storedModelReport } = await import('../../app/report.ts');
    const extras = await insightsOf(ctx, id).then((x) => reportInsightsFrom(x as unknown as Parameters<typeof reportInsightsFrom>[0]), (e: unknown) => {
      req.log.warn(`report of '${id}': response curves left out: ${e instanceof Error ? e.message : String(e)}`);
      return undefined;
    });
    const html = storedModelReport(m, extras?.curves, extras?.subchannels, extras?.liftTests);
    return reply.type('text/html; charset=utf-8').header('content-disposition', `inline; filename="${id}-report.html"`).send(html);
  });
};
