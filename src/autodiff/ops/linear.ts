/**
 * Reductions, products and indexing: sum, dot, matvec, gather, scatter, concat, slice.
 * Matrices are row-major with shape [rows, cols]; a leading batch dimension is stated where allowed.
 */
import { badInput } from '../../errors.ts';
import { fmtShape, type Node } from '../graph.ts';

/** Σ x → scalar (shape []). sum of an empty vector is 0. */
export function sum(x: Node): Node {
  const xv = x.value, xg = x.grad, n = x.size;
  return x.graph.op('sum', [x], [], (out) => ({
    forward() { let s = 0; for (let i = 0; i < n; i++) s += xv[i]; out.value[0] = s; },
    backward() { const g = out.grad[0]; for (let i = 0; i < n; i++) xg[i] += g; },
  }));
}

/** Σ a[i]·b[i] → scalar. Sizes must match. */
export function dot(a: Node, b: Node): Node {
  if (a.size !== b.size) throw badInput(`autodiff: dot of sizes ${a.size} and ${b.size}`);
  const av = a.value, bv = b.value, n = a.size;
  return a.graph.op('dot', [a, b], [], (out) => ({
    forward() { let s = 0; for (let i = 0; i < n; i++) s += av[i] * bv[i]; out.value[0] = s; },
    backward() {
      const g = out.grad[0];
      if (a.requiresGrad) { const ag = a.grad; for (let i = 0; i < n; i++) ag[i] += g * bv[i]; }
      if (b.requiresGrad) { const bg = b.grad; for (let i = 0; i < n; i++) bg[i] += g * av[i]; }
    },
  }));
}

/**
 * Matrix–vector product over the last dimension: y[..., r] = Σ_c A[..., r, c]·v[..., c].
 * - A [R, C], v [C] → [R] (e.g. Σ_c β[c]·x[t, c]);
 * - A [G, R, C], v [C] → [G, R] (the same v for every batch);
 * - A [G, R, C], v [G, C] → [G, R] (a v per batch, e.g. β[g, c]).
 * Either operand may be a constant or a node with a gradient.
 * Example: A = [[1, 2], [3, 4]], v = [1, 1] → [3, 7].
 */
export function matvec(A: Node, v: Node): Node {
  const sh = A.shape;
  const { G, R, C, vBatch } = batchedMatrix('matvec', A, v, 'cols');
  const Av = A.value, vv = v.value;
  const outShape = sh.slice(0, -1);
  return A.graph.op('matvec', [A, v], outShape, (out) => {
    const ov = out.value, og = out.grad;
    return {
      forward() {
        for (let g = 0; g < G; g++) {
          const vo = g * vBatch;
          for (let r = 0; r < R; r++) {
            const row = (g * R + r) * C;
            let s = 0;
            for (let c = 0; c < C; c++) s += Av[row + c] * vv[vo + c];
            ov[g * R + r] = s;
          }
        }
      },
      backward() {
        const Ag = A.grad, vg = v.grad, gA = A.requiresGrad, gv = v.requiresGrad;
        for (let g = 0; g < G; g++) {
          const vo = g * vBatch;
          for (let r = 0; r < R; r++) {
            const row = (g * R + r) * C;
            const o = og[g * R + r];
            if (gA) for (let c = 0; c < C; c++) Ag[row + c] += o * vv[vo + c];
            if (gv) for (let c = 0; c < C; c++) vg[vo + c] += o * Av[row + c];
          }
        }
      },
    };
  });
}

/**
 * Shape of a (batched) matrix A [..., R, C] and the stride of its vector operand v per batch: v has
 * one length (`cols`: C, `rows`: R) shared by every batch (stride 0), or one per batch.
 */
export function batchedMatrix(name: string, A: Node, v: Node, along: 'rows' | 'cols'): { G: number; R: number; C: number; vBatch: number } {
  const sh = A.shape;
  if (sh.length < 2) throw badInput(`autodiff: ${name} needs a matrix [rows, cols]; got shape ${fmtShape(sh)}`);
  const C = sh[sh.length - 1], R = sh[sh.length - 2];
  let G = 1;
  for (let k = 0; k < sh.length - 2; k++) G *= sh[k];
  const n = along === 'cols' ? C : R;
  if (v.size === n) return { G, R, C, vBatch: 0 };
  if (v.size === G * n && sh.length >= 3) return { G, R, C, vBatch: n };
  throw badInput(`autodiff: ${name} of A ${fmtShape(sh)} and v of size ${v.size} (expected ${n}${sh.length >= 3 ? ` or ${G * n}` : ''})`);
}

