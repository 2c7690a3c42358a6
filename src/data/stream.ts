/**
 * Reads a large query result straight into typed arrays, chunk by chunk (no row objects, no JS
 * array per column): for stages that pull millions of numeric rows out of the workspace.
 *
 *   const { cid, t } = await readNumeric(ws, 'SELECT cid, t FROM …', { cid: 'int32', t: 'float64' });
 *
 * Each named column must be a numeric column of the result; NULL reads as NaN (float64) or −1
 * (int32). A `uint64` column (a 64-bit hash) is copied bit for bit; it must have no NULL.
 */
import { DuckDBTypeId } from '@duckdb/node-api';
import { badInput } from '../errors.ts';
import type { Workspace } from './workspace.ts';

export type NumericKind = 'int32' | 'float64' | 'uint64';
type ArrayOf<K extends NumericKind> = K extends 'int32' ? Int32Array : K extends 'uint64' ? BigUint64Array : Float64Array;
type Out<K extends Record<string, NumericKind>> = { [C in keyof K]: ArrayOf<K[C]> };
type AnyArray = Int32Array | Float64Array | BigUint64Array;

/** What a DuckDB vector exposes: `items` (its values as a typed array, for fixed-width types) and its validity. */
interface RawVector {
  type: { typeId: DuckDBTypeId };
  items?: ArrayLike<number | bigint> & { BYTES_PER_ELEMENT: number };
  // `data` is null when every row is valid (a field of the library's DuckDBValidity, read to skip the per-row check).
  validity?: { data?: unknown; itemValid(i: number): boolean };
  getItem(i: number): unknown;
}

/** Types whose `items` are their values (a DECIMAL's are scaled integers, a BIGINT's BigInts: those go row by row). */
const PLAIN_NUMBERS = new Set<DuckDBTypeId>([
  DuckDBTypeId.TINYINT, DuckDBTypeId.SMALLINT, DuckDBTypeId.INTEGER, DuckDBTypeId.UTINYINT, DuckDBTypeId.USMALLINT, DuckDBTypeId.UINTEGER, DuckDBTypeId.FLOAT, DuckDBTypeId.DOUBLE,
]);

function allocate(kind: NumericKind, n: number): AnyArray {
  return kind === 'int32' ? new Int32Array(n) : kind === 'uint64' ? new BigUint64Array(n) : new Float64Array(n);
}

export async function readNumeric<K extends Record<string, NumericKind>>(ws: Workspace, sql: string, columns: K): Promise<Out<K>> {
  let out: Out<K> | null = null;
  // One slice of every row: `take` is called once, at the end, with views of the grown arrays.
  await readNumericSlices(await ws.stream(sql), columns, Infinity, (rows, n) => {
    out = Object.fromEntries(Object.entries(rows).map(([c, a]) => [c, (a as Float64Array).slice(0, n)])) as Out<K>;
    return n;
  });
  return out ?? (Object.fromEntries(Object.entries(columns).map(([c, k]) => [c, allocate(k, 0)])) as Out<K>);
}

/** A query result read chunk by chunk (DuckDB's streaming or materialized result). */
export interface ChunkSource {
  columnNames(): string[];
  fetchChunk(): Promise<{ rowCount: number; getColumnVector(i: number): unknown } | null>;
}

/**
 * Reads a result in slices of about `sliceRows` rows into reused typed arrays, for results too large
 * to hold: `take(arrays, n, last)` gets the rows read so far and returns how many it used (from the
 * front; the rest is kept, moved to the front, and given again with the next rows). With `last` it
 * must use them all. The arrays are views: copy what must outlive the call.
 */
export async function readNumericSlices<K extends Record<string, NumericKind>>(result: ChunkSource, columns: K, sliceRows: number, take: (rows: Out<K>, n: number, last: boolean) => number): Promise<number> {
  const names = Object.keys(columns);
  const kinds = names.map((n) => columns[n]);
  const index = names.map((n) => {
    const i = result.columnNames().indexOf(n);
    if (i < 0) throw badInput(`readNumeric: the query has no column '${n}'`);
    return i;
  });
  let cap = Number.isFinite(sliceRows) ? Math.max(4096, sliceRows + 2048) : 1 << 16, n = 0, total = 0;
  let arrays = kinds.map((k) => allocate(k, cap));
  // When `take` uses nothing (one customer's rows longer than a slice), it is asked again only once the rows have doubled, not at every chunk.
  let ask = sliceRows;
  const view = (len: number) => Object.fromEntries(names.map((c, k) => [c, arrays[k].subarray(0, len)])) as Out<K>;
  for (;;) {
    const chunk = await result.fetchChunk();
    const rows = chunk?.rowCount ?? 0;
    if (rows === 0) break;
    if (n + rows > cap) {
      // What `take` kept (one customer's rows, say) grew past the slice, or the slice is every row: grow the arrays.
      while (n + rows > cap) cap *= 2;
      arrays = arrays.map((a, k) => { const b = allocate(kinds[k], cap); (b as Float64Array).set(a.subarray(0, n) as Float64Array); return b; });
    }
    for (let k = 0; k < names.length; k++) copyColumn(chunk!.getColumnVector(index[k]) as RawVector, arrays[k], kinds[k], n, rows, names[k]);
    n += rows; total += rows;
    if (n >= ask) {
      const used = take(view(n), n, false);
      for (const a of arrays) (a as Float64Array).copyWithin(0, used, n);
      n -= used;
      ask = used === 0 ? 2 * n : sliceRows;
    }
  }
  if (n > 0) take(view(n), n, true);
  return total;
}

/**
 * Copies one vector into `a` at `at`. A fixed-width vector without NULLs is copied whole (`set`: a
 * memory copy when the element types match, a conversion when they are numbers of another width);
 * otherwise row by row.
 */
function copyColumn(v: RawVector, a: AnyArray, kind: NumericKind, at: number, rows: number, name: string): void {
  const items = v.items;
  const noNulls = v.validity !== undefined && v.validity.data === null;
  if (kind === 'uint64') {
    if (v.type.typeId !== DuckDBTypeId.UBIGINT && v.type.typeId !== DuckDBTypeId.BIGINT) throw badInput(`readNumeric: column '${name}' is not a 64-bit integer`);
    if (!noNulls) for (let r = 0; r < rows; r++) if (!v.validity!.itemValid(r)) throw badInput(`readNumeric: column '${name}' has a NULL`);
    const raw = items as unknown as BigUint64Array;
    (a as BigUint64Array).set(new BigUint64Array(raw.buffer, raw.byteOffset, rows), at);
    return;
  }
  if (noNulls && items !== undefined && PLAIN_NUMBERS.has(v.type.typeId)) {
    (a as Float64Array).set(items as unknown as Float64Array, at);
    return;
  }
  const missing = kind === 'int32' ? -1 : NaN;
  for (let r = 0; r < rows; r++) { const x = v.getItem(r); a[at + r] = x === null ? missing : Number(x); }
}
