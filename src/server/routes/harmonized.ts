/** Harmonized tables: build one (grain, dates, datasets), list, show with the validation report, rows, export, drop. */
import { readFileSync, rmSync } from 'node:fs';
import { z } from 'zod';
import { isoDate } from '../../calendar.ts';
import type { FastifyPluginAsync } from 'fastify';
import { GRAINS, OVERLAP_RULES, dropEntry, exportHarmonized, getHarmonized, listHarmonized, previewHarmonized, PREVIEW_ROWS } from '../../data/index.ts';
import { harmonize, previewHarmonize } from '../../app/harmonize.ts';
import { idParam, idParams, json } from '../schema.ts';
import { answer, fileAnswer } from '../answer.ts';
import { droppedSchema } from '../responses.ts';
import { harmonizedSchema, harmonizePreviewSchema, harmonizeResultSchema, rowsSchema } from '../dataResponses.ts';
import type { ServerContext } from '../context.ts';

export const harmonizeBody = z.strictObject({
  name: idParam,
  grain: z.enum(GRAINS),
  weekStart: z.enum(['sunday', 'monday', 'tuesday', 'wednesday', 'thursday', 'friday', 'saturday']).optional(),
  from: isoDate.optional(),
  to: isoDate.optional(),
  /** In priority order: a dataset id (all its columns), or `{ id, columns }` to take only those of its harmonized columns. */
  datasets: z.array(z.union([idParam, z.strictObject({ id: idParam, columns: z.array(z.string().min(1).max(200)).max(1000).optional() })])).max(200).optional(),
  geo: z.enum(['refuse', 'aggregate']).optional(),
  /** When a column has values from more than one dataset for the same period and geo: refuse (default), sum, or priority (the first dataset in `datasets` wins). */
  overlap: z.enum(OVERLAP_RULES).optional(),
  derive: z.array(z.string().min(3).max(500)).max(50).optional(),
  replace: z.boolean().optional(),
});
export const previewBody = harmonizeBody.extend({ rows: z.number().int().min(1).max(200).default(PREVIEW_ROWS) });
const rowsQuery = z.strictObject({ limit: z.coerce.number().int().min(1).max(5000).default(20) });
const exportQuery = z.strictObject({ format: z.enum(['csv', 'parquet']).default('csv') });

export const harmonizedRoutes: FastifyPluginAsync<ServerContext> = async (app, ctx) => {
  const { gate, uploads } = ctx;

  app.get('/api/harmonized', { schema: { summary: 'List harmonized tables', tags: ['data'], response: { 200: answer(z.array(harmonizedSchema)) } } }, async () => gate.shared('harmonized', (ws) => listHarmonized(ws)));

  app.post('/api/harmonized', { schema: { summary: 'Harmonize datasets into one weekly or monthly table, with its validation report', tags: ['data'], body: json(harmonizeBody), response: { 201: answer(harmonizeResultSchema, 'Harmonized') } } }, async (req, reply) => {
    const body = req.body as z.infer<typeof harmonizeBody>;
    const result = await gate.with((ws) => harmonize(ws, body));
    return reply.status(201).send(result);
  });

  app.post('/api/harmonized/preview', { schema: { summary: 'Preview a harmonized table before saving it: its columns with role and source datasets, first rows, period range, row count and validation report; nothing is stored', tags: ['data'], body: json(previewBody), response: { 200: answer(harmonizePreviewSchema) } } }, async (req) => {
    const { rows, ...body } = req.body as z.infer<typeof previewBody>;
    return gate.with((ws) => previewHarmonize(ws, body, rows));
  });

  app.get('/api/harmonized/:id', { schema: { summary: 'One harmonized table with its validation report', tags: ['data'], params: json(idParams), response: { 200: answer(harmonizedSchema) } } }, async (req) => {
    const { id } = req.params as { id: string };
    return gate.with((ws) => getHarmonized(ws, id));
  });

  app.get('/api/harmonized/:id/rows', { schema: { summary: 'Wide rows of a harmonized table', tags: ['data'], params: json(idParams), querystring: json(rowsQuery), response: { 200: answer(rowsSchema) } } }, async (req) => {
    const { id } = req.params as { id: string };
    const { limit } = req.query as z.infer<typeof rowsQuery>;
    return gate.with(async (ws) => { await getHarmonized(ws, id); return previewHarmonized(ws, id, limit); });
  });

  app.get('/api/harmonized/:id/export', { schema: { summary: 'A harmonized table as CSV or Parquet', tags: ['data'], params: json(idParams), querystring: json(exportQuery), response: { 200: fileAnswer('The table as CSV or Parquet (`format`)', 'text/csv', 'application/vnd.apache.parquet') } } }, async (req, reply) => {
    const { id } = req.params as { id: string };
    const { format } = req.query as z.infer<typeof exportQuery>;
    const out = uploads.scratch(`.${format}`);
    try {
      await gate.with((ws) => exportHarmonized(ws, id, out));
      return reply.type(format === 'csv' ? 'text/csv; charset=utf-8' : 'application/vnd.apache.parquet')
        .header('content-disposition', `attachment; filename="${id}.${format}"`).send(readFileSync(out));
    } finally { rmSync(out, { force: true }); }
  });

  app.delete('/api/harmonized/:id', { schema: { summary: 'Drop a harmonized table', tags: ['data'], params: json(idParams), response: { 200: answer(droppedSchema) } } }, async (req) => {
    const { id } = req.params as { id: string };
    await gate.with(async (ws) => { await getHarmonized(ws, id); await dropEntry(ws, id); });
    return { dropped: id };
  });
};
