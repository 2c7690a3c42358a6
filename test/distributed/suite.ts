/**
 * One set of job tests, run against every runner: the local one (worker threads in this process) and
 * the distributed one (BullMQ on a private redis-server, workers taking the jobs). A `Harness` gives a
 * runner whose capacity — jobs at once — is `slots`: the local runner's concurrency, or that many
 * distributed workers of concurrency 1.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import type { JobInfo, Runner } from '../../src/jobs/runner.ts';
import { useTestTasks } from '../support/jobTasks.ts';

useTestTasks();

export interface Harness { runner: Runner; close(): Promise<void> }
export type MakeHarness = (slots: number) => Promise<Harness>;

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Waits for a job with a bound, so a hung runner fails the test instead of hanging it. */
async function settle(runner: Runner, id: string, ms = 30_000): Promise<JobInfo> {
  let t: NodeJS.Timeout | undefined;
  try {
    return await Promise.race([runner.wait(id), new Promise<never>((_, reject) => { t = setTimeout(() => reject(new Error(`job ${id} did not finish within ${ms} ms (status ${runner.get(id).status})`)), ms); })]);
  } finally { clearTimeout(t); }
}

async function until(what: string, cond: () => boolean, ms = 15_000): Promise<void> {
  const t0 = Date.now();
  while (!cond()) {
    if (Date.now() - t0 > ms) throw new Error(`timed out waiting for ${what}`);
    await sleep(10);
  }
}

