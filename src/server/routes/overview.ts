/** The workspace at a glance (the web's first page): GET /api/overview, the same as `marginal overview --json`. */
import type { FastifyPluginAsync } from 'fastify';
import { addHealth, collectOverview } from '../../app/overview.ts';
import type { HealthRow } from '../../analysis/health.ts';
import { answer } from '../answer.ts';
import { overviewSchema } from '../../app/schemas/overview.ts';
import { insightsOf } from '../insightsCache.ts';
import type { ServerContext } from '../context.ts';

export const overviewRoutes: FastifyPluginAsync<ServerContext> = async (app, ctx) => {
  app.get('/api/overview', { schema: { summary: "The workspace at a glance: per KPI its latest model with its health in one line and each channel's ROI with its 90% interval (as stored), data freshness (last date per dataset, per harmonized table with its version), open warnings, stale models, saved plans and their status; when the workspace is empty, what to do first", tags: ['models'], response: { 200: answer(overviewSchema) } } }, async () => {
    const o = await ctx.gate.with((ws) => collectOverview(ws));
    // Health from each latest model's insights: computed once per model in a worker and cached.
    return addHealth(o, async (id) => (await insightsOf(ctx, id)).health as HealthRow[]);
  });
};
