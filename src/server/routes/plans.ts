/**
 * Plans: optimize a plan on fitted model(s) (a job; the plan is saved when it finishes), list, show,
 * compare two or more side by side, export the allocation as CSV.
 */
import { z } from 'zod';
import type { FastifyPluginAsync } from 'fastify';
import { getModel, toCsv, withWorkspace } from '../../data/index.ts';
import { getPlan, listPlans, savePlan } from '../../data/plans.ts';
import { comparePlans, parsePlan, planSchema, type ComparablePlan, type PlanResult } from '../../planning/index.ts';
import { parseModelConfig } from '../../models/config.ts';
import { loadModelTable } from '../../jobs/fit.ts';
import { checkPlanLimits } from '../../jobs/limits.ts';
import { badInput } from '../../errors.ts';
import { idList, idListQuery, idParams, json } from '../schema.ts';
import type { ServerContext } from '../context.ts';


export const planRoutes: FastifyPluginAsync<ServerContext> = async (app, ctx) => {
  const { gate, jobs } = ctx;

  app.get('/api/plans', { schema: { summary: 'List saved plans', tags: ['plans'] } }, async () => gate.with((ws) => listPlans(ws)));

  app.post('/api/plans', {
    schema: { summary: 'Optimize a plan (contract optimize-output) as a job: 202 with the job; the plan is saved when it finishes', tags: ['plans'], body: json(planSchema) },
  }, async (req, reply) => {
    const spec = parsePlan(req.body, 'plan');
    checkPlanLimits(spec, ctx.limits);
    const refs = spec.models ?? [{ model: spec.model!, weight: 1 }];
    await gate.with(async (ws) => { for (const r of refs) await getModel(ws, r.model); });
    const job = jobs.submit({
      kind: 'plan', meta: { plan: spec.name ?? 'plan', models: refs.map((r) => r.model) },
      timeoutMs: ctx.limits.jobMinutes * 60_000,
      prepare: () => gate.use(async (path) => {
        const models = [];
        for (const r of refs) {
          const stored = await withWorkspace(path, (ws) => getModel(ws, r.model));
          const table = await loadModelTable(parseModelConfig(stored.config, `model '${r.model}'`), path);
          models.push({ modelId: r.model, weight: r.weight, family: stored.family, config: stored.config, result: stored.result, table });
        }
        return { spec, models };
      }),
      finish: async (result: PlanResult) => {
        const planId = await gate.with((ws) => savePlan(ws, { name: spec.name ?? 'plan', model: result.model, spec, result }), { patient: true });
        return { planId, ...result };
      },
    });
    return reply.status(202).header('location', `/api/jobs/${job.id}`).send(job);
  });

  app.get('/api/plans/compare', { schema: { summary: 'Two or more plans side by side: each against the first (B − A)', tags: ['plans'], querystring: json(idListQuery) } }, async (req) => {
    const ids = idList((req.query as { ids: string }).ids, 'plan');
    const plans = await gate.with(async (ws) => Promise.all(ids.map((id) => getPlan(ws, id))));
    const comparable = plans.map((p) => ({ id: p.id, ...(p.result as Omit<ComparablePlan, 'id'>) }));
    return {
      plans: comparable.map((p) => ({ id: p.id, model: p.model, budget: p.budget, periods: p.periods, total: p.total, allocation: p.allocation })),
      comparisons: comparable.slice(1).map((b) => comparePlans(comparable[0], b)),
    };
  });

  app.get('/api/plans/:id', { schema: { summary: 'One saved plan: its spec and result', tags: ['plans'], params: json(idParams) } }, async (req) => {
    const { id } = req.params as { id: string };
    return gate.with((ws) => getPlan(ws, id));
  });

  app.get('/api/plans/:id/export', { schema: { summary: 'A plan\'s allocation as CSV', tags: ['plans'], params: json(idParams) } }, async (req, reply) => {
    const { id } = req.params as { id: string };
    const p = await gate.with((ws) => getPlan(ws, id));
    const r = p.result as PlanResult;
    const rows = r.allocation.map((a, i) => ({ channel: a.channel, geo: a.geo ?? '', spend: a.spend, expected: a.expected, expectedLow: a.expectedInterval?.[0] ?? null, expectedHigh: a.expectedInterval?.[1] ?? null, mroi: a.mroi, baselineSpend: r.baseline.allocation[i]?.spend ?? null }));
    return reply.type('text/csv; charset=utf-8').header('content-disposition', `attachment; filename="${id}.csv"`).send(toCsv(rows));
  });
};
