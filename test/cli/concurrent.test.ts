/**
 * Never lose finished work: a CLI fit that finds the workspace held by another process waits in line
 * and stores its model; a fit and an ingest started together are both stored.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { simulatedWorkspace } from './simulatedWorkspace.ts';
import { Workspace } from '../../src/data/workspace.ts';

const bin = fileURLToPath(new URL('../../bin/marginal', import.meta.url));

function runAsync(workspace: string, ...args: string[]): Promise<{ status: number | null; stdout: string; stderr: string }> & { stderr: () => string } {
  let stdout = '', stderr = '';
  const p = spawn(process.execPath, [bin, '--workspace', workspace, ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
  p.stdout.on('data', (c) => { stdout += c; });
  p.stderr.on('data', (c) => { stderr += c; });
  const done = new Promise<{ status: number | null; stdout: string; stderr: string }>((resolve) => p.on('close', (status) => resolve({ status, stdout, stderr })));
  return Object.assign(done, { stderr: () => stderr });
}

test('a fit that finds the workspace held by another process waits, then stores its model', async () => {
  const w = simulatedWorkspace('concurrent-hold-', 60, 2);
  // Hold the workspace before the fit starts; the fit reads its data from a file, does all its work,
  // and must then wait to store the model. Let go only once it says it is waiting.
  const held = await Workspace.open(w.workspace, { waitMs: 60_000 });
  const fit = runAsync(w.workspace, 'fit', w.configPath, '--fast', '--json');
  const t0 = Date.now();
  while (!/waiting for workspace .*another process is using it/.test(fit.stderr())) {
    if (Date.now() - t0 > 120_000) { held.close(); assert.fail(`the fit never said it was waiting: ${fit.stderr()}`); }
    await new Promise((r) => setTimeout(r, 100));
  }
  held.close();
  const r = await fit;
  assert.equal(r.status, 0, r.stderr);
  assert.match(r.stderr, /workspace .* is free again after/);
  const models = JSON.parse(w.run('models', '--json').stdout) as { id: string }[];
  assert.deepEqual(models.map((m) => m.id), [(JSON.parse(r.stdout) as { modelId: string }).modelId]);
});

test('a fit and an ingest started together are both stored', async () => {
  const w = simulatedWorkspace('concurrent-both-', 60, 2);
  const extra = join(w.dir, 'extra.csv');
  writeFileSync(extra, `date,promo\n${Array.from({ length: 60 }, (_, i) => `${new Date(Date.UTC(2023, 0, 2 + 7 * i)).toISOString().slice(0, 10)},${i % 2}`).join('\n')}\n`);
  const [fit, ingest] = await Promise.all([
    runAsync(w.workspace, 'fit', w.configPath, '--fast', '--json'),
    runAsync(w.workspace, 'ingest', extra, '--kind', 'factors', '--name', 'promo'),
  ]);
  assert.equal(fit.status, 0, fit.stderr);
  assert.equal(ingest.status, 0, ingest.stderr);
  assert.equal((JSON.parse(w.run('models', '--json').stdout) as unknown[]).length, 1);
  assert.match(w.run('datasets').stdout, /promo/);
});

test('past the wait limit the command says the workspace is still in use, naming it', async () => {
  const w = simulatedWorkspace('concurrent-limit-', 30, 1);
  const held = await Workspace.open(w.workspace);
  try {
    const r = await new Promise<{ status: number | null; stderr: string }>((resolve) => {
      const p = spawn(process.execPath, [bin, '--workspace', w.workspace, 'models'], { env: { ...process.env, MARGINAL_WORKSPACE_WAIT_S: '1' }, stdio: ['ignore', 'pipe', 'pipe'] });
      let stderr = '';
      p.stderr.on('data', (c) => { stderr += c; });
      p.on('close', (status) => resolve({ status, stderr }));
    });
    assert.equal(r.status, 2);
    assert.match(r.stderr, /workspace '.*ws\.duckdb' is still in use by another process after 1 s/);
  } finally { held.close(); }
});
