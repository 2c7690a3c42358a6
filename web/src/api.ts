/**
 * The web app's only way to the server: JSON calls to the REST API with readable errors, uploads,
 * and job progress read from server-sent events (through fetch, so a bearer token can be sent).
 * What the server answers is typed by its own OpenAPI document (api-types.ts, `npm run gen:api`).
 */
import type { components } from './api-types.ts';

/** A named schema of the server's OpenAPI document: `Schema<'ModelListing'>`, `Schema<'InsightsView'>`, … */
export type Schema<K extends keyof components['schemas']> = components['schemas'][K];
export interface ApiProblem { file?: string; row?: number; column?: string; value?: unknown; message: string; text?: string; field?: string }
export class ApiError extends Error {
  status: number; code: string; problems: ApiProblem[];
  /** The request field the error is about (`name`, `geo`, `overlap`…), when the server names one: a form shows the message beside it. */
  field?: string;
  constructor(status: number, code: string, detail: string, problems: ApiProblem[] = [], field?: string) {
    super(detail); this.status = status; this.code = code; this.problems = problems; this.field = field;
  }
}

/** The HTTP status each error code answers with (as src/errors.ts): a failed job's error reads like a refused request. */
const STATUS_OF_CODE: Record<string, number> = { BAD_INPUT: 400, BAD_CONFIG: 400, BAD_FILE: 400, NOT_FOUND: 404, CONFLICT: 409, TOO_LARGE: 413, FIT_FAILED: 422, TIMED_OUT: 422 };

/** A job's error (its code, words and problems) as an ApiError, so the error box titles it by what happened. */
export function jobError(e: { error: string; detail: string; problems?: ApiProblem[] } | null | undefined, fallback: string): ApiError {
  return e ? new ApiError(STATUS_OF_CODE[e.error] ?? 500, e.error, e.detail, e.problems ?? []) : new ApiError(500, 'INTERNAL', fallback);
}

const TOKEN_KEY = 'marginal.token';
export function token(): string | null {
  const fromUrl = new URLSearchParams(location.search).get('token');
  if (fromUrl) sessionStorage.setItem(TOKEN_KEY, fromUrl);
  return sessionStorage.getItem(TOKEN_KEY);
}
export function setToken(t: string): void { sessionStorage.setItem(TOKEN_KEY, t); }

function headers(extra: Record<string, string> = {}): Record<string, string> {
  const t = token();
  return t ? { ...extra, authorization: `Bearer ${t}` } : extra;
}

async function asError(res: Response): Promise<ApiError> {
  let body: { error?: string; detail?: string; field?: string; problems?: ApiProblem[] } = {};
  try { body = await res.json(); } catch { /* not JSON */ }
  return new ApiError(res.status, body.error ?? `HTTP_${res.status}`, body.detail ?? `the server answered ${res.status} ${res.statusText}`, body.problems ?? [], body.field);
}

export async function api<T = unknown>(path: string, init: { method?: string; body?: unknown } = {}): Promise<T> {
  let res: Response;
  try {
    res = await fetch(path, {
      method: init.method ?? (init.body === undefined ? 'GET' : 'POST'),
      headers: headers(init.body === undefined ? {} : { 'content-type': 'application/json' }),
      body: init.body === undefined ? undefined : JSON.stringify(init.body),
    });
  } catch {
    throw new ApiError(0, 'NETWORK', 'cannot reach the Marginal server; is `marginal serve` running?');
  }
  if (!res.ok) throw await asError(res);
  return res.json() as Promise<T>;
}

export async function upload<T = unknown>(path: string, file: File): Promise<T> {
  const form = new FormData();
  form.append('file', file, file.name);
  const res = await fetch(path, { method: 'POST', body: form, headers: headers() });
  if (!res.ok) throw await asError(res);
  return res.json() as Promise<T>;
}

/** A download link with the token, when one is needed, fetched as a blob. */
export async function download(path: string, filename: string): Promise<void> {
  const res = await fetch(path, { headers: headers() });
  if (!res.ok) throw await asError(res);
  const url = URL.createObjectURL(await res.blob());
  const a = document.createElement('a');
  a.href = url; a.download = filename; document.body.appendChild(a); a.click(); a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}

export type JobInfo = Schema<'JobInfo'>;
/** A fit's progress event per chain (`JobInfo.chains`: the server documents them as free-form task events). */
export interface Progress { chain: number; iteration: number; total: number; phase: 'warmup' | 'sampling'; divergences: number; stepSize: number }

/** Follows a job's events until it ends; calls `on` with each status or progress update. */
export async function followJob(id: string, on: (job: Partial<JobInfo> & { status: JobInfo['status'] }) => void, signal?: AbortSignal): Promise<JobInfo> {
  const res = await fetch(`/api/jobs/${id}/events`, { headers: headers(), signal });
  if (!res.ok || !res.body) throw await asError(res);
  const reader = res.body.pipeThrough(new TextDecoderStream()).getReader();
  let buffer = '';
  let last: JobInfo | null = null;
  for (;;) {
    const { value, done } = await reader.read();
    if (done) break;
    buffer += value;
    let cut: number;
    while ((cut = buffer.indexOf('\n\n')) >= 0) {
      const chunk = buffer.slice(0, cut); buffer = buffer.slice(cut + 2);
      const type = /^event: (\w+)/m.exec(chunk)?.[1];
      const data = /^data: (.*)$/m.exec(chunk)?.[1];
      if (!type || !data) continue;
      const parsed = JSON.parse(data);
      if (type === 'status') { last = parsed; on(parsed); }
      else if (type === 'progress') on({ ...(last ?? {}), ...parsed });
    }
  }
  return api<JobInfo>(`/api/jobs/${id}`);
}

/** A media transform as GET /api/catalog describes it (src/models/catalog.ts). */
export type CatalogTransform = Schema<'CatalogTransform'>;

/** What a model config may choose (GET /api/catalog): the wizard's lists come from here, not from the web app. */
export type Catalog = Schema<'Catalog'>;
