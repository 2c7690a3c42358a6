/**
 * Experiments (issue 27): design lift tests on a stored Bayesian model as a job (202; its result is
 * the design, a DesignOutput, with each test's plan), and a designed test's plan as CSV for the media
 * team. Bounded: the request is the CLI's flags (weeks 1–52, named channels checked against the
 * model before queueing), the draws fixed (DESIGN_DRAWS), the job under the server's time limit.
 */
import { z } from 'zod';
import type { FastifyPluginAsync } from 'fastify';
import { getModel } from '../../data/index.ts';
import { parseModelConfig } from '../../models/config.ts';
import { readStoredModel } from '../../app/load.ts';
import { testPlanCsv, type DesignOutput } from '../../app/design.ts';
import { designBodySchema } from '../../app/schemas/designOutput.ts';
import { jobInfoSchema } from '../../app/schemas/jobInfo.ts';
import { badInput, notFound } from '../../errors.ts';
import { idParams, json } from '../schema.ts';
import { answer, fileAnswer } from '../answer.ts';
import type { ServerContext } from '../context.ts';

const planParams = z.strictObject({ id: z.string().regex(/^[a-z0-9]{12}$/, 'must be a job id') });
const planQuery = z.strictObject({ rank: z.coerce.number().int().min(1).max(1000).optional() });

export const designRoutes: FastifyPluginAsync<ServerContext> = async (app, ctx) => {
  const { gate, jobs } = ctx;

  app.post('/api/models/:id/design', {
    schema: { summary: 'Design lift tests for the channels a Bayesian model leaves open (always on, weakly identified, or those named), as a job: 202 with the job; its result is the design (contract design-output) with each test\'s plan', tags: ['experiments'], params: json(idParams), body: json(designBodySchema), response: { 202: answer(jobInfoSchema, 'The design job, queued; its result is a DesignOutput') } },
  }, async (req, reply) => {
    const { id } = req.params as { id: string };
    const request = designBodySchema.parse(req.body ?? {});
    // Refused before queueing: a model that is not Bayesian, a channel it does not have.
    const stored = await gate.with((ws) => getModel(ws, id));
    if (stored.family !== 'bayesian') throw badInput(`model '${id}' is a ${stored.family} model: designing tests needs a Bayesian model`, [{ field: 'model', message: 'choose a Bayesian model' }]);
    const names = parseModelConfig(stored.config, `model '${id}'`).channels.map((c) => c.name);
    for (const c of request.channels ?? []) if (!names.includes(c)) throw badInput(`model '${id}' has no channel '${c}'; the channels are ${names.join(', ')}`, [{ field: 'channels', message: `'${c}' is not a channel of the model: choose one of ${names.join(', ')}` }]);
    const job = jobs.submit({
      kind: 'design', meta: { model: id, channels: request.channels ?? [] },
      timeoutMs: ctx.limits.jobMinutes * 60_000,
      prepare: () => gate.use(async (path) => ({ ...(await readStoredModel(path, id)).input, request, plans: true })),
    });
    return reply.status(202).header('location', `/api/jobs/${job.id}`).send(job);
  });

  app.get('/api/designs/:id/plan', {
    schema: { summary: 'The plan of a designed test as CSV (geo, group, channel, week, planned spend), from a finished design job :id; `rank` picks the test (default 1)', tags: ['experiments'], params: json(planParams), querystring: json(planQuery), response: { 200: fileAnswer('The test plan as CSV', 'text/csv') } },
  }, async (req, reply) => {
    const { id } = req.params as { id: string };
    const { rank = 1 } = planQuery.parse(req.query ?? {});
    const job = jobs.get(id);
    if (job.kind !== 'design') throw notFound('design job', id);
    if (job.status !== 'succeeded') throw badInput(`design job '${id}' is ${job.status}: its plans are there once it has succeeded`);
    const rows = (job.result as DesignOutput).plans?.[rank];
    if (!rows) throw notFound(`test ranked ${rank} of design job`, id);
    const model = String(job.meta.model ?? 'model');
    return reply.type('text/csv; charset=utf-8').header('content-disposition', `attachment; filename="${model}-test-${rank}.csv"`).send(testPlanCsv(rows));
  });
};
