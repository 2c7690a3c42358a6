/**
 * Issue 22, item 4 on the command line: `marginal ingest FILE --preset NAME` (no --kind, no --map) reads
 * a platform export; a missing column is refused naming the preset, the column and the flag; a pandas
 * index is left out with its warning; annual data harmonizes with `--grain year`.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';

const bin = join(import.meta.dirname, '../../bin/marginal');
const PRESETS = resolve('test/fixtures/presets');

test('ingest --preset, its refusals, a pandas index and --grain year', () => {
  const dir = mkdtempSync(join(tmpdir(), 'marginal-cli-presets-'));
  const run = (...args: string[]) => spawnSync(process.execPath, [bin, '--workspace', join(dir, 'ws.duckdb'), ...args], { encoding: 'utf8', cwd: dir });
  try {
    const help = run('ingest', '--help');
    for (const name of ['google-ads', 'meta-ads', 'ga4', 'adobe-analytics']) assert.match(help.stdout, new RegExp(name));

    const ga = run('ingest', join(PRESETS, 'google_ads_campaigns.csv'), '--preset', 'google-ads', '--name', 'gads');
    assert.equal(ga.status, 0, ga.stderr);
    assert.equal(ga.stdout, "ingested google_ads_campaigns.csv as 'gads' (summary, wide): 6 rows, 30 values stored\n");
    assert.match(ga.stderr, /warning: .*the google-ads preset left out the columns Campaign status, CTR, Avg\. CPC/);
    const ga4 = JSON.parse(run('ingest', join(PRESETS, 'ga4_traffic_acquisition.csv'), '--preset', 'ga4', '--json').stdout);
    assert.equal(ga4.kind, 'summary');
    assert.equal(ga4.dateFormat, 'YYYYMMDD');
    assert.equal(ga4.mapping.roles.channel, 'Session default channel group');
    assert.deepEqual(ga4.mapping.series.map((s: { metric: string }) => s.metric), ['sessions', 'conversions', 'revenue']);

    writeFileSync(join(dir, 'no_cost.csv'), 'Day,Campaign,Clicks\n2024-03-04,Brand,10\n');
    const missing = run('ingest', 'no_cost.csv', '--preset', 'google-ads');
    assert.equal(missing.status, 2);
    assert.equal(missing.stderr, "error: no_cost.csv, row 1: the google-ads preset needs the column 'Cost' (spend); the file's columns: Day, Campaign, Clicks (--preset, or --map COLUMN=ROLE without it)\n");
    const unknown = run('ingest', 'no_cost.csv', '--preset', 'tiktok');
    assert.equal(unknown.status, 2);
    assert.match(unknown.stderr, /--preset must be one of google-ads, meta-ads, ga4, adobe-analytics; got 'tiktok'/);
    assert.match(run('ingest', 'no_cost.csv', '--preset', 'ga4', '--kind', 'factors').stderr, /the import preset ga4 reads media data .* the kind summary; got the kind factors/);

    writeFileSync(join(dir, 'indexed.csv'), ',date,tv_spend\n0,2024-01-01,10\n1,2024-01-08,20\n');
    const idx = run('ingest', 'indexed.csv', '--kind', 'summary');
    assert.equal(idx.status, 0, idx.stderr);
    assert.match(idx.stderr, /warning: indexed\.csv, row 1: the first column has no name and holds row numbers 0…1 \(a pandas index\); it was left out/);

    const pinkham = resolve('data/reference/real/lydia_pinkham_annual.csv');
    assert.equal(run('ingest', pinkham, '--kind', 'summary', '--name', 'ads', '--map', 'advertising=advertising_spend').status, 0);
    assert.equal(run('ingest', pinkham, '--kind', 'conversions', '--name', 'sales').status, 0);
    const year = run('harmonize', '--grain', 'year', '--name', 'annual', '--datasets', 'ads,sales');
    assert.equal(year.status, 0, year.stderr);
    assert.match(year.stdout, /54 rows \(yearly, 1907-01-01 … 1960-01-01, national\)/);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
