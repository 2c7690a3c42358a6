/**
 * Reading a holiday table in Prophet's layout (`ds, holiday, country[, year]`, e.g. Robyn's
 * `dt_prophet_holidays.csv`), the file a model config names in `holidays.file`. Errors name the
 * file, row and column. src/models/holidays.ts turns the rows into a control; it takes them as
 * values, so the models stay free of I/O.
 */
import { readFileSync } from 'node:fs';
import { parse } from 'csv-parse/sync';
import { badFile } from '../errors.ts';

/** One row of the table: the same shape as the models' `HolidayRow` (src/models/holidayCalendar.ts). */
export interface HolidayTableRow { date: string; name: string; country: string }

/** Parses a Prophet-style holiday table (`ds`, `holiday`, `country` columns; others ignored). */
export function parseHolidayTable(text: string, file: string): HolidayTableRow[] {
  let records: string[][];
  try {
    records = parse(text, { relax_column_count: true, skip_empty_lines: true }) as string[][];
  } catch (err) {
    throw badFile({ file, message: `not a valid CSV: ${(err as Error).message}` });
  }
  if (!records.length) throw badFile({ file, message: 'is empty: a holiday table needs the columns ds, holiday, country' });
  const header = records[0].map((h) => h.trim().toLowerCase());
  const col = (name: string) => {
    const j = header.indexOf(name);
    if (j < 0) throw badFile({ file, row: 1, message: `has no column '${name}': a holiday table needs the columns ds, holiday, country; got ${records[0].join(', ')}` });
    return j;
  };
  const ds = col('ds'), holiday = col('holiday'), country = col('country');
  const rows: HolidayTableRow[] = [];
  for (let i = 1; i < records.length; i++) {
    const r = records[i];
    const d = /^(\d{4}-\d{2}-\d{2})/.exec((r[ds] ?? '').trim());
    if (!d || Number.isNaN(Date.parse(`${d[1]}T00:00:00Z`))) throw badFile({ file, row: i + 1, column: 'ds', value: r[ds], message: 'not a date (expected YYYY-MM-DD)' });
    rows.push({ date: d[1], name: (r[holiday] ?? '').trim(), country: (r[country] ?? '').trim().toUpperCase() });
  }
  return rows;
}

/** Reads and parses the holiday table at `path`; BAD_FILE when it cannot be read or is not one. */
export function readHolidayTable(path: string): HolidayTableRow[] {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (err) {
    throw badFile({ file: path, message: `cannot read the holiday table: ${(err as Error).message}` });
  }
  return parseHolidayTable(text, path);
}
