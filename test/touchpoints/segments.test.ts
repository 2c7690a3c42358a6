/**
 * Segments end to end: a touchpoint file whose customers carry a device (simulated with known
 * segment effects), ingested with the column given the role segment; the CLI's segment table and
 * segment audience, the API's job, attribute listing and audience — and the errors a user meets.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { segmentedCsv } from './segmentedCsv.ts';
import { multipart, testApp, waitJob } from '../server/helpers.ts';

const repo = fileURLToPath(new URL('../../', import.meta.url));
const cli = (ws: string, ...args: string[]) => spawnSync(process.execPath, ['--import', 'tsx', join(repo, 'src/cli/main.ts'), '--workspace', ws, ...args], { encoding: 'utf8', cwd: repo });

test('CLI: segments declared at ingest; incremental conversions per segment and segment × channel; a segment audience', () => {
  const dir = mkdtempSync(join(tmpdir(), 'marginal-seg-'));
  try {
    const ws = join(dir, 'ws.duckdb'), file = join(dir, 'journeys.csv');
    const { csv, devices } = segmentedCsv(6000);
    writeFileSync(file, csv);
    const ing = cli(ws, '--create', 'ingest', file, '--kind', 'touchpoints', '--name', 'tp', '--map', 'device=segment');
    assert.equal(ing.status, 0, ing.stderr);
    const r = cli(ws, 'touchpoints', '--data', 'tp', '--method', 'linear', '--segment', 'device', '--json');
    assert.equal(r.status, 0, r.stderr);
    const seg = JSON.parse(r.stdout).segments;
    assert.equal(seg.attribute, 'device');
    assert.deepEqual(seg.levels.map((l: { segment: string }) => l.segment).sort(), ['desktop', 'mobile', 'tablet']);
    assert.equal(seg.cells.length, 9);
    const customers = seg.levels.reduce((a: number, l: { customers: number }) => a + l.customers, 0);
    assert.equal(customers, devices.size);
    for (const x of [...seg.levels.map((l: { incremental: unknown }) => l.incremental), ...seg.cells.map((c: { incremental: unknown }) => c.incremental)]) {
      assert.ok(x.lower <= x.estimate + 1e-9 && x.estimate <= x.upper + 1e-9 && x.lower >= 0, JSON.stringify(x));
    }
    assert.deepEqual(seg.levels.map((l: { rank: number }) => l.rank).sort(), [1, 2, 3]);
    // Display moves desktop customers most (β 1.2 against 0.2 on mobile): its effect per exposed customer says so.
    const per = (s: string, c: string) => seg.cells.find((x: { segment: string; channel: string }) => x.segment === s && x.channel === c).perExposed.estimate;
    assert.ok(per('desktop', 'display') > 2 * per('mobile', 'display'), `${per('desktop', 'display')} vs ${per('mobile', 'display')}`);
    assert.ok(per('mobile', 'email') > 2 * per('desktop', 'email'), `${per('mobile', 'email')} vs ${per('desktop', 'email')}`);

    const text = cli(ws, 'touchpoints', '--data', 'tp', '--segment', 'device');
    assert.equal(text.status, 0, text.stderr);
    assert.match(text.stdout, /incremental conversions by device/);
    assert.match(text.stdout, /1\. desktop/);

    // The report: one HTML page with the segment section, its intervals and the heat-map.
    const report = join(dir, 'report.html');
    const rep = cli(ws, 'touchpoints', '--data', 'tp', '--method', 'incremental', '--segment', 'device', '--report', report);
    assert.equal(rep.status, 0, rep.stderr);
    const html = readFileSync(report, 'utf8');
    assert.match(html, /<h2>Segments by device<\/h2>/);
    assert.match(html, /<h2>Journeys at a glance<\/h2>/);
    assert.match(html, /Caused by the touches/);
    assert.ok(!/<script/.test(html), 'no script: the report opens anywhere');

    const out = join(dir, 'mobile.csv');
    const a = cli(ws, 'touchpoints', '--data', 'tp', '--audience-segment', 'device=mobile', '--audience-out', out, '--hash');
    assert.equal(a.status, 0, a.stderr);
    const rows = readFileSync(out, 'utf8').trim().split('\n');
    assert.equal(rows[0], 'hashed_id,device');
    assert.equal(rows.length - 1, [...devices.values()].filter((d) => d === 'mobile').length);
    assert.match(rows[1], /^[0-9a-f]{64},mobile$/);

    const bad = cli(ws, 'touchpoints', '--data', 'tp', '--segment', 'region');
    assert.notEqual(bad.status, 0);
    assert.match(bad.stderr, /no customer attribute 'region'; attributes: device/);
    const badValue = cli(ws, 'touchpoints', '--data', 'tp', '--audience-segment', 'device=watch', '--audience-out', out);
    assert.notEqual(badValue.status, 0);
    assert.match(badValue.stderr, /has device 'watch'; values: desktop, mobile, tablet/);
  } finally { rmSync(dir, { recursive: true, force: true }); }
});

test('API: a scoring job with a segment, the dataset\'s attributes and a segment audience; a missing attribute is a 400 on its field', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'marginal-seg-api-'));
  const { app } = await testApp(join(dir, 'ws.duckdb'));
  try {
    const { csv, devices } = segmentedCsv(3000);
    const up = await app.inject({ method: 'POST', url: '/api/uploads?kind=touchpoints', ...multipart('journeys.csv', csv) });
    assert.equal(up.statusCode, 201, up.body);
    // The upload's preview says which column is a segment once it is given the role.
    const det = await app.inject({ method: 'POST', url: `/api/uploads/${up.json().upload}/detect`, payload: { kind: 'touchpoints', map: { device: 'segment' } } });
    assert.equal(det.statusCode, 200, det.body);
    assert.equal(det.json().columns.find((c: { name: string }) => c.name === 'device').role, 'segment');
    const ing = await app.inject({ method: 'POST', url: '/api/datasets', payload: { upload: up.json().upload, kind: 'touchpoints', name: 'tp', map: { device: 'segment' } } });
    assert.equal(ing.statusCode, 201, ing.body);
    const attrs = (await app.inject({ url: '/api/datasets/tp/segments' })).json();
    assert.equal(attrs[0].attribute, 'device');
    assert.equal(attrs[0].levels.reduce((a: number, l: { customers: number }) => a + l.customers, 0), devices.size);

    const r = await app.inject({ method: 'POST', url: '/api/touchpoints', payload: { data: 'tp', methods: ['incremental', 'linear'], segment: 'device' } });
    assert.equal(r.statusCode, 202, r.body);
    const done = await waitJob(app, r.json().id, 120_000);
    assert.equal(done.status, 'succeeded', JSON.stringify(done.error));
    const seg = done.result.segments;
    assert.equal(seg.levels.length, 3);
    assert.equal(seg.cells.length, 9);
    // With the incremental method scored, each top path says what its touches caused.
    assert.ok(done.result.topPaths.every((p: { incremental?: number }) => typeof p.incremental === 'number' && p.incremental >= 0));

    // The per-touch scores, streamed: wide CSV (a pair of columns per method), the long shape, Parquet.
    const wide = await app.inject({ url: `/api/touchpoints/${done.id}/scores` });
    assert.equal(wide.statusCode, 200, wide.body);
    const lines0 = wide.body.trim().split('\n');
    const head = lines0[0].split(',');
    assert.deepEqual(head.slice(-4), ['incremental', 'incremental_value', 'linear', 'linear_value']);
    assert.equal(lines0.length - 1, done.result.touches);
    const linear = head.indexOf('linear');
    const credited = lines0.slice(1).reduce((t, l) => t + Number(l.split(',')[linear]), 0);
    assert.ok(Math.abs(credited - done.result.summaries[1].totalConversions) < 1e-6 * credited, `${credited} vs ${done.result.summaries[1].totalConversions}`);
    const long = await app.inject({ url: `/api/touchpoints/${done.id}/scores?shape=long` });
    assert.equal(long.statusCode, 200, long.body);
    const longLines = long.body.trim().split('\n');
    assert.deepEqual(longLines[0].split(',').slice(-3), ['method', 'credit', 'credit_value']);
    assert.equal(longLines.length - 1, 2 * done.result.touches);
    const pq = await app.inject({ url: `/api/touchpoints/${done.id}/scores?format=parquet` });
    assert.equal(pq.statusCode, 200);
    assert.equal(pq.rawPayload.subarray(0, 4).toString(), 'PAR1');
    assert.equal((await app.inject({ url: `/api/touchpoints/${done.id}/scores?format=xlsx` })).statusCode, 400);

    const rep = await app.inject({ url: `/api/touchpoints/${done.id}/report` });
    assert.equal(rep.statusCode, 200);
    assert.match(rep.body, /<h1>Journeys in tp<\/h1>/);
    assert.match(rep.body, /<h2>Segments by device<\/h2>/);

    const aud = await app.inject({ url: '/api/datasets/tp/audience?attribute=device&value=tablet' });
    assert.equal(aud.statusCode, 200, aud.body);
    assert.match(String(aud.headers['content-disposition']), /audience-device-tablet\.csv/);
    const lines = aud.body.trim().split('\n');
    assert.equal(lines[0], 'customer_id,device');
    assert.equal(lines.length - 1, [...devices.values()].filter((d) => d === 'tablet').length);

    const bad = await app.inject({ method: 'POST', url: '/api/touchpoints', payload: { data: 'tp', segment: 'region' } });
    assert.equal(bad.statusCode, 400, bad.body);
    assert.match(bad.body, /no customer attribute 'region'/);
    assert.equal(bad.json().problems?.[0]?.field ?? bad.json().field, 'segment');
    assert.equal((await app.inject({ url: '/api/datasets/tp/audience?attribute=device&value=watch' })).statusCode, 400);

    // An attribute with more values than segments can be modelled: listed with its count, refused for a segment analysis.
    const tiers = ['customer_id,time,channel,conversion,tier', ...Array.from({ length: 60 }, (_, i) => `c${i},2024-03-0${1 + (i % 9)}T10:00:00Z,search,${i % 3 === 0 ? 1 : 0},t${i % 25}`)].join('\n');
    const up2 = await app.inject({ method: 'POST', url: '/api/uploads?kind=touchpoints', ...multipart('tiers.csv', `${tiers}\n`) });
    assert.equal((await app.inject({ method: 'POST', url: '/api/datasets', payload: { upload: up2.json().upload, kind: 'touchpoints', name: 'tiers', map: { tier: 'segment' } } })).statusCode, 201);
    const listed = (await app.inject({ url: '/api/datasets/tiers/segments' })).json();
    assert.equal(listed[0].values, 25);
    const many = await app.inject({ method: 'POST', url: '/api/touchpoints', payload: { data: 'tiers', segment: 'tier' } });
    assert.equal(many.statusCode, 400, many.body);
    assert.match(many.json().detail, /has 25 values; a segment analysis takes at most 20/);
  } finally { await app.close(); rmSync(dir, { recursive: true, force: true }); }
});
