/**
 * Loads a delimited file into the temporary table `stage` with one typed column per source column,
 * using DuckDB's CSV reader with explicit options (delimiter, quote, header, types) so that 10 million
 * rows load in seconds and out of core. Cells that do not convert are collected by DuckDB's reject
 * store with their line number; they come back as problems naming file, row, column, value and why.
 */
import type { Problem } from '../../errors.ts';
import { badFile } from '../../errors.ts';
import { ident, lit, type Workspace } from '../workspace.ts';
import type { Source } from '../readers/source.ts';
import { STRPTIME, formatsOf, type DateFormat } from '../detect/dates.ts';
import { whyNotNumber } from '../detect/numbers.ts';

export type ColumnType = 'date' | 'timestamp' | 'number' | 'text';

export interface StageSpec {
  /** Type per source column; columns not named are read as text. */
  types: Record<string, ColumnType>;
  dateFormat?: DateFormat;
  /**
   * Rows an export adds below its data, by how their first cell starts (Google Ads' `Total: Account`):
   * they do not convert (no date), so they land among the rejects, where they are left out with a warning
   * instead of being refused.
   */
  totalRows?: string;
}

const MAX_PROBLEMS = 100;

/** The DuckDB type a source column loads as. Excel serial dates load as numbers and convert later. */
function sqlType(t: ColumnType, format?: DateFormat): string {
  if (t === 'number') return 'DOUBLE';
  if (t === 'date') return format === 'excel' ? 'DOUBLE' : format === 'YYYY-MM-DD hh:mm:ss' ? 'TIMESTAMP' : 'DATE';
  if (t === 'timestamp') return format === 'excel' ? 'DOUBLE' : 'TIMESTAMP';
  return 'VARCHAR';
}

/** SQL turning a staged date column into a DATE. */
export function dateSql(column: string, t: ColumnType, format?: DateFormat): string {
  const c = ident(column);
  if (format === 'excel') return `(DATE '1899-12-30' + CAST(floor(${c}) AS INTEGER))`;
  if (t === 'timestamp' || format === 'YYYY-MM-DD hh:mm:ss') return `CAST(${c} AS DATE)`;
  return c;
}

/** SQL turning a staged timestamp column into a TIMESTAMP. */
export function timestampSql(column: string, format?: DateFormat): string {
  const c = ident(column);
  if (format === 'excel') return `(TIMESTAMP '1899-12-30 00:00:00' + to_microseconds(CAST(round(${c} * 86400e6) AS BIGINT)))`;
  return c;
}

/**
 * The read_csv(…) call loading a file with explicit types; cells that do not convert go to the reject
 * tables `stage_rejects` / `stage_scans` instead of failing the statement.
 */
export function readCsvSql(src: Source, header: string[], spec: StageSpec): string {
  const columns = header.map((h) => `${lit(h)}: ${lit(sqlType(spec.types[h] ?? 'text', spec.dateFormat))}`).join(', ');
  const strp = spec.dateFormat ? STRPTIME[spec.dateFormat] : null;
  const options = [
    `header = true`, `delim = ${lit(src.delimiter)}`, `quote = '"'`, `escape = '"'`, `columns = {${columns}}`,
    `auto_detect = false`, `store_rejects = true`, `rejects_table = 'stage_rejects'`, `rejects_scan = 'stage_scans'`,
    `max_line_size = 67108864`, `buffer_size = 134217728`, `null_padding = false`, `strict_mode = true`,
  ];
  if (strp) options.push(`dateformat = ${lit(strp)}`);
  if (src.skip) options.push(`skip = ${src.skip}`);
  return `read_csv(${lit(src.csvPath)}, ${options.join(', ')})`;
}

/** Runs a statement reading the file; a file DuckDB cannot read at all becomes a BAD_FILE error. */
export async function readingFile<T>(src: Source, fn: () => Promise<T>): Promise<T> {
  try {
    return await fn();
  } catch (err) {
    throw badFile({ file: src.name, message: `cannot be read as delimited text (${(err as Error).message.split('\n')[0]})` });
  }
}

export async function loadStage(ws: Workspace, src: Source, header: string[], spec: StageSpec): Promise<{ rows: number; problems: Problem[] }> {
  await ws.run('DROP TABLE IF EXISTS stage; DROP TABLE IF EXISTS stage_rejects; DROP TABLE IF EXISTS stage_scans');
  await readingFile(src, () => ws.run(`CREATE TEMP TABLE stage AS SELECT * FROM ${readCsvSql(src, header, spec)}`));
  const rows = (await ws.value<number>('SELECT count(*) FROM stage')) ?? 0;
  const total = spec.totalRows ? `starts_with(ltrim(csv_line, '"'), ${lit(spec.totalRows)})` : 'false';
  const rejects = await ws.all<{ line: number; column_name: string | null; error_type: string; csv_line: string; error_message: string }>(
    `SELECT line, column_name, CAST(error_type AS VARCHAR) AS error_type, csv_line, error_message FROM stage_rejects WHERE NOT (${total}) ORDER BY line LIMIT ${MAX_PROBLEMS}`,
  );
  const problems = rejects.map((r) => rejectProblem(src.name, r, spec));
  if (spec.totalRows) {
    const totals = await ws.all<{ line: number }>(`SELECT DISTINCT line FROM stage_rejects WHERE ${total} ORDER BY line`);
    if (totals.length) problems.push({ file: src.name, row: Number(totals[0].line), severity: 'warning', message: `${totals.length === 1 ? 'a total row' : `${totals.length} total rows`} ('${spec.totalRows} …') below the data ${totals.length === 1 ? 'was' : 'were'} left out` });
  }
  await ws.run('DROP TABLE IF EXISTS stage_rejects; DROP TABLE IF EXISTS stage_scans');
  if (rows === 0 && !problems.length) throw badFile({ file: src.name, row: 1, message: 'the file has a header but no data rows' });
  return { rows, problems };
}

function rejectProblem(file: string, r: { line: number; column_name: string | null; error_type: string; csv_line: string; error_message: string }, spec: StageSpec): Problem {
  const column = r.column_name ?? undefined;
  const m = /Could not convert string "([\s\S]*?)" to/.exec(r.error_message);
  const value = m ? m[1] : undefined;
  const base = { file, row: Number(r.line), severity: 'error' as const };
  switch (r.error_type) {
    case 'CAST': {
      const t = column ? spec.types[column] : undefined;
      if (t === 'date' || t === 'timestamp') {
        const other = value ? formatsOf(value).filter((f) => f !== spec.dateFormat && f !== 'excel') : [];
        const why = other.length
          ? `mixed date formats: this value looks like ${other[0]} but the column's dates are ${spec.dateFormat} (choose the date format)`
          : `not a valid date in the column's format ${spec.dateFormat}`;
        return { ...base, column, value, message: why };
      }
      return { ...base, column, value, message: value !== undefined ? `${whyNotNumber(value)} (expected a number)` : 'expected a number' };
    }
    case 'MISSING COLUMNS':
      return { ...base, message: 'the row has fewer fields than the header' };
    case 'TOO MANY COLUMNS':
      return { ...base, message: 'the row has more fields than the header' };
    case 'UNQUOTED VALUE':
      return { ...base, column, message: 'a field has a quote in the middle; quote the whole field' };
    case 'INVALID UNICODE':
      return { ...base, message: 'the row is not valid UTF-8 text; save the file as UTF-8' };
    case 'LINE SIZE OVER MAXIMUM':
      return { ...base, message: 'the row is longer than 64 MB' };
    default:
      return { ...base, column, message: r.error_message.split('\n')[0] };
  }
}
