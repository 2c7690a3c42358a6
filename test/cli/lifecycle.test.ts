/**
 * The model lifecycle from the command line: `models` marks a model stale once its table has a newer
 * version (and says so on stderr), `show` gives a table's versions and a model's status, `refresh`
 * fits it on the new version in one command, `models rename|duplicate|delete` (refused while a plan
 * depends on the model, then --force), and `overview` prints the workspace at a glance. Results on
 * stdout, warnings on stderr.
 */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { optimizePlan } from '../../src/app/plan.ts';
import { parsePlan } from '../../src/planning/index.ts';
import { harmonizedWorkspace } from '../support/harmonizedWorkspace.ts';

const bin = fileURLToPath(new URL('../../bin/marginal', import.meta.url));
let fx: Awaited<ReturnType<typeof harmonizedWorkspace>>;
const run = (...args: string[]) => spawnSync(process.execPath, [bin, '--workspace', fx.workspace, ...args], { encoding: 'utf8' });
const ok = (...args: string[]) => { const r = run(...args); assert.equal(r.status, 0, `${args.join(' ')}: ${r.stderr}`); return r; };

before(async () => {
  fx = await harmonizedWorkspace({ weeks: 80, until: 72 });
  await fx.fit();
});
after(() => fx?.cleanup());

test('a model turns stale when its table gets a new version, and one command refreshes it', async () => {
  assert.match(ok('models').stdout, /^weekly-1\s+weekly\s+bayesian\s+approximate\s+[\d.]+\s+weekly v1\s+.*\s+0\s+current$/m);
  await fx.reharmonize();
  const listed = ok('models');
  assert.match(listed.stdout, /^weekly-1 .*weekly v1 .*STALE$/m);
  assert.match(listed.stderr, /^stale: weekly-1: fitted on version 1 of 'weekly'; version 2 \(\d{4}-\d\d-\d\d, 8 more weeks\) is newer; `marginal refresh weekly-1`/m);
  const table = ok('show', 'weekly', '--rows', '1').stdout;
  assert.match(table, /^\s+version\s+2$/m);
  assert.match(table, /^\s+1\s+\S+ \S+\s+\S+\s+\S+\s+72\s+media [0-9a-f]{12}, .*yes \(a model was fitted on it\)$/m);
  assert.match(table, /^\s+2\s+.*\s+80\s+media .*current$/m);
  assert.match(ok('show', 'weekly-1').stdout, /^ {2}data {7}STALE: fitted on version 1 of 'weekly'/m);

  const r = ok('refresh', 'weekly-1', '--with-priors');
  assert.match(r.stdout, /^refreshed weekly-1 as weekly-2\nmodel weekly-2 \(bayesian, APPROXIMATE\)/);
  assert.match(r.stderr, /^refresh: on version 2 of 'weekly' \(it was fitted on version 1\)$/m);
  assert.match(r.stderr, /^refresh: with curve priors from weekly-1's posterior \(sd × 2\) for tv, search, social$/m);
  const after = JSON.parse(ok('models', '--json').stdout) as { id: string; version: number; stale: { supersededBy: string } | null; refreshedFrom: string | null }[];
  assert.deepEqual(after.map((m) => [m.id, m.version, m.stale?.supersededBy ?? null, m.refreshedFrom]), [['weekly-1', 1, 'weekly-2', null], ['weekly-2', 2, null, 'weekly-1']]);
  assert.doesNotMatch(ok('models').stderr, /stale:/, 'a superseded model is not asked to be refreshed again');
});

test('rename, duplicate, delete (refused while a plan depends on it, then forced) and the overview', async () => {
  assert.equal(ok('models', 'rename', 'weekly-2', 'Brand model').stdout, "renamed model 'weekly-2' from 'weekly' to 'Brand model'\n");
  const copy = join(fx.dir, 'copy.json');
  assert.match(ok('models', 'duplicate', 'weekly-2', '--out', copy).stdout, /^wrote .*copy\.json: model weekly-2's config named 'weekly-copy'/);
  const written = JSON.parse(readFileSync(copy, 'utf8'));
  assert.deepEqual([written.name, written.data.harmonized, written.data.version], ['weekly-copy', 'weekly', undefined]);
  assert.match(ok('fit', copy, '--fast').stdout, /^model weekly-copy-1 \(/);

  await optimizePlan(fx.workspace, parsePlan({ name: 'q', model: 'weekly-2', budget: 4e5, periods: 8, draws: 30 }));
  const refused = run('models', 'delete', 'weekly-2');
  assert.equal(refused.status, 2);
  assert.equal(refused.stdout, '');
  assert.match(refused.stderr, /model 'weekly-2' has 1 saved plan that depends on it: q-1; .*--force/);

  const o = ok('overview');
  assert.match(o.stdout, /^revenue \(revenue\): model weekly-copy-1 \(bayesian, approximate\), fitted \d{4}-\d\d-\d\d on weekly v2$/m);
  assert.match(o.stdout, /^ {2}health: (Healthy|Use with care|Do not act on it yet)/m);
  assert.match(o.stdout, /^ {2}tv\s+\$[\d.]+[KM]\s+[\d.]+\s+\[[\d.]+, [\d.]+\]$/m);
  assert.match(o.stdout, /^ {2}older models: weekly-2, weekly-1$/m);
  assert.match(o.stdout, /^ {2}table weekly\s+weekly\s+\S+\s+\S+\s+80\s+version 2 of 2, /m);
  assert.match(o.stdout, /^ {2}q-1\s+q\s+weekly-2\s+\$\d+(\.\d+)?[KM]\s+current$/m);
  const json = JSON.parse(ok('overview', '--json').stdout);
  assert.deepEqual(json.kpis.map((k: { kpi: string }) => k.kpi), ['revenue']);
  assert.deepEqual(json.stale, []);

  const forced = ok('models', 'delete', 'weekly-2', '--force');
  assert.equal(forced.stdout, "deleted model 'weekly-2'\n");
  assert.match(forced.stderr, /^warning: plan q-1 keeps? (its|their) saved results?/m);
  assert.doesNotMatch(ok('models').stdout, /^weekly-2 /m);
  assert.match(ok('overview').stdout, /^ {2}q-1\s+q\s+weekly-2\s+\$\d+(\.\d+)?[KM]\s+model deleted: model weekly-2 was deleted/m);
});
