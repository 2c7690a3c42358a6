/**
 * What the submitting process and the workers agree on: Redis connections, key names, the payload
 * encoding, and the job data carried by BullMQ.
 *
 * Payloads (a task's input and output) are Node's structured-clone format (`v8.serialize`), the same
 * format the local runner uses between threads, so `Float64Array`s and `Map`s arrive intact. They live
 * in plain Redis keys with a time-to-live, not in BullMQ's job hash: a fit's draws can be megabytes,
 * and BullMQ copies job data and return values into its event stream.
 */
import { deserialize, serialize } from 'node:v8';
import { Redis } from 'ioredis';
import { MarginalError, badInput } from '../../errors.ts';

/** BullMQ's key prefix for our queues (keys are `marginal:<queue>:…`). */
export const PREFIX = 'marginal';
export const DEFAULT_QUEUE = 'jobs';
/** Inputs and outputs expire after this many seconds if nobody collects them (default 7 days). */
export const PAYLOAD_TTL_S = 7 * 24 * 3600;

/** The data of a BullMQ job (JSON): the task's kind and where its input lies. */
export interface WireJob { kind: string; maxHeapMb?: number; /** The task's time limit (the server's MARGINAL_JOB_TIMEOUT_MIN), applied by the worker. */ timeoutMs?: number; meta: Record<string, unknown> }
/** A BullMQ job's return value (JSON): who computed it and the size of its output. */
export interface WireResult { worker: string; bytes: number }
/**
 * A job's progress message (JSON, through BullMQ): the worker computing it, and the task's latest
 * events (none in the first message, sent when the worker starts computing, so the job shows its
 * worker while it runs).
 */
export interface WireProgress { worker: string; events: unknown[] }

export const keys = (queue: string) => ({
  input: (id: string) => `${PREFIX}:${queue}:payload:${id}:in`,
  output: (id: string) => `${PREFIX}:${queue}:payload:${id}:out`,
  cancelled: (id: string) => `${PREFIX}:${queue}:cancelled:${id}`,
  /**
   * The job's run record (a hash), kept by the workers beside BullMQ's own job record: `state`
   * (`computing`, then `ok` or `failed`), `worker` (who computes it, then who stored the result), `run`
   * (that computation's token), `beat` (its heartbeat counter), `error` (the coded error, JSON, when
   * failed). See worker.ts for why.
   */
  run: (id: string) => `${PREFIX}:${queue}:run:${id}`,
  cancelChannel: `${PREFIX}:${queue}:cancel`,
});

/** BullMQ refuses custom ids that are integers; ours are 12 hex digits, which can be all digits. */
export const bullId = (id: string) => `j${id}`;
export const localId = (bull: string) => bull.slice(1);

export const encode = (value: unknown): Buffer => serialize(value);
export const decode = (buf: Buffer): unknown => deserialize(buf);

/** A queue name: a slug (it becomes part of Redis key names). */
export function checkQueue(queue: string): string {
  if (!/^[A-Za-z0-9][A-Za-z0-9_.-]{0,63}$/.test(queue)) throw badInput(`--queue must be a slug (letters, digits, '_', '.', '-'); got '${queue}'`);
  return queue;
}

/** The URL without its password, for messages. */
export function redactUrl(url: string): string {
  try {
    const u = new URL(url);
    if (u.password) u.password = '***';
    return u.toString().replace(/\/$/, '');
  } catch { return url.replace(/\/\/[^@/]*@/, '//***@'); }
}

/**
 * Opens a Redis connection and checks it answers within `timeoutMs`; a bad URL or an unreachable
 * server is a BAD_INPUT error naming the (redacted) URL. `maxRetriesPerRequest: null` is what BullMQ
 * needs for its blocking connections; ioredis reconnects on its own after a drop.
 */
export async function connect(url: string, timeoutMs = 5000): Promise<Redis> {
  if (!/^rediss?:\/\//.test(url)) throw badInput(`--redis must be a redis:// or rediss:// URL; got '${redactUrl(url)}'`);
  const redis = new Redis(url, { maxRetriesPerRequest: null, lazyConnect: true });
  let last: Error | undefined;
  redis.on('error', (e: Error) => { last = e; /* reported through the failing commands; ioredis keeps reconnecting */ });
  let timer: NodeJS.Timeout | undefined;
  try {
    await Promise.race([
      redis.connect().then(() => redis.ping()),
      new Promise((_, reject) => { timer = setTimeout(() => reject(new Error(`no answer within ${timeoutMs} ms`)), timeoutMs); }),
    ]);
    return redis;
  } catch (err) {
    redis.disconnect();
    throw new MarginalError('BAD_INPUT', `cannot reach Redis at ${redactUrl(url)}: ${(last ?? (err as Error)).message}`);
  } finally {
    clearTimeout(timer);
  }
}

/** Closes a connection politely, or drops it if the server does not answer. */
export async function disconnect(redis: Redis): Promise<void> {
  try {
    await Promise.race([redis.quit(), new Promise((r) => setTimeout(r, 1000))]);
  } catch { /* already closed */ }
  redis.disconnect();
}
