/**
 * Harmonize by choice, on weekly files small enough to work out by hand: chosen datasets and columns,
 * the overlap rules (refused by default, `sum`, `priority` in the order given), the preview that
 * stores nothing, and messages that name the field, the dataset and the column.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { writeFileSync } from 'node:fs';
import { MarginalError } from '../../src/errors.ts';
import { harmonize, harmonizeSource, getDataset, ingestFile, previewHarmonize, readHarmonized, type Workspace } from '../../src/data/index.ts';
import { snapshot, tempDir, tempWorkspace } from './helpers.ts';

const week = (i: number) => new Date(Date.UTC(2024, 0, 1) + 7 * i * 86400000).toISOString().slice(0, 10); // Mondays from 2024-01-01

/** media-a: tv 10…40 and search 1…4 in weeks 0–3; media-b: tv 300…500 and radio 7 in weeks 2–4; sales: revenue in weeks 0–4; two price files. */
async function fixture(): Promise<Workspace> {
  const dir = tempDir();
  const files: Record<string, [string, string[]]> = {
    'media-a': ['summary', ['date,tv_spend,search_spend', ...[0, 1, 2, 3].map((i) => `${week(i)},${10 * (i + 1)},${i + 1}`)]],
    'media-b': ['summary', ['date,tv_spend,radio_spend', ...[2, 3, 4].map((i) => `${week(i)},${100 * (i + 1)},7`)]],
    sales: ['conversions', ['date,revenue', ...[0, 1, 2, 3, 4].map((i) => `${week(i)},${1000 + i}`)]],
    'price-a': ['factors', ['date,price', `${week(0)},5`, `${week(1)},6`]],
    'price-b': ['factors', ['date,price', `${week(1)},9`, `${week(2)},9`]],
  };
  const ws = await tempWorkspace();
  for (const [name, [kind, lines]] of Object.entries(files)) {
    writeFileSync(join(dir, `${name}.csv`), lines.join('\n'));
    await ingestFile(ws, join(dir, `${name}.csv`), { kind: kind as 'summary', name });
  }
  return ws;
}

const values = async (ws: Workspace, id: string) => {
  const t = await readHarmonized(ws, id);
  return Object.fromEntries(Object.entries(t.columns).map(([c, v]) => [c, [...v].map((x) => (Number.isNaN(x) ? null : x))]));
};

/** The error `p` rejects with, checked to be a MarginalError. */
async function refusal(p: Promise<unknown>): Promise<MarginalError> {
  try { await p; } catch (e) { assert.ok(e instanceof MarginalError, String(e)); return e; }
  assert.fail('expected a refusal');
}

test('chosen datasets and columns: only those columns, values as ingested, media gaps 0', async () => {
  const ws = await fixture();
  try {
    const h = await harmonize(ws, { name: 't', grain: 'week', datasets: [{ id: 'media-a', columns: ['tv_spend'] }, 'sales'] });
    assert.deepEqual(h.columns, ['revenue', 'tv_spend']);
    assert.deepEqual(await values(ws, 't'), { revenue: [1000, 1001, 1002, 1003, 1004], tv_spend: [10, 20, 30, 40, 0] });
    // Leaving tv out of media-b avoids the overlap: radio comes from b, tv from a alone.
    await harmonize(ws, { name: 'u', grain: 'week', datasets: ['media-a', { id: 'media-b', columns: ['radio_spend'] }] });
    assert.deepEqual(await values(ws, 'u'), { radio_spend: [0, 0, 7, 7, 7], search_spend: [1, 2, 3, 4, 0], tv_spend: [10, 20, 30, 40, 0] });
    const src = await harmonizeSource(ws, await getDataset(ws, 'media-b'));
    assert.deepEqual(src, { id: 'media-b', kind: 'summary', role: 'media', harmonizable: true, geo: false, columns: [{ name: 'radio_spend', role: 'media' }, { name: 'tv_spend', role: 'media' }] });
  } finally { ws.close(); }
});

