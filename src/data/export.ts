/**
 * Exports a harmonized table (wide) or a dataset's stored rows to CSV or Parquet. CSV text cells
 * that a spreadsheet would run as a formula (starting with = + - @ tab or CR) are written with a
 * leading apostrophe (OWASP's advice against CSV injection); numbers are never altered.
 */
import { writeFileSync } from 'node:fs';
import { extname } from 'node:path';
import { badInput } from '../errors.ts';
import { lit, type Workspace } from './workspace.ts';
import { wideRows } from './harmonize/load.ts';
import { getDataset, rowsTable } from './catalog.ts';

/** Escapes a text cell for CSV: formula-looking text gets a leading `'`, then RFC 4180 quoting. */
export function csvText(v: string): string {
  const safe = /^[=+\-@\t\r]/.test(v) ? `'${v}` : v;
  return /[",\n\r]/.test(safe) ? `"${safe.replaceAll('"', '""')}"` : safe;
}

function csvValue(v: unknown): string {
  if (v === null || v === undefined) return '';
  if (typeof v === 'number') return Number.isFinite(v) ? String(v) : '';
  if (v instanceof Date) return v.toISOString().slice(0, 10);
  return csvText(String(v));
}

export function toCsv(rows: Record<string, unknown>[], header?: string[]): string {
  const cols = header ?? (rows.length ? Object.keys(rows[0]) : []);
  return [cols.map(csvText).join(','), ...rows.map((r) => cols.map((c) => csvValue(r[c])).join(','))].join('\n') + '\n';
}

function formatOf(out: string): 'csv' | 'parquet' {
  const ext = extname(out).toLowerCase();
  if (ext === '.csv') return 'csv';
  if (ext === '.parquet') return 'parquet';
  throw badInput(`--out must end in .csv or .parquet; got '${out}'`);
}

export async function exportHarmonized(ws: Workspace, id: string, out: string): Promise<{ rows: number; columns: string[] }> {
  const format = formatOf(out);
  const rows = await wideRows(ws, id);
  const columns = rows.length ? Object.keys(rows[0]) : [];
  if (format === 'csv') {
    writeFileSync(out, toCsv(rows, columns));
  } else {
    // Pivot in DuckDB so types stay numeric; column order as in the columnar table.
    const value = columns.filter((c) => c !== 'date' && c !== 'geo');
    const hasGeo = columns.includes('geo');
    const sel = [`date`, ...(hasGeo ? ['geo'] : []), ...value.map((c) => `first(value) FILTER (WHERE "column" = ${lit(c)}) AS "${c.replaceAll('"', '""')}"`)];
    await ws.run(`COPY (SELECT ${sel.join(', ')} FROM harmonized_values WHERE harmonized = ${lit(id)} GROUP BY date, geo ORDER BY geo NULLS FIRST, date) TO ${lit(out)} (FORMAT parquet)`);
  }
  return { rows: rows.length, columns };
}

export async function exportDataset(ws: Workspace, id: string, out: string): Promise<{ rows: number }> {
  const format = formatOf(out);
  const info = await getDataset(ws, id);
  const table = rowsTable(info);
  if (format === 'parquet') {
    await ws.run(`COPY (SELECT * EXCLUDE (dataset) FROM ${table} WHERE dataset = ${lit(id)}) TO ${lit(out)} (FORMAT parquet)`);
    return { rows: info.stored };
  }
  const rows = await ws.all(`SELECT * EXCLUDE (dataset) FROM ${table} WHERE dataset = ?`, [id]);
  writeFileSync(out, toCsv(rows.map((r) => Object.fromEntries(Object.entries(r).map(([k, v]) => [k, v instanceof Date ? (table === 'touchpoint_events' ? v.toISOString() : v.toISOString().slice(0, 10)) : v])))));
  return { rows: rows.length };
}
