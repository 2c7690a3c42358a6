/**
 * Reads a large query result straight into typed arrays, chunk by chunk (no row objects, no JS
 * array per column): for stages that pull millions of numeric rows out of the workspace.
 *
 *   const { cid, t } = await readNumeric(ws, 'SELECT cid, t FROM …', { cid: 'int32', t: 'float64' });
 *
 * Each named column must be a numeric column of the result; NULL reads as NaN (float64) or −1 (int32).
 */
import { badInput } from '../errors.ts';
import type { Workspace } from './workspace.ts';

export type NumericKind = 'int32' | 'float64';
type Out<K extends Record<string, NumericKind>> = { [C in keyof K]: K[C] extends 'int32' ? Int32Array : Float64Array };

export async function readNumeric<K extends Record<string, NumericKind>>(ws: Workspace, sql: string, columns: K): Promise<Out<K>> {
  const result = await ws.stream(sql);
  const names = Object.keys(columns);
  const index = names.map((n) => {
    const i = result.columnNames().indexOf(n);
    if (i < 0) throw badInput(`readNumeric: the query has no column '${n}'`);
    return i;
  });
  let cap = 1 << 16, n = 0;
  let arrays = names.map((c) => (columns[c] === 'int32' ? new Int32Array(cap) : new Float64Array(cap)));
  for (;;) {
    const chunk = await result.fetchChunk();
    if (!chunk || chunk.rowCount === 0) break;
    const rows = chunk.rowCount;
    if (n + rows > cap) {
      while (n + rows > cap) cap *= 2;
      arrays = arrays.map((a) => { const b = a instanceof Int32Array ? new Int32Array(cap) : new Float64Array(cap); b.set(a.subarray(0, n)); return b; });
    }
    for (let k = 0; k < names.length; k++) {
      const v = chunk.getColumnVector(index[k]);
      const a = arrays[k];
      const missing = a instanceof Int32Array ? -1 : NaN;
      for (let r = 0; r < rows; r++) { const x = v.getItem(r); a[n + r] = x === null ? missing : Number(x); }
    }
    n += rows;
  }
  const out: Record<string, Int32Array | Float64Array> = {};
  names.forEach((c, k) => { out[c] = arrays[k].slice(0, n); });
  return out as Out<K>;
}
