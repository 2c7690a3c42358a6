import { test } from 'node:test';
import assert from 'node:assert/strict';
import { closeSync, mkdtempSync, openSync, writeSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { MarginalError } from '../errors.ts';
import { Workspace } from './workspace.ts';

test('a corrupt workspace is a BAD_FILE at once, not a file "in use" waited on', async () => {
  const path = join(mkdtempSync(join(tmpdir(), 'ws-corrupt-')), 'ws.duckdb');
  const ws = await Workspace.open(path);
  await ws.run('CREATE TABLE t AS SELECT range AS x FROM range(100000)');
  ws.close();
  // Overwrite one block: DuckDB's error then says "… in block at location …", which once read as a lock.
  const fd = openSync(path, 'r+');
  writeSync(fd, Buffer.alloc(4096, 7), 0, 4096, 12288);
  closeSync(fd);
  const t0 = Date.now();
  await assert.rejects(Workspace.open(path, { waitMs: 60_000 }), (e: unknown) => e instanceof MarginalError && e.code === 'BAD_FILE' && /Corrupt database file/.test(e.message));
  assert.ok(Date.now() - t0 < 5000, `took ${Date.now() - t0} ms`);
});
