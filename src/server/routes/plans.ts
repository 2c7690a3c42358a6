/**
 * Plans: optimize a plan on fitted model(s) (a job; the plan is saved when it finishes), list, show,
 * compare two or more side by side, export the allocation as CSV.
 */
import { z } from 'zod';
import type { FastifyPluginAsync } from 'fastify';
import { toCsv } from '../../data/index.ts';
import { getPlan, listPlans } from '../../data/plans.ts';
import { parsePlan, planSchema, type PlanResult } from '../../planning/index.ts';
import { comparePlanIds, planModelRefs, preparePlan, requirePlanModels, storePlan, type PlanTaskOutput } from '../../app/plan.ts';
import { checkPlanLimits } from '../../jobs/limits.ts';
import { badInput } from '../../errors.ts';
import { idList, idListQuery, idParams, json } from '../schema.ts';
import { answer, fileAnswer } from '../answer.ts';
import { jobInfoSchema } from '../../app/schemas/jobInfo.ts';
import { planListingSchema, storedPlanSchema } from '../../app/schemas/planListing.ts';
import { plansComparedSchema } from '../../app/schemas/planComparison.ts';
import type { ServerContext } from '../context.ts';


export const planRoutes: FastifyPluginAsync<ServerContext> = async (app, ctx) => {
  const { gate, jobs } = ctx;

  app.get('/api/plans', { schema: { summary: 'List saved plans', tags: ['plans'], response: { 200: answer(z.array(planListingSchema)) } } }, async () => gate.with((ws) => listPlans(ws)));

  app.post('/api/plans', {
    schema: { summary: 'Optimize a plan (contract optimize-output) as a job: 202 with the job; the plan is saved when it finishes', tags: ['plans'], body: json(planSchema), response: { 202: answer(jobInfoSchema, 'The plan job, queued; its result is the plan (PlanOutput)') } },
  }, async (req, reply) => {
    const spec = parsePlan(req.body, 'plan');
    checkPlanLimits(spec, ctx.limits);
    await gate.with((ws) => requirePlanModels(ws, spec));
    const job = jobs.submit({
      kind: 'plan', meta: { plan: spec.name ?? 'plan', models: planModelRefs(spec).map((r) => r.model) },
      timeoutMs: ctx.limits.jobMinutes * 60_000,
      prepare: () => gate.use((path) => preparePlan(path, spec)),
      finish: (output: PlanTaskOutput) => gate.with((ws) => storePlan(ws, spec, output), { patient: true }),
    });
    return reply.status(202).header('location', `/api/jobs/${job.id}`).send(job);
  });

  app.get('/api/plans/compare', { schema: { summary: 'Two or more plans side by side: each against the first (B − A)', tags: ['plans'], querystring: json(idListQuery), response: { 200: answer(plansComparedSchema) } } }, async (req) => {
    const ids = idList((req.query as { ids: string }).ids, 'plan');
    const { plans, comparisons } = await gate.with((ws) => comparePlanIds(ws, ids));
    return { plans: plans.map((p) => ({ id: p.id, model: p.model, budget: p.budget, periods: p.periods, total: p.total, allocation: p.allocation })), comparisons };
  });

  app.get('/api/plans/:id', { schema: { summary: 'One saved plan: its spec and result', tags: ['plans'], params: json(idParams), response: { 200: answer(storedPlanSchema) } } }, async (req) => {
    const { id } = req.params as { id: string };
    return gate.with((ws) => getPlan(ws, id));
  });

  app.get('/api/plans/:id/export', { schema: { summary: 'A plan\'s allocation as CSV', tags: ['plans'], params: json(idParams), response: { 200: fileAnswer('The allocation as CSV', 'text/csv') } } }, async (req, reply) => {
    const { id } = req.params as { id: string };
    const p = await gate.with((ws) => getPlan(ws, id));
    const r = p.result as PlanResult;
    const rows = r.allocation.map((a, i) => ({ channel: a.channel, geo: a.geo ?? '', spend: a.spend, expected: a.expected, expectedLow: a.expectedInterval?.[0] ?? null, expectedHigh: a.expectedInterval?.[1] ?? null, mroi: a.mroi, baselineSpend: r.baseline.allocation[i]?.spend ?? null }));
    return reply.type('text/csv; charset=utf-8').header('content-disposition', `attachment; filename="${id}.csv"`).send(toCsv(rows));
  });
};
