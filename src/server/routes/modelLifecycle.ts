/**
 * A model's lifecycle: rename (its display name; the id stays), duplicate its config (to edit and fit),
 * delete (refused while saved plans depend on it, unless `force`), refit (same config, same data) and
 * refresh (same config on the current version of its table, optionally with curve priors from its
 * posterior) — the last two queue the same fit job as POST /api/models/:id/fit.
 */
import { z } from 'zod';
import type { FastifyPluginAsync, FastifyReply, FastifyRequest } from 'fastify';
import { MAX_ITERATIONS, modelConfigSchema } from '../../models/config.ts';
import { prepareFit } from '../../app/fit.ts';
import { renameStoredModel, MODEL_NAME_MAX } from '../../app/renameModel.ts';
import { deleteModel } from '../../app/deleteModel.ts';
import { duplicateModelConfig } from '../../app/duplicateModel.ts';
import { prepareRefit, type RefitRequest } from '../../app/refreshModel.ts';
import { modelWithStatus } from '../../app/modelStatus.ts';
import { checkFitLimits } from '../../jobs/limits.ts';
import { idParams, json } from '../schema.ts';
import { answer } from '../answer.ts';
import { jobInfoSchema } from '../../app/schemas/jobInfo.ts';
import { modelSchema } from '../../app/schemas/storedModel.ts';
import { dependentPlanSchema } from '../../app/schemas/modelStatus.ts';
import { forgetModel } from '../insightsCache.ts';
import { submitFit } from '../fitJob.ts';
import { refuseFilePaths } from './models.ts';
import type { ServerContext } from '../context.ts';

const renameBody = z.strictObject({ name: z.string().min(1).max(MODEL_NAME_MAX) });
const deleteQuery = z.strictObject({ force: z.enum(['true', 'false']).optional() });
const duplicateBody = z.strictObject({ name: modelConfigSchema.shape.name });
const sampling = {
  fast: z.boolean().optional(),
  chains: z.number().int().min(1).max(16).optional(),
  draws: z.number().int().min(10).max(MAX_ITERATIONS).optional(),
  warmup: z.number().int().min(10).max(MAX_ITERATIONS).optional(),
  seed: z.number().int().min(0).optional(),
};
const refitBody = z.strictObject(sampling);
export const refreshBody = z.strictObject({
  /** Curve priors from the old model's posterior (a Bayesian model), as `marginal priors` writes them. */
  usePosteriorAsPriors: z.boolean().optional(),
  widen: z.number().min(1).max(100).optional(),
  ...sampling,
});

const deletedModelSchema = z.object({
  deleted: z.string(),
  /** Saved plans that depended on it (a forced delete): they keep their saved results. */
  plans: z.array(dependentPlanSchema),
}).meta({ id: 'DeletedModel' });
const duplicateSchema = z.object({ model: z.string(), name: z.string(), config: modelConfigSchema.meta({ id: 'ModelConfig' }) }).meta({ id: 'ModelDuplicate' });

export const modelLifecycleRoutes: FastifyPluginAsync<ServerContext> = async (app, ctx) => {
  const { gate } = ctx;

  app.patch('/api/models/:id', { schema: { summary: 'Rename a model (its display name; the id stays, so plans, links and comparisons keep working)', tags: ['models'], params: json(idParams), body: json(renameBody), response: { 200: answer(modelSchema, 'The model, renamed') } } }, async (req) => {
    const { id } = req.params as { id: string };
    const { name } = req.body as z.infer<typeof renameBody>;
    return gate.with(async (ws) => { await renameStoredModel(ws, id, name); return modelWithStatus(ws, id); });
  });

  app.delete('/api/models/:id', { schema: { summary: 'Delete a model: refused (409, listing them) while saved plans depend on it, unless `force=true` (the plans keep their saved results)', tags: ['models'], params: json(idParams), querystring: json(deleteQuery), response: { 200: answer(deletedModelSchema) } } }, async (req) => {
    const { id } = req.params as { id: string };
    const { force } = req.query as z.infer<typeof deleteQuery>;
    const out = await gate.with((ws) => deleteModel(ws, id, { force: force === 'true' }));
    forgetModel(ctx, id);
    return out;
  });

  app.post('/api/models/:id/duplicate', { schema: { summary: "A copy of a model's config under a new name (default `<name>-copy`), on the current version of its table: to edit and fit", tags: ['models'], params: json(idParams), body: json(duplicateBody), response: { 200: answer(duplicateSchema) } } }, async (req) => {
    const { id } = req.params as { id: string };
    const { name } = req.body as z.infer<typeof duplicateBody>;
    return gate.with((ws) => duplicateModelConfig(ws, id, name));
  });

  const refit = (mode: RefitRequest['mode']) => async (req: FastifyRequest, reply: FastifyReply) => {
    const { id } = req.params as { id: string };
    const body = (req.body ?? {}) as z.infer<typeof refreshBody>;
    const plan = await gate.with((ws) => prepareRefit(ws, id, { mode, withPriors: body.usePosteriorAsPriors, widen: body.widen }));
    refuseFilePaths(plan.config);
    const options = { fast: body.fast ?? plan.fast, chains: body.chains, draws: body.draws, warmup: body.warmup, seed: body.seed };
    checkFitLimits(plan.config, options, ctx.limits);
    const table = await gate.use((path) => prepareFit(plan.config, path));
    const job = submitFit(ctx, plan.name, plan.config, table, options, { displayName: plan.displayName, refreshedFrom: id }, { [mode === 'refresh' ? 'refreshOf' : 'refitOf']: id, notes: plan.notes });
    return reply.status(202).header('location', `/api/jobs/${job.id}`).send(job);
  };

  app.post('/api/models/:id/refit', { schema: { summary: 'Refit a model: the same config on the same data (the table version it was fitted on), as a fit job (202); the new model is `<name>-<n+1>`, linked to this one', tags: ['models'], params: json(idParams), body: json(refitBody), response: { 202: answer(jobInfoSchema, 'The fit job, queued; the stored model id is in its result') } } }, refit('refit'));

  app.post('/api/models/:id/refresh', { schema: { summary: "Refresh a model: the same config on the current version of its table, as a fit job (202), optionally with curve priors from its posterior (`usePosteriorAsPriors`, Bayesian models); the new model is `<name>-<n+1>` and supersedes this one", tags: ['models'], params: json(idParams), body: json(refreshBody), response: { 202: answer(jobInfoSchema, 'The fit job, queued; the stored model id is in its result') } } }, refit('refresh'));
};
