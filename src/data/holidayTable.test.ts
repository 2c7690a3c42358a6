import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseHolidayTable, readHolidayTable } from './holidayTable.ts';

test('a Prophet-style holiday table: ds, holiday, country; dates trimmed to the day, countries upper-cased', () => {
  const rows = parseHolidayTable('"ds","holiday","country","year"\n"2019-12-25 00:00:00","Christmas Day","de",2019\n', 'h.csv');
  assert.deepEqual(rows, [{ date: '2019-12-25', name: 'Christmas Day', country: 'DE' }]);
});

test('bad holiday tables name the file, row and column', () => {
  assert.throws(() => parseHolidayTable('date,holiday,country\n2019-01-01,x,DE\n', 'h.csv'), (e: Error & { code?: string }) => e.code === 'BAD_FILE' && /ds/.test(e.message));
  assert.throws(() => parseHolidayTable('ds,holiday,country\n2019-01-01,x,DE\n2019-13-45,y,DE\n', 'h.csv'), (e: Error & { problems?: { row?: number }[] }) => /not a date/.test(e.message));
});

test('readHolidayTable reads the file and names it when it cannot', () => {
  const dir = mkdtempSync(join(tmpdir(), 'holidays-'));
  writeFileSync(join(dir, 'h.csv'), 'ds,holiday,country\n2020-01-01,New Year,FR\n');
  assert.deepEqual(readHolidayTable(join(dir, 'h.csv')), [{ date: '2020-01-01', name: 'New Year', country: 'FR' }]);
  assert.throws(() => readHolidayTable(join(dir, 'missing.csv')), (e: Error & { code?: string }) => e.code === 'BAD_FILE' && /missing\.csv/.test(e.message));
});
