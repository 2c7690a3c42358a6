/**
 * Routes of stages that land after the core: plans (src/planning, src/data/plans.ts) and touchpoints
 * (src/touchpoints). Registered here so app.ts stays the same as they land.
 */
import type { FastifyPluginAsync } from 'fastify';
import type { ServerContext } from '../context.ts';
import { planRoutes } from './plans.ts';
import { touchpointRoutes } from './touchpoints.ts';

export const extraRoutes: FastifyPluginAsync<ServerContext> = async (app, ctx) => {
  await app.register(planRoutes, ctx);
  await app.register(touchpointRoutes, ctx);
};
