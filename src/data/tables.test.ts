import { after, test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describeWritten, writeTables } from './tables.ts';

const dir = mkdtempSync(join(tmpdir(), 'marginal-tables-test-'));
after(() => rmSync(dir, { recursive: true, force: true }));

test('describeWritten says exactly which tables were written as Parquet: an empty one is named as CSV only', async () => {
  const out = join(dir, 'some-empty');
  const written = await writeTables(out, { fit: [{ sample: 'in-sample', r2: 0.9 }, { sample: 'holdout', r2: 0.7 }], lift_tests: [], health: [{ topic: 'fit', text: 'ok' }] });
  assert.deepEqual(readdirSync(out).sort(), ['fit.csv', 'fit.parquet', 'health.csv', 'health.parquet', 'lift_tests.csv']);
  assert.equal(describeWritten(written, out), `wrote 3 tables to ${out} as CSV, 2 of them also as Parquet (lift_tests has no rows, so no Parquet file): fit (2), lift_tests (0), health (1)`);
  // Every file the message claims is there.
  for (const w of written) assert.ok(existsSync(w.csv) && (w.parquet === null || existsSync(w.parquet)), w.name);
});

test('describeWritten: all tables with rows read as CSV and Parquet; CSV only when Parquet was not asked for', async () => {
  const all = join(dir, 'all');
  assert.equal(describeWritten(await writeTables(all, { a: [{ x: 1 }] }), all), `wrote 1 table to ${all} as CSV and Parquet: a (1)`);
  const csv = join(dir, 'csv');
  assert.equal(describeWritten(await writeTables(csv, { a: [{ x: 1 }], b: [{ y: 'z' }] }, ['csv']), csv), `wrote 2 tables to ${csv} as CSV: a (1), b (1)`);
});
