/**
 * One upload, several roles: a wide file whose columns are each media, outcome, factor, date, geo or
 * ignored is stored as the media, outcome and factors datasets in one transaction — the same data as
 * three separate ingests of the file, nothing stored when any column is bad, refusals naming the column.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { writeFileSync } from 'node:fs';
import { MarginalError } from '../../src/errors.ts';
import { harmonize, ingestByRole, ingestFile, listDatasets, readHarmonized, proposeRoles } from '../../src/data/index.ts';
import { REFERENCE, snapshot, tempDir, tempWorkspace } from './helpers.ts';

const ROBYN = join(REFERENCE, 'robyn/dt_simulated_weekly.csv');

test('Robyn\'s wide file once, roles proposed: the same three datasets and harmonized table as three separate ingests', async () => {
  const ws = await tempWorkspace();
  try {
    const r = await ingestByRole(ws, ROBYN, { name: 'robyn' });
    assert.deepEqual(Object.fromEntries(r.columns.map((c) => [c.name, [c.proposed, c.target]])), {
      DATE: ['date', null], revenue: ['outcome', 'revenue'], tv_S: ['media', 'tv_spend'], ooh_S: ['media', 'ooh_spend'], print_S: ['media', 'print_spend'],
      facebook_I: ['media', 'facebook_impressions'], search_clicks_P: ['media', 'search_clicks'], search_S: ['media', 'search_spend'],
      competitor_sales_B: ['factor', 'competitor_sales_B'], facebook_S: ['media', 'facebook_spend'], events: ['factor', 'events'], newsletter: ['factor', 'newsletter'],
    });
    assert.deepEqual(r.datasets.map((d) => [d.id, d.kind, d.rows]), [['robyn', 'summary', 208], ['robyn-outcome', 'conversions', 208], ['robyn-factors', 'factors', 208]]);
    assert.deepEqual((await listDatasets(ws)).map((d) => [d.id, d.source]).sort(), [['robyn', 'dt_simulated_weekly.csv'], ['robyn-factors', 'dt_simulated_weekly.csv'], ['robyn-outcome', 'dt_simulated_weekly.csv']]);
    await harmonize(ws, { name: 'once', grain: 'week', datasets: ['robyn', 'robyn-outcome', 'robyn-factors'] });
    for (const [kind, name] of [['summary', 'media'], ['conversions', 'kpi'], ['factors', 'ctx']] as const) await ingestFile(ws, ROBYN, { kind, name });
    await harmonize(ws, { name: 'thrice', grain: 'week', datasets: ['media', 'kpi', 'ctx'] });
    const [once, thrice] = [await readHarmonized(ws, 'once'), await readHarmonized(ws, 'thrice')];
    assert.deepEqual(Object.keys(once.columns), Object.keys(thrice.columns));
    assert.deepEqual(once.dates, thrice.dates);
    for (const c of Object.keys(once.columns)) assert.deepEqual([...once.columns[c]], [...thrice.columns[c]], c);
    assert.ok(['revenue', 'tv_spend', 'newsletter', 'events_event2'].every((c) => c in once.columns), Object.keys(once.columns).join(', '));
  } finally { ws.close(); }
});

test('roles given by the user win: a column the detector proposes as a factor becomes an outcome, another is ignored; closed values by geo', async () => {
  const dir = tempDir();
  const file = join(dir, 'wide.csv');
  // `week` is the date; `orders_total` is not an outcome name (the detector proposes a factor); `tv` is spend named without a measure.
  writeFileSync(file, 'week,region,tv_spend,search_clicks,orders_total,temp,note\n2024-01-01,north,10,100,5,3.5,a\n2024-01-08,north,20,200,6,4.5,b\n2024-01-01,south,1,10,7,5.5,a\n2024-01-08,south,2,20,8,6.5,b\n');
  const header = ['week', 'region', 'tv_spend', 'search_clicks', 'orders_total', 'temp', 'note'];
  assert.deepEqual(proposeRoles(header, { header, rows: [['2024-01-01', 'north', '10', '100', '5', '3.5', 'a']], more: false }),
    { week: 'date', region: 'geo', tv_spend: 'media', search_clicks: 'media', orders_total: 'factor', temp: 'factor', note: 'factor' });
  const ws = await tempWorkspace();
  try {
    const r = await ingestByRole(ws, file, { name: 'w', roles: { orders_total: 'outcome', note: 'ignore' }, currency: 'EUR' });
    assert.deepEqual(r.datasets.map((d) => [d.id, d.kind, d.stored]), [['w', 'summary', 8], ['w-outcome', 'conversions', 4], ['w-factors', 'factors', 4]]);
    assert.ok((await listDatasets(ws)).every((d) => d.currency === 'EUR'));
    await harmonize(ws, { name: 'h', grain: 'week' });
    const t = await readHarmonized(ws, 'h');
    assert.deepEqual(t.geos, ['north', 'north', 'south', 'south']);
    assert.deepEqual(Object.keys(t.columns), ['orders_total', 'search_clicks', 'temp', 'tv_spend']);
    assert.deepEqual([...t.columns.orders_total], [5, 6, 7, 8]);
    assert.deepEqual([...t.columns.temp], [3.5, 4.5, 5.5, 6.5]);
    assert.deepEqual([...t.columns.search_clicks], [100, 200, 10, 20]);
  } finally { ws.close(); }
});

test('a bad cell in any column leaves nothing stored (the media dataset written before it is rolled back)', async () => {
  const dir = tempDir();
  const file = join(dir, 'bad.csv');
  writeFileSync(file, 'date,tv_spend,revenue,price\n2024-01-01,10,100,2\n2024-01-08,20,lots,2\n');
  const ws = await tempWorkspace();
  try {
    await ingestFile(ws, join(REFERENCE, 'robyn/dt_simulated_weekly.csv'), { kind: 'summary', name: 'other' });
    const before = await snapshot(ws);
    await assert.rejects(ingestByRole(ws, file, { name: 'bad' }), (e: MarginalError) => {
      assert.equal(e.code, 'BAD_FILE');
      assert.match(e.message, /bad\.csv, row 3, column 'revenue', value 'lots'/);
      return true;
    });
    assert.deepEqual(await snapshot(ws), before);
    assert.deepEqual((await listDatasets(ws)).map((d) => d.id), ['other']);
    // Taken names refuse the whole file too, naming the field and the dataset.
    await assert.rejects(ingestByRole(ws, join(REFERENCE, 'robyn/dt_simulated_weekly.csv'), { name: 'other' }), (e: MarginalError) => e.field === 'name' && /^dataset 'other' already exists; choose another name, or replace it$/.test(e.message));
    assert.deepEqual(await snapshot(ws), before);
  } finally { ws.close(); }
});

test('refusals name the column (as a problem a form shows beside it) and the field', async () => {
  const dir = tempDir();
  const file = join(dir, 'x.csv');
  writeFileSync(file, 'date,day2,tv,revenue,value\n2024-01-01,2024-01-01,1,2,3\n2024-01-08,2024-01-08,1,2,3\n');
  const ws = await tempWorkspace();
  try {
    const cases: [Parameters<typeof ingestByRole>[2], string | undefined, RegExp][] = [
      [{ roles: { tv: 'media' } }, 'tv', /^column 'tv' is media, but its name does not say the channel and the measure: media columns are named like tv_spend/],
      [{ roles: { tv: 'ignore', day2: 'date', date: 'date' } }, 'day2', /^only one column can be the date; 'date' and 'day2' both are$/],
      [{ roles: { tv: 'ignore', date: 'ignore', day2: 'ignore' } }, undefined, /^no column is the date; choose the column that holds the dates/],
      [{ roles: { tv: 'ignore', value: 'outcome' } }, 'value', /^column 'value' cannot be an outcome under that name/],
      [{ roles: { nope: 'media' } }, undefined, /^the file has no column 'nope'; its columns: date, day2, tv, revenue, value$/],
      [{ roles: { tv: 'spend' as 'media' } }, 'tv', /^column 'tv': the role must be one of date, geo, media, outcome, factor, ignore; got 'spend'$/],
      [{ roles: { tv: 'ignore', value: 'ignore' }, name: 'n'.repeat(60) }, undefined, /^the dataset name must be 1–64 letters.*leave room for '-outcome'; got 'n{60}'$/],
    ];
    for (const [opts, column, message] of cases) {
      await assert.rejects(ingestByRole(ws, file, opts), (e: MarginalError) => {
        assert.match(e.message, message);
        assert.equal(e.problems[0]?.column, column, e.message);
        assert.doesNotMatch(e.message, /--[a-z]/);
        return true;
      });
    }
    assert.equal((await listDatasets(ws)).length, 0);
  } finally { ws.close(); }
});
