/**
 * `readWideTable(path)`: reads a wide modeling file (CSV/TSV, Parquet or XLSX; a row per date [and geo])
 * into columns for the model layer. A column is numeric when every non-empty cell is a plain number
 * (empty → null); it is text when most cells are text. A mostly numeric column with a text cell is
 * an error naming file, row, column and value, as are ragged rows, an empty file and a header-only file.
 * The date column (detected by name and content) is returned as ISO `YYYY-MM-DD` strings.
 */
import { createReadStream } from 'node:fs';
import { parse } from 'csv-parse';
import { badFile, type Problem } from '../../errors.ts';
import { openSource } from './source.ts';
import { detectDateFormat, isDateName, parseDate } from '../detect/dates.ts';
import { isMissingMarker, isPlainNumber, whyNotNumber } from '../detect/numbers.ts';
import { isIndexHeader, rowIndexNote, rowIndexStart } from './rowIndex.ts';

export interface WideTable {
  columns: Record<string, (string | number | null)[]>;
  rowCount: number;
  /** The detected date column (values converted to ISO), if any. */
  dateColumn: string | null;
  /** File line number of each row (header = 1). */
  lines: number[];
  /** Warnings about the file's shape (a pandas index column left out). */
  notes: Problem[];
}

export async function readWideTable(path: string, options: { sheet?: string } = {}): Promise<WideTable> {
  const src = await openSource(path, options);
  try {
    const records: string[][] = [];
    const lines: number[] = [];
    const parser = createReadStream(src.csvPath).pipe(parse({ delimiter: src.delimiter, from_line: src.skip + 1, bom: true, relax_column_count: true, skip_empty_lines: true, info: true }));
    try {
      for await (const r of parser as AsyncIterable<{ record: string[]; info: { lines: number } }>) { records.push(r.record); lines.push(r.info.lines); }
    } catch (err) {
      throw badFile({ file: src.name, message: `cannot be read as delimited text (${(err as Error).message.split('\n')[0]})` });
    }
    if (!records.length) throw badFile({ file: src.name, message: 'the file is empty' });
    let header = records[0].map((h) => h.trim());
    if (records.length === 1) throw badFile({ file: src.name, row: 1, message: 'the file has a header but no data rows' });
    let rows = records.slice(1);
    const notes: Problem[] = [];
    if (src.skip) notes.push({ file: src.name, row: src.skip + 1, severity: 'warning', message: `the ${src.skip === 1 ? 'line' : `${src.skip} lines`} above the header (a report's title, date range or # comments) ${src.skip === 1 ? 'was' : 'were'} left out` });
    // A pandas index (first column unnamed, 0…N−1) carries no data: left out, as ingest does (rowIndex.ts).
    const start = header.length > 1 && isIndexHeader(header[0]) ? rowIndexStart(rows) : null;
    if (start !== null) {
      notes.push(rowIndexNote(src.name, start, rows.length, false));
      header = header.slice(1);
      rows = rows.map((r) => r.slice(1));
    }
    const rowLines = lines.slice(1);
    rows.forEach((r, i) => {
      if (r.length !== header.length) throw badFile({ file: src.name, row: rowLines[i], message: `the row has ${r.length} fields but the header has ${header.length}` });
    });
    const columns: Record<string, (string | number | null)[]> = {};
    let dateColumn: string | null = null;
    // A column of bare years is the date only when no other date-named column is (a `year` beside `date`).
    const named = header.filter(isDateName);
    header.forEach((h, j) => {
      const cells = rows.map((r) => r[j].trim());
      const nonEmpty = cells.filter((c) => c !== '');
      const numeric = nonEmpty.filter(isPlainNumber).length, markers = nonEmpty.filter(isMissingMarker).length;
      const found = dateColumn === null && isDateName(h) ? detectDateFormat(nonEmpty.slice(0, 2000), true, undefined, 0.5) : null;
      const date = found?.format === 'YYYY' && named.some((o) => o !== h && detectDateFormat(rows.slice(0, 2000).map((r) => r[header.indexOf(o)].trim()).filter(Boolean), true, undefined, 0.5)?.format !== 'YYYY'
        && rows.some((r) => r[header.indexOf(o)].trim() !== '')) ? null : found;
      if (date && date.format !== 'excel' || (date && numeric === nonEmpty.length)) {
        dateColumn = h;
        columns[h] = cells.map((c, i) => {
          if (c === '') return null;
          const iso = parseDate(c, date!.format);
          if (!iso) throw badFile({ file: src.name, row: rowLines[i], column: h, value: c, message: `not a date in the column's format ${date!.format}` });
          return iso;
        });
      } else if (nonEmpty.length && numeric > 0 && numeric + markers >= 0.5 * nonEmpty.length) {
        columns[h] = cells.map((c, i) => {
          if (c === '') return null;
          if (!isPlainNumber(c)) throw badFile({ file: src.name, row: rowLines[i], column: h, value: c, message: `${whyNotNumber(c)} (the column holds numbers)` } as Problem);
          const x = Number(c);
          if (!Number.isFinite(x)) throw badFile({ file: src.name, row: rowLines[i], column: h, value: c, message: 'the number is out of range' });
          return x;
        });
      } else {
        columns[h] = cells.map((c) => (c === '' ? null : c));
      }
    });
    return { columns, rowCount: rows.length, dateColumn, lines: rowLines, notes };
  } finally {
    src.cleanup();
  }
}
