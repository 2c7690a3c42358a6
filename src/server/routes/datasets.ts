/** Datasets: upload (multipart) → preview with detected roles → ingest; list, show, rows, export, drop. */
import { readFileSync, rmSync } from 'node:fs';
import { z } from 'zod';
import type { FastifyPluginAsync } from 'fastify';
import { COLUMN_ROLES, KINDS, DATE_FORMATS, PRESETS, PRESET_NAMES, exportDataset, getDataset, listDatasets, previewDataset, dropEntry, type IngestOptions } from '../../data/index.ts';
import { ingestByRole, ingestFile } from '../../app/ingest.ts';
import { harmonizeSource } from '../../app/harmonize.ts';
import { badInput, formatProblem, MarginalError } from '../../errors.ts';
import { detect } from '../detect.ts';
import { detectRoles } from '../detectRoles.ts';
import { idParam, idParams, json } from '../schema.ts';
import { answer, fileAnswer } from '../answer.ts';
import { droppedSchema, removedSchema } from '../responses.ts';
import { datasetSchema, detectionSchema, presetsSchema, harmonizeSourceSchema, ingestedSchema, roleDetectionSchema, roleIngestedSchema, rowsSchema, uploadedSchema } from '../dataResponses.ts';
import type { ServerContext } from '../context.ts';

const uploadId = z.string().regex(/^[a-f0-9]{16}$/, 'must be an upload id from POST /api/uploads');
const ingestFields = {
  kind: z.enum(KINDS),
  map: z.record(z.string().min(1).max(200), z.string().min(1).max(200)).optional(),
  layout: z.enum(['wide', 'long']).optional(),
  dateFormat: z.enum(DATE_FORMATS).optional(),
  numberFormat: z.enum(['plain', 'us', 'eu']).optional(),
  sheet: z.string().max(200).optional(),
  /** An import preset: a platform export read by its documented column names (kind summary). */
  preset: z.enum(PRESET_NAMES).optional(),
};
export const detectBody = z.strictObject(ingestFields);
export const ingestBody = z.strictObject({
  upload: uploadId,
  name: idParam.optional(),
  currency: z.string().regex(/^[A-Z]{3}$/, 'must be a 3-letter currency code like USD').optional(),
  metricKinds: z.record(z.string().min(1), z.enum(['sum', 'mean'])).optional(),
  replace: z.boolean().optional(),
  ...ingestFields,
});
/** Column → role, for a wide file ingested by role (columns not named keep the proposed role). */
const rolesField = z.record(z.string().min(1).max(200), z.enum(COLUMN_ROLES)).optional();
const readFields = { dateFormat: ingestFields.dateFormat, numberFormat: ingestFields.numberFormat, sheet: ingestFields.sheet };
export const detectRolesBody = z.strictObject({ roles: rolesField, ...readFields });
export const ingestByRoleBody = z.strictObject({
  upload: uploadId,
  /** The media dataset's id; the outcome and factors datasets add -outcome and -factors. */
  name: idParam.optional(),
  roles: rolesField,
  currency: ingestBody.shape.currency,
  metricKinds: ingestBody.shape.metricKinds,
  replace: z.boolean().optional(),
  ...readFields,
});
/** `mixed`: one wide file whose columns each get a role (media, outcome, factor…), answered as `roles`. */
const uploadQuery = z.strictObject({ kind: z.enum([...KINDS, 'mixed']).default('summary'), preset: z.enum(PRESET_NAMES).optional() });
const rowsQuery = z.strictObject({ limit: z.coerce.number().int().min(1).max(1000).default(20) });
const exportQuery = z.strictObject({ format: z.enum(['csv', 'parquet']).default('csv') });

