/**
 * Item 8: every reference data set ingests and harmonizes; row counts and per-column sums match a
 * naive parse of the raw file made here, independently of the ingest code.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { harmonize, ingestFile, readHarmonized } from '../../src/data/index.ts';
import { REFERENCE, close, columnSum, naiveCsv, snapshot, sumOf, tempWorkspace } from './helpers.ts';

test('PyMC-Marketing mmm_example: wide summary/conversions/factors with --map, weekly harmonize keeps every sum', async () => {
  const file = join(REFERENCE, 'pymc_marketing/mmm_example.csv');
  const raw = naiveCsv(file);
  const ws = await tempWorkspace();
  try {
    const s = await ingestFile(ws, file, { kind: 'summary', name: 'pm-media', map: { x1: 'x1_spend', x2: 'x2_spend' } });
    assert.equal(s.rows, 179);
    assert.equal(s.stored, 179 * 2);
    await ingestFile(ws, file, { kind: 'conversions', name: 'pm-y', map: { y: 'revenue' } });
    await ingestFile(ws, file, { kind: 'factors', name: 'pm-f', map: { y: 'ignore', x1: 'ignore', x2: 'ignore' } });
    const h = await harmonize(ws, { name: 'pm', grain: 'week' });
    assert.equal(h.rows, 179);
    const t = await readHarmonized(ws, 'pm');
    assert.equal(t.geos, null);
    assert.equal(t.dates[0], '2018-04-02');
    assert.equal(t.dates.at(-1), '2021-08-30');
    for (const [col, src] of [['x1_spend', 'x1'], ['x2_spend', 'x2'], ['revenue', 'y'], ['event_1', 'event_1'], ['event_2', 'event_2'], ['dayofyear', 'dayofyear'], ['t', 't']]) {
      assert.ok(close(sumOf(t.columns[col]), columnSum(raw, src)), `${col}: ${sumOf(t.columns[col])} vs ${columnSum(raw, src)}`);
    }
  } finally { ws.close(); }
});

test('Robyn dt_simulated_weekly: suffix detection (_S, _I, _P), categorical events, sums', async () => {
  const file = join(REFERENCE, 'robyn/dt_simulated_weekly.csv');
  const raw = naiveCsv(file);
  const ws = await tempWorkspace();
  try {
    const s = await ingestFile(ws, file, { kind: 'summary', name: 'r-media' });
    assert.deepEqual(s.mapping.series, [
      { source: 'tv_S', channel: 'tv', metric: 'spend' }, { source: 'ooh_S', channel: 'ooh', metric: 'spend' },
      { source: 'print_S', channel: 'print', metric: 'spend' }, { source: 'facebook_I', channel: 'facebook', metric: 'impressions' },
      { source: 'search_clicks_P', channel: 'search', metric: 'clicks' }, { source: 'search_S', channel: 'search', metric: 'spend' },
      { source: 'facebook_S', channel: 'facebook', metric: 'spend' },
    ]);
    await ingestFile(ws, file, { kind: 'conversions', name: 'r-rev' });
    await ingestFile(ws, file, { kind: 'factors', name: 'r-ctx', metricKinds: { newsletter: 'sum' } });
    const h = await harmonize(ws, { name: 'robyn', grain: 'week' });
    assert.equal(h.rows, 208);
    const t = await readHarmonized(ws, 'robyn');
    const pairs: [string, string][] = [['tv_spend', 'tv_S'], ['ooh_spend', 'ooh_S'], ['print_spend', 'print_S'], ['facebook_impressions', 'facebook_I'],
      ['search_clicks', 'search_clicks_P'], ['search_spend', 'search_S'], ['facebook_spend', 'facebook_S'], ['revenue', 'revenue'],
      ['competitor_sales_B', 'competitor_sales_B'], ['newsletter', 'newsletter']];
    for (const [col, src] of pairs) assert.ok(close(sumOf(t.columns[col]), columnSum(raw, src)), col);
    const ev = raw.header.indexOf('events');
    assert.equal(sumOf(t.columns.events_event1), raw.rows.filter((r) => r[ev] === 'event1').length);
    assert.equal(sumOf(t.columns.events_event2), raw.rows.filter((r) => r[ev] === 'event2').length);
    // Monthly: coarser than asked is fine; sums of additive columns are unchanged.
    const m = await harmonize(ws, { name: 'robyn-m', grain: 'month' });
    const tm = await readHarmonized(ws, 'robyn-m');
    assert.equal(m.grain, 'month');
    assert.ok(tm.dates.every((d) => d.endsWith('-01')));
    assert.ok(close(sumOf(tm.columns.tv_spend), columnSum(raw, 'tv_S')));
  } finally { ws.close(); }
});

for (const name of ['national_media', 'geo_media']) {
  test(`Meridian ${name}: ingests and harmonizes with matching sums`, async () => {
    const file = join(REFERENCE, `meridian/${name}.csv`);
    const raw = naiveCsv(file);
    const ws = await tempWorkspace();
    try {
      const s = await ingestFile(ws, file, { kind: 'summary', name: 'm-media' });
      assert.equal(s.rows, name === 'geo_media' ? 3120 : 156);
      await ingestFile(ws, file, { kind: 'conversions', name: 'm-kpi' });
      await ingestFile(ws, file, { kind: 'factors', name: 'm-ctx' });
      await harmonize(ws, { name: 'm', grain: 'week' });
      const t = await readHarmonized(ws, 'm');
      assert.equal(t.dates.length, raw.rows.length);
      if (name === 'geo_media') {
        assert.equal(new Set(t.geos).size, 20);
        assert.deepEqual(t.geos!.slice(0, 2), ['Geo0', 'Geo0']);
      } else assert.equal(t.geos, null);
      for (let c = 0; c < 4; c++) {
        assert.ok(close(sumOf(t.columns[`Channel${c}_spend`]), columnSum(raw, `Channel${c}_spend`)));
        assert.ok(close(sumOf(t.columns[`Channel${c}_impressions`]), columnSum(raw, `Channel${c}_impression`)));
      }
      for (const col of ['conversions', 'revenue_per_conversion', 'competitor_activity_score_control', 'sentiment_score_control']) {
        assert.ok(close(sumOf(t.columns[col]), columnSum(raw, col)), col);
      }
    } finally { ws.close(); }
  });
}

test('Meridian geo data aggregated to national match the national file; mixing refuses unless asked', async () => {
  const ws = await tempWorkspace();
  try {
    await ingestFile(ws, join(REFERENCE, 'meridian/geo_media.csv'), { kind: 'summary', name: 'geo-media' });
    await ingestFile(ws, join(REFERENCE, 'meridian/national_media.csv'), { kind: 'conversions', name: 'nat-kpi', map: { revenue_per_conversion: 'ignore' } });
    const before = await snapshot(ws);
    await assert.rejects(harmonize(ws, { name: 'mix', grain: 'week' }), /geo mismatch: 'geo-media' is by geo but 'nat-kpi' is national; choose to aggregate the geos to national/);
    assert.deepEqual(await snapshot(ws), before);
    await harmonize(ws, { name: 'mix', grain: 'week', geo: 'aggregate' });
    const t = await readHarmonized(ws, 'mix');
    assert.equal(t.geos, null);
    assert.equal(t.dates.length, 156);
    const nat = naiveCsv(join(REFERENCE, 'meridian/national_media.csv'));
    const j = nat.header.indexOf('Channel0_spend');
    for (let i = 0; i < 156; i++) assert.ok(close(t.columns.Channel0_spend[i], Number(nat.rows[i][j]), 1e-6), `week ${i}`);
  } finally { ws.close(); }
});

test('touchpoint journeys (generated file): 63,548 events; weekly counts per channel add up to the impressions and conversions', async () => {
  const file = join(REFERENCE, 'attribution/touchpoint_journeys.csv');
  const raw = naiveCsv(file);
  const ws = await tempWorkspace();
  try {
    const r = await ingestFile(ws, file, { kind: 'touchpoints', name: 'tp' });
    assert.equal(r.layout, 'events');
    assert.equal(r.rows, 63548);
    assert.deepEqual(r.mapping.roles, { journey_id: 'customer_id', timestamp: 'time', channel: 'channel', interaction: 'interaction', conversion: 'conversion', value: 'conversion_value' });
    await harmonize(ws, { name: 'tpw', grain: 'week' });
    const t = await readHarmonized(ws, 'tpw');
    const it = raw.header.indexOf('interaction');
    const ch = raw.header.indexOf('channel');
    for (const channel of ['Facebook', 'Paid Search', 'Online Video', 'Instagram', 'Online Display']) {
      const n = raw.rows.filter((x) => x[it] === 'impression' && x[ch] === channel).length;
      assert.equal(sumOf(t.columns[`${channel.replace(' ', '_')}_touchpoints`]), n, channel);
    }
    const conv = raw.rows.filter((x) => x[it] === 'conversion');
    assert.equal(sumOf(t.columns.touchpoint_conversions), conv.length);
    assert.ok(close(sumOf(t.columns.touchpoint_conversion_value), conv.reduce((s, x) => s + Number(x[raw.header.indexOf('conversion_value')]), 0)));
  } finally { ws.close(); }
});

test('the generated journey file is what scripts/generate-journeys.mjs writes, byte for byte', () => {
  const r = spawnSync(process.execPath, [join(REFERENCE, '../../scripts/generate-journeys.mjs'), '--out', '-'], { encoding: 'utf8', maxBuffer: 64 << 20 });
  assert.equal(r.status, 0, r.stderr);
  assert.ok(r.stdout === readFileSync(join(REFERENCE, 'attribution/touchpoint_journeys.csv'), 'utf8'), 'the committed file differs from the generator output: run node scripts/generate-journeys.mjs');
  assert.match(r.stderr, /^63548 rows, 8000 customers, 1638 converting;/);
});

test('aggregated path file is stored as-is (10,000 paths) and cannot be harmonized', async () => {
  const file = join(REFERENCE, 'attribution/channelattribution_paths.csv');
  const raw = naiveCsv(file, ';');
  const ws = await tempWorkspace();
  try {
    const r = await ingestFile(ws, file, { kind: 'touchpoints', name: 'paths' });
    assert.equal(r.layout, 'paths');
    assert.equal(r.rows, 10000);
    const sums = await ws.all<{ c: number; v: number; n: number; k: number }>(`SELECT sum(conversions) AS c, sum(value) AS v, sum(nulls) AS n, count(*) AS k FROM touchpoint_paths WHERE dataset = 'paths'`);
    assert.equal(sums[0].k, 10000);
    assert.ok(close(sums[0].c, columnSum(raw, 'total_conversions')));
    assert.ok(close(sums[0].v, columnSum(raw, 'total_conversion_value')));
    assert.ok(close(sums[0].n, columnSum(raw, 'total_null')));
    const first = await ws.all<{ path: string }>(`SELECT path FROM touchpoint_paths WHERE dataset = 'paths' LIMIT 1`);
    assert.equal(first[0].path, raw.rows[0][0]);
    await assert.rejects(harmonize(ws, { name: 'h', grain: 'week', datasets: ['paths'] }), /aggregated paths\) and cannot be harmonized/);
  } finally { ws.close(); }
});
