/**
 * The one error handler: every error becomes `{ error, detail }` (plus `problems` with file/row/column
 * where the data layer gave them) with the status from the catalogue in src/errors.ts. Bad input never
 * answers 500; unexpected errors answer 500 with a generic detail and are logged.
 */
import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { MarginalError, errorCodes, formatProblem } from '../errors.ts';

export interface ErrorBody { error: string; detail: string; field?: string; problems?: unknown[]; request?: string }

export function toHttp(err: unknown): { status: number; body: ErrorBody } {
  if (err instanceof MarginalError) {
    const body: ErrorBody = { error: err.code, detail: err.message };
    if (err.field) body.field = err.field;
    if (err.problems.length) body.problems = err.problems.map((p) => ({ ...p, text: formatProblem(p) }));
    return { status: errorCodes[err.code].http, body };
  }
  const e = err as FastifyError & { validation?: unknown; part?: string };
  if (e && (e.validation || e.code === 'FST_ERR_VALIDATION')) {
    const field = (e as { field?: unknown }).field;
    return { status: 400, body: { error: 'BAD_INPUT', detail: e.message, ...(typeof field === 'string' ? { field } : {}) } };
  }
  const status = typeof e?.statusCode === 'number' ? e.statusCode : 500;
  if (status === 413 || e?.code === 'FST_REQ_FILE_TOO_LARGE' || e?.code === 'FST_FILES_LIMIT' || e?.code === 'FST_PARTS_LIMIT') {
    return { status: 413, body: { error: 'TOO_LARGE', detail: e.message || 'the request is too large' } };
  }
  if (status === 415) return { status: 415, body: { error: 'UNSUPPORTED_MEDIA_TYPE', detail: e.message } };
  if (status === 404) return { status: 404, body: { error: 'NOT_FOUND', detail: e.message } };
  if (status === 401) return { status: 401, body: { error: 'UNAUTHORIZED', detail: e.message } };
  if (status >= 400 && status < 500) return { status, body: { error: 'BAD_INPUT', detail: e.message } };
  return { status: 500, body: { error: 'INTERNAL', detail: 'internal error; see the server log' } };
}

export function installErrorHandler(app: FastifyInstance): void {
  app.setErrorHandler((err: unknown, req: FastifyRequest, reply: FastifyReply) => {
    const { status, body } = toHttp(err);
    if (status >= 500) {
      // The request id is shown to the user and written beside the error, so a report can be matched
      // to its cause even when the server runs without a logger (as `marginal serve` does).
      body.detail = `internal error (request ${req.id}); the server's error output has the details`;
      body.request = req.id;
      req.log.error({ err }, 'request failed');
      process.stderr.write(`[${new Date().toISOString()}] request ${req.id} ${req.method} ${req.routeOptions.url ?? '(no route)'} failed: ${(err as Error)?.stack ?? String(err)}\n`);
    }
    void reply.status(status).type('application/json').send(body);
  });
}
