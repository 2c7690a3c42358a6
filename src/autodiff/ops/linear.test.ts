import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Graph } from '../graph.ts';
import { Rng } from '../../util/rng.ts';
import { MarginalError } from '../../errors.ts';
import { gradcheck, uniformVector } from '../testing/gradcheck.ts';
import { SIZES } from '../testing/tolerances.ts';
import { concat, dot, gather, matvec, scaleColumns, scatter, slice, sum } from './linear.ts';

const rng = new Rng(3);

test('sum and dot: sizes 0, 1, 2, large', () => {
  for (const n of SIZES) {
    const x = uniformVector(rng, n, -2, 2), y = uniformVector(rng, n, -2, 2);
    gradcheck((_g, [a]) => sum(a), [x], { label: `sum(${n})`, reference: ([a]) => [a.reduce((s, v) => s + v, 0)] });
    gradcheck((_g, [a, b]) => dot(a, b), [x, y], { label: `dot(${n})`, reference: ([a, b]) => [a.reduce((s, v, i) => s + v * b[i], 0)] });
  }
  const g = new Graph();
  assert.throws(() => dot(g.param(2), g.param(3)), MarginalError);
});

test('matvec: [R,C]·[C], [G,R,C]·[C], [G,R,C]·[G,C]; constant or variable matrix', () => {
  const g0 = new Graph();
  assert.deepEqual(Array.from(matvec(g0.constant([1, 2, 3, 4], [2, 2]), g0.constant([1, 1])).value), [3, 7]);
  const ref = (G: number, R: number, C: number, vb: boolean) => ([A, v]: Float64Array[]) => {
    const out: number[] = [];
    for (let g = 0; g < G; g++) for (let r = 0; r < R; r++) {
      let s = 0;
      for (let c = 0; c < C; c++) s += A[(g * R + r) * C + c] * v[(vb ? g * C : 0) + c];
      out.push(s);
    }
    return out;
  };
  for (const [R, C] of [[0, 3], [1, 1], [2, 2], [156, 5]]) {
    const A = uniformVector(rng, R * C, -1, 1), v = uniformVector(rng, C, -1, 1);
    gradcheck((_g, [a, b]) => matvec(a, b), [{ value: A, shape: [R, C] }, v], { label: `matvec ${R}x${C}`, reference: ref(1, R, C, false) });
    gradcheck((_g, [a, b]) => matvec(a, b), [{ value: A, shape: [R, C], grad: false }, v], { label: `matvec const ${R}x${C}` });
  }
  const G = 3, R = 4, C = 2;
  const A = uniformVector(rng, G * R * C, -1, 1);
  gradcheck((_g, [a, b]) => matvec(a, b), [{ value: A, shape: [G, R, C] }, uniformVector(rng, C, -1, 1)], { label: 'matvec batched shared v', reference: ref(G, R, C, false) });
  gradcheck((_g, [a, b]) => matvec(a, b), [{ value: A, shape: [G, R, C] }, { value: uniformVector(rng, G * C, -1, 1), shape: [G, C] }], { label: 'matvec batched per-batch v', reference: ref(G, R, C, true) });
  const g = new Graph();
  assert.throws(() => matvec(g.param([2, 3]), g.param(2)), (e) => e instanceof MarginalError && /expected 3/.test(e.message));
  assert.throws(() => matvec(g.param(3), g.param(3)), MarginalError);
});

test('gather and scatter are adjoint; bad indices throw', () => {
  assert.deepEqual(Array.from(gather(new Graph().constant([10, 20]), [1, 1, 0]).value), [20, 20, 10]);
  assert.deepEqual(Array.from(scatter(new Graph().constant([1, 2, 3]), [0, 1, 0], 2).value), [4, 2]);
  for (const n of SIZES) {
    const m = Math.max(1, Math.ceil(n / 3));
    const idx = Array.from({ length: n }, () => rng.int(m));
    gradcheck((_g, [x]) => gather(x, idx), [uniformVector(rng, m, -1, 1)], { label: `gather(${n})`, reference: ([x]) => idx.map((i) => x[i]) });
    gradcheck((_g, [x]) => scatter(x, idx, m), [uniformVector(rng, n, -1, 1)], {
      label: `scatter(${n})`,
      reference: ([x]) => { const o = new Float64Array(m); idx.forEach((j, i) => { o[j] += x[i]; }); return o; },
    });
  }
  const g = new Graph();
  assert.throws(() => gather(g.param(2), [0, 2]), (e) => e instanceof MarginalError && /index 2 at position 1/.test(e.message));
  assert.throws(() => gather(g.param(2), [0.5]), MarginalError);
  assert.throws(() => scatter(g.param(2), [0], 1), MarginalError);
});

test('concat and slice', () => {
  gradcheck((_g, [a, b, c]) => concat([a, b, c]), [[1, 2], [], [3]], { label: 'concat', reference: () => [1, 2, 3] });
  gradcheck((_g, [a]) => slice(a, 1, 2), [[1, 2, 3, 4]], { label: 'slice', reference: () => [2, 3] });
  assert.throws(() => slice(new Graph().param(3), 2, 2), MarginalError);
});

test('scaleColumns: [R, C] and [G, R, C] times a per-column vector', () => {
  const g0 = new Graph();
  assert.deepEqual(Array.from(scaleColumns(g0.constant([1, 2, 3, 4], [2, 2]), g0.constant([10, 1])).value), [10, 2, 30, 4]);
  for (const shape of [[0, 3], [1, 1], [2, 2], [156, 5], [3, 4, 2]]) {
    const n = shape.reduce((a, b) => a * b, 1), C = shape[shape.length - 1];
    const A = uniformVector(rng, n, -1, 1), v = uniformVector(rng, C, -1, 1);
    gradcheck((_g, [a, b]) => scaleColumns(a, b), [{ value: A, shape }, v], { label: `scaleColumns [${shape}]`, reference: ([a, b]) => a.map((x, i) => x * b[i % C]) });
  }
  const g = new Graph();
  assert.throws(() => scaleColumns(g.param([2, 3]), g.param(2)), (e) => e instanceof MarginalError && /size 3; got 2/.test(e.message));
});
