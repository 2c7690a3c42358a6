/**
 * Item 6: the bad-input corpus in test/fixtures/bad. Nothing crashes; each file gets its own message
 * naming file, row, column and value; errors leave the workspace unchanged; warnings are reported.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { join, resolve } from 'node:path';
import { writeFileSync, readFileSync } from 'node:fs';
import { spawnSync } from 'node:child_process';
import { MarginalError, type Problem } from '../../src/errors.ts';
import { exportDataset, ingestFile, type IngestOptions } from '../../src/data/index.ts';
import { snapshot, tempDir, tempWorkspace } from './helpers.ts';

const BAD = resolve('test/fixtures/bad');
const TODAY = '2025-06-01';

interface Case { file: string; kind?: IngestOptions['kind']; opts?: Partial<IngestOptions>; row?: number; column?: string; value?: string; message: RegExp }

const errors: Case[] = [
  { file: 'empty.csv', message: /the file is empty/ },
  { file: 'header_only.csv', row: 1, message: /header but no data rows/ },
  { file: 'missing_date_column.csv', row: 1, message: /missing required column: no date column/ },
  { file: 'missing_channel_column.csv', row: 1, message: /missing required column/ },
  { file: 'unparseable_date.csv', row: 4, column: 'date', value: '2024-13-45', message: /not a valid date in the column's format YYYY-MM-DD/ },
  { file: 'text_dates.csv', row: 2, column: 'date', value: 'soon', message: /cannot read the dates/ },
  { file: 'mixed_date_formats.csv', row: 4, column: 'date', value: '01/15/2024', message: /mixed date formats: this value looks like M\/D\/YYYY but the column's dates are YYYY-MM-DD/ },
  { file: 'duplicate_rows.csv', row: 4, message: /duplicate row: \(date 2024-01-01, geo north, channel tv, spend\) appears 2 times/ },
  { file: 'negative_spend.csv', row: 3, column: 'tv_spend', message: /negative spend/ },
  { file: 'nan_value.csv', row: 3, column: 'tv_spend', message: /NaN and Infinity are not numbers/ },
  { file: 'inf_value.csv', row: 4, column: 'tv_spend', message: /NaN and Infinity are not numbers/ },
  { file: 'text_in_numeric.csv', row: 3, column: 'tv_spend', value: 'eleven', message: /is not a number/ },
  { file: 'thousands_us.csv', row: 2, column: 'tv_spend', value: '1,234.5', message: /--number-format us/ },
  { file: 'thousands_eu.csv', row: 2, column: 'tv_spend', value: '1.234,5', message: /--number-format eu/ },
  { file: 'huge_value.csv', row: 3, column: 'tv_spend', message: /implausibly large/ },
  { file: 'truncated.parquet', message: /not a valid Parquet file, perhaps truncated/ },
  // A numeric factor with R's NA in a quarter of its cells: refused by cell, not stored as categories.
  // Touchpoints: counts and values that cannot be negative (scoring printed "-1 journeys").
  { file: 'touch_paths_negative.csv', kind: 'touchpoints', row: 2, column: 'total_conversions', value: '-3.0', message: /negative conversion count/ },
  { file: 'touch_events_negative.csv', kind: 'touchpoints', row: 3, column: 'value', message: /negative conversion value/ },
  { file: 'factor_na_markers.csv', kind: 'factors', row: 5, column: 'price', value: 'NA', message: /NA marks a missing value: leave the cell empty/ },
];

for (const c of errors) {
  test(`bad input ${c.file}: one precise error, workspace unchanged`, async () => {
    const ws = await tempWorkspace();
    try {
      await ingestFile(ws, join(BAD, 'unicode_channels.csv'), { kind: 'summary', name: 'keep', today: TODAY });
      const before = await snapshot(ws);
      await assert.rejects(ingestFile(ws, join(BAD, c.file), { kind: c.kind ?? 'summary', name: 'x', today: TODAY, ...c.opts }), (e: unknown) => {
        assert.ok(e instanceof MarginalError, String(e));
        assert.equal(e.exitCode, 2);
        assert.match(e.message, c.message);
        assert.ok(e.message.startsWith(c.file), e.message);
        const p = e.problems[0];
        assert.equal(p.file, c.file);
        if (c.row !== undefined) assert.equal(p.row, c.row, e.message);
        if (c.column !== undefined) assert.equal(p.column, c.column);
        if (c.value !== undefined) assert.equal(p.value, c.value);
        return true;
      });
      assert.deepEqual(await snapshot(ws), before);
    } finally { ws.close(); }
  });
}

test('thousands separators read with --number-format us and eu', async () => {
  const ws = await tempWorkspace();
  try {
    await ingestFile(ws, join(BAD, 'thousands_us.csv'), { kind: 'summary', name: 'us', numberFormat: 'us' });
    await ingestFile(ws, join(BAD, 'thousands_eu.csv'), { kind: 'summary', name: 'eu', numberFormat: 'eu' });
    const v = await ws.all<{ dataset: string; value: number }>(`SELECT dataset, value FROM observations ORDER BY dataset, date`);
    assert.deepEqual(v.map((r) => r.value), [1234.5, 2000.25, 1234.5, 2000]);
  } finally { ws.close(); }
});

const warn = (ps: Problem[]) => ps.filter((p) => p.severity === 'warning');

test('a date gap and a future date are warnings with their row', async () => {
  const ws = await tempWorkspace();
  try {
    const gap = await ingestFile(ws, join(BAD, 'date_gap.csv'), { kind: 'summary', today: TODAY });
    assert.equal(gap.stored, 4);
    assert.match(warn(gap.problems)[0].message, /date gap: no rows between 2024-01-08 and 2024-01-29 in weekly data/);
    assert.equal(warn(gap.problems)[0].row, 4);
    const fut = await ingestFile(ws, join(BAD, 'future_date.csv'), { kind: 'summary', today: TODAY });
    const w = warn(fut.problems).find((p) => /future/.test(p.message))!;
    assert.equal(w.row, 4);
    assert.equal(w.value, '2099-01-05');
    // Warnings are found after the rows are stored: they are stored once, not again.
    const stored = await ws.all<{ dataset: string; n: number }>(`SELECT dataset, count(*) AS n FROM observations GROUP BY dataset ORDER BY dataset`);
    assert.deepEqual(stored, [{ dataset: 'date_gap', n: gap.stored }, { dataset: 'future_date', n: fut.stored }]);
  } finally { ws.close(); }
});

test('Unicode and emoji channel names are valid and kept exactly', async () => {
  const ws = await tempWorkspace();
  try {
    await ingestFile(ws, join(BAD, 'unicode_channels.csv'), { kind: 'summary', name: 'u' });
    const ch = (await ws.all<{ channel: string }>(`SELECT DISTINCT channel FROM observations ORDER BY 1`)).map((r) => r.channel);
    assert.deepEqual(ch, ['Café Radio', '搜索', '📺 TV'].sort());
  } finally { ws.close(); }
});

test('a formula cell is kept as text and escaped on CSV export', async () => {
  const ws = await tempWorkspace();
  try {
    await ingestFile(ws, join(BAD, 'formula_injection.csv'), { kind: 'summary', name: 'f' });
    const ch = (await ws.all<{ channel: string }>(`SELECT channel FROM observations ORDER BY value DESC`))[0].channel;
    assert.equal(ch, '=HYPERLINK("http://evil","x")');
    const out = join(tempDir(), 'f.csv');
    await exportDataset(ws, 'f', out);
    const text = readFileSync(out, 'utf8');
    assert.ok(text.includes(`"'=HYPERLINK(""http://evil"",""x"")"`), text);
    assert.ok(!/(^|,)=/m.test(text));
  } finally { ws.close(); }
});

test('a 1 MB line: a 1 MB cell in a numeric column and a 1 MB channel name get their own messages', async () => {
  const dir = tempDir();
  const big = 'x'.repeat(1 << 20);
  writeFileSync(join(dir, 'wide.csv'), `date,tv_spend\n2024-01-01,1\n2024-01-08,${big}\n`);
  writeFileSync(join(dir, 'long.csv'), `date,channel,metric,value\n2024-01-01,tv,spend,1\n2024-01-01,${big},spend,2\n`);
  const ws = await tempWorkspace();
  try {
    await assert.rejects(ingestFile(ws, join(dir, 'wide.csv'), { kind: 'summary' }), (e: MarginalError) => {
      assert.equal(e.problems[0].row, 3);
      assert.match(e.message, /row 3, column 'tv_spend', value 'x{60}…': is not a number/);
      assert.ok(e.message.length < 300);
      return true;
    });
    await assert.rejects(ingestFile(ws, join(dir, 'long.csv'), { kind: 'summary' }), (e: MarginalError) => {
      assert.equal(e.problems[0].row, 3);
      assert.match(e.message, /longer than 200 characters/);
      return true;
    });
    assert.deepEqual(await ws.all('SELECT * FROM datasets'), []);
  } finally { ws.close(); }
});

test('a failure on the last row of a large file leaves the workspace exactly as it was', async () => {
  const dir = tempDir();
  const n = 200_000;
  const lines = ['date,geo,channel,metric,value'];
  for (let i = 0; i < n; i++) {
    const day = new Date(Date.UTC(2020, 0, 1) + Math.floor(i / 100) * 86400000).toISOString().slice(0, 10);
    lines.push(`${day},g${i % 10},c${Math.floor(i / 10) % 5},${(i >> 0) % 2 ? 'spend' : 'impressions'}_${Math.floor(i / 50) % 2},${(i % 97) + 0.5}`);
  }
  writeFileSync(join(dir, 'good.csv'), lines.join('\n') + '\n');
  lines[lines.length - 1] = lines[lines.length - 1].replace(/,[^,]*$/, ',-1');
  writeFileSync(join(dir, 'bad.csv'), lines.join('\n') + '\n');
  const ws = await tempWorkspace();
  try {
    const ok = await ingestFile(ws, join(dir, 'good.csv'), { kind: 'summary', name: 'good' });
    assert.equal(ok.stored, n);
    const before = await snapshot(ws);
    await assert.rejects(ingestFile(ws, join(dir, 'bad.csv'), { kind: 'summary', name: 'bad' }), (e: MarginalError) => {
      assert.equal(e.problems[0].row, n + 1);
      assert.match(e.message, /negative spend/);
      return true;
    });
    await assert.rejects(ingestFile(ws, join(dir, 'bad.csv'), { kind: 'summary', name: 'good', replace: true }), /negative spend/);
    assert.deepEqual(await snapshot(ws), before);
  } finally { ws.close(); }
});

test('CLI: exit code 2, one line on stderr; --json lists every problem', () => {
  const ws = join(tempDir(), 'ws.duckdb');
  const r = spawnSync('./bin/marginal', ['--workspace', ws, 'ingest', join(BAD, 'nan_value.csv'), '--kind', 'summary'], { encoding: 'utf8' });
  assert.equal(r.status, 2);
  const lines = r.stderr.trim().split('\n');
  assert.equal(lines.length, 1);
  assert.match(lines[0], /^error: nan_value\.csv, row 3, column 'tv_spend', value 'nan': NaN/);
  const j = spawnSync('./bin/marginal', ['--workspace', ws, 'ingest', join(BAD, 'thousands_us.csv'), '--kind', 'summary', '--json'], { encoding: 'utf8' });
  assert.equal(j.status, 2);
  const out = JSON.parse(j.stdout);
  assert.deepEqual(out.problems.map((p: Problem) => p.row), [2, 3]);
  // An error with no problem to list (a file that is not there) is JSON on stdout all the same.
  const missing = spawnSync('./bin/marginal', ['--workspace', ws, 'ingest', join(BAD, 'not-there.csv'), '--kind', 'summary', '--json'], { encoding: 'utf8' });
  assert.equal(missing.status, 2);
  const m = JSON.parse(missing.stdout) as { error: string; detail: string; problems: unknown[] };
  assert.match(m.detail, /not-there\.csv: no such file/);
  assert.deepEqual(m.problems, []);
  const ds = spawnSync('./bin/marginal', ['--workspace', ws, 'datasets', '--json'], { encoding: 'utf8' });
  assert.deepEqual(JSON.parse(ds.stdout), { datasets: [], harmonized: [] });
});
