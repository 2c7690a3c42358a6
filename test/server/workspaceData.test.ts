/**
 * The no-code data routes: one wide upload by role (proposed roles, changed, stored as three datasets
 * in one transaction, nothing on a bad column), each dataset's columns, harmonize by choice with its
 * preview (nothing stored) and refusals that carry the field they are about.
 */
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import type { FastifyInstance } from 'fastify';
import { demoFiles, ingestVia, multipart, testApp } from './helpers.ts';

const demo = demoFiles(60, 3);
const channels = demo.sim.truth.channels.map((c) => c.name);
let app: FastifyInstance;

before(async () => { ({ app } = await testApp(demo.workspace)); });
after(async () => { await app.close(); });

const upload = async (name: string, content: string | Buffer, kind = 'mixed') => {
  const r = await app.inject({ method: 'POST', url: `/api/uploads?kind=${kind}`, ...multipart(name, content) });
  assert.equal(r.statusCode, 201, r.body);
  return r.json();
};
const ids = async () => ((await app.inject({ url: '/api/datasets' })).json() as { id: string }[]).map((d) => d.id).sort();

test('a wide file uploaded once: roles proposed, one changed, three datasets stored; a bad cell stores nothing', async () => {
  const up = await upload('wide.csv', readFileSync(demo.files.data));
  assert.equal(up.detection, null);
  const proposed = Object.fromEntries(up.roles.columns.map((c: { name: string; role: string }) => [c.name, c.role]));
  assert.equal(proposed.date, 'date');
  assert.equal(proposed.revenue, 'outcome');
  assert.equal(proposed.price, 'factor');
  assert.equal(proposed[`${channels[0]}_spend`], 'media');
  assert.deepEqual(up.roles.datasets.map((d: { suffix: string; kind: string }) => [d.suffix, d.kind]), [['', 'summary'], ['-outcome', 'conversions'], ['-factors', 'factors']]);

  // Impressions of the first channel ignored: the preview follows, then the ingest.
  const roles = { [`${channels[0]}_impressions`]: 'ignore' };
  const seen = (await app.inject({ method: 'POST', url: `/api/uploads/${up.upload}/roles`, payload: { roles } })).json();
  assert.equal(seen.columns.find((c: { name: string }) => c.name === `${channels[0]}_impressions`).role, 'ignore');
  assert.equal(seen.columns.find((c: { name: string }) => c.name === `${channels[0]}_impressions`).proposed, 'media');
  const r = await app.inject({ method: 'POST', url: '/api/datasets/by-role', payload: { upload: up.upload, name: 'shop', roles, currency: 'USD' } });
  assert.equal(r.statusCode, 201, r.body);
  assert.deepEqual(r.json().datasets.map((d: { id: string; kind: string; rows: number }) => [d.id, d.kind, d.rows]), [['shop', 'summary', 60], ['shop-outcome', 'conversions', 60], ['shop-factors', 'factors', 60]]);
  const media = (await app.inject({ url: '/api/datasets/shop/columns' })).json();
  assert.deepEqual(media.columns.map((c: { name: string }) => c.name), [...channels.flatMap((c, i) => (i ? [`${c}_impressions`, `${c}_spend`] : [`${c}_spend`]))].sort());
  assert.deepEqual([media.role, media.geo, media.harmonizable], ['media', false, true]);

  // A bad revenue cell: refused with its row and column, and not one of the three datasets is stored.
  const lines = readFileSync(demo.files.data, 'utf8').split('\n');
  const col = lines[0].split(',').indexOf('revenue');
  lines[5] = lines[5].split(',').map((v, j) => (j === col ? 'n/a?' : v)).join(',');
  const bad = await upload('bad.csv', lines.join('\n'));
  const before = await ids();
  const refused = await app.inject({ method: 'POST', url: '/api/datasets/by-role', payload: { upload: bad.upload, name: 'bad' } });
  assert.equal(refused.statusCode, 400, refused.body);
  assert.match(refused.json().detail, /bad\.csv, row 6, column 'revenue', value 'n\/a\?'/);
  assert.deepEqual(await ids(), before);
  // A refused role names its column (problems) and the field.
  const odd = await app.inject({ method: 'POST', url: `/api/uploads/${bad.upload}/roles`, payload: { roles: { price: 'media' } } });
  assert.equal(odd.statusCode, 400);
  assert.equal(odd.json().field, 'roles');
  assert.equal(odd.json().problems[0].column, 'price');
});

