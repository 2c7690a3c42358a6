/**
 * Reads the header and the first records of a delimited file with csv-parse, for detection; and maps
 * record indexes back to the file's line numbers for error messages (header = line 1).
 */
import { createReadStream } from 'node:fs';
import { parse } from 'csv-parse';
import { badFile } from '../../errors.ts';
import type { Problem } from '../../errors.ts';
import type { Source } from './source.ts';
import { ROW_INDEX_COLUMN, isIndexHeader, rowIndexNote, rowIndexStart } from './rowIndex.ts';

export interface Sample {
  header: string[];
  /** Up to `limit` data records, as strings. */
  rows: string[][];
  /** True when the file has more records than were read. */
  more: boolean;
  /** A pandas index column (first, unnamed, 0…N−1) renamed ROW_INDEX_COLUMN, for the plan to leave out. */
  index?: string;
  /** Warnings about the file's shape (the index column left out, lines above the header skipped). */
  notes?: Problem[];
  /** The header's line in the file (1 unless an export wrote lines above it). */
  headerLine?: number;
}

/** More columns than any marketing table has (200 geos × 5 channels × 3 metrics is 3,000): past this a
 *  file is refused before DuckDB spends minutes and all its memory on it. */
export const MAX_COLUMNS = 10_000;

export async function sniff(src: Source, limit = 2000): Promise<Sample> {
  await refuseTooWide(src);
  const records: string[][] = [];
  const parser = createReadStream(src.csvPath).pipe(
    parse({ delimiter: src.delimiter, from_line: src.skip + 1, bom: true, relax_column_count: true, relax_quotes: true, skip_empty_lines: true, to: limit + 2 }),
  );
  try {
    for await (const rec of parser as AsyncIterable<string[]>) records.push(rec);
  } catch (err) {
    throw badFile({ file: src.name, message: `cannot be read as delimited text (${(err as Error).message.split('\n')[0]})` });
  }
  if (!records.length || (records.length === 1 && records[0].every((c) => c.trim() === ''))) throw badFile({ file: src.name, message: 'the file is empty' });
  const header = records[0].map((h) => h.trim());
  if (records.length === 1) throw badFile({ file: src.name, row: src.skip + 1, message: 'the file has a header but no data rows' });
  const rows = records.slice(1, limit + 1), more = records.length > limit + 1;
  const notes: Problem[] = [];
  let index: string | undefined;
  const start = header.length > 1 && isIndexHeader(header[0]) ? rowIndexStart(rows) : null;
  if (start !== null) {
    header[0] = index = ROW_INDEX_COLUMN;
    notes.push(rowIndexNote(src.name, start, rows.length, more, src.skip + 1));
  }
  if (src.skip) notes.push({ file: src.name, row: src.skip + 1, severity: 'warning', message: `the ${src.skip === 1 ? 'line' : `${src.skip} lines`} above the header (a report's title, date range or # comments) ${src.skip === 1 ? 'was' : 'were'} left out` });
  const blank = header.findIndex((h) => h === '');
  if (blank >= 0 && header.length > 1) throw badFile({ file: src.name, row: src.skip + 1, message: `column ${blank + 1} of the header has no name${blank === 0 ? ' and its values are not row numbers 0, 1, 2… (a pandas index, which would be left out)' : ''}` });
  // DuckDB compares column names without case, so `tv_spend` and `TV_Spend` are one name twice.
  const seen = new Map<string, string>();
  for (const h of header) {
    const first = seen.get(h.toLowerCase());
    if (first !== undefined) throw badFile({ file: src.name, row: src.skip + 1, column: h, message: first === h ? 'the header names this column twice' : `the header names this column twice: '${first}' and '${h}' differ only in upper and lower case, which count as the same name` });
    seen.set(h.toLowerCase(), h);
  }
  return { header, rows, more, index, notes, headerLine: src.skip + 1 };
}

/** Reads the header record alone and refuses a file with more than MAX_COLUMNS columns. */
async function refuseTooWide(src: Source): Promise<void> {
  const parser = createReadStream(src.csvPath).pipe(parse({ delimiter: src.delimiter, from_line: src.skip + 1, bom: true, relax_column_count: true, relax_quotes: true, skip_empty_lines: true, to: 1 }));
  let width = 0;
  try {
    for await (const rec of parser as AsyncIterable<string[]>) width = rec.length;
  } catch { return; /* sniff reports unreadable text with its own message */ }
  if (width > MAX_COLUMNS) throw badFile({ file: src.name, row: src.skip + 1, message: `the header has ${width.toLocaleString('en-US')} columns; at most ${MAX_COLUMNS.toLocaleString('en-US')} are read (is this the right file, or a table turned on its side?)` });
}

/**
 * File line numbers (header = 1) of the given 0-based data record indexes, counting quoted line breaks
 * and skipping blank lines as the loader does.
 */
export async function linesOf(src: Source, recordIndexes: number[]): Promise<Map<number, number>> {
  const want = new Set(recordIndexes);
  const out = new Map<number, number>();
  if (!want.size) return out;
  const max = Math.max(...recordIndexes);
  const parser = createReadStream(src.csvPath).pipe(
    parse({ delimiter: src.delimiter, from_line: src.skip + 1, bom: true, relax_column_count: true, relax_quotes: true, skip_empty_lines: true, info: true, to: max + 2 }),
  );
  let i = -1;
  for await (const rec of parser as AsyncIterable<{ info: { lines: number } }>) {
    if (i >= 0 && want.has(i)) out.set(i, rec.info.lines);
    i++;
  }
  return out;
}