/** Registers the shared tests under `label`; `opts.skip` skips them (redis-server missing outside CI). */
export function runnerSuite(label: string, make: MakeHarness, opts: { skip?: string | false; distributed?: boolean } = {}): void {
  const t = (name: string, fn: () => Promise<void>) => test(`${label}: ${name}`, { skip: opts.skip || false, timeout: 60_000 }, fn);
  const withHarness = async (slots: number, fn: (r: Runner) => Promise<void>) => {
    const h = await make(slots);
    try { await fn(h.runner); } finally { await h.close(); }
  };

  t('a job reports progress in order, ends with its last event, and finishes on the caller thread', () => withHarness(1, async (runner) => {
    const seen: { iteration: number; total: number }[] = [];
    const statuses: string[] = [];
    const job = runner.submit({ kind: 'test:sleep', meta: { model: 'm' }, prepare: async () => ({ ms: 600, ticks: 4 }), finish: async (out: { slept: number }) => ({ ...out, finished: true }) });
    assert.ok(['queued', 'running'].includes(job.status));
    const shownWorkers: (string | undefined)[] = [];
    runner.subscribe(job.id, (e) => { if (e.type === 'progress') { seen.push(e.progress as { iteration: number; total: number }); shownWorkers.push(e.job.worker); } else statuses.push(e.job.status); });
    const done = await settle(runner, job.id);
    assert.equal(done.status, 'succeeded', JSON.stringify(done.error));
    assert.deepEqual(done.result, { slept: 600, finished: true });
    assert.deepEqual(done.meta, { model: 'm' });
    assert.ok(done.startedAt && done.finishedAt && done.startedAt <= done.finishedAt);
    assert.equal(statuses.at(-1), 'succeeded');
    assert.ok(statuses.slice(0, -1).every((s) => s === 'running'), statuses.join());
    // Every event arrives on the local runner; the distributed one may merge events that come within 100 ms.
    assert.ok(seen.length >= (opts.distributed ? 2 : 4), `progress events: ${JSON.stringify(seen)}`);
    assert.deepEqual(seen.at(-1), { iteration: 4, total: 4 });
    for (let i = 1; i < seen.length; i++) assert.ok(seen[i].iteration > seen[i - 1].iteration, 'in order');
    assert.deepEqual(done.progress, { iteration: 4, total: 4 });
    // A distributed job names its worker from the moment the worker starts it, not only once it has finished.
    if (opts.distributed) assert.ok(shownWorkers.every((w) => typeof w === 'string' && w.length > 0) && done.worker === shownWorkers[0], `worker while running: ${shownWorkers.join()}; at the end: ${done.worker}`);
    assert.equal(runner.list()[0].id, job.id);
  }));

  t('a crash in the task fails that job only; the next job still runs', () => withHarness(1, async (runner) => {
    const bad = runner.submit({ kind: 'test:crash', prepare: async () => null });
    const good = runner.submit({ kind: 'test:sleep', prepare: async () => ({ ms: 10, ticks: 1 }) });
    const b = await settle(runner, bad.id);
    assert.equal(b.status, 'failed');
    assert.equal(b.error!.error, 'INTERNAL');
    assert.match(b.error!.detail, /crashed: boom/);
    assert.equal((await settle(runner, good.id)).status, 'succeeded');
  }));

  t('a job past its time limit fails with TIMED_OUT and the next job runs', () => withHarness(1, async (runner) => {
    const slow = runner.submit({ kind: 'test:sleep', timeoutMs: 500, prepare: async () => ({ ms: 30_000, ticks: 3 }) });
    const next = runner.submit({ kind: 'test:sleep', prepare: async () => ({ ms: 10, ticks: 1 }) });
    const s = await settle(runner, slow.id);
    assert.equal(s.status, 'failed');
    assert.equal(s.error!.error, 'TIMED_OUT');
    assert.match(s.error!.detail, /MARGINAL_JOB_TIMEOUT_MIN/);
    assert.equal((await settle(runner, next.id)).status, 'succeeded');
  }));

  t('a coded error keeps its code and message; a failing prepare fails the job', () => withHarness(1, async (runner) => {
    const j = await settle(runner, runner.submit({ kind: 'test:fail', prepare: async () => null }).id);
    assert.equal(j.status, 'failed');
    assert.deepEqual(j.error, { error: 'BAD_INPUT', detail: 'bad job input: `x` must be positive; got -1' });
    const p = await settle(runner, runner.submit({ kind: 'test:sleep', prepare: async () => { throw new Error('no table'); } }).id);
    assert.equal(p.status, 'failed');
    assert.equal(p.error!.detail, 'no table');
  }));

  t('cancel stops a running job and frees its slot; a queued job cancelled never runs; a finished one cannot be cancelled', () => withHarness(1, async (runner) => {
    const slow = runner.submit({ kind: 'test:sleep', prepare: async () => ({ ms: 20_000, ticks: 20 }) });
    const waiting = runner.submit({ kind: 'test:sleep', prepare: async () => ({ ms: 10, ticks: 1 }) });
    const next = runner.submit({ kind: 'test:sleep', prepare: async () => ({ ms: 10, ticks: 1 }) });
    await until('the slow job to run', () => runner.get(slow.id).status === 'running');
    await sleep(150);
    assert.equal(runner.get(waiting.id).status, 'queued');
    assert.equal(runner.cancel(waiting.id).status, 'cancelled');
    const t0 = Date.now();
    assert.equal(runner.cancel(slow.id).status, 'cancelled');
    const n = await settle(runner, next.id);
    assert.equal(n.status, 'succeeded');
    assert.ok(Date.now() - t0 < 10_000, 'the slot was freed long before the slow job would have ended');
    assert.equal(runner.get(waiting.id).startedAt, null);
    assert.deepEqual(runner.get(slow.id).error, { error: 'CANCELLED', detail: 'cancelled by the user' });
    assert.throws(() => runner.cancel(next.id), (e: Error & { code?: string }) => e.code === 'CONFLICT');
    assert.throws(() => runner.get('../../etc'), (e: Error & { code?: string }) => e.code === 'NOT_FOUND');
  }));

  t('two slots share the jobs: four jobs, two at a time', () => withHarness(2, async (runner) => {
    let maxRunning = 0;
    const ids = [0, 1, 2, 3].map(() => runner.submit({ kind: 'test:sleep', prepare: async () => ({ ms: 1000, ticks: 2 }) }).id);
    for (const id of ids) runner.subscribe(id, () => { maxRunning = Math.max(maxRunning, runner.list().filter((j) => j.status === 'running').length); });
    const done = await Promise.all(ids.map((id) => settle(runner, id)));
    assert.ok(done.every((j) => j.status === 'succeeded'));
    // Locally a slot frees only after `finish`; a distributed worker takes its next job while the
    // submitter still collects the last output, so a third job can show `running` for that moment.
    if (opts.distributed) assert.ok(maxRunning >= 2, `at most ${maxRunning} running at once`);
    else assert.equal(maxRunning, 2);
    if (opts.distributed) assert.equal(new Set(done.map((j) => j.worker)).size, 2, `workers: ${done.map((j) => j.worker)}`);
  }));

  t('a real fit job (NUTS, 2 chains): per-chain progress, every draw back', () => withHarness(1, async (runner) => {
    const { input, channels } = await fitInput();
    let chainEvents = 0;
    const job = runner.submit({ kind: 'fit', prepare: async () => input });
    runner.subscribe(job.id, (e) => { if (e.type === 'progress' && typeof (e.progress as { chain?: number }).chain === 'number') chainEvents++; });
    const done = await settle(runner, job.id, 60_000);
    assert.equal(done.status, 'succeeded', JSON.stringify(done.error));
    const fit = done.result as { family: string; channels: { name: string; roi: number }[]; paramNames: string[]; draws: number[][] };
    assert.equal(fit.family, 'bayesian');
    assert.deepEqual(fit.channels.map((c) => c.name), channels);
    assert.ok(fit.channels.every((c) => Number.isFinite(c.roi)));
    assert.ok(chainEvents >= 2, `chain progress events: ${chainEvents}`);
    assert.deepEqual(Object.keys(done.chains).sort(), ['0', '1']);
    assert.equal(fit.draws.length, 2);
    for (const d of fit.draws) assert.equal(d.length, 40 * fit.paramNames.length);
  }));
}

/** The input of a small NUTS fit: 52 simulated weeks, two channels, 2 chains × (40 + 40). */
export async function fitInput() {
  const { simulate } = await import('../../src/models/simulate/index.ts');
  const { writeSimulation } = await import('../../src/app/writeSimulation.ts');
  const { readWideTable } = await import('../../src/data/index.ts');
  const dir = mkdtempSync(join(tmpdir(), 'marginal-dist-fit-'));
  try {
    const sim = simulate({ weeks: 52, channels: 2, seed: 3 });
    const files = writeSimulation(sim, dir);
    const t = await readWideTable(files.data);
    const channels = sim.truth.channels.map((c) => c.name);
    const config = { name: 'dist', data: { file: 'data.csv', date: 'date' }, target: { column: 'revenue' }, channels: channels.map((c) => ({ name: c, spend: `${c}_spend` })), inference: { chains: 2, warmup: 40, draws: 40, seed: 7 } };
    return { channels, input: { config, table: { source: 'sim', rowCount: t.rowCount, columns: t.columns }, options: { chains: 2, warmup: 40, draws: 40, seed: 7 } } };
  } finally { rmSync(dir, { recursive: true, force: true }); }
}
