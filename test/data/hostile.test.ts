/**
 * Files a careless or hostile user brings, made here: merged XLSX cells, a header of 90,000 columns,
 * column names that differ only in case, a number 1 MB long. Each is refused with a message naming the
 * file, row and column, and the workspace keeps what it had.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { writeFileSync } from 'node:fs';
import ExcelJS from 'exceljs';
import { MarginalError } from '../../src/errors.ts';
import { ingestFile, listDatasets } from '../../src/data/index.ts';
import { tempDir, tempWorkspace } from './helpers.ts';

const dir = tempDir();
const weeks = (n: number) => Array.from({ length: n }, (_, i) => new Date(Date.UTC(2024, 0, 1 + 7 * i)).toISOString().slice(0, 10));

async function refused(file: string, expect: { row?: number; column?: string; message: RegExp }): Promise<void> {
  const ws = await tempWorkspace();
  try {
    await assert.rejects(ingestFile(ws, file, { kind: 'summary', name: 'x' }), (e: unknown) => {
      assert.ok(e instanceof MarginalError, String(e));
      assert.equal(e.code, 'BAD_FILE');
      assert.match(e.message, expect.message);
      if (expect.row !== undefined) assert.equal(e.problems[0].row, expect.row);
      if (expect.column !== undefined) assert.equal(e.problems[0].column, expect.column);
      return true;
    });
    assert.deepEqual(await listDatasets(ws), [], 'nothing stored');
  } finally { ws.close(); }
}

/** A media workbook of 10 weeks (tv 100, search 50 a week) with the cells `range` merged. */
async function mergedWorkbook(name: string, range: string): Promise<string> {
  const wb = new ExcelJS.Workbook();
  const sheet = wb.addWorksheet('media');
  sheet.addRow(['date', 'tv_spend', 'search_spend']);
  for (const d of weeks(10)) sheet.addRow([d, 100, 50]);
  sheet.mergeCells(range);
  const file = join(dir, name);
  await wb.xlsx.writeFile(file);
  return file;
}

test('merged XLSX cells across rows are refused, never copied into each row', async () => {
  const file = await mergedWorkbook('merged.xlsx', 'B3:B4');
  await refused(file, { row: 3, column: 'tv_spend', message: /cells B3 to B4 are merged, so one value would be copied into several rows/ });
});

test('a merged title across columns reads as one cell, the others blank', async () => {
  const file = await mergedWorkbook('merged-row.xlsx', 'B5:C5');
  const ws = await tempWorkspace();
  try {
    await ingestFile(ws, file, { kind: 'summary', name: 'm' });
    const sum = (channel: string) => ws.value<number>(`SELECT sum(value) FROM observations WHERE dataset = 'm' AND channel = '${channel}' AND metric = 'spend'`);
    assert.equal(await sum('tv'), 100 * 10);
    assert.equal(await sum('search'), 50 * 9, 'the merged cell was not copied into search_spend');
  } finally { ws.close(); }
});

test('a header of 90,000 columns is refused at once', async () => {
  const file = join(dir, 'wide.csv');
  writeFileSync(file, `date,${Array.from({ length: 90_000 }, (_, i) => `c${i}_spend`).join(',')}\n2024-01-01,${Array(90_000).fill('1').join(',')}\n`);
  const t0 = Date.now();
  await refused(file, { row: 1, message: /the header has 90,001 columns; at most 10,000 are read/ });
  assert.ok(Date.now() - t0 < 20_000, `took ${Date.now() - t0} ms`);
});

test('column names that differ only in case are named, with the row', async () => {
  const file = join(dir, 'case.csv');
  writeFileSync(file, `date,tv_spend,TV_Spend\n${weeks(10).map((d) => `${d},1,2`).join('\n')}\n`);
  await refused(file, { row: 1, column: 'TV_Spend', message: /'tv_spend' and 'TV_Spend' differ only in upper and lower case/ });
});

test('a number one megabyte long is refused naming its row and column', async () => {
  const file = join(dir, 'bigcell.csv');
  writeFileSync(file, `date,tv_spend\n2024-01-01,1\n2024-01-08,${'9'.repeat(1_000_000)}\n2024-01-15,3\n`);
  await refused(file, { row: 3, column: 'tv_spend', message: /nor is a number too long to store/ });
});
