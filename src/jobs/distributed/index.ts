/**
 * The distributed job runner (BullMQ on Redis): `DistributedRunner` in the process that owns the
 * workspace (the server), `startWorker` in any number of `marginal worker` processes. See
 * docs/distributed.md.
 */
export { DistributedRunner, parseReason, type DistributedOptions } from './runner.ts';
export { startWorker, ProgressRelay, type WorkerOptions, type WorkerHandle } from './worker.ts';
export { DEFAULT_QUEUE, redactUrl } from './shared.ts';
