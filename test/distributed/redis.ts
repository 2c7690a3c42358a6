/**
 * A private redis-server for tests: a free loopback port, a temp dir, no persistence. `stop()` ends it
 * (SIGTERM, then SIGKILL after 3 s) and removes the dir. Without redis-server on the PATH the caller
 * skips — except in CI (CI=true), where a missing redis-server is a failure.
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export const hasRedis = spawnSync('redis-server', ['--version'], { stdio: 'ignore' }).status === 0;
if (!hasRedis && process.env.CI === 'true') throw new Error('redis-server is not installed, and CI=true: the distributed runner tests must run in CI (add redis-server to .ci/apt-packages)');
/** Passed as `{ skip }` to node:test when redis-server is missing outside CI. */
export const skipWithoutRedis = hasRedis ? false : 'redis-server is not installed (apt-get install -y redis-server)';

export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = createServer();
    s.once('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const { port } = s.address() as { port: number };
      s.close(() => resolve(port));
    });
  });
}

export interface TestRedis { url: string; port: number; process: ChildProcess; stop(): Promise<void> }

/** Starts redis-server on a free port, or on port `at` (e.g. to restart one, empty, where it was). */
export async function startRedis(at?: number): Promise<TestRedis> {
  const dir = mkdtempSync(join(tmpdir(), 'marginal-redis-'));
  const port = at ?? await freePort();
  const child = spawn('redis-server', ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no', '--dir', dir, '--loglevel', 'warning'], { stdio: ['ignore', 'pipe', 'pipe'] });
  let log = '';
  child.stdout!.on('data', (d) => { log += d; });
  child.stderr!.on('data', (d) => { log += d; });
  const exited = new Promise<void>((r) => child.once('exit', () => r()));
  const stop = async () => {
    if (child.exitCode === null && child.signalCode === null) {
      child.kill('SIGTERM');
      const t = setTimeout(() => child.kill('SIGKILL'), 3000);
      await exited;
      clearTimeout(t);
    }
    rmSync(dir, { recursive: true, force: true });
  };
  // Ready when it accepts a connection (at most 10 s).
  const t0 = Date.now();
  for (;;) {
    if (child.exitCode !== null) { await stop(); throw new Error(`redis-server exited at start: ${log}`); }
    if (await answers(port)) break;
    if (Date.now() - t0 > 10_000) { await stop(); throw new Error(`redis-server did not start within 10 s: ${log}`); }
    await new Promise((r) => setTimeout(r, 50));
  }
  return { url: `redis://127.0.0.1:${port}`, port, process: child, stop };
}

async function answers(port: number): Promise<boolean> {
  const { connect } = await import('node:net');
  return new Promise((resolve) => {
    const s = connect(port, '127.0.0.1');
    s.once('connect', () => { s.write('PING\r\n'); });
    s.once('data', (d) => { s.destroy(); resolve(d.toString().startsWith('+PONG')); });
    s.once('error', () => resolve(false));
    setTimeout(() => { s.destroy(); resolve(false); }, 500);
  });
}
