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

test('a workspace made before customer segments gets their table when opened, and its touchpoint datasets still load and delete', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'ws-old-'));
  const path = join(dir, 'ws.duckdb'), csv = join(dir, 'tp.csv');
  const { writeFileSync } = await import('node:fs');
  writeFileSync(csv, 'customer_id,time,channel,conversion\nc1,2024-01-01T10:00:00Z,search,0\nc1,2024-01-02T10:00:00Z,,1\n');
  const { ingestFile, dropEntry } = await import('./index.ts');
  const { loadJourneys } = await import('../touchpoints/journeys.ts');
  let ws = await Workspace.open(path);
  await ingestFile(ws, csv, { kind: 'touchpoints', name: 'tp' });
  await ws.run('DROP TABLE touchpoint_segments'); // as a workspace from before the table was
  ws.close();
  ws = await Workspace.open(path);
  try {
    assert.equal(await ws.value<number>(`SELECT count(*) FROM information_schema.tables WHERE table_name = 'touchpoint_segments'`), 1);
    const j = await loadJourneys(ws, 'tp');
    assert.equal(j.offsets.length - 1, 1);
    assert.equal(j.segments, undefined);
    assert.equal(await dropEntry(ws, 'tp'), 'dataset');
    assert.equal(await ws.value<number>(`SELECT count(*) FROM datasets`), 0);
  } finally { ws.close(); }
});
