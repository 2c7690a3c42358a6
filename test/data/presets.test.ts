/**
 * Issue 22, item 4: import presets. Each fixture (test/fixtures/presets, written from the platforms'
 * documented column names, with the title lines, comment blocks and total rows the platforms write)
 * ingests with only its preset: the date parsed (GA4's YYYYMMDD too), the channel
 * from the platform or the export's channel column, spend, impressions, clicks and conversions mapped,
 * thousands separators and currency symbols read, the currency taken from the export, other columns left
 * out with a warning. A missing required column is refused naming the preset and the column.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { join, resolve } from 'node:path';
import { writeFileSync } from 'node:fs';
import { MarginalError } from '../../src/errors.ts';
import { PRESETS, PRESET_NAMES, ingestFile, readWideTable, type Workspace } from '../../src/data/index.ts';
import { tempDir, tempWorkspace } from './helpers.ts';

const DIR = resolve('test/fixtures/presets');
const TODAY = '2025-06-01';

type Row = { date: string; channel: string; subchannel: string | null; metric: string; value: number };
async function rows(ws: Workspace, id: string): Promise<Row[]> {
  return (await ws.all<Row>(`SELECT CAST(date AS VARCHAR) AS date, channel, subchannel, metric, value FROM observations WHERE dataset = ? ORDER BY date, channel, subchannel, metric`, [id]))
    .map((r) => ({ ...r, value: Number(r.value) }));
}
const total = (rs: Row[], metric: string, channel?: string) => rs.filter((r) => r.metric === metric && (!channel || r.channel === channel)).reduce((s, r) => s + r.value, 0);
const currencyOf = async (ws: Workspace, id: string) => ws.value<string>('SELECT currency FROM datasets WHERE id = ?', [id]);

test('the registry lists every preset name once', () => {
  assert.deepEqual(Object.keys(PRESETS).sort(), [...PRESET_NAMES].sort());
});

test('google-ads: campaigns under the channel google_ads; "1,204.37" and "18,412" read; currency from Currency code', async () => {
  const ws = await tempWorkspace();
  try {
    const r = await ingestFile(ws, join(DIR, 'google_ads_campaigns.csv'), { kind: 'summary', preset: 'google-ads', today: TODAY });
    const rs = await rows(ws, r.id);
    assert.deepEqual([...new Set(rs.map((x) => x.channel))], ['google_ads']);
    assert.deepEqual([...new Set(rs.map((x) => x.subchannel))].sort(), ['Brand - Search', 'Generic - Shoes']);
    assert.deepEqual([...new Set(rs.map((x) => x.metric))].sort(), ['clicks', 'conversions', 'impressions', 'revenue', 'spend']);
    assert.deepEqual([...new Set(rs.map((x) => x.date))], ['2024-03-04', '2024-03-05', '2024-03-06']);
    assert.ok(Math.abs(total(rs, 'spend') - (1204.37 + 842.10 + 1187.02 + 866.45 + 1230.88)) < 1e-6);
    assert.equal(total(rs, 'impressions'), 18412 + 22905 + 17960 + 23418 + 18877);
    assert.equal(total(rs, 'clicks'), 1310 + 704 + 1288 + 731 + 1342);
    assert.equal(total(rs, 'conversions'), 61 + 18.5 + 58 + 20 + 63.5);
    assert.equal(await currencyOf(ws, r.id), 'USD');
    assert.equal(r.rows, 6, 'the two Total: rows are not data');
    assert.ok(r.problems.some((p) => p.row === 3 && p.message === 'the 2 lines above the header (a report\'s title, date range or # comments) were left out'), JSON.stringify(r.problems));
    assert.ok(r.problems.some((p) => p.row === 10 && p.message === "2 total rows ('Total: …') below the data were left out"), JSON.stringify(r.problems));
    const left = r.problems.find((p) => /google-ads preset left out/.test(p.message));
    assert.match(left?.message ?? '', /Campaign status, CTR, Avg\. CPC/);
  } finally {
    ws.close();
  }
});

test('meta-ads: Reporting starts as the date, campaigns under meta, Link clicks as clicks, Results as conversions, EUR from the header', async () => {
  const ws = await tempWorkspace();
  try {
    const r = await ingestFile(ws, join(DIR, 'meta_ads_manager.csv'), { kind: 'summary', preset: 'meta-ads', today: TODAY });
    const rs = await rows(ws, r.id);
    assert.deepEqual([...new Set(rs.map((x) => x.channel))], ['meta']);
    assert.deepEqual([...new Set(rs.map((x) => x.date))], ['2024-03-04', '2024-03-05']);
    assert.ok(Math.abs(total(rs, 'spend') - (412.55 + 120.10 + 398.20 + 118.75)) < 1e-6);
    assert.equal(total(rs, 'impressions'), 58210 + 9804 + 55113 + 9650);
    assert.equal(total(rs, 'clicks'), 655 + 201 + 612 + 188);
    assert.equal(total(rs, 'reach'), 41022 + 3120 + 39870 + 3089);
    assert.equal(total(rs, 'conversions'), 14 + 9 + 12 + 8);
    assert.equal(await currencyOf(ws, r.id), 'EUR');
    assert.ok(r.problems.some((p) => /Reporting ends/.test(p.message) && /Frequency/.test(p.message)));
  } finally {
    ws.close();
  }
});

test('ga4: Date written 20240304 is parsed; the channel group is the channel; Key events as conversions', async () => {
  const ws = await tempWorkspace();
  try {
    const r = await ingestFile(ws, join(DIR, 'ga4_traffic_acquisition.csv'), { kind: 'summary', preset: 'ga4', today: TODAY });
    assert.equal(r.dateFormat, 'YYYYMMDD');
    assert.ok(r.problems.some((p) => p.row === 11 && /the 10 lines above the header/.test(p.message)), JSON.stringify(r.problems));
    const rs = await rows(ws, r.id);
    assert.deepEqual([...new Set(rs.map((x) => x.date))], ['2024-03-04', '2024-03-05']);
    assert.deepEqual([...new Set(rs.map((x) => x.channel))].sort(), ['Email', 'Organic Search', 'Paid Search']);
    assert.equal(total(rs, 'sessions', 'Paid Search'), 1210 + 1254);
    assert.equal(total(rs, 'conversions', 'Paid Search'), 41 + 44);
    assert.ok(Math.abs(total(rs, 'revenue', 'Email') - (1020 + 845.5)) < 1e-6);
  } finally {
    ws.close();
  }
});

test('adobe-analytics: Marketing Channel as the channel, Tracking Code as the subchannel, "$9,312.40" and "2,410" read', async () => {
  const ws = await tempWorkspace();
  try {
    const r = await ingestFile(ws, join(DIR, 'adobe_marketing_channels.csv'), { kind: 'summary', preset: 'adobe-analytics', today: TODAY });
    const rs = await rows(ws, r.id);
    assert.deepEqual([...new Set(rs.map((x) => x.channel))].sort(), ['Display', 'Paid Search']);
    assert.deepEqual([...new Set(rs.map((x) => x.subchannel))].sort(), ['dsp_spring_01', 'ps_brand_2024']);
    assert.equal(total(rs, 'visits', 'Paid Search'), 2410 + 2388);
    assert.equal(total(rs, 'conversions'), 88 + 12 + 91 + 10);
    assert.ok(Math.abs(total(rs, 'revenue', 'Paid Search') - (9312.40 + 9660.15)) < 1e-6);
    assert.ok(Math.abs(total(rs, 'revenue', 'Display') - (1044 + 870)) < 1e-6);
  } finally {
    ws.close();
  }
});

test('a preset refuses a file without its required column, naming the preset and the column', async () => {
  const file = join(tempDir(), 'no_cost.csv');
  writeFileSync(file, 'Day,Campaign,Impr.,Clicks\n2024-03-04,Brand,100,10\n');
  const noDate = join(tempDir(), 'no_date.csv');
  writeFileSync(noDate, 'Week,Session default channel group,Sessions\n2024-03-04,Email,10\n');
  const ws = await tempWorkspace();
  try {
    await assert.rejects(ingestFile(ws, file, { kind: 'summary', preset: 'google-ads', today: TODAY }), (e: unknown) => {
      assert.ok(e instanceof MarginalError);
      assert.equal(e.code, 'BAD_FILE');
      assert.match(e.message, /the google-ads preset needs the column 'Cost' \(spend\); the file's columns: Day, Campaign, Impr\., Clicks/);
      return true;
    });
    await assert.rejects(ingestFile(ws, noDate, { kind: 'summary', preset: 'ga4', today: TODAY }), /the ga4 preset needs the column 'Date' \(the date of each row\)/);
    await assert.rejects(ingestFile(ws, file, { kind: 'summary', preset: 'tiktok' as 'ga4', today: TODAY }), /unknown import preset 'tiktok'; the presets are google-ads, meta-ads, ga4, adobe-analytics/);
    assert.equal(Number(await ws.value('SELECT count(*) FROM datasets')), 0);
  } finally {
    ws.close();
  }
});

test('below an export\'s comment block a bad cell is named by its line in the file', async () => {
  const file = join(tempDir(), 'ga4_bad.csv');
  writeFileSync(file, '# Traffic acquisition\n# Start date: 20240304\n\nDate,Session default channel group,Sessions\n20240304,Email,10\n20240305,Email,n/a\n');
  const ws = await tempWorkspace();
  try {
    await assert.rejects(ingestFile(ws, file, { kind: 'summary', preset: 'ga4', today: TODAY }), (e: unknown) => {
      assert.ok(e instanceof MarginalError);
      const p = e.problems.find((x) => x.severity !== 'warning');
      assert.equal(p?.row, 6);
      assert.equal(p?.column, 'Sessions');
      assert.equal(p?.value, 'n/a');
      assert.match(p?.message ?? '', /is not a number in the chosen number format/);
      return true;
    });
  } finally {
    ws.close();
  }
});

test('the model file reader skips the lines above the header too', async () => {
  const t = await readWideTable(join(DIR, 'ga4_traffic_acquisition.csv'));
  assert.equal(t.dateColumn, 'Date');
  assert.equal(t.columns.Date[0], '2024-03-04');
  assert.equal(t.lines[0], 12);
  assert.match(t.notes[0].message, /the 10 lines above the header/);
});
