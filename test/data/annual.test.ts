/**
 * Issue 22, item 4: annual data is a grain of its own. The Lydia Pinkham series (data/reference/real,
 * 1907–1960, `year,sales,advertising`) ingests with its bare years read as dates (1 January), harmonizes
 * at the grain 'year' (asking for weeks gives years, with a note), builds model data whose grain is 'year'
 * with its default adstock lag in years and no yearly seasonality, and fits (sales on advertising).
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { writeFileSync } from 'node:fs';
import { REFERENCE, tempDir } from './helpers.ts';
import { harmonize, ingestFile, readWideTable, withWorkspace } from '../../src/data/index.ts';
import { detectDateFormat, parseDate } from '../../src/data/detect/dates.ts';
import { parseModelConfig } from '../../src/models/config.ts';
import { buildModelData } from '../../src/models/design.ts';
import { defaultMaxLag, seasonalityOrders } from '../../src/models/features.ts';
import { loadModelTable } from '../../src/app/modelTable.ts';
import { runFit } from '../../src/app/fit.ts';
import { futureDates } from '../../src/planning/forecast.ts';
import { periodAfter } from '../../src/models/bayesian/changeTest.ts';

const FILE = join(REFERENCE, 'real/lydia_pinkham_annual.csv');

test('Lydia Pinkham: bare years are dates, the table is annual, the model grain is year with lags in years, and a fit runs', async () => {
  const workspace = join(tempDir(), 'ws.duckdb');
  await withWorkspace(workspace, async (ws) => {
    const media = await ingestFile(ws, FILE, { kind: 'summary', name: 'pinkham', map: { advertising: 'advertising_spend' }, currency: 'USD' });
    assert.equal(media.dateFormat, 'YYYY');
    assert.equal(media.rows, 54);
    assert.deepEqual(media.problems.filter((p) => /gap/.test(p.message)), [], 'leap years are no gap');
    const outcome = await ingestFile(ws, FILE, { kind: 'conversions', name: 'pinkham-sales' });
    assert.equal(outcome.rows, 54);
    const first = await ws.all<{ d: string; v: number }>(`SELECT CAST(date AS VARCHAR) AS d, value AS v FROM observations WHERE dataset = 'pinkham-sales' ORDER BY date LIMIT 1`);
    assert.deepEqual(first.map((r) => [r.d, Number(r.v)]), [['1907-01-01', 1016]]);
    const h = await harmonize(ws, { name: 'annual', grain: 'week', datasets: ['pinkham', 'pinkham-sales'] });
    assert.equal(h.grain, 'year');
    assert.ok(h.notes.some((n) => /annual, so the table is annual/.test(n)), h.notes.join('; '));
    assert.equal(h.rows, 54);
    assert.equal(h.from, '1907-01-01');
    assert.equal(h.to, '1960-01-01');
  });
  const config = parseModelConfig({
    name: 'pinkham', family: 'ridge',
    data: { harmonized: 'annual' }, target: { column: 'sales', kind: 'revenue' },
    channels: [{ name: 'advertising', spend: 'advertising_spend' }], trend: 'linear',
  });
  const table = await loadModelTable(config, workspace);
  const data = buildModelData(config, table);
  assert.equal(data.grain, 'year');
  assert.equal(defaultMaxLag(data.grain), 2);
  assert.equal(seasonalityOrders(config, data.grain).yearly, 0, 'no yearly seasonality on annual data');
  assert.deepEqual(futureDates(data.dates, 2), ['1961-01-01', '1962-01-01']);
  assert.equal(periodAfter(data, 1), '1961-01-01');
  const { output } = await runFit(config, workspace, { fast: true });
  assert.equal(output.family, 'ridge');
  assert.equal(output.channels.length, 1);
  assert.ok(output.fit && Number.isFinite(Number((output.fit as { r2?: number }).r2 ?? 0)));
});

test('a config naming the file directly reads `year` as the dates, at the grain year', async () => {
  const config = parseModelConfig({
    name: 'pinkham-file', family: 'linear',
    data: { file: FILE, date: 'year' }, target: { column: 'sales', kind: 'revenue' },
    channels: [{ name: 'advertising', spend: 'advertising' }],
  });
  const table = await loadModelTable(config, join(tempDir(), 'ws.duckdb'));
  const data = buildModelData(config, table);
  assert.equal(data.grain, 'year');
  assert.equal(data.dates[0], '1907-01-01');
  assert.equal(data.T, 54);
});

test('the bayesian family fits the annual series too (small warm-up and draws)', async () => {
  const config = parseModelConfig({
    name: 'pinkham-bayes', family: 'bayesian',
    data: { file: FILE, date: 'year' }, target: { column: 'sales', kind: 'revenue' },
    channels: [{ name: 'advertising', spend: 'advertising' }], trend: 'linear',
    inference: { chains: 1, warmup: 100, draws: 100, seed: 1 },
  });
  const { output } = await runFit(config, join(tempDir(), 'ws.duckdb'), { chains: 1 });
  assert.equal(output.family, 'bayesian');
  assert.ok(Number.isFinite(output.channels[0].roi as number));
});

test('date detection: a bare year in a date-named column is YYYY (not an Excel serial), YYYYMMDD likewise; a `year` beside `date` is not the date', async () => {
  assert.deepEqual(detectDateFormat(['1907', '1908', '1909'], true), { format: 'YYYY', ambiguous: false });
  assert.equal(detectDateFormat(['1907', '1908'], false), null, 'numbers in a column not named like a date are not years');
  assert.deepEqual(detectDateFormat(['20240131', '20240201'], true), { format: 'YYYYMMDD', ambiguous: false });
  assert.equal(parseDate('1960', 'YYYY'), '1960-01-01');
  assert.equal(parseDate('20240229', 'YYYYMMDD'), '2024-02-29');
  assert.equal(parseDate('20230229', 'YYYYMMDD'), null);
  const file = join(tempDir(), 'both.csv');
  writeFileSync(file, 'year,date,tv_spend,revenue\n2024,2024-01-01,1,10\n2024,2024-01-08,2,20\n2024,2024-01-15,3,30\n');
  const t = await readWideTable(file);
  assert.equal(t.dateColumn, 'date');
  await withWorkspace(join(tempDir(), 'ws.duckdb'), async (ws) => {
    const r = await ingestFile(ws, file, { kind: 'summary' });
    assert.equal(r.dateFormat, 'YYYY-MM-DD');
    assert.equal((r.mapping as { roles: { date: string } }).roles.date, 'date');
  });
});
