/**
 * HTTP load for the server bench: wrk (Debian package `wrk`, C, one thread) when installed, else
 * autocannon. On a 2-core machine the load generator shares the cores with the server, so its own cost
 * shows up in the server's latency: autocannon appends every response body to a JavaScript string
 * (`req.body += data`), which for a gzipped body (binary, decoded as UTF-8) costs it more than the server
 * spends answering (measured: 768 req/s through autocannon against 8,000 through a Node http client and
 * 22,000 through wrk, the same 70 KB gzipped answer). Both are reported under the tool's name.
 */
import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export interface Load {
  tool: 'wrk' | 'autocannon';
  requestsPerSecond: number;
  total: number;
  latencyMs: { p50: number; p90: number; p99: number; max: number };
  errors: number;
  non2xx: number;
  timeouts: number;
}

export interface LoadOptions { connections: number; seconds: number; headers?: Record<string, string>; tool?: 'wrk' | 'autocannon' }

export const hasWrk = (): boolean => spawnSync('wrk', ['--version'], { encoding: 'utf8' }).error === undefined;

// wrk's Lua `done` hook: the summary as one JSON line (latency in microseconds).
const DONE_LUA = `done = function(summary, latency, requests)
  local e = summary.errors
  io.write(string.format('{"requests":%d,"durationUs":%d,"p50":%f,"p90":%f,"p99":%f,"max":%f,"connect":%d,"read":%d,"write":%d,"status":%d,"timeout":%d}\\n',
    summary.requests, summary.duration, latency:percentile(50), latency:percentile(90), latency:percentile(99), latency.max, e.connect, e.read, e.write, e.status, e.timeout))
end
`;

function collect(cmd: string, args: string[]): Promise<string> {
  return new Promise((resolveRun, reject) => {
    const child = spawn(cmd, args, { stdio: ['ignore', 'pipe', 'ignore'] });
    let out = '';
    child.stdout.on('data', (d) => { out += d; });
    child.on('error', reject);
    child.on('close', () => resolveRun(out));
  });
}

export async function load(url: string, o: LoadOptions): Promise<Load> {
  const tool = o.tool ?? (hasWrk() ? 'wrk' : 'autocannon');
  const headers = Object.entries(o.headers ?? {});
  if (tool === 'wrk') {
    const dir = mkdtempSync(join(tmpdir(), 'marginal-wrk-'));
    try {
      writeFileSync(join(dir, 'done.lua'), DONE_LUA);
      const out = await collect('wrk', ['-t1', `-c${o.connections}`, `-d${o.seconds}s`, '--timeout', '10s', '-s', join(dir, 'done.lua'),
        ...headers.flatMap(([k, v]) => ['-H', `${k}: ${v}`]), url]);
      const r = JSON.parse(out.trim().split('\n').find((l) => l.startsWith('{'))!) as Record<string, number>;
      const ms = (us: number) => Math.round(us / 100) / 10;
      return {
        tool, requestsPerSecond: Math.round(r.requests / (r.durationUs / 1e6)), total: r.requests,
        latencyMs: { p50: ms(r.p50), p90: ms(r.p90), p99: ms(r.p99), max: ms(r.max) },
        errors: r.connect + r.read + r.write + r.timeout, non2xx: r.status, timeouts: r.timeout,
      };
    } finally { rmSync(dir, { recursive: true, force: true }); }
  }
  const bin = createRequire(import.meta.url).resolve('autocannon/autocannon.js');
  const out = await collect(process.execPath, [bin, '--json', '-c', String(o.connections), '-d', String(o.seconds), ...headers.flatMap(([k, v]) => ['-H', `${k}=${v}`]), url]);
  const c = JSON.parse(out) as { requests: { average: number; total: number }; latency: { p50: number; p90: number; p99: number; max: number }; errors: number; non2xx: number; timeouts: number };
  return { tool, requestsPerSecond: Math.round(c.requests.average), total: c.requests.total, latencyMs: { p50: c.latency.p50, p90: c.latency.p90, p99: c.latency.p99, max: c.latency.max }, errors: c.errors, non2xx: c.non2xx, timeouts: c.timeouts };
}
