/**
 * CLI tests' fixture: a temporary workspace, a `run(...args)` that calls `bin/marginal` on it, and a
 * simulation written by `marginal simulate` into `dir/sim` (data.csv, model.json).
 */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const bin = fileURLToPath(new URL('../../bin/marginal', import.meta.url));

export function simulatedWorkspace(prefix: string, weeks: number, channels: number) {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  const workspace = join(dir, 'ws.duckdb');
  const run = (...args: string[]) => spawnSync(process.execPath, [bin, '--workspace', workspace, ...args], { encoding: 'utf8' });
  const sim = run('simulate', '--out', join(dir, 'sim'), '--weeks', String(weeks), '--channels', String(channels));
  assert.equal(sim.status, 0, sim.stderr);
  const configPath = join(dir, 'sim', 'model.json');
  return { dir, workspace, run, configPath, config: JSON.parse(readFileSync(configPath, 'utf8')) };
}
