/**
 * Writes named tables of flat rows (numbers, strings, booleans, nulls) to a folder as CSV and
 * Parquet: `<dir>/<name>.csv` and `<dir>/<name>.parquet`. CSV goes through `toCsv` (formula-looking
 * text defused); Parquet through DuckDB (rows as newline-delimited JSON, types inferred per column).
 * Non-finite numbers become empty cells / nulls. An empty table (no rows, so no columns either) is
 * written as an empty CSV and no Parquet file (Parquet needs a schema); `describeWritten` says so.
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { badInput } from '../errors.ts';
import { toCsv } from './export.ts';
import { lit, Workspace } from './workspace.ts';

export type TableRow = Record<string, string | number | boolean | null>;

export interface WrittenTable { name: string; rows: number; csv: string; parquet: string | null }

export async function writeTables(dir: string, tables: Record<string, TableRow[]>, formats: ('csv' | 'parquet')[] = ['csv', 'parquet']): Promise<WrittenTable[]> {
  for (const name of Object.keys(tables)) if (!/^[A-Za-z0-9_-]+$/.test(name)) throw badInput(`table name '${name}' must be letters, digits, _ or -`);
  try { mkdirSync(dir, { recursive: true }); } catch (e) { throw badInput(`--out: cannot create folder '${dir}': ${(e as Error).message}`); }
  const out: WrittenTable[] = [];
  const scratch = mkdtempSync(join(tmpdir(), 'marginal-tables-'));
  const ws = formats.includes('parquet') ? await Workspace.open(':memory:') : null;
  try {
    for (const [name, rows] of Object.entries(tables)) {
      const header = [...new Set(rows.flatMap((r) => Object.keys(r)))];
      const csv = join(dir, `${name}.csv`);
      if (formats.includes('csv')) writeFileSync(csv, toCsv(rows, header));
      let parquet: string | null = null;
      if (ws && rows.length) {
        const json = join(scratch, `${name}.ndjson`);
        writeFileSync(json, rows.map((r) => JSON.stringify(Object.fromEntries(header.map((h) => [h, clean(r[h])])))).join('\n') + '\n');
        parquet = join(dir, `${name}.parquet`);
        await ws.run(`COPY (SELECT * FROM read_json(${lit(json)}, format = 'newline_delimited')) TO ${lit(parquet)} (FORMAT parquet)`);
      }
      out.push({ name, rows: rows.length, csv, parquet });
    }
  } finally {
    ws?.close();
    rmSync(scratch, { recursive: true, force: true });
  }
  return out;
}

/**
 * What `writeTables` wrote, in one line: how many tables, in which formats, each with its row count;
 * a table written without Parquet (no rows, so no columns to give the file) is named as such.
 */
export function describeWritten(written: readonly WrittenTable[], dir: string): string {
  const n = written.length;
  const noParquet = written.filter((w) => w.parquet === null).map((w) => w.name);
  const what = `${n} table${n === 1 ? '' : 's'}`;
  const formats = noParquet.length === 0 ? `as CSV and Parquet`
    : noParquet.length === n ? 'as CSV'
      : `as CSV, ${n - noParquet.length} of them also as Parquet (${noParquet.join(', ')} ${noParquet.length === 1 ? 'has' : 'have'} no rows, so no Parquet file)`;
  return `wrote ${what} to ${dir} ${formats}: ${written.map((w) => `${w.name} (${w.rows})`).join(', ')}`;
}

function clean(v: unknown): unknown {
  if (v === undefined) return null;
  if (typeof v === 'number' && !Number.isFinite(v)) return null;
  return v;
}
