/** Converts a Parquet file to CSV with DuckDB; a damaged or truncated file becomes a BAD_FILE error. */
import { DuckDBInstance } from '@duckdb/node-api';
import { basename } from 'node:path';
import { badFile } from '../../errors.ts';

export async function parquetToCsv(file: string, csvPath: string): Promise<void> {
  const inst = await DuckDBInstance.create(':memory:', { memory_limit: '512MB' });
  const conn = await inst.connect();
  try {
    await conn.run(`COPY (SELECT * FROM read_parquet(${lit(file)})) TO ${lit(csvPath)} (HEADER, DELIMITER ',', DATEFORMAT '%Y-%m-%d', TIMESTAMPFORMAT '%Y-%m-%d %H:%M:%S')`);
  } catch (err) {
    const msg = (err instanceof Error ? err.message : String(err)).split('\n')[0];
    throw badFile({ file: basename(file), message: `not a valid Parquet file, perhaps truncated (${msg})` });
  } finally {
    conn.closeSync();
    inst.closeSync();
  }
}

function lit(s: string): string {
  return `'${s.replaceAll("'", "''")}'`;
}