function checkIndex(name: string, index: ArrayLike<number>, bound: number): Int32Array {
  const idx = Int32Array.from(index);
  for (let i = 0; i < idx.length; i++) {
    if (idx[i] !== index[i] || idx[i] < 0 || idx[i] >= bound) {
      throw badInput(`autodiff: ${name} index ${index[i]} at position ${i} is outside 0…${bound - 1}`);
    }
  }
  return idx;
}

/**
 * y[i] = x[index[i]] — hierarchical lookup (e.g. each geo's region effect). Length = index.length.
 * Indices must be integers in 0…x.size−1 (else throws). Example: x = [10, 20], index = [1, 1, 0] → [20, 20, 10].
 */
export function gather(x: Node, index: ArrayLike<number>): Node {
  const idx = checkIndex('gather', index, x.size);
  const xv = x.value, xg = x.grad, n = idx.length;
  return x.graph.op('gather', [x], [n], (out) => ({
    forward() { const ov = out.value; for (let i = 0; i < n; i++) ov[i] = xv[idx[i]]; },
    backward() { const og = out.grad; for (let i = 0; i < n; i++) xg[idx[i]] += og[i]; },
  }));
}

/**
 * y[j] = Σ_{i: index[i] = j} x[i], y of length `size` — a segment sum (the adjoint of gather).
 * Example: x = [1, 2, 3], index = [0, 1, 0], size 2 → [4, 2].
 */
export function scatter(x: Node, index: ArrayLike<number>, size: number): Node {
  if (index.length !== x.size) throw badInput(`autodiff: scatter has ${index.length} indices for ${x.size} values`);
  const idx = checkIndex('scatter', index, size);
  const xv = x.value, xg = x.grad, n = idx.length;
  return x.graph.op('scatter', [x], [size], (out) => ({
    forward() { const ov = out.value; ov.fill(0); for (let i = 0; i < n; i++) ov[idx[i]] += xv[i]; },
    backward() { const og = out.grad; for (let i = 0; i < n; i++) xg[i] += og[idx[i]]; },
  }));
}

/** Concatenates flattened nodes into one vector. */
export function concat(xs: readonly Node[]): Node {
  if (!xs.length) throw badInput('autodiff: concat of nothing');
  const offsets: number[] = [];
  let total = 0;
  for (const x of xs) { offsets.push(total); total += x.size; }
  return xs[0].graph.op('concat', xs, [total], (out) => ({
    forward() { const ov = out.value; for (let k = 0; k < xs.length; k++) ov.set(xs[k].value, offsets[k]); },
    backward() {
      const og = out.grad;
      for (let k = 0; k < xs.length; k++) {
        const x = xs[k];
        if (!x.requiresGrad) continue;
        const xg = x.grad, o = offsets[k];
        for (let i = 0; i < x.size; i++) xg[i] += og[o + i];
      }
    },
  }));
}

/** x[start … start+length−1] of the flattened x, as a vector. */
export function slice(x: Node, start: number, length: number): Node {
  if (!(Number.isInteger(start) && Number.isInteger(length) && start >= 0 && length >= 0 && start + length <= x.size)) {
    throw badInput(`autodiff: slice ${start}+${length} of size ${x.size}`);
  }
  const xv = x.value, xg = x.grad;
  return x.graph.op('slice', [x], [length], (out) => ({
    forward() { out.value.set(xv.subarray(start, start + length)); },
    backward() { const og = out.grad; for (let i = 0; i < length; i++) xg[start + i] += og[i]; },
  }));
}

/**
 * Per-column scaling: y[..., r, c] = A[..., r, c]·v[c] — e.g. each channel's contribution h[t, c]·β[c].
 * A has shape [..., C] (any leading dimensions), v length C. Example: A = [[1, 2], [3, 4]], v = [10, 1] → [[10, 2], [30, 4]].
 */
export function scaleColumns(A: Node, v: Node): Node {
  const sh = A.shape;
  const C = sh.length ? sh[sh.length - 1] : 1;
  if (v.size !== C) throw badInput(`autodiff: scaleColumns of A ${fmtShape(sh)} needs v of size ${C}; got ${v.size}`);
  const Av = A.value, vv = v.value, n = A.size;
  return A.graph.op('scaleColumns', [A, v], sh, (out) => ({
    forward() { const ov = out.value; for (let i = 0, c = 0; i < n; i++) { ov[i] = Av[i] * vv[c]; if (++c === C) c = 0; } },
    backward() {
      const og = out.grad, Ag = A.grad, vg = v.grad, gA = A.requiresGrad, gv = v.requiresGrad;
      for (let i = 0, c = 0; i < n; i++) {
        if (gA) Ag[i] += og[i] * vv[c];
        if (gv) vg[c] += og[i] * Av[i];
        if (++c === C) c = 0;
      }
    },
  }));
}
