/**
 * Reads the header and the first records of a delimited file with csv-parse, for detection; and maps
 * record indexes back to the file's line numbers for error messages (header = line 1).
 */
import { createReadStream } from 'node:fs';
import { parse } from 'csv-parse';
import { badFile } from '../../errors.ts';
import type { Source } from './source.ts';

export interface Sample {
  header: string[];
  /** Up to `limit` data records, as strings. */
  rows: string[][];
  /** True when the file has more records than were read. */
  more: boolean;
}

export async function sniff(src: Source, limit = 2000): Promise<Sample> {
  const records: string[][] = [];
  const parser = createReadStream(src.csvPath).pipe(
    parse({ delimiter: src.delimiter, bom: true, relax_column_count: true, relax_quotes: true, skip_empty_lines: true, to: limit + 2 }),
  );
  try {
    for await (const rec of parser as AsyncIterable<string[]>) records.push(rec);
  } catch (err) {
    throw badFile({ file: src.name, message: `cannot be read as delimited text (${(err as Error).message.split('\n')[0]})` });
  }
  if (!records.length || (records.length === 1 && records[0].every((c) => c.trim() === ''))) throw badFile({ file: src.name, message: 'the file is empty' });
  const header = records[0].map((h) => h.trim());
  if (records.length === 1) throw badFile({ file: src.name, row: 1, message: 'the file has a header but no data rows' });
  const blank = header.findIndex((h) => h === '');
  if (blank >= 0 && header.length > 1) throw badFile({ file: src.name, row: 1, message: `column ${blank + 1} of the header has no name` });
  const seen = new Set<string>();
  for (const h of header) {
    if (seen.has(h)) throw badFile({ file: src.name, row: 1, column: h, message: 'the header names this column twice' });
    seen.add(h);
  }
  return { header, rows: records.slice(1, limit + 1), more: records.length > limit + 1 };
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
    parse({ delimiter: src.delimiter, bom: true, relax_column_count: true, relax_quotes: true, skip_empty_lines: true, info: true, to: max + 2 }),
  );
  let i = -1;
  for await (const rec of parser as AsyncIterable<{ info: { lines: number } }>) {
    if (i >= 0 && want.has(i)) out.set(i, rec.info.lines);
    i++;
  }
  return out;
}