test('overlapping columns: refused by default naming the column and both datasets; sum adds; priority keeps the first in the order given', async () => {
  const ws = await fixture();
  try {
    const e = await refusal(harmonize(ws, { name: 'x', grain: 'week', datasets: ['media-a', 'media-b'] }));
    assert.equal(e.code, 'CONFLICT');
    assert.equal(e.field, 'overlap');
    assert.match(e.message, /^column 'tv_spend' has values from both 'media-a' and 'media-b' for the same periods; choose how to combine them: add them up \(sum\), or take the first dataset's value in the order given \(priority\)/);
    assert.doesNotMatch(e.message, /--/);

    const sum = await harmonize(ws, { name: 's', grain: 'week', datasets: ['media-a', 'media-b'], overlap: 'sum' });
    assert.deepEqual(await values(ws, 's'), { radio_spend: [0, 0, 7, 7, 7], search_spend: [1, 2, 3, 4, 0], tv_spend: [10, 20, 330, 440, 500] });
    assert.ok(sum.report.warnings.includes("tv_spend: 2 periods had values from 'media-a' and 'media-b'; they were added up"), sum.report.warnings.join('\n'));

    const ab = await harmonize(ws, { name: 'ab', grain: 'week', datasets: ['media-a', 'media-b'], overlap: 'priority' });
    assert.deepEqual((await values(ws, 'ab')).tv_spend, [10, 20, 30, 40, 500]);
    assert.ok(ab.notes.includes("tv_spend: 2 periods had values from 'media-a' and 'media-b'; 'media-a' was kept (first in the order given)"), ab.notes.join('\n'));
    await harmonize(ws, { name: 'ba', grain: 'week', datasets: ['media-b', 'media-a'], overlap: 'priority' });
    assert.deepEqual((await values(ws, 'ba')).tv_spend, [10, 20, 300, 400, 500]);

    // Factors average within a period first, then combine: price-a weeks 0–1 (5, 6), price-b weeks 1–2 (9, 9).
    await harmonize(ws, { name: 'ps', grain: 'week', datasets: ['price-a', 'price-b'], overlap: 'sum' });
    assert.deepEqual((await values(ws, 'ps')).price, [5, 15, 9]);
    await harmonize(ws, { name: 'pp', grain: 'week', datasets: ['price-b', 'price-a'], overlap: 'priority' });
    assert.deepEqual((await values(ws, 'pp')).price, [5, 9, 9]);
    // Monthly (all five weeks start in January): each dataset's month total first (a: 100, b: 1,200), then the rule.
    await harmonize(ws, { name: 'pm', grain: 'month', datasets: ['media-a', 'media-b'], overlap: 'priority' });
    assert.deepEqual((await values(ws, 'pm')).tv_spend, [100]);
    await harmonize(ws, { name: 'sm', grain: 'month', datasets: ['media-a', 'media-b'], overlap: 'sum' });
    assert.deepEqual((await values(ws, 'sm')).tv_spend, [1300]);
  } finally { ws.close(); }
});

test('the preview is the table a save would write, and stores nothing', async () => {
  const ws = await fixture();
  try {
    const before = await snapshot(ws);
    const tables = await ws.all('SELECT id FROM harmonized');
    const names = Number(await ws.value('SELECT count(*) FROM obs_names'));
    const choice = { name: 'p', grain: 'week' as const, datasets: ['media-b', { id: 'media-a', columns: ['tv_spend'] }, 'sales'], overlap: 'priority' as const, derive: ['tv_roas=revenue/tv_spend'] };
    const p = await previewHarmonize(ws, choice, 3);
    assert.deepEqual(await snapshot(ws), before, 'nothing stored');
    assert.deepEqual(await ws.all('SELECT id FROM harmonized'), tables);
    assert.equal(Number(await ws.value('SELECT count(*) FROM obs_names')), names, 'no new names registered');
    assert.deepEqual(p.columns.map((c) => [c.name, c.role, c.datasets.join('+')]), [
      ['date', 'date', ''], ['radio_spend', 'media', 'media-b'], ['revenue', 'outcome', 'sales'], ['tv_roas', 'derived', ''], ['tv_spend', 'media', 'media-b+media-a'],
    ]);
    assert.equal(p.rows, 5);
    assert.deepEqual([p.from, p.to], [week(0), week(4)]);
    assert.deepEqual(p.sample.map((r) => r.tv_spend), [10, 20, 300]);
    assert.deepEqual(p.sample[0], { date: week(0), radio_spend: 0, revenue: 1000, tv_roas: 100, tv_spend: 10 });
    assert.ok(p.report.warnings.some((w) => /^radio_spend: 2 missing cells were set to 0/.test(w)), p.report.warnings.join('\n'));
    // Saving the same choice writes what the preview showed.
    await harmonize(ws, choice);
    const saved = await readHarmonized(ws, 'p');
    assert.deepEqual([...saved.columns.tv_spend].slice(0, 3), [10, 20, 300]);
    // A refused preview stores nothing either.
    await assert.rejects(previewHarmonize(ws, { name: 'q', grain: 'week', datasets: ['media-a', 'media-b'] }), /tv_spend/);
    assert.equal(Number(await ws.value(`SELECT count(*) FROM harmonized WHERE id = 'q'`)), 0);
  } finally { ws.close(); }
});

test('refusals name the field, the dataset and the column, in words without CLI flags', async () => {
  const ws = await fixture();
  try {
    await harmonize(ws, { name: 'taken', grain: 'week', datasets: ['sales'] });
    const cases: [Parameters<typeof harmonize>[1], string, RegExp][] = [
      [{ name: 'taken', grain: 'week', datasets: ['sales'] }, 'name', /^the name 'taken' is taken: a harmonized table of that name already exists; choose another name, or replace that table$/],
      [{ name: 'sales', grain: 'week' }, 'name', /^the name 'sales' is taken by a dataset/],
      [{ name: 'bad name', grain: 'week' }, 'name', /^the table name must be 1–64 letters/],
      [{ name: 'w', grain: 'week', from: '2024-03-01', to: '2024-01-01' }, 'to', /^the end date 2024-01-01 is before the start date 2024-03-01$/],
      [{ name: 'w', grain: 'week', from: '2024-02-30' }, 'from', /^the start date must be a real date written YYYY-MM-DD; got '2024-02-30'$/],
      [{ name: 'w', grain: 'week', datasets: [{ id: 'media-a', columns: ['tv_spend', 'radio_spend'] }] }, 'datasets', /^dataset 'media-a' has no column 'radio_spend'; its columns: search_spend, tv_spend$/],
      [{ name: 'w', grain: 'week', datasets: [{ id: 'media-a', columns: [] }] }, 'datasets', /^no column of dataset 'media-a' is chosen; choose at least one, or leave the dataset out$/],
      [{ name: 'w', grain: 'week', datasets: ['nope'] }, 'datasets', /^dataset 'nope' not found/],
      [{ name: 'w', grain: 'week', datasets: ['sales', 'sales'] }, 'datasets', /^dataset 'sales' is chosen twice$/],
      [{ name: 'w', grain: 'week', overlap: 'max' as 'sum' }, 'overlap', /^the overlap rule must be one of refuse, sum, priority; got 'max'$/],
    ];
    for (const [opts, field, message] of cases) {
      const e = await refusal(harmonize(ws, opts));
      assert.equal(e.field, field, `${JSON.stringify(opts)}: ${e.message}`);
      assert.match(e.message, message);
      assert.doesNotMatch(e.message, /--[a-z]/, e.message);
    }
    // Replacing is explicit.
    await harmonize(ws, { name: 'taken', grain: 'week', datasets: ['media-a'], replace: true });
    assert.deepEqual(Object.keys(await values(ws, 'taken')), ['search_spend', 'tv_spend']);
  } finally { ws.close(); }
});
