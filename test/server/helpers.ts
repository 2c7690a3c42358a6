/** Shared setup of the server tests: a temp workspace with simulated demo files and multipart bodies. */
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { simulate } from '../../src/models/simulate/index.ts';
import { writeSimulation } from '../../src/app/writeSimulation.ts';
import { buildApp, type AppOptions } from '../../src/server/app.ts';

export function demoFiles(weeks = 104, channels = 3) {
  const dir = mkdtempSync(join(tmpdir(), 'marginal-server-'));
  const sim = simulate({ weeks, channels, seed: 2 });
  const files = writeSimulation(sim, join(dir, 'data'));
  return { dir, sim, files, workspace: join(dir, 'ws.duckdb') };
}

export function multipart(name: string, content: Buffer | string, field = 'file') {
  const boundary = '----marginal-test-boundary';
  const payload = Buffer.concat([
    Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="${field}"; filename="${name}"\r\nContent-Type: text/csv\r\n\r\n`),
    Buffer.isBuffer(content) ? content : Buffer.from(content),
    Buffer.from(`\r\n--${boundary}--\r\n`),
  ]);
  return { payload, headers: { 'content-type': `multipart/form-data; boundary=${boundary}` } };
}

export async function testApp(workspace: string, opts: Partial<AppOptions> = {}) {
  return buildApp({ workspace, webRoot: null, ...opts });
}

/** Uploads then ingests a file through the API; returns the ingest response. */
export async function ingestVia(app: Awaited<ReturnType<typeof buildApp>>['app'], file: string, kind: string, name: string) {
  const up = await app.inject({ method: 'POST', url: `/api/uploads?kind=${kind}`, ...multipart(basename(file), readFileSync(file)) });
  if (up.statusCode !== 201) throw new Error(`upload ${file}: ${up.statusCode} ${up.body}`);
  return app.inject({ method: 'POST', url: '/api/datasets', payload: { upload: up.json().upload, kind, name } });
}

export const demoConfig = (channels: string[]) => ({
  data: { harmonized: 'demo' }, target: { column: 'revenue' },
  channels: channels.map((c) => ({ name: c, spend: `${c}_spend` })),
  controls: [{ column: 'price', sign: 'negative' }],
});

export async function waitJob(app: Awaited<ReturnType<typeof buildApp>>['app'], id: string, timeoutMs = 60_000) {
  const t0 = Date.now();
  for (;;) {
    const j = (await app.inject({ url: `/api/jobs/${id}` })).json();
    if (['succeeded', 'failed', 'cancelled'].includes(j.status)) return j;
    if (Date.now() - t0 > timeoutMs) throw new Error(`job ${id} still ${j.status} after ${timeoutMs} ms`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

/** A touchpoint events CSV (customer_id,time,interaction,conversion,conversion_value,channel) simulated over 30 days from `start`. */
export async function touchpointsCsv(channels: string[], start: string, customers = 300): Promise<string> {
  const { simulateJourneys, DEFAULT_SIMULATION } = await import('../../src/touchpoints/index.ts');
  const t0 = Date.parse(`${start}T00:00:00Z`) / 1000;
  const iso = (s: number) => new Date((t0 + s) * 1000).toISOString().replace('.000Z', 'Z');
  const lines = ['customer_id,time,interaction,conversion,conversion_value,channel'];
  simulateJourneys(7, customers, { ...DEFAULT_SIMULATION, channels }).forEach((j, u) => {
    j.touches.forEach((ch, i) => lines.push(`c${u},${iso(j.times![i])},impression,0,0,${ch}`));
    if (j.conversions > 0) lines.push(`c${u},${iso(j.end!)},conversion,1,${j.value ?? 10},`);
  });
  return `${lines.join('\n')}\n`;
}