test('harmonize by choice: columns per dataset, preview stores nothing, overlap rules, refusals with their field', async () => {
  for (const [file, kind, name] of [[demo.files.media, 'summary', 'media'], [demo.files.sales, 'conversions', 'sales'], [demo.files.factors, 'factors', 'factors']] as const) {
    assert.equal((await ingestVia(app, file, kind, name)).statusCode, 201);
  }
  const tv = `${channels[0]}_spend`;
  const body = { name: 'weekly', grain: 'week', datasets: [{ id: 'media', columns: [tv] }, 'sales'], rows: 4 };
  const list = async () => (await app.inject({ url: '/api/harmonized' })).json();
  const before = await list();
  const p = await app.inject({ method: 'POST', url: '/api/harmonized/preview', payload: body });
  assert.equal(p.statusCode, 200, p.body);
  const preview = p.json();
  assert.deepEqual(preview.columns.map((c: { name: string; role: string; datasets: string[] }) => [c.name, c.role, c.datasets]), [['date', 'date', []], ['revenue', 'outcome', ['sales']], [tv, 'media', ['media']]]);
  assert.equal(preview.sample.length, 4);
  assert.equal(preview.rows, 60);
  assert.equal(preview.sample[0][tv], Number(demo.sim.rows[0][demo.sim.columns.indexOf(tv)]));
  assert.deepEqual(await list(), before, 'the preview stored nothing');
  assert.equal((await app.inject({ url: '/api/harmonized/weekly' })).statusCode, 404);
  const { rows: _rows, ...save } = body;
  assert.equal((await app.inject({ method: 'POST', url: '/api/harmonized', payload: save })).statusCode, 201);

  // The same column from two datasets (the wide file's media and `media`): refused, then summed or by priority.
  const both = { name: 'both', grain: 'week', datasets: ['media', 'shop'] };
  const clash = await app.inject({ method: 'POST', url: '/api/harmonized/preview', payload: both });
  assert.equal(clash.statusCode, 409);
  assert.equal(clash.json().field, 'overlap');
  const shared = [...channels.slice(1).flatMap((c) => [`${c}_impressions`, `${c}_spend`]), tv].sort();
  assert.equal(clash.json().detail, `column '${shared[0]}' has values from both 'media' and 'shop' for the same periods (and 4 more columns: ${shared.slice(1).join(', ')}); choose how to combine them: add them up (sum), or take the first dataset's value in the order given (priority); or leave the column out of all but one dataset`);
  const summed = (await app.inject({ method: 'POST', url: '/api/harmonized/preview', payload: { ...both, overlap: 'sum', rows: 1 } })).json();
  assert.equal(summed.sample[0][tv], 2 * Number(preview.sample[0][tv]));
  const first = (await app.inject({ method: 'POST', url: '/api/harmonized/preview', payload: { ...both, overlap: 'priority', rows: 1 } })).json();
  assert.equal(first.sample[0][tv], preview.sample[0][tv]);
  // The wide file's media left out the first channel's impressions: they come from \`media\` alone, not doubled by sum.
  const imp = `${channels[0]}_impressions`;
  assert.equal(summed.sample[0][imp], Number(demo.sim.rows[0][demo.sim.columns.indexOf(imp)]));

  // Refusals carry their field: a taken name, an unknown column, a body error, an unknown key.
  const taken = await app.inject({ method: 'POST', url: '/api/harmonized/preview', payload: { name: 'weekly', grain: 'week' } });
  assert.deepEqual([taken.statusCode, taken.json().field], [409, 'name']);
  assert.match(taken.json().detail, /^the name 'weekly' is taken/);
  const unknown = await app.inject({ method: 'POST', url: '/api/harmonized', payload: { name: 'x', grain: 'week', datasets: [{ id: 'sales', columns: ['profit'] }] } });
  assert.deepEqual([unknown.statusCode, unknown.json().field, unknown.json().detail], [400, 'datasets', "dataset 'sales' has no column 'profit'; its columns: revenue"]);
  const grain = await app.inject({ method: 'POST', url: '/api/harmonized/preview', payload: { name: 'x', grain: 'day' } });
  assert.deepEqual([grain.statusCode, grain.json().field], [400, 'grain']);
  assert.equal((await app.inject({ method: 'POST', url: '/api/harmonized/preview', payload: { name: 'x', grain: 'week', sql: 'DROP TABLE models' } })).statusCode, 400);
  const dates = await app.inject({ method: 'POST', url: '/api/harmonized/preview', payload: { name: 'x', grain: 'week', from: '2024-05-01', to: '2024-01-01' } });
  assert.deepEqual([dates.statusCode, dates.json().field, dates.json().detail], [400, 'to', 'the end date 2024-01-01 is before the start date 2024-05-01']);
  for (const r of [taken, unknown, grain, dates, clash]) assert.doesNotMatch(r.json().detail, /--[a-z]/);
});
