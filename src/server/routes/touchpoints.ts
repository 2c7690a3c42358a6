/**
 * Touchpoints: score a touchpoint dataset by several methods (a job), optionally calibrated to a
 * fitted model (consistency table); the result stays with the job; export its tables as CSV.
 */
import { z } from 'zod';
import type { FastifyPluginAsync } from 'fastify';
import { getDataset, toCsv } from '../../data/index.ts';
import { METHODS } from '../../touchpoints/index.ts';
import { audienceCsv, checkTouchpointsRequest, prepareTouchpoints, segmentAttributes, segmentAudience, segmentAudienceCsv } from '../../app/touchpoints.ts';
import { badInput, MarginalError, onField } from '../../errors.ts';
import { createReadStream, rmSync } from 'node:fs';
import { reshapeTouchCsv } from '../../touchpoints/index.ts';
import { TouchScoreFiles } from '../touchScoreFiles.ts';
import { renderTouchpointsReport, type TouchpointsReportInput } from '../../touchpoints/report.ts';
import { journeyPriors } from '../../app/journeyPriors.ts';
import type { AudienceRow } from '../../touchpoints/audience.ts';
import { insightsOf } from '../insightsCache.ts';
import { idParam, idParams, json } from '../schema.ts';
import { answer, fileAnswer } from '../answer.ts';
import { jobInfoSchema } from '../../app/schemas/jobInfo.ts';
import type { ServerContext } from '../context.ts';

/** A scoring job's id in the path. */
const jobParams = z.strictObject({ id: z.string().regex(/^[a-z0-9]{12}$/, 'must be a job id') });

export const touchpointsBody = z.strictObject({
  data: idParam,
  methods: z.array(z.enum(METHODS)).min(1).max(METHODS.length).default(['linear', 'markov', 'shapley']),
  model: idParam.optional(),
  channelMap: z.record(z.string().min(1).max(200), z.string().min(1).max(200)).optional(),
  /** Campaign → model channel: a campaign's touches count for that channel whatever their touch channel. */
  campaignMap: z.record(z.string().min(1).max(200), z.string().min(1).max(200)).optional(),
  lookbackDays: z.number().positive().max(3650).optional(),
  order: z.number().int().min(1).max(3).optional(),
  halfLife: z.number().positive().optional(),
  worth: z.enum(['rate', 'conversions']).optional(),
  /** A customer attribute declared at ingest: incremental conversions per segment and segment × channel (the segment model). */
  segment: z.string().min(1).max(200).optional(),
  /** Keep the per-touch scores for download (GET /api/touchpoints/:job/scores). */
  perTouch: z.boolean().default(true),
});
const scoresQuery = z.strictObject({ format: z.enum(['csv', 'parquet']).default('csv'), shape: z.enum(['wide', 'long']).default('wide') });
/** Per attribute: how many values it has, and the 100 most common with their customers. */
const segmentsAnswer = z.array(z.object({ attribute: z.string(), values: z.number(), levels: z.array(z.object({ value: z.string(), customers: z.number() })) })).meta({ id: 'SegmentAttributes' });
const segmentAudienceQuery = z.strictObject({ attribute: z.string().min(1).max(200), value: z.string().min(1).max(200), hash: z.enum(['sha256']).optional() });
const exportParams = jobParams.extend({ table: z.enum(['channels', 'consistency', 'paths']) });

const priorsBody = z.strictObject({
  model: z.string().min(1).max(200).optional(),
  method: z.string().min(1).max(40).optional(),
  mediaShare: z.number().gt(0).max(1).optional(),
  confidence: z.number().gt(0).lt(1).optional(),
  channelMap: z.record(z.string().min(1).max(200), z.string().min(1).max(200)).optional(),
});
const priorsAnswer = z.object({
  config: z.record(z.string(), z.unknown()), priors: z.record(z.string(), z.object({ share: z.number(), confidence: z.number() })),
  method: z.string(), mediaShare: z.number(), mediaShareFrom: z.enum(['given', 'model']),
}).meta({ id: 'JourneyPriors' });

