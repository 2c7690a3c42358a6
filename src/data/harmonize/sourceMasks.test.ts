import { test } from 'node:test';
import assert from 'node:assert/strict';
import { DuckDBInstance } from '@duckdb/node-api';
import { DATASETS_PER_MASK, sourceMasks } from './sourceMasks.ts';

test('source masks name every dataset of a cell, across masks, and flag the cells with several', async () => {
  const db = await DuckDBInstance.create(':memory:');
  const c = await db.connect();
  // Cells a–e, datasets at positions 0–6 (n = 0: a row without a value, not a source).
  await c.run(`CREATE TABLE t AS SELECT * FROM (VALUES ('a', 0, 1), ('a', 1, 1), ('b', 1, 1), ('c', 0, 1), ('c', 5, 1), ('d', 6, 1), ('d', 3, 0),
    ('e', 2, 1), ('e', 3, 1), ('e', 6, 1)) v(cell, rank, n)`);
  for (const perMask of [DATASETS_PER_MASK, 2]) {
    const m = sourceMasks('rank', 7, perMask);
    assert.equal(m.columns.length, perMask === 2 ? 4 : 1);
    const rows = (await c.runAndReadAll(`SELECT cell, ${m.columns.map((x) => `CAST(${x} AS VARCHAR) AS ${x}`).join(', ')}, ${m.several} AS several
      FROM (SELECT cell, ${m.select} FROM t GROUP BY cell) ORDER BY cell`)).getRowObjectsJS() as Record<string, string | boolean | null>[];
    const got = Object.fromEntries(rows.map((r) => [r.cell, { positions: m.positions(m.columns.map((x) => r[x] as string | null)), several: r.several }]));
    assert.deepEqual(got, {
      a: { positions: [0, 1], several: true }, b: { positions: [1], several: false }, c: { positions: [0, 5], several: true },
      d: { positions: [6], several: false }, e: { positions: [2, 3, 6], several: true },
    }, `${perMask} per mask`);
  }
  c.closeSync(); db.closeSync();
});
