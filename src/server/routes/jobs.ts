/** Jobs: list, show, progress as server-sent events, cancel. */
import type { FastifyPluginAsync } from 'fastify';
import { z } from 'zod';
import { FINAL, type JobEvent, type JobInfo } from '../../jobs/runner.ts';
import { json } from '../schema.ts';
import { answer, fileAnswer } from '../answer.ts';
import { jobInfoSchema } from '../../app/schemas/jobInfo.ts';
import type { ServerContext } from '../context.ts';

const jobParams = z.strictObject({ id: z.string().regex(/^[a-z0-9]{12}$/, 'must be a job id') });

/** What the list and SSE show of a job: everything but a large result (fetch GET /api/jobs/:id for it). */
function brief(j: JobInfo): JobInfo {
  return { ...j, result: j.result && typeof j.result === 'object' && 'modelId' in (j.result as object) ? { modelId: (j.result as { modelId: string }).modelId } : j.result };
}

export const jobRoutes: FastifyPluginAsync<ServerContext> = async (app, ctx) => {
  const { jobs } = ctx;
  app.get('/api/jobs', { schema: { summary: 'Jobs, newest first', tags: ['jobs'], response: { 200: answer(z.array(jobInfoSchema), 'The jobs; a fit\'s result shortened to its modelId') } } }, async () => jobs.list().map(brief));
  app.get('/api/jobs/:id', { schema: { summary: 'A job: status, progress per chain, result or error', tags: ['jobs'], params: json(jobParams), response: { 200: answer(jobInfoSchema) } } }, async (req) => jobs.get((req.params as { id: string }).id));
  const cancel = async (req: { params: unknown }) => jobs.cancel((req.params as { id: string }).id);
  app.delete('/api/jobs/:id', { schema: { summary: 'Cancel a job', tags: ['jobs'], params: json(jobParams), response: { 200: answer(jobInfoSchema) } } }, cancel);
  app.post('/api/jobs/:id/cancel', { schema: { summary: 'Cancel a job', tags: ['jobs'], params: json(jobParams), response: { 200: answer(jobInfoSchema) } } }, cancel);

  app.get('/api/jobs/:id/events', {
    schema: { summary: 'Server-sent events: `status` and `progress` (at most every 100 ms), ending with the final `status`', tags: ['jobs'], params: json(jobParams), response: { 200: fileAnswer('`status` events (a JobInfo, a fit\'s result shortened to its modelId) and `progress` events ({progress, chains, status})', 'text/event-stream') } },
  }, async (req, reply) => {
    const { id } = req.params as { id: string };
    const first = jobs.get(id);
    reply.hijack();
    const res = reply.raw;
    res.writeHead(200, { 'content-type': 'text/event-stream; charset=utf-8', 'cache-control': 'no-cache, no-transform', connection: 'keep-alive', 'x-accel-buffering': 'no' });
    const send = (event: string, data: unknown) => { res.write(`event: ${event}\ndata: ${JSON.stringify(data)}\n\n`); };
    send('status', brief(first));
    if (FINAL.includes(first.status)) { res.end(); return; }
    let pending: JobInfo | null = null;
    let timer: NodeJS.Timeout | null = null;
    const flush = () => { timer = null; if (pending) { send('progress', { progress: pending.progress, chains: pending.chains, status: pending.status }); pending = null; } };
    const unsubscribe = jobs.subscribe(id, (e: JobEvent) => {
      if (e.type === 'progress') {
        pending = e.job;
        if (!timer) timer = setTimeout(flush, 100);
      } else {
        if (timer) { clearTimeout(timer); flush(); }
        send('status', brief(e.job));
        if (FINAL.includes(e.job.status)) { unsubscribe(); res.end(); }
      }
    });
    const ping = setInterval(() => res.write(': ping\n\n'), 15_000);
    res.on('close', () => { clearInterval(ping); if (timer) clearTimeout(timer); unsubscribe(); });
  });
};
