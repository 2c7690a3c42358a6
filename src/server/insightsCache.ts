/**
 * A stored model's insights, computed once per model in a job worker and cached (a stored model never
 * changes: it reads the table version it was fitted on), for the insights routes, the report, the
 * overview and the fit jobs that warm it. A deleted model's entries are dropped (`forgetModel`).
 */
import { MarginalError, errorCodes, type ErrorCode } from '../errors.ts';
import { readStoredModel } from '../app/load.ts';
import { insightsForGeo } from './insightsGeoView.ts';
import type { ServerContext } from './context.ts';
import { cachedBody, type CachedBody } from './cachedBody.ts';

/** The stored model as a computed view, once per model (concurrent callers share the same work). */
export function insightsOf(ctx: ServerContext, id: string): Promise<Record<string, unknown>> {
  const key = `insights:${id}`;
  let p = ctx.cache.get(key) as Promise<Record<string, unknown>> | undefined;
  if (!p) {
    const job = ctx.compute.submit({
      kind: 'insights', meta: { model: id },
      prepare: () => ctx.gate.use(async (path) => (await readStoredModel(path, id)).input),
    });
    p = ctx.compute.wait(job.id).then((j) => {
      if (j.status !== 'succeeded') {
        ctx.cache.delete(key);
        const code = (j.error?.error ?? 'INTERNAL') in errorCodes ? (j.error!.error as ErrorCode) : 'INTERNAL';
        throw new MarginalError(code, j.error?.detail ?? `insights of '${id}' failed`, j.error?.problems ?? []);
      }
      return j.result as Record<string, unknown>;
    });
    ctx.cache.set(key, p);
  }
  return p;
}

/** The insights ready to send, serialized (and gzipped) once per model and geo view (insightsGeoView.ts). */
export function insightsJson(ctx: ServerContext, id: string, geo?: string): Promise<CachedBody> {
  const key = `insights-json:${id}:${geo ?? ''}`;
  let p = ctx.cache.get(key) as Promise<CachedBody> | undefined;
  if (!p) {
    p = insightsOf(ctx, id).then((x) => cachedBody(JSON.stringify(insightsForGeo(x, geo))));
    p.catch(() => ctx.cache.delete(key));
    ctx.cache.set(key, p);
  }
  return p;
}

/** Drops what was cached for a deleted model. */
export function forgetModel(ctx: ServerContext, id: string): void {
  ctx.cache.delete(`insights:${id}`);
  for (const key of [...ctx.cache.keys()]) if (key.startsWith(`insights-json:${id}:`)) ctx.cache.delete(key);
}
