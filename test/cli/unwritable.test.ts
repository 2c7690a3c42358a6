/**
 * Output paths that cannot be written are the user's input: one line naming the flag and the path,
 * exit 2, no stack; and a harmonize whose --report cannot be written stores no table (before, the
 * table was stored, the report write crashed with an internal error, and a retry found the name taken).
 */
import { after, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { fastFitFixture } from '../support/fastFit.ts';

const fx = await fastFitFixture({ weeks: 60 });
after(() => fx.cleanup());
const cli = (...args: string[]) => spawnSync(process.execPath, ['bin/marginal', '--workspace', fx.workspace, ...args], { encoding: 'utf8' });
const nowhere = join(fx.dir, 'no-such-folder');

test('unwritable --report, --out, --csv: exit 2, the flag and the path named, nothing stored', () => {
  // A workspace where the harmonize would succeed: the simulation's data ingested, one table saved.
  assert.equal(cli('ingest', join(fx.dir, 'data.csv'), '--kind', 'mixed', '--name', 'sim').status, 0);
  assert.equal(cli('harmonize', '--grain', 'week', '--name', 'first').status, 0);
  const h = cli('harmonize', '--grain', 'week', '--name', 'again', '--report', join(nowhere, 'r.json'));
  assert.equal(h.status, 2, h.stderr);
  assert.match(h.stderr, /^error: --report: cannot write '.*no-such-folder\/r\.json': the folder '.*no-such-folder' does not exist\n$/);
  const tables = cli('datasets', '--json');
  assert.equal(tables.status, 0, tables.stderr);
  const harmonized = (JSON.parse(tables.stdout) as { harmonized: { id: string }[] }).harmonized.map((t) => t.id);
  assert.deepEqual(harmonized, ['first'], 'no table stored');
  for (const args of [['export', 'harmonized', 'x', '--out', join(nowhere, 'w.csv')], ['report', fx.modelId, '--out', join(nowhere, 'r.html')]]) {
    const r = cli(...args);
    assert.equal(r.status, 2, `${args.join(' ')}: ${r.stderr}`);
    assert.match(r.stderr, /^error: --out: cannot write '.*no-such-folder/);
    assert.ok(!/\n\s+at /.test(r.stderr), 'no stack trace');
  }
});
