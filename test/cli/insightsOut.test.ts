/**
 * `marginal insights MODEL --out DIR` says exactly what it wrote: every table as CSV, and as Parquet
 * every table with rows; the lift-test table of a config without lift tests is empty and named as
 * having no Parquet file (before, the line said "11 tables (CSV and Parquet)" and wrote 10 Parquet files).
 */
import { after, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { fastFitFixture } from '../support/fastFit.ts';

const fx = await fastFitFixture({ weeks: 80, holdout: 8 });
after(() => fx.cleanup());

test('insights --out: the message names the files written, and each one it names exists', () => {
  const out = join(fx.dir, 'tables');
  const r = spawnSync(process.execPath, ['bin/marginal', '--workspace', fx.workspace, 'insights', fx.modelId, '--out', out], { encoding: 'utf8' });
  assert.equal(r.status, 0, r.stderr);
  const line = r.stdout.trim().split('\n').find((l) => l.startsWith('wrote '))!;
  const m = /^wrote (\d+) tables to (.+) as CSV, (\d+) of them also as Parquet \((.+) has no rows, so no Parquet file\): (.+)$/.exec(line);
  assert.ok(m, line);
  assert.equal(m[2], out);
  assert.equal(m[4], 'lift_tests');
  const files = readdirSync(out);
  assert.equal(files.filter((f) => f.endsWith('.csv')).length, Number(m[1]));
  assert.equal(files.filter((f) => f.endsWith('.parquet')).length, Number(m[3]));
  assert.ok(existsSync(join(out, 'lift_tests.csv')) && !existsSync(join(out, 'lift_tests.parquet')));
  assert.match(m[5], /lift_tests \(0\)/);
});
