/** Item 7 on a small synthetic daily file whose weekly and monthly answers are worked out by hand here. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { writeFileSync } from 'node:fs';
import { harmonize, ingestFile, loadHarmonized, readHarmonized, exportHarmonized, readWideTable, withWorkspace } from '../../src/data/index.ts';
import { tempDir, tempWorkspace } from './helpers.ts';

const day = (i: number) => new Date(Date.UTC(2024, 0, 1) + i * 86400000).toISOString().slice(0, 10); // 2024-01-01 is a Monday

test('daily → weekly: spend sums, price averages, missing spend → 0 counted, missing outcome stays null, collinearity warned', async () => {
  const dir = tempDir();
  const media = ['date,tv_spend,radio_spend,search_spend'];
  const outcome = ['date,revenue'];
  const factors = ['date,price'];
  for (let i = 0; i < 28; i++) {
    // radio is tv doubled plus a little noise: nearly collinear. Day 9 has no radio value (empty cell).
    media.push(`${day(i)},${i + 1},${i === 9 ? '' : 2 * (i + 1) + (i % 3)},${(i * 7) % 5}`);
    if (i < 21) outcome.push(`${day(i)},${100 + i}`); // the 4th week has no revenue at all
    factors.push(`${day(i)},${10 + (i % 7)}`);
  }
  writeFileSync(join(dir, 'media.csv'), media.join('\n'));
  writeFileSync(join(dir, 'kpi.csv'), outcome.join('\n'));
  writeFileSync(join(dir, 'price.csv'), factors.join('\n'));
  const ws = await tempWorkspace();
  try {
    await ingestFile(ws, join(dir, 'media.csv'), { kind: 'summary' });
    await ingestFile(ws, join(dir, 'kpi.csv'), { kind: 'conversions' });
    await ingestFile(ws, join(dir, 'price.csv'), { kind: 'factors' });
    const h = await harmonize(ws, { name: 'w', grain: 'week', derive: ['tv_share=tv_spend/(tv_spend+radio_spend)'] });
    const t = await readHarmonized(ws, 'w');
    assert.deepEqual(t.dates, ['2024-01-01', '2024-01-08', '2024-01-15', '2024-01-22']);
    // tv week w: sum of (7w+1 … 7w+7) = 49w + 28
    assert.deepEqual([...t.columns.tv_spend], [28, 77, 126, 175]);
    assert.equal(t.columns.price[0], 13); // mean of 10…16
    assert.deepEqual([...t.columns.revenue].slice(0, 3), [721, 770, 819]);
    assert.ok(Number.isNaN(t.columns.revenue[3]));
    const radio1 = [7, 8, 9, 10, 11, 12, 13].filter((i) => i !== 9).reduce((s, i) => s + 2 * (i + 1) + (i % 3), 0);
    assert.equal(t.columns.radio_spend[1], radio1);
    assert.ok(Math.abs(t.columns.tv_share[0] - 28 / (28 + t.columns.radio_spend[0])) < 1e-12);
    const rev = h.report.columns.find((c) => c.column === 'revenue')!;
    assert.equal(rev.missing, 1);
    assert.ok(h.report.warnings.some((w) => /revenue: 1 of 4 cells are missing; they stay empty/.test(w)));
    assert.ok(h.report.warnings.some((w) => /^(tv and radio|radio and tv) spend are \d\.\d\d correlated: the model will struggle to separate them$/.test(w)), h.report.warnings.join('\n'));
    const share = Object.fromEntries(h.report.spendShare.map((s) => [s.channel, s.share]));
    const total = 406 + t.columns.radio_spend.reduce((a, b) => a + b, 0) + t.columns.search_spend.reduce((a, b) => a + b, 0);
    assert.ok(Math.abs(share.tv - 406 / total) < 1e-4);
    assert.ok(h.report.vif.every((v) => v.vif === null || v.vif >= 1));
    // Monthly: January only has 28 days here, all in one month.
    await harmonize(ws, { name: 'm', grain: 'month', datasets: ['media'] });
    const m = await readHarmonized(ws, 'm');
    assert.deepEqual(m.dates, ['2024-01-01']);
    assert.equal(m.columns.tv_spend[0], 406);
    // Export and read back through readWideTable; loadHarmonized opens the file itself.
    const out = join(dir, 'w.csv');
    await exportHarmonized(ws, 'w', out);
    ws.close();
    const back = await readWideTable(out);
    assert.equal(back.rowCount, 4);
    assert.equal(back.dateColumn, 'date');
    assert.deepEqual(back.columns.tv_spend, [28, 77, 126, 175]);
    assert.equal(back.columns.revenue[3], null);
    const loaded = await loadHarmonized(join(dir, '..', ws.path.split('/').slice(-2).join('/')), 'w');
    assert.equal(loaded.columns.tv_spend[3], 175);
  } finally { ws.close(); }
});

test('weekly input with --week-start sunday, gaps filled with 0 for media, and a from/to window', async () => {
  const dir = tempDir();
  writeFileSync(join(dir, 'm.csv'), 'date,geo,channel,metric,value\n2024-01-01,a,tv,spend,5\n2024-01-15,a,tv,spend,7\n2024-01-01,b,tv,spend,1\n2024-01-08,b,tv,spend,2\n2024-01-15,b,tv,spend,3\n');
  const ws = await tempWorkspace();
  try {
    await ingestFile(ws, join(dir, 'm.csv'), { kind: 'summary' });
    const h = await harmonize(ws, { name: 'g', grain: 'week' });
    const t = await readHarmonized(ws, 'g');
    assert.deepEqual(t.geos, ['a', 'a', 'a', 'b', 'b', 'b']);
    assert.deepEqual([...t.columns.tv_spend], [5, 0, 7, 1, 2, 3]);
    assert.equal(h.report.columns[0].filledWithZero, 1);
    assert.ok(h.report.warnings.some((w) => /tv_spend: 1 missing cells were set to 0/.test(w)));
    await harmonize(ws, { name: 's', grain: 'week', weekStart: 'sunday', from: '2024-01-08', to: '2024-01-20' });
    const s = await readHarmonized(ws, 's');
    assert.deepEqual([...new Set(s.dates)], ['2024-01-07', '2024-01-14']);
    await assert.rejects(harmonize(ws, { name: 'g', grain: 'week' }), /already exists/);
    await assert.rejects(harmonize(ws, { name: 'x', grain: 'day' as 'week' }), /the grain must be week, month or year; got 'day'/);
  } finally { ws.close(); }
});

test('the workspace: transaction rolls back everything on error; reopening sees committed data', async () => {
  const dir = tempDir();
  const path = join(dir, 'w.duckdb');
  await withWorkspace(path, async (ws) => {
    await ws.run('CREATE TABLE models (id VARCHAR)');
    await ws.transaction(async (tx) => { await tx.run(`INSERT INTO models VALUES ('a')`); });
    await assert.rejects(ws.transaction(async (tx) => { await tx.run(`INSERT INTO models VALUES ('b')`); throw new Error('boom'); }), /boom/);
  });
  const ids = await withWorkspace(path, (ws) => ws.all<{ id: string }>('SELECT id FROM models'));
  assert.deepEqual(ids, [{ id: 'a' }]);
});

test('the report computed in SQL equals the one computed from the table in memory (geo data, outliers, gaps, derived column)', async () => {
  const { buildReport } = await import('../../src/data/harmonize/report.ts');
  const dir = tempDir();
  const media = ['date,geo,channel,metric,value'];
  const kpi = ['date,geo,revenue'];
  for (let i = 0; i < 120; i++) {
    for (const g of ['north', 'south', 'east']) {
      const k = g.length + i;
      for (const [c, base] of [['tv', 100], ['radio', 40], ['search', 5]] as const) {
        if (c === 'radio' && g === 'east' && i >= 35 && i < 49) continue; // two weeks with no radio in the east: filled with 0
        const spike = c === 'tv' && g === 'south' && i === 57 ? 5000 : 0; // an outlier week
        media.push(`${day(i)},${g},${c},spend,${base + ((k * 37) % 23) + spike}`);
        media.push(`${day(i)},${g},${c},impressions,${(base + ((k * 11) % 17)) * 1000}`);
      }
      if (!(g === 'north' && i >= 7 && i < 14)) kpi.push(`${day(i)},${g},${500 + ((k * 13) % 29)}`);
    }
  }
  writeFileSync(join(dir, 'media.csv'), media.join('\n'));
  writeFileSync(join(dir, 'kpi.csv'), kpi.join('\n'));
  const ws = await tempWorkspace();
  try {
    await ingestFile(ws, join(dir, 'media.csv'), { kind: 'summary' });
    await ingestFile(ws, join(dir, 'kpi.csv'), { kind: 'conversions' });
    const h = await harmonize(ws, { name: 'g', grain: 'week', derive: ['tv_cpm=tv_spend/tv_impressions*1000'] });
    const t = await readHarmonized(ws, 'g');
    const roleOf = Object.fromEntries(h.report.columns.map((c) => [c.column, c.role]));
    const filled = Object.fromEntries(h.report.columns.map((c) => [c.column, c.filledWithZero]));
    const expected = buildReport(t, roleOf, filled, 'week');
    const norm = (x: unknown): unknown => typeof x === 'number' ? (Number.isFinite(x) ? Number(x.toPrecision(12)) : x) : Array.isArray(x) ? x.map(norm)
      : x && typeof x === 'object' ? Object.fromEntries(Object.entries(x).map(([k, v]) => [k, norm(v)])) : x;
    assert.ok(expected.outliers.length > 0 && expected.outliers.some((o) => o.column === 'tv_spend' && o.geo === 'south'));
    assert.ok(h.report.columns.find((c) => c.column === 'radio_spend')!.filledWithZero === 2);
    assert.ok(h.report.columns.find((c) => c.column === 'revenue')!.missing === 1);
    assert.deepEqual(norm({ ...h.report, warnings: h.report.warnings }), norm(expected));
    assert.equal(h.report.geos, 3);
    assert.equal(h.rows, t.dates.length);
  } finally { ws.close(); }
});

test('a workspace written before rows were stored as codes is migrated on open (observations and harmonized values kept)', async () => {
  const { DuckDBInstance } = await import('@duckdb/node-api');
  const path = join(tempDir(), 'old.duckdb');
  const inst = await DuckDBInstance.create(path);
  const c = await inst.connect();
  await c.run(`CREATE TABLE observations (dataset VARCHAR NOT NULL, date DATE NOT NULL, geo VARCHAR, channel VARCHAR, subchannel VARCHAR, metric VARCHAR NOT NULL, value DOUBLE);
    CREATE TABLE harmonized_values (harmonized VARCHAR NOT NULL, date DATE NOT NULL, geo VARCHAR, "column" VARCHAR NOT NULL, value DOUBLE);
    INSERT INTO observations VALUES ('m', DATE '2024-01-01', NULL, 'tv', NULL, 'spend', 10), ('m', DATE '2024-01-08', NULL, 'tv', NULL, 'spend', 12.5), ('k', DATE '2024-01-01', 'north', NULL, NULL, 'revenue', NULL);
    INSERT INTO harmonized_values VALUES ('w', DATE '2024-01-01', NULL, 'tv_spend', 10), ('w', DATE '2024-01-01', NULL, 'revenue', NULL)`);
  c.closeSync(); inst.closeSync();
  await withWorkspace(path, async (ws) => {
    assert.deepEqual(await ws.all(`SELECT dataset, CAST(date AS VARCHAR) AS date, geo, channel, subchannel, metric, value FROM observations ORDER BY dataset DESC, date`), [
      { dataset: 'm', date: '2024-01-01', geo: null, channel: 'tv', subchannel: null, metric: 'spend', value: 10 },
      { dataset: 'm', date: '2024-01-08', geo: null, channel: 'tv', subchannel: null, metric: 'spend', value: 12.5 },
      { dataset: 'k', date: '2024-01-01', geo: 'north', channel: null, subchannel: null, metric: 'revenue', value: null },
    ]);
    assert.deepEqual(await ws.all(`SELECT harmonized, "column", value FROM harmonized_values ORDER BY "column"`), [
      { harmonized: 'w', column: 'revenue', value: null }, { harmonized: 'w', column: 'tv_spend', value: 10 },
    ]);
    assert.deepEqual((await ws.tables()).filter((t) => /legacy/.test(t)), []);
  });
});
