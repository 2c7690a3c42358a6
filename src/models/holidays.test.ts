import { test } from 'node:test';
import assert from 'node:assert/strict';
import { fileURLToPath } from 'node:url';
import { parseModelConfig } from './config.ts';
import { buildModelData, type WideTable } from './design.ts';
import { buildModelDataWithHolidays, holidayCounts, withHolidays } from './holidays.ts';
import { publicHolidays } from './holidayCalendar.ts';
// The tables of these tests are read as the jobs read them (src/app/modelData.ts); the models take rows.
import { parseHolidayTable, readHolidayTable } from '../data/holidayTable.ts';

const table = `"ds","holiday","country","year"
"2019-12-24","Christmas Eve","DE",2019
"2019-12-25","Christmas Day","DE",2019
"2019-12-26","Second Day of Christmas","DE",2019
"2019-12-26","Second Day of Christmas","DE",2019
"2020-01-01","New Year's Day","DE",2020
"2019-12-25","Christmas Day","US",2019
`;

test('holiday counts per week: a holiday counts in the week [Monday, next Monday) that holds it, once', () => {
  const rows = parseHolidayTable(table, 'h.csv');
  const dates = ['2019-12-16', '2019-12-23', '2019-12-30', '2020-01-06'];
  assert.deepEqual(Array.from(holidayCounts(rows, 'de', dates, 'week')), [0, 3, 1, 0]);
  assert.deepEqual(Array.from(holidayCounts(rows, 'US', dates, 'week')), [0, 1, 0, 0]);
  // Monthly grain: December holds 3 (+ the US one is another country), January 1.
  assert.deepEqual(Array.from(holidayCounts(rows, 'DE', ['2019-12-01', '2020-01-01'], 'month')), [3, 1]);
  assert.throws(() => holidayCounts(rows, 'FR', dates, 'week'), /holidays.country.*DE, US.*got 'FR'/);
});

test('holidays become a control with sign auto; flag columns too; the Robyn table for DE', () => {
  const dates = ['2019-12-16', '2019-12-23', '2019-12-30', '2020-01-06', '2020-01-13', '2020-01-20', '2020-01-27', '2020-02-03', '2020-02-10', '2020-02-17'];
  const t: WideTable = { source: 'd.csv', rowCount: dates.length, columns: { date: dates, y: dates.map((_, i) => 100 + i), tv: dates.map((_, i) => 10 + ((3 * i) % 7)), promo: dates.map((_, i) => (i === 4 ? 1 : 0)) } };
  const config = parseModelConfig({ data: { file: 'd.csv' }, target: { column: 'y' }, channels: [{ name: 'tv', spend: 'tv' }], holidays: { country: 'DE', columns: ['promo'] } });
  const plain = buildModelData(config, t);
  // No table: the built-in calendar. DE public holidays in these weeks: 25, 26 Dec, 1 Jan.
  const builtIn = withHolidays(config, plain, null);
  assert.deepEqual(builtIn.controls, ['holidays_DE']);
  assert.deepEqual(Array.from(builtIn.controlValues.subarray(0, 4)), [0, 2, 1, 0]);
  assert.throws(() => withHolidays({ ...config, holidays: { country: 'XX', columns: [] } }, plain, null), (e: Error & { code?: string }) => e.code === 'BAD_CONFIG' && /'XX'.*holidays.file/.test(e.message));
  // Validating the config already says it, naming the config file; with a table the table decides.
  const raw = { data: { file: 'd.csv' }, target: { column: 'y' }, channels: [{ name: 'tv', spend: 'tv' }] };
  assert.throws(() => parseModelConfig({ ...raw, holidays: { country: 'XX' } }, 'my.json'), (e: Error & { code?: string }) => e.code === 'BAD_CONFIG' && /^my\.json: `holidays\.country` 'XX'/.test(e.message));
  assert.doesNotThrow(() => parseModelConfig({ ...raw, holidays: { country: 'XX', file: 'h.csv' } }, 'my.json'));
  const data = withHolidays(config, plain, parseHolidayTable(table, 'h.csv'));
  assert.deepEqual(data.controls, ['holidays_DE']);
  assert.deepEqual(data.controlSigns, ['auto']);
  assert.deepEqual(Array.from(data.controlValues.subarray(0, 3)), [0, 3, 1]);
  // A config that names a table but comes without its rows is a caller's mistake, not the built-in calendar.
  assert.throws(() => buildModelDataWithHolidays({ ...config, holidays: { country: 'DE', file: 'h.csv', columns: [] } }, t, null), (e: Error & { code?: string }) => e.code === 'INTERNAL' && /h\.csv/.test(e.message));
  const robynTable = fileURLToPath(new URL('../../data/reference/robyn/dt_prophet_holidays.csv', import.meta.url));
  const full = buildModelDataWithHolidays({ ...config, holidays: { country: 'DE', file: robynTable, columns: ['promo'] } }, t, readHolidayTable(robynTable));
  assert.deepEqual(full.controls, ['promo', 'holidays_DE']);
  assert.equal(full.K, 2);
  assert.equal(full.controlValues[4 * 2], 1); // promo in week 5
  assert.equal(full.controlValues[1 * 2 + 1], 2); // Christmas week: 25 and 26 Dec (Prophet's DE calendar has no Christmas Eve)
  assert.equal(full.controlValues[2 * 2 + 1], 1); // New Year's Day
});

const prophetTable = fileURLToPath(new URL('../../data/reference/robyn/dt_prophet_holidays.csv', import.meta.url));

test("the built-in calendar against Prophet's holiday table (Robyn's file): DE, FR and NZ public holidays 2016–2020 are the same dates; US's are a subset", () => {
  const prophet = readHolidayTable(prophetTable);
  const dates = (rows: { date: string; country: string }[], cc: string) => new Set(rows.filter((r) => r.country === cc && r.date >= '2016-01-01' && r.date <= '2020-12-31').map((r) => r.date));
  for (const cc of ['DE', 'FR', 'NZ']) {
    const want = dates(prophet, cc), got = dates(publicHolidays(cc, 2016, 2020), cc);
    assert.ok(want.size > 40, `${cc}: ${want.size} dates in Prophet's table`);
    assert.deepEqual([...got].sort(), [...want].sort(), cc);
  }
  // The US calendar leaves out two "observed" Fridays/Mondays that Prophet lists; every other date agrees.
  const want = dates(prophet, 'US'), got = dates(publicHolidays('us', 2016, 2020), 'US');
  assert.ok([...got].every((d) => want.has(d)), 'every built-in US date is in Prophet\'s table');
  assert.ok(got.size >= want.size - 2, `US: ${got.size} of ${want.size}`);
  // Weekly counts over four years: the same control either way for DE.
  const weeks = Array.from({ length: 208 }, (_, t) => new Date(Date.UTC(2016, 0, 4) + t * 7 * 86400000).toISOString().slice(0, 10));
  assert.deepEqual(Array.from(holidayCounts(publicHolidays('DE', 2016, 2020), 'DE', weeks, 'week')), Array.from(holidayCounts(prophet, 'DE', weeks, 'week')));
});
