/**
 * Issue 22, item 4 over the API: GET /api/presets lists the registry; an upload with `preset` previews
 * the mapped columns; POST /api/datasets with `preset` stores the platform export without a map; a
 * missing required column answers 400 naming the preset and the column (and no CLI flag); the upload
 * preview of a pandas-indexed file carries the index warning.
 */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { PRESET_NAMES } from '../../src/data/index.ts';
import { demoFiles, multipart, testApp } from './helpers.ts';

const DIR = resolve('test/fixtures/presets');
const demo = demoFiles(20, 2);
let app: Awaited<ReturnType<typeof testApp>>['app'];
before(async () => { ({ app } = await testApp(demo.workspace)); });
after(async () => { await app.close(); });

test('GET /api/presets lists every preset with its label', async () => {
  const r = await app.inject({ url: '/api/presets' });
  assert.equal(r.statusCode, 200, r.body);
  assert.deepEqual(r.json().map((p: { name: string }) => p.name), [...PRESET_NAMES]);
  assert.match(r.json()[0].label, /Google Ads/);
});

test('upload and ingest a Meta Ads Manager export with preset meta-ads only', async () => {
  const up = await app.inject({ method: 'POST', url: '/api/uploads?kind=summary&preset=meta-ads', ...multipart('meta_ads_manager.csv', readFileSync(join(DIR, 'meta_ads_manager.csv'))) });
  assert.equal(up.statusCode, 201, up.body);
  const u = up.json();
  assert.equal(u.problem, null);
  const role = (name: string) => u.detection.columns.find((c: { name: string }) => c.name === name)?.role;
  assert.equal(role('Reporting starts'), 'date');
  assert.equal(role('Campaign name'), 'subchannel');
  assert.equal(role('Amount spent (EUR)'), 'meta_spend');
  assert.equal(role('Link clicks'), 'meta_clicks');
  assert.equal(role('Frequency'), 'ignore');
  const r = await app.inject({ method: 'POST', url: '/api/datasets', payload: { upload: u.upload, kind: 'summary', preset: 'meta-ads', name: 'meta' } });
  assert.equal(r.statusCode, 201, r.body);
  assert.equal(r.json().id, 'meta');
  assert.equal(r.json().stored, 4 * 5);
  const ds = (await app.inject({ url: '/api/datasets' })).json().find((d: { id: string }) => d.id === 'meta');
  assert.equal(ds.currency, 'EUR');
});

test('a missing required column is a 400 naming the preset and the column, without a CLI flag', async () => {
  const up = (await app.inject({ method: 'POST', url: '/api/uploads?kind=summary', ...multipart('ga4.csv', 'Day,Session default channel group,Sessions\n20240304,Email,10\n') })).json();
  const r = await app.inject({ method: 'POST', url: '/api/datasets', payload: { upload: up.upload, kind: 'summary', preset: 'ga4' } });
  assert.equal(r.statusCode, 400, r.body);
  assert.match(r.body, /the ga4 preset needs the column 'Date' \(the date of each row\)/);
  assert.doesNotMatch(r.body, /--preset|--map/);
  const bad = await app.inject({ method: 'POST', url: '/api/datasets', payload: { upload: up.upload, kind: 'summary', preset: 'tiktok' } });
  assert.equal(bad.statusCode, 400);
});

test('the upload preview of a pandas-indexed file names the left-out index', async () => {
  const up = await app.inject({ method: 'POST', url: '/api/uploads?kind=summary', ...multipart('indexed.csv', ',date,tv_spend\n0,2024-01-01,10\n1,2024-01-08,20\n') });
  assert.equal(up.statusCode, 201, up.body);
  const notes = up.json().detection.plan.notes as { message: string }[];
  assert.ok(notes.some((n) => /row numbers 0…1 \(a pandas index\); it was left out/.test(n.message)), JSON.stringify(notes));
});