export const touchpointRoutes: FastifyPluginAsync<ServerContext> = async (app, ctx) => {
  const { gate, jobs } = ctx;
  const touchFiles = new TouchScoreFiles();
  app.addHook('onClose', async () => { touchFiles.clear(); });

  app.post('/api/touchpoints', {
    schema: { summary: 'Score a touchpoint dataset by each method (a job: 202); with `model`, calibrate to the MMM and return the consistency table', tags: ['touchpoints'], body: json(touchpointsBody), response: { 202: answer(jobInfoSchema, 'The scoring job, queued; its result is a TouchpointsResult') } },
  }, async (req, reply) => {
    const body = req.body as z.infer<typeof touchpointsBody>;
    const request = { data: body.data, methods: body.methods, model: body.model, channelMap: body.channelMap, campaignMap: body.campaignMap, lookbackDays: body.lookbackDays, options: { order: body.order, halfLife: body.halfLife, worth: body.worth }, segment: body.segment };
    await gate.with((ws) => checkTouchpointsRequest(ws, request));
    const scoresFile = body.perTouch ? ctx.uploads.scratch('.csv') : undefined;
    const job = jobs.submit({
      kind: 'touchpoints', meta: { data: body.data, model: body.model ?? null, methods: body.methods, segment: body.segment ?? null },
      timeoutMs: ctx.limits.jobMinutes * 60_000,
      prepare: () => gate.with((ws) => prepareTouchpoints(ws, request, scoresFile)),
    });
    if (scoresFile) touchFiles.add(job.id, scoresFile);
    return reply.status(202).header('location', `/api/jobs/${job.id}`).send(job);
  });

  app.post('/api/touchpoints/:id/priors', {
    schema: { summary: 'Contribution-share priors from a finished touchpoints job, written into a copy of a model\'s config (the calibration model by default): the media share (given, or the model\'s channels\' share of its prediction) split by the journeys\' credit per model channel', tags: ['touchpoints'], params: json(jobParams), body: json(priorsBody), response: { 200: answer(priorsAnswer) } },
  }, async (req) => {
    const { id } = req.params as { id: string };
    const body = req.body as z.infer<typeof priorsBody>;
    const job = jobs.get(id);
    if (job.kind !== 'touchpoints' || job.status !== 'succeeded') throw badInput(`job '${id}' is not a finished touchpoints job (${job.kind}, ${job.status})`);
    const r = job.result as { summaries: { method: string; channels: { channel: string; conversions: number; value: number; share: number }[] }[]; calibration: { model: string } | null };
    const model = body.model ?? r.calibration?.model;
    if (!model) throw onField('model', badInput('choose the model whose config gets the priors (these journeys were not calibrated to one)'));
    // The part of the outcome media drive, from the model: its channels' shares of the prediction.
    const modelMediaShare = async () => {
      const x = await insightsOf(ctx, model) as { contributions: { kind: string; share: number }[] };
      return Math.min(1, Math.max(1e-6, x.contributions.filter((c) => c.kind === 'channel').reduce((t, c) => t + Math.max(0, c.share), 0)));
    };
    // Read before the gate: the insights load the model through it themselves.
    const fromModel = body.mediaShare === undefined ? await modelMediaShare() : undefined;
    return gate.with((ws) => journeyPriors(ws, { model, summaries: r.summaries, method: body.method, mediaShare: body.mediaShare, confidence: body.confidence, channelMap: body.channelMap }, async () => fromModel!));
  });

  app.get('/api/touchpoints/:id/audience/:channel', {
    schema: {
      summary: 'A finished touchpoints job\'s audience for one channel as CSV: the customers its touches moved most (by the first method scored), with their credit — customer ids, or with `hash=sha256` their SHA-256 (trimmed, lower-cased) as ad platforms match them', tags: ['touchpoints'],
      params: json(jobParams.extend({ channel: z.string().min(1).max(200) })),
      querystring: json(z.strictObject({ hash: z.enum(['sha256']).optional(), top: z.coerce.number().int().min(1).max(1000).optional() })),
      response: { 200: fileAnswer('The audience as CSV', 'text/csv') },
    },
  }, async (req, reply) => {
    const { id, channel } = req.params as { id: string; channel: string };
    const q = req.query as { hash?: 'sha256'; top?: number };
    const job = jobs.get(id);
    if (job.kind !== 'touchpoints' || job.status !== 'succeeded') throw badInput(`job '${id}' is not a finished touchpoints job (${job.kind}, ${job.status})`);
    const audiences = (job.result as { audiences?: Record<string, AudienceRow[]> }).audiences ?? {};
    const rows = audiences[channel];
    if (!rows) throw onField('channel', badInput(`no touches of channel '${channel}' in these journeys; channels: ${Object.keys(audiences).join(', ')}`));
    const name = channel.replace(/[^A-Za-z0-9_.-]+/g, '-');
    return reply.type('text/csv; charset=utf-8').header('content-disposition', `attachment; filename="audience-${name}.csv"`).send(audienceCsv(rows.slice(0, q.top ?? rows.length), q.hash === 'sha256'));
  });

  app.get('/api/touchpoints/:id/scores', {
    schema: {
      summary: 'A finished touchpoints job\'s per-touch scores, streamed (contracts/touchpoint-scores.schema.json): one row per touch with every method scored side by side (`shape=wide`) or one row per touch and method (`shape=long`, for BI tools), as CSV or Parquet', tags: ['touchpoints'],
      params: json(jobParams), querystring: json(scoresQuery),
      response: { 200: fileAnswer('The per-touch scores', 'text/csv', 'application/vnd.apache.parquet') },
    },
  }, async (req, reply) => {
    const { id } = req.params as { id: string };
    const q = req.query as z.infer<typeof scoresQuery>;
    const job = jobs.get(id);
    if (job.kind !== 'touchpoints' || job.status !== 'succeeded') throw badInput(`job '${id}' is not a finished touchpoints job (${job.kind}, ${job.status})`);
    const perTouch = (job.result as { perTouch?: { methods: string[] } | null }).perTouch;
    const file = touchFiles.get(id);
    if (!perTouch || !file) throw new MarginalError('NOT_FOUND', `the per-touch scores of job '${id}' are no longer kept; score again to download them (only the latest few jobs keep theirs, and a job scored by a worker on another machine keeps them there)`);
    const name = `touchpoints-${id}${q.shape === 'long' ? '.long' : ''}.${q.format}`;
    reply.header('content-disposition', `attachment; filename="${name}"`).type(q.format === 'csv' ? 'text/csv; charset=utf-8' : 'application/vnd.apache.parquet');
    if (q.format === 'csv' && q.shape === 'wide') return reply.send(createReadStream(file));
    // Another shape or format: DuckDB writes it to a scratch file, streamed and then removed.
    const out = ctx.uploads.scratch(`.${q.format}`);
    await reshapeTouchCsv(file, out, perTouch.methods, { long: q.shape === 'long', format: q.format });
    const stream = createReadStream(out);
    stream.on('close', () => rmSync(out, { force: true }));
    return reply.send(stream);
  });

  app.get('/api/touchpoints/:id/report', {
    schema: { summary: 'A finished touchpoints job\'s report: credit by method, journeys at a glance, top paths with their incremental value, segments (one self-contained HTML page)', tags: ['touchpoints'], params: json(jobParams), response: { 200: fileAnswer('The report as HTML', 'text/html') } },
  }, async (req, reply) => {
    const { id } = req.params as { id: string };
    const job = jobs.get(id);
    if (job.kind !== 'touchpoints' || job.status !== 'succeeded') throw badInput(`job '${id}' is not a finished touchpoints job (${job.kind}, ${job.status})`);
    const r = job.result as Omit<TouchpointsReportInput, 'data' | 'createdAt' | 'model'> & { calibration: { model: string } | null };
    const meta = job.meta as { data?: string };
    const html = renderTouchpointsReport({ ...r, data: meta.data ?? id, createdAt: job.createdAt.slice(0, 16).replace('T', ' '), model: r.calibration?.model ?? null, notes: [...r.notes, ...(r.segments?.notes ?? [])] });
    return reply.type('text/html; charset=utf-8').header('content-disposition', `inline; filename="touchpoints-${id}-report.html"`).send(html);
  });

  app.get('/api/datasets/:id/segments', {
    schema: { summary: 'A touchpoint dataset\'s customer attributes (the columns given the role segment at ingest): how many values each has, and the 100 most common with their customers', tags: ['touchpoints'], params: json(idParams), response: { 200: answer(segmentsAnswer) } },
  }, async (req) => {
    const { id } = req.params as { id: string };
    return gate.with(async (ws) => {
      const d = await getDataset(ws, id);
      if (d.kind !== 'touchpoints') throw badInput(`dataset '${id}' is of kind '${d.kind}'; segments are customer attributes of touchpoint data`);
      return segmentAttributes(ws, id);
    });
  });

  app.get('/api/datasets/:id/audience', {
    schema: {
      summary: 'Every customer of one segment (attribute = value) of a touchpoint dataset as CSV — customer ids, or with `hash=sha256` their SHA-256 (trimmed, lower-cased) as ad platforms match them: a seed for lookalike audiences', tags: ['touchpoints'],
      params: json(idParams), querystring: json(segmentAudienceQuery), response: { 200: fileAnswer('The audience as CSV', 'text/csv') },
    },
  }, async (req, reply) => {
    const { id } = req.params as { id: string };
    const q = req.query as z.infer<typeof segmentAudienceQuery>;
    const ids = await gate.with((ws) => segmentAudience(ws, id, q.attribute, q.value));
    const name = `${q.attribute}-${q.value}`.replace(/[^A-Za-z0-9_.-]+/g, '-');
    return reply.type('text/csv; charset=utf-8').header('content-disposition', `attachment; filename="audience-${name}.csv"`).send(segmentAudienceCsv(ids, q.attribute, q.value, q.hash === 'sha256'));
  });

  app.get('/api/touchpoints/:id/export/:table', {
    schema: { summary: 'A finished touchpoints job\'s table as CSV: channels (credit by method), consistency (vs. the MMM), paths (top paths)', tags: ['touchpoints'], params: json(exportParams), response: { 200: fileAnswer('The table as CSV', 'text/csv') } },
  }, async (req, reply) => {
    const { id, table } = req.params as z.infer<typeof exportParams>;
    const job = jobs.get(id);
    if (job.kind !== 'touchpoints' || job.status !== 'succeeded') throw badInput(`job '${id}' is not a finished touchpoints job (${job.kind}, ${job.status})`);
    const r = job.result as { summaries: { method: string; channels: { channel: string; conversions: number; value: number; share: number }[] }[]; calibration: { consistency: Record<string, unknown>[] } | null; topPaths: Record<string, unknown>[] };
    let rows: Record<string, unknown>[];
    if (table === 'channels') rows = r.summaries.flatMap((s) => s.channels.map((c) => ({ method: s.method, ...c })));
    else if (table === 'paths') rows = r.topPaths;
    else {
      if (!r.calibration) throw badInput(`job '${id}' was not calibrated to a model: no consistency table`);
      rows = r.calibration.consistency.map((c) => Object.fromEntries(Object.entries(c).map(([k, v]) => [k, Array.isArray(v) ? v.join('|') : v])));
    }
    return reply.type('text/csv; charset=utf-8').header('content-disposition', `attachment; filename="touchpoints-${table}.csv"`).send(toCsv(rows));
  });
};
