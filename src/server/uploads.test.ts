import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, utimesSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { Uploads } from './uploads.ts';

const save = (u: Uploads, bytes: number) => u.save('a.csv', Readable.from([Buffer.alloc(bytes, 49)]), () => false, 1e9);

test('waiting uploads are capped per workspace: the oldest go first, the new one stays', async () => {
  const u = new Uploads(join(mkdtempSync(join(tmpdir(), 'uploads-')), 'ws.duckdb'), 2500);
  const a = await save(u, 1000);
  utimesSync(join(u.dir, a.upload), new Date(Date.now() - 5000), new Date(Date.now() - 5000));
  const b = await save(u, 1000);
  assert.equal(u.waiting().length, 2);
  const c = await save(u, 1000);
  assert.deepEqual(u.waiting().map((w) => w.id).sort(), [b.upload, c.upload].sort(), 'the oldest upload was removed');
  assert.equal(u.waiting().reduce((s, w) => s + w.bytes, 0), 2000);
});

test('uploads older than an hour are swept', async () => {
  const u = new Uploads(join(mkdtempSync(join(tmpdir(), 'uploads-')), 'ws.duckdb'));
  const old = await save(u, 10);
  const fresh = await save(u, 10);
  const twoHoursAgo = new Date(Date.now() - 2 * 3600 * 1000);
  utimesSync(join(u.dir, old.upload), twoHoursAgo, twoHoursAgo);
  assert.equal(u.sweep(), 1);
  assert.deepEqual(u.waiting().map((w) => w.id), [fresh.upload]);
  assert.throws(() => u.path(old.upload), /upload/);
});

test('using an upload restarts its hour', async () => {
  const u = new Uploads(join(mkdtempSync(join(tmpdir(), 'uploads-')), 'ws.duckdb'));
  const kept = await save(u, 10);
  const twoHoursAgo = new Date(Date.now() - 2 * 3600 * 1000);
  utimesSync(join(u.dir, kept.upload), twoHoursAgo, twoHoursAgo);
  u.path(kept.upload); // e.g. the mapping step's detect call
  assert.equal(u.sweep(), 0);
  assert.deepEqual(u.waiting().map((w) => w.id), [kept.upload]);
});
