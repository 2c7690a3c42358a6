/**
 * Configs written from another config (`marginal priors --for/--out`, `marginal touchpoints
 * --priors-for/--priors-out`) carry their relative file paths (`data.file`, `holidays.file`) re-based
 * onto the folder of the file written (one helper, src/app/writeConfig.ts): written into another
 * folder, from a third working directory, the new config fits.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { rebaseConfigPaths } from '../../src/app/writeConfig.ts';

const repo = fileURLToPath(new URL('../../', import.meta.url));
const bin = join(repo, 'bin/marginal');
const journeys = join(repo, 'data/reference/attribution/touchpoint_journeys.csv');

test('rebaseConfigPaths: relative data.file and holidays.file re-based; absolute paths, tables and other keys untouched', () => {
  const raw = { name: 'x', data: { file: 'data.csv', date: 'date' }, holidays: { country: 'DE', file: '../common/h.csv' }, channels: [] };
  const out = rebaseConfigPaths(raw, 'a/b/model.json', 'c/new.json');
  assert.deepEqual(out, { name: 'x', data: { file: '../a/b/data.csv', date: 'date' }, holidays: { country: 'DE', file: '../a/common/h.csv' }, channels: [] });
  assert.equal(raw.data.file, 'data.csv', 'the input is not changed');
  assert.deepEqual(rebaseConfigPaths(raw, 'a/b/model.json', 'a/b/same.json'), raw);
  assert.deepEqual(rebaseConfigPaths({ data: { file: '/abs/data.csv' } }, 'a/m.json', 'z/n.json'), { data: { file: '/abs/data.csv' } });
  assert.deepEqual(rebaseConfigPaths({ data: { harmonized: 'weekly' } }, 'a/m.json', 'z/n.json'), { data: { harmonized: 'weekly' } });
});

test('priors --out and touchpoints --priors-out into another folder: data and holidays files re-based, the written configs fit', () => {
  const dir = mkdtempSync(join(tmpdir(), 'marginal-writeconfig-'));
  try {
    // cwd is `dir`; every path on the command line is relative to it, as a user would type them.
    const run = (...args: string[]) => spawnSync(process.execPath, [bin, '--workspace', 'ws.duckdb', ...args], { encoding: 'utf8', cwd: dir });
    const ok = (r: ReturnType<typeof run>, what: string) => { assert.equal(r.status, 0, `${what}: exit ${r.status}\n${r.stderr}`); return r; };
    ok(run('simulate', '--out', 'project/sim', '--weeks', '80', '--channels', '2'), 'simulate');
    const configPath = join(dir, 'project/sim/model.json');
    const config = JSON.parse(readFileSync(configPath, 'utf8'));
    mkdirSync(join(dir, 'project/common'));
    writeFileSync(join(dir, 'project/common/holidays.csv'), 'ds,holiday,country\n2023-01-01,New Year,DE\n2023-12-25,Christmas,DE\n2024-01-01,New Year,DE\n');
    config.holidays = { country: 'DE', file: '../common/holidays.csv' };
    writeFileSync(configPath, JSON.stringify(config, null, 2));
    const fit = ok(run('fit', 'project/sim/model.json', '--fast', '--json'), 'fit');
    const modelId = (JSON.parse(fit.stdout) as { modelId: string }).modelId;

    ok(run('priors', modelId, '--for', 'project/sim/model.json', '--out', 'elsewhere/refresh/priors.json'), 'priors');
    ok(run('ingest', journeys, '--kind', 'touchpoints', '--name', 'tp'), 'ingest touchpoints');
    ok(run('touchpoints', '--data', 'tp', '--method', 'linear', '--media-share', '0.3', '--channel-map', 'Facebook=tv', '--channel-map', 'Paid Search=search',
      '--priors-for', 'project/sim/model.json', '--priors-out', 'elsewhere/journeys/shares.json'), 'touchpoints');

    for (const [file, key] of [['elsewhere/refresh/priors.json', 'curves'], ['elsewhere/journeys/shares.json', 'contributionShare']] as const) {
      const written = JSON.parse(readFileSync(join(dir, file), 'utf8'));
      assert.equal(written.data.file, '../../project/sim/data.csv', file);
      assert.equal(written.holidays.file, '../../project/common/holidays.csv', file);
      assert.ok(existsSync(resolve(dir, file, '..', written.data.file)), file);
      assert.ok(Object.keys(written.priors[key]).length > 0, `${file}: priors.${key}`);
      const refit = ok(run('fit', file, '--fast', '--json'), `fit ${file}`);
      const out = JSON.parse(refit.stdout) as { modelId: string; channels: { name: string }[] };
      assert.deepEqual(out.channels.map((c) => c.name), ['tv', 'search'], file);
    }
    // The touchpoints command refuses an invalid --priors-for config before writing anything.
    writeFileSync(join(dir, 'project/sim/bad.json'), JSON.stringify({ ...config, holdot: 3 }));
    const bad = run('touchpoints', '--data', 'tp', '--media-share', '0.3', '--priors-for', 'project/sim/bad.json', '--priors-out', 'elsewhere/bad.json');
    assert.equal(bad.status, 2, bad.stderr);
    assert.match(bad.stderr, /project\/sim\/bad\.json: unknown key `holdot`/);
    assert.equal(existsSync(join(dir, 'elsewhere/bad.json')), false);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
