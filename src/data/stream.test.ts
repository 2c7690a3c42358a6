import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Workspace } from './workspace.ts';
import { readNumeric, readNumericSlices } from './stream.ts';

// 5,000 rows span several of DuckDB's 2,048-row chunks; every 7th row is NULL in each column.
const SQL = `SELECT i::INTEGER AS i,
  CASE WHEN i % 7 = 3 THEN NULL ELSE (i % 100)::TINYINT END AS tiny,
  CASE WHEN i % 7 = 3 THEN NULL ELSE i / 4 END AS dbl,
  (i / 8)::DECIMAL(10, 3) AS dec,
  i::BIGINT * 3 AS big,
  hash(i) AS h
  FROM range(5000) t(i) ORDER BY i`;

test('readNumeric reads every numeric type as its values, NULL as −1 or NaN, a hash bit for bit', async () => {
    const ws = await Workspace.open(':memory:');
    try {
      const r = await readNumeric(ws, SQL, { i: 'int32', tiny: 'int32', dbl: 'float64', dec: 'float64', big: 'float64', h: 'uint64' });
      const h = (await ws.columns('SELECT hash(i) AS h FROM range(5000) t(i) ORDER BY i')).h as bigint[];
      assert.equal(r.i.length, 5000);
      for (let k = 0; k < 5000; k++) {
        assert.equal(r.i[k], k);
        assert.equal(r.tiny[k], k % 7 === 3 ? -1 : k % 100, `tiny at ${k}`);
        if (k % 7 === 3) assert.ok(Number.isNaN(r.dbl[k])); else assert.equal(r.dbl[k], k / 4);
        assert.equal(r.dec[k], Math.round((k / 8) * 1000) / 1000, `decimal at ${k}`);
        assert.equal(r.big[k], 3 * k);
        assert.equal(r.h[k], h[k]);
      }
    } finally {
      ws.close();
    }
});

test('readNumeric refuses a NULL in a 64-bit key column, and a key that is not a 64-bit integer', async () => {
  const ws = await Workspace.open(':memory:');
  try {
    await assert.rejects(readNumeric(ws, 'SELECT CASE WHEN i = 3000 THEN NULL ELSE hash(i) END AS h FROM range(4000) t(i)', { h: 'uint64' }), /column 'h' has a NULL/);
    await assert.rejects(readNumeric(ws, 'SELECT i / 2 AS h FROM range(10) t(i)', { h: 'uint64' }), /column 'h' is not a 64-bit integer/);
  } finally {
    ws.close();
  }
});

test('readNumeric of no rows gives empty arrays; readNumericSlices keeps what a slice does not use and gives it again', async () => {
  const ws = await Workspace.open(':memory:');
  try {
    const none = await readNumeric(ws, 'SELECT 1::INTEGER AS a, 2.0::DOUBLE AS b WHERE false', { a: 'int32', b: 'float64' });
    assert.equal(none.a.length, 0);
    assert.equal(none.b.length, 0);
    // Slices of 3,000 rows (several chunks each), each using all but its last 100 rows: every row is taken once, in order.
    const seen: number[] = [];
    let calls = 0;
    const total = await readNumericSlices(await ws.stream('SELECT i::INTEGER AS i FROM range(10000) t(i) ORDER BY i'), { i: 'int32' }, 3000, (rows, n, last) => {
      calls++;
      const used = last ? n : n - 100;
      for (let k = 0; k < used; k++) seen.push(rows.i[k]);
      return used;
    });
    assert.equal(total, 10000);
    assert.ok(calls >= 3, `${calls} calls`);
    assert.deepEqual(seen, Array.from({ length: 10000 }, (_, k) => k));
    // A slice that uses nothing (one customer longer than a slice) is offered again once the rows have doubled, not at every chunk.
    let asked = 0, lastN = 0;
    await readNumericSlices(await ws.stream('SELECT i::INTEGER AS i FROM range(40000) t(i)'), { i: 'int32' }, 1000, (rows, n, last) => {
      asked++;
      if (!last) return 0;
      lastN = n;
      return n;
    });
    assert.equal(lastN, 40000);
    assert.ok(asked <= 7, `asked ${asked} times for 40,000 rows in chunks of 2,048`);
  } finally {
    ws.close();
  }
});
