/** GET /api/catalog: the choices a model config offers (src/models/catalog.ts), for the web wizard. */
import type { FastifyPluginAsync } from 'fastify';
import { modelCatalog } from '../../models/catalog.ts';
import { answer } from '../answer.ts';
import { catalogSchema } from '../responses.ts';

export const catalogRoutes: FastifyPluginAsync = async (app) => {
  app.get('/api/catalog', {
    schema: { summary: 'What a model config may choose: media transforms (parameters with bounds, default priors, classic defaults, search ranges; the families that fit them), model families, curve parameters, control signs, target kinds', tags: ['models'], response: { 200: answer(catalogSchema) } },
  }, async () => modelCatalog());
};
