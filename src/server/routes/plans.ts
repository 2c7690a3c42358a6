/**
 * Plans: optimize a plan on fitted model(s) (a job; the plan is saved when it finishes), list, show,
 * compare two or more side by side, export the allocation as CSV.
 */
import { z } from 'zod';
import type { FastifyPluginAsync } from 'fastify';
import { deletePlan, getPlan, listPlans, renamePlan } from '../../data/plans.ts';
import { parsePlan, planSchema, type PlanResult } from '../../planning/index.ts';
import { comparePlanIds, planModelRefs, preparePlan, requirePlanModels, storePlan, type PlanTaskOutput } from '../../app/plan.ts';
import { checkPlanLimits } from '../../jobs/limits.ts';
import { badInput } from '../../errors.ts';
import { idList, idListQuery, idParam, idParams, json } from '../schema.ts';
import { prepareTrack } from '../../app/track.ts';
import { PLAN_TABLES, planCsv, planWorkbook } from '../../app/planExport.ts';
import { answer, fileAnswer } from '../answer.ts';
import { jobInfoSchema } from '../../app/schemas/jobInfo.ts';
import { planListingSchema, storedPlanSchema } from '../../app/schemas/planListing.ts';
import { plansComparedSchema } from '../../app/schemas/planComparison.ts';
import { deletedSchema } from '../planResponses.ts';
import type { ServerContext } from '../context.ts';


const exportQuery = z.strictObject({ table: z.enum(PLAN_TABLES).optional(), format: z.enum(['csv', 'xlsx']).optional() });
const trackBody = z.strictObject({ data: idParam, replan: z.boolean().optional() });
const renameBody = z.strictObject({ name: planSchema.shape.name.unwrap() });

export const planRoutes: FastifyPluginAsync<ServerContext> = async (app, ctx) => {
  const { gate, jobs } = ctx;

  app.get('/api/plans', { schema: { summary: 'List saved plans', tags: ['plans'], response: { 200: answer(z.array(planListingSchema)) } } }, async () => gate.shared('plans', (ws) => listPlans(ws)));

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
    return { plans: plans.map((p) => ({ id: p.id, model: p.model, budget: p.budget, periods: p.periods, total: p.total, allocation: p.allocation, ...(p.units ? { units: p.units } : {}) })), comparisons };
  });

  app.get('/api/plans/:id', { schema: { summary: 'One saved plan: its spec and result', tags: ['plans'], params: json(idParams), response: { 200: answer(storedPlanSchema) } } }, async (req) => {
    const { id } = req.params as { id: string };
    return gate.with((ws) => getPlan(ws, id));
  });

  app.post('/api/plans/:id/track', {
    schema: { summary: 'Track a saved plan in flight against a harmonized table with new periods, as a job (202): its result is the tracking (PlanTrack) — actual against forecast per period (inside the 90% interval or not), spend against plan per channel, and the rest of the budget re-optimized', tags: ['plans'], params: json(idParams), body: json(trackBody), response: { 202: answer(jobInfoSchema, 'The tracking job, queued; its result is a PlanTrack') } },
  }, async (req, reply) => {
    const { id } = req.params as { id: string };
    const { data, replan } = req.body as z.infer<typeof trackBody>;
    // Only a harmonized table of the workspace: no request names a file. Read (and refused) before queueing.
    const input = await gate.use((path) => prepareTrack(path, id, { harmonized: data }, { replan: replan !== false }));
    checkPlanLimits(parsePlan(input.spec, `plan '${id}'`), ctx.limits);
    const job = jobs.submit({ kind: 'track', meta: { plan: id, data }, timeoutMs: ctx.limits.jobMinutes * 60_000, prepare: async () => input });
    return reply.status(202).header('location', `/api/jobs/${job.id}`).send(job);
  });

  app.patch('/api/plans/:id', { schema: { summary: 'Rename a saved plan (its id stays)', tags: ['plans'], params: json(idParams), body: json(renameBody), response: { 200: answer(storedPlanSchema, 'The plan, renamed') } } }, async (req) => {
    const { id } = req.params as { id: string };
    const { name } = req.body as z.infer<typeof renameBody>;
    await gate.with((ws) => renamePlan(ws, id, name));
    return gate.with((ws) => getPlan(ws, id));
  });

  app.delete('/api/plans/:id', { schema: { summary: 'Delete a saved plan', tags: ['plans'], params: json(idParams), response: { 200: answer(deletedSchema) } } }, async (req) => {
    const { id } = req.params as { id: string };
    await gate.with((ws) => deletePlan(ws, id));
    return { deleted: id };
  });

  app.get('/api/plans/:id/export', { schema: { summary: 'A plan as CSV (`table`: allocation — the default —, forecast by period, or monthly) or as one XLSX workbook with a sheet each (`format=xlsx`)', tags: ['plans'], params: json(idParams), querystring: json(exportQuery), response: { 200: fileAnswer('A table as CSV (`table`), or the plan as an XLSX workbook (`format=xlsx`)', 'text/csv', 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet') } } }, async (req, reply) => {
    const { id } = req.params as { id: string };
    const { table = 'allocation', format = 'csv' } = req.query as z.infer<typeof exportQuery>;
    const p = await gate.with((ws) => getPlan(ws, id));
    const r = p.result as PlanResult;
    if (format === 'xlsx') {
      return reply.type('application/vnd.openxmlformats-officedocument.spreadsheetml.sheet').header('content-disposition', `attachment; filename="${id}.xlsx"`).send(await planWorkbook(r, id));
    }
    return reply.type('text/csv; charset=utf-8').header('content-disposition', `attachment; filename="${id}${table === 'allocation' ? '' : `-${table}`}.csv"`).send(planCsv(r, table));
  });
};
