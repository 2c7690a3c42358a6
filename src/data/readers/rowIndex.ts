/**
 * pandas' `to_csv` writes the DataFrame's index as a first column whose header cell is empty (`,time,geo,…`,
 * `"",…`), or `Unnamed: 0` once such a file has been read and written again. It carries no data, so it is
 * left out, with a warning, when its values are a row index (0…N−1 or 1…N in file order). A column
 * without a name that holds anything else is still refused by the reader: guessing what it means would
 * hide a broken header.
 */
import type { Problem } from '../../errors.ts';

/** The name the left-out index column has inside Marginal (DuckDB needs every column named). */
export const ROW_INDEX_COLUMN = '(row index)';

/** Whether a header cell is how pandas names its index column. */
export function isIndexHeader(h: string): boolean {
  return h === '' || /^unnamed: ?0$/i.test(h);
}

/**
 * Whether the first cell of each row counts the rows from 0 or 1. `rows` is a sample (the first records);
 * the rest of the file is not read, which is harmless since the column is dropped, not stored.
 */
export function rowIndexStart(rows: string[][]): 0 | 1 | null {
  if (!rows.length) return null;
  const first = rows[0][0]?.trim();
  const start = first === '0' ? 0 : first === '1' ? 1 : null;
  if (start === null) return null;
  return rows.every((r, i) => r[0]?.trim() === String(i + start)) ? start : null;
}

/** The warning saying the index column was left out, in words. */
export function rowIndexNote(file: string, start: 0 | 1, rows: number, more: boolean, headerLine = 1): Problem {
  const last = more ? 'N' : String(rows - 1 + start);
  const first = String(start);
  const range = start === 0 ? `${first}…${last === 'N' ? 'N−1' : last}` : `${first}…${last}`;
  return { file, row: headerLine, severity: 'warning', message: `the first column has no name and holds row numbers ${range} (a pandas index); it was left out` };
}
