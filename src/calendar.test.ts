import { test } from 'node:test';
import assert from 'node:assert/strict';
import { isCalendarDate, isoDate } from './calendar.ts';

test('calendar dates: real days pass, impossible ones and other shapes do not', () => {
  for (const ok of ['2024-02-29', '2025-12-31', '2000-01-01']) assert.equal(isCalendarDate(ok), true, ok);
  for (const bad of ['2025-13-45', '2025-02-30', '2023-02-29', '2024-00-10', '2024-1-1', '2024-01-01T00:00', '', '20240101']) assert.equal(isCalendarDate(bad), false, bad);
  assert.match(isoDate.safeParse('2025-02-30').error!.issues[0].message, /real date/);
});
