/** A mistyped --workspace is refused by the commands that read one, instead of becoming a new, empty workspace. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const bin = join(import.meta.dirname, '../../bin/marginal');

test('reading commands refuse a workspace that does not exist (exit 2, the path named) and create nothing', () => {
  const dir = mkdtempSync(join(tmpdir(), 'marginal-ws-'));
  try {
    const missing = join(dir, 'typo.duckdb');
    for (const args of [['models'], ['datasets'], ['plans'], ['insights', 'demo-1']]) {
      const r = spawnSync(process.execPath, [bin, '--workspace', missing, ...args], { encoding: 'utf8' });
      assert.equal(r.status, 2, `${args.join(' ')}: exit ${r.status}\n${r.stderr}`);
      assert.match(r.stderr, new RegExp(`no workspace at '${missing.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}'.*Check --workspace`));
      assert.ok(!existsSync(missing), `${args.join(' ')} created ${missing}`);
    }
  } finally { rmSync(dir, { recursive: true, force: true }); }
});

test('serve refuses a missing workspace too, and --create starts an empty one where it is meant', () => {
  const dir = mkdtempSync(join(tmpdir(), 'marginal-ws-'));
  try {
    const missing = join(dir, 'typo.duckdb');
    const r = spawnSync(process.execPath, [bin, '--workspace', missing, 'serve', '--port', '0'], { encoding: 'utf8', timeout: 60_000 });
    assert.equal(r.status, 2, `serve: exit ${r.status}\n${r.stderr}`);
    assert.match(r.stderr, /no workspace at .*--create/);
    assert.ok(!existsSync(missing), 'serve created the workspace');
    const created = spawnSync(process.execPath, [bin, '--workspace', missing, '--create', 'models'], { encoding: 'utf8', timeout: 60_000 });
    assert.equal(created.status, 0, created.stderr);
    assert.match(created.stdout + created.stderr, /no models/i);
  } finally { rmSync(dir, { recursive: true, force: true }); }
});
