/**
 * Issue 22, item 4: a pandas index column (first header cell empty, `""` or `Unnamed: 0`, values
 * 0…N−1 or 1…N) is left out with a warning in words; an unnamed column holding anything else is still refused.
 * The fixture is written as Meridian's demo CSVs are (`,geo,time,…`: pandas `to_csv` with its index).
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { join, resolve } from 'node:path';
import { writeFileSync } from 'node:fs';
import { MarginalError, formatProblem } from '../../src/errors.ts';
import { ingestByRole, ingestFile, readWideTable } from '../../src/data/index.ts';
import { tempDir, tempWorkspace } from './helpers.ts';

const FIXTURE = resolve('test/fixtures/shapes/meridian_indexed.csv');
const TODAY = '2025-06-01';

test('a Meridian-style CSV with a pandas index ingests without it, with a warning in words', async () => {
  const ws = await tempWorkspace();
  try {
    const r = await ingestFile(ws, FIXTURE, { kind: 'summary', today: TODAY });
    const note = r.problems.find((p) => /pandas index/.test(p.message));
    assert.ok(note, JSON.stringify(r.problems));
    assert.equal(note.severity, 'warning');
    assert.equal(note.message, 'the first column has no name and holds row numbers 0…7 (a pandas index); it was left out');
    assert.ok(!JSON.stringify(r.mapping).includes('row index'), 'the index is neither a series nor listed as ignored');
    const channels = (await ws.all<{ channel: string }>(`SELECT DISTINCT channel FROM observations WHERE dataset = ? ORDER BY 1`, [r.id])).map((x) => x.channel);
    assert.deepEqual(channels, ['Channel0', 'Channel1', 'Channel2', 'Channel3']);
    assert.equal(r.rows, 8);
    const outcome = await ingestFile(ws, FIXTURE, { kind: 'conversions', name: 'kpi', today: TODAY });
    assert.ok(outcome.problems.some((p) => /pandas index/.test(p.message)));
    assert.equal(Number(await ws.value(`SELECT count(*) FROM observations WHERE dataset = 'kpi' AND metric = 'conversions'`)), 8);
  } finally {
    ws.close();
  }
});

test('a quoted empty header cell or "Unnamed: 0" counting from 1 is an index too; mixed ingest and the model reader leave it out', async () => {
  const dir = tempDir();
  const quoted = join(dir, 'quoted.csv');
  writeFileSync(quoted, '"","date","tv_spend","revenue"\n"1","2024-01-01",10,100\n"2","2024-01-08",20,200\n"3","2024-01-15",30,300\n');
  const unnamed = join(dir, 'unnamed.csv');
  writeFileSync(unnamed, 'Unnamed: 0,date,tv_spend,revenue\n0,2024-01-01,10,100\n1,2024-01-08,20,200\n2,2024-01-15,30,300\n');
  const ws = await tempWorkspace();
  try {
    const a = await ingestFile(ws, quoted, { kind: 'summary', today: TODAY });
    assert.ok(a.problems.some((p) => p.message.includes('row numbers 1…3')), JSON.stringify(a.problems));
    const b = await ingestByRole(ws, unnamed, { name: 'u', today: TODAY });
    assert.equal(b.columns.find((c) => c.name === '(row index)')?.role, 'ignore');
    assert.deepEqual(b.datasets.map((d) => d.id), ['u', 'u-outcome']);
    assert.ok(b.datasets[0].problems.some((p) => /pandas index/.test(formatProblem(p))));
  } finally {
    ws.close();
  }
  const t = await readWideTable(FIXTURE);
  assert.ok(!('' in t.columns) && !('(row index)' in t.columns));
  assert.equal(t.dateColumn, 'time');
  assert.equal(t.columns.geo.length, 8);
  assert.match(t.notes[0].message, /row numbers 0…7/);
});

test('an unnamed first column that is not a row index is still refused', async () => {
  const dir = tempDir();
  const file = join(dir, 'not_index.csv');
  writeFileSync(file, ',date,tv_spend\n5,2024-01-01,10\n9,2024-01-08,20\n');
  const named = join(dir, 'unnamed_data.csv');
  writeFileSync(named, 'Unnamed: 0,date,tv_spend\n5,2024-01-01,10\n9,2024-01-08,20\n');
  const ws = await tempWorkspace();
  try {
    await assert.rejects(ingestFile(ws, file, { kind: 'summary', today: TODAY }), (e: unknown) => {
      assert.ok(e instanceof MarginalError);
      assert.match(e.message, /column 1 of the header has no name and its values are not row numbers/);
      return true;
    });
    // "Unnamed: 0" is a name; holding data, it stays an ordinary column (here: not a media column, so ignored with a warning).
    const r = await ingestFile(ws, named, { kind: 'summary', today: TODAY });
    assert.ok(r.problems.some((p) => /ignored columns: Unnamed: 0/.test(p.message)), JSON.stringify(r.problems));
  } finally {
    ws.close();
  }
});