export const datasetRoutes: FastifyPluginAsync<ServerContext> = async (app, ctx) => {
  const { gate, uploads } = ctx;

  app.post('/api/uploads', {
    schema: { summary: 'Upload a data file (multipart, field "file"); answers the detected layout and roles for `kind`', tags: ['data'], querystring: json(uploadQuery), consumes: ['multipart/form-data'], response: { 201: answer(uploadedSchema, 'Uploaded; the detected layout, or the problem that stopped detection') } },
  }, async (req, reply) => {
    if (!req.isMultipart()) throw Object.assign(new Error('uploads must be multipart/form-data with a "file" field'), { statusCode: 415 });
    const saved = await malformedMultipartIsBadInput(async () => {
      const part = await req.file({ limits: { fileSize: ctx.uploadLimit, files: 1, fields: 10 } });
      if (!part) throw badInput('the multipart body has no "file" field');
      return uploads.save(part.filename, part.file, () => part.file.truncated, ctx.uploadLimit);
    });
    const { kind, preset } = req.query as z.infer<typeof uploadQuery>;
    if (preset && kind !== 'summary') { uploads.remove(saved.upload); throw badInput(`the import preset ${preset} reads media data, the kind summary; got the kind ${kind}`); }
    let detection: unknown = null, roles: unknown = null, problem: unknown = null;
    try {
      if (kind === 'mixed') roles = await detectRoles(uploads.path(saved.upload), {});
      else detection = await detect(uploads.path(saved.upload), { kind, preset });
    } catch (err) {
      if (!(err instanceof MarginalError) || err.code === 'INTERNAL') throw err;
      problem = { error: err.code, detail: err.message, problems: err.problems.map((p) => ({ ...p, text: formatProblem(p) })) };
    }
    return reply.status(201).send({ ...saved, kind, detection, roles, problem });
  });

  app.post('/api/uploads/:id/detect', {
    schema: { summary: 'Detect roles of an uploaded file for a kind and a (partial) mapping: the live preview of the Data page', tags: ['data'], params: json(z.strictObject({ id: uploadId })), body: json(detectBody), response: { 200: answer(detectionSchema) } },
  }, async (req) => {
    const { id } = req.params as { id: string };
    const body = req.body as z.infer<typeof detectBody>;
    return detect(uploads.path(id), body as IngestOptions);
  });

  app.post('/api/uploads/:id/roles', {
    schema: { summary: 'Each column\'s role in an uploaded wide file (date, geo, media, outcome, factor, ignore) for a (partial) choice of roles, and the datasets it becomes', tags: ['data'], params: json(z.strictObject({ id: uploadId })), body: json(detectRolesBody), response: { 200: answer(roleDetectionSchema) } },
  }, async (req) => {
    const { id } = req.params as { id: string };
    return detectRoles(uploads.path(id), req.body as z.infer<typeof detectRolesBody>);
  });

  app.delete('/api/uploads/:id', { schema: { summary: 'Discard an upload', tags: ['data'], params: json(z.strictObject({ id: uploadId })), response: { 200: answer(removedSchema) } } }, async (req) => {
    const { id } = req.params as { id: string };
    uploads.path(id);
    uploads.remove(id);
    return { removed: id };
  });

  app.get('/api/presets', {
    schema: { summary: 'The import presets: platform exports (Google Ads, Meta Ads, GA4, Adobe Analytics) read by their documented column names', tags: ['data'], response: { 200: answer(presetsSchema) } },
  }, async () => PRESET_NAMES.map((name) => ({ name, label: PRESETS[name].label })));

  app.get('/api/datasets', { schema: { summary: 'List datasets', tags: ['data'], response: { 200: answer(z.array(datasetSchema)) } } }, async () => gate.shared('datasets', (ws) => listDatasets(ws)));

  app.post('/api/datasets', {
    schema: { summary: 'Ingest an uploaded file as a dataset (same validation and messages as `marginal ingest`)', tags: ['data'], body: json(ingestBody), response: { 201: answer(ingestedSchema, 'Ingested') } },
  }, async (req, reply) => {
    const body = req.body as z.infer<typeof ingestBody>;
    const file = uploads.path(body.upload);
    const { upload: _u, ...opts } = body;
    const result = await gate.with((ws) => ingestFile(ws, file, opts as IngestOptions));
    uploads.remove(body.upload);
    return reply.status(201).send({ ...result, problems: result.problems.map((p) => ({ ...p, text: formatProblem(p) })) });
  });

  app.post('/api/datasets/by-role', {
    schema: { summary: 'Ingest an uploaded wide file whose columns each have a role: media, outcome and factors datasets (<name>, <name>-outcome, <name>-factors) stored in one transaction', tags: ['data'], body: json(ingestByRoleBody), response: { 201: answer(roleIngestedSchema, 'Ingested') } },
  }, async (req, reply) => {
    const { upload, ...opts } = req.body as z.infer<typeof ingestByRoleBody>;
    const file = uploads.path(upload);
    const result = await gate.with((ws) => ingestByRole(ws, file, opts));
    uploads.remove(upload);
    return reply.status(201).send({ ...result, datasets: result.datasets.map((d) => ({ ...d, problems: d.problems.map((p) => ({ ...p, text: formatProblem(p) })) })) });
  });

  app.get('/api/datasets/:id', { schema: { summary: 'One dataset', tags: ['data'], params: json(idParams), response: { 200: answer(datasetSchema) } } }, async (req) => {
    const { id } = req.params as { id: string };
    return gate.with((ws) => getDataset(ws, id));
  });

  app.get('/api/datasets/:id/columns', { schema: { summary: 'What a dataset would bring to a harmonized table: its columns with their role, and whether it is by geo', tags: ['data'], params: json(idParams), response: { 200: answer(harmonizeSourceSchema) } } }, async (req) => {
    const { id } = req.params as { id: string };
    return gate.with(async (ws) => harmonizeSource(ws, await getDataset(ws, id)));
  });

  app.get('/api/datasets/:id/rows', { schema: { summary: 'First stored rows of a dataset', tags: ['data'], params: json(idParams), querystring: json(rowsQuery), response: { 200: answer(rowsSchema) } } }, async (req) => {
    const { id } = req.params as { id: string };
    const { limit } = req.query as z.infer<typeof rowsQuery>;
    return gate.with((ws) => previewDataset(ws, id, limit));
  });

  app.get('/api/datasets/:id/export', { schema: { summary: 'A dataset\'s stored rows as CSV or Parquet', tags: ['data'], params: json(idParams), querystring: json(exportQuery), response: { 200: fileAnswer('The rows as CSV or Parquet (`format`)', 'text/csv', 'application/vnd.apache.parquet') } } }, async (req, reply) => {
    const { id } = req.params as { id: string };
    const { format } = req.query as z.infer<typeof exportQuery>;
    const out = uploads.scratch(`.${format}`);
    try {
      await gate.with((ws) => exportDataset(ws, id, out));
      const bytes = readFileSync(out);
      return reply.type(format === 'csv' ? 'text/csv; charset=utf-8' : 'application/vnd.apache.parquet')
        .header('content-disposition', `attachment; filename="${id}.${format}"`).send(bytes);
    } finally { rmSync(out, { force: true }); }
  });

  app.delete('/api/datasets/:id', { schema: { summary: 'Drop a dataset', tags: ['data'], params: json(idParams), response: { 200: answer(droppedSchema) } } }, async (req) => {
    const { id } = req.params as { id: string };
    await gate.with(async (ws) => { await getDataset(ws, id); await dropEntry(ws, id); });
    return { dropped: id };
  });
};

/** The multipart parser (busboy) throws plain errors without a code for a body it cannot read (no
 *  boundary, cut short); those are the client's, so they answer 400 instead of 500. */
async function malformedMultipartIsBadInput<T>(run: () => Promise<T>): Promise<T> {
  try {
    return await run();
  } catch (err) {
    const e = err as { code?: unknown; statusCode?: unknown; message?: unknown };
    if (err instanceof MarginalError || e.code !== undefined || e.statusCode !== undefined) throw err;
    throw badInput(`the upload is not a complete multipart/form-data body with a "file" field (${String(e.message ?? err).slice(0, 120)})`);
  }
}
