/**
 * `npm run bench -- server`: requests per second and latency of GET /api/models/:id/insights on a
 * real port (autocannon), idle and while a NUTS fit runs in a job worker, and of GET /api/models (a read
 * of the workspace file) during the same fit; errors, non-2xx and p99 are recorded; the fit must complete.
 * Data: 40 geos × 156 weeks × 5 channels (simulated), so the fit under load is a geo NUTS fit that runs
 * the whole load through (issue 23: p99 of insights reads under 100 ms at 100 connections during a geo
 * fit); `BENCH_GEOS=1` for the national demo data.
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir, availableParallelism, cpus, loadavg } from 'node:os';
import { basename, join } from 'node:path';
import { spawn } from 'node:child_process';
import { createRequire } from 'node:module';
import { simulate } from '../src/models/simulate/index.ts';
import { writeSimulation } from '../src/app/writeSimulation.ts';
import { startServer } from '../src/server/listen.ts';

interface Cannon { requests: { average: number; total: number }; latency: { p50: number; p90: number; p99: number; max: number }; errors: number; non2xx: number; timeouts: number; duration: number }

const DURATION = Number(process.env.BENCH_SECONDS ?? 10);
const CONNECTIONS = Number(process.env.BENCH_CONNECTIONS ?? 100);
const GEOS = Number(process.env.BENCH_GEOS ?? 40);

export async function run(): Promise<object> {
  const dir = mkdtempSync(join(tmpdir(), 'marginal-bench-server-'));
  const sim = simulate({ weeks: 156, channels: 5, seed: 1, ...(GEOS > 1 ? { geos: GEOS } : {}) });
  const files = writeSimulation(sim, join(dir, 'data'));
  const server = await startServer({ workspace: join(dir, 'ws.duckdb'), port: 0, webRoot: null });
  const call = async (path: string, body?: unknown, form?: FormData) => {
    const res = await fetch(`${server.url}${path}`, body === undefined && !form ? {} : { method: 'POST', ...(form ? { body: form } : { headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) }) });
    const json = await res.json() as Record<string, unknown>;
    if (!res.ok) throw new Error(`${path}: ${res.status} ${JSON.stringify(json)}`);
    return json;
  };
  const waitJob = async (id: string) => {
    for (;;) {
      const j = await call(`/api/jobs/${id}`);
      if (['succeeded', 'failed', 'cancelled'].includes(j.status as string)) return j;
      await new Promise((r) => setTimeout(r, 250));
    }
  };
  try {
    for (const [file, kind, name] of [[files.media, 'summary', 'media'], [files.sales, 'conversions', 'sales'], [files.factors, 'factors', 'factors']] as const) {
      const form = new FormData();
      form.append('file', new Blob([readFileSync(file)]), basename(file));
      const up = await call(`/api/uploads?kind=${kind}`, undefined, form);
      await call('/api/datasets', { upload: up.upload, kind, name });
    }
    await call('/api/harmonized', { name: 'demo', grain: 'week' });
    const config = { data: { harmonized: 'demo', ...(GEOS > 1 ? { geo: 'geo' } : {}) }, target: { column: 'revenue' }, channels: sim.truth.channels.map((c) => ({ name: c.name, spend: `${c.name}_spend` })), controls: [{ column: 'price', sign: 'negative' }], holdout: { periods: 8 } };
    const first = await waitJob((await call('/api/models/demo/fit', { config, fast: true })).id as string);
    const modelId = (first.result as { modelId: string }).modelId;
    const url = `${server.url}/api/models/${modelId}/insights`;
    const t0 = performance.now();
    const bytes = (await (await fetch(url)).text()).length;
    const firstInsightsMs = performance.now() - t0;

    // autocannon in its own process, so the load generator does not share the server's event loop.
    const bin = createRequire(import.meta.url).resolve('autocannon/autocannon.js');
    const cannon = (target = url): Promise<Cannon> => new Promise((resolveRun, reject) => {
      const child = spawn(process.execPath, [bin, '--json', '-c', String(CONNECTIONS), '-d', String(DURATION), target], { stdio: ['ignore', 'pipe', 'ignore'] });
      let out = '';
      child.stdout.on('data', (d) => { out += d; });
      child.on('error', reject);
      child.on('close', () => { try { resolveRun(JSON.parse(out) as Cannon); } catch (e) { reject(e); } });
    });
    const idle = await cannon();

    const fitJob = await call('/api/models/demo/fit', { config, chains: 4, warmup: 1000, draws: 1000 });
    await new Promise((r) => setTimeout(r, 1500));
    const before = await call(`/api/jobs/${fitJob.id}`);
    // The cached view and reads that open the workspace (through the gate), both at once while the fit runs.
    const [during, duringWorkspace] = await Promise.all([cannon(), cannon(`${server.url}/api/models`)]);
    const after = await call(`/api/jobs/${fitJob.id}`);
    const fitRunningThroughout = before.status === 'running' && after.status === 'running';
    const fitT0 = performance.now();
    const done = await waitJob(fitJob.id as string);
    const summary = (c: Cannon) => ({ requestsPerSecond: Math.round(c.requests.average), total: c.requests.total, latencyMs: { p50: c.latency.p50, p90: c.latency.p90, p99: c.latency.p99, max: c.latency.max }, errors: c.errors, non2xx: c.non2xx, timeouts: c.timeouts });
    return {
      machine: { cpus: availableParallelism(), model: cpus()[0]?.model ?? 'unknown', loadAverage1m: Math.round(loadavg()[0] * 10) / 10 },
      loadGenerator: 'autocannon in a separate process on the same machine',
      route: 'GET /api/models/:id/insights', responseBytes: bytes, firstInsightsMs: Math.round(firstInsightsMs),
      connections: CONNECTIONS, seconds: DURATION,
      idle: summary(idle),
      duringFitWorkspaceReads: { route: 'GET /api/models (reads the workspace file through the gate), in parallel with the insights load', ...summary(duringWorkspace) },
      goal: { duringFitP99Ms: 100, connections: 100, fit: 'geo' },
      met: { duringFitP99Under100: during.latency.p99 < 100 && fitRunningThroughout && CONNECTIONS >= 100 && GEOS > 1 },
      duringFit: { ...summary(during), fit: `4 chains × 1000 warm-up × 1000 draws, NUTS, ${GEOS > 1 ? `${GEOS} geos × ` : ''}156 weeks × 5 channels`, fitRunningThroughout, fitStatus: done.status, fitSecondsAfterLoad: Math.round((performance.now() - fitT0) / 100) / 10 },
    };
  } finally {
    await server.close();
    rmSync(dir, { recursive: true, force: true });
  }
}
