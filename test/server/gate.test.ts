/**
 * The gate's shared reads: requests that arrive while the same read is queued or running share its
 * answer (one read for many), and a request after it finished reads again and sees the writes that
 * finished before it.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { WorkspaceGate } from '../../src/server/gate.ts';

test('concurrent identical reads share one read; a later read sees the writes before it', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'marginal-gate-'));
  const gate = new WorkspaceGate(join(dir, 'ws.duckdb'));
  try {
    await gate.with((ws) => ws.run('CREATE TABLE t (x INTEGER); INSERT INTO t VALUES (1)'));
    let reads = 0;
    const count = () => gate.shared('count', async (ws) => { reads++; return Number(await ws.value<number>('SELECT count(*) FROM t')); });
    const first = await Promise.all(Array.from({ length: 20 }, count));
    assert.deepEqual(new Set(first), new Set([1]));
    assert.equal(reads, 1, 'twenty requests at once, one read');
    await gate.with((ws) => ws.run('INSERT INTO t VALUES (2)'));
    assert.equal(await count(), 2, 'a read after a finished write sees it');
    assert.equal(reads, 2);
    // A read queued behind a write (the write was asked first) runs after it.
    const write = gate.with((ws) => ws.run('INSERT INTO t VALUES (3)'));
    const after = count();
    await write;
    assert.equal(await after, 3);
  } finally {
    await gate.close();
    rmSync(dir, { recursive: true, force: true });
  }
});
