import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Graph } from '../graph.ts';
import { Rng } from '../../util/rng.ts';
import { MarginalError } from '../../errors.ts';
import { gradcheck, uniformVector } from '../testing/gradcheck.ts';
import { vecmat } from './vecmat.ts';

const rng = new Rng(11);

const reference = (G: number, R: number, C: number, batched: boolean) => ([v, A]: Float64Array[]) => {
  const out: number[] = [];
  for (let g = 0; g < G; g++) for (let c = 0; c < C; c++) {
    let s = 0;
    for (let r = 0; r < R; r++) s += v[(batched ? g * R : 0) + r] * A[(g * R + r) * C + c];
    out.push(s);
  }
  return out;
};

test('vecmat: a worked example', () => {
  const g = new Graph();
  assert.deepEqual(Array.from(vecmat(g.constant([1, 1]), g.constant([1, 2, 3, 4], [2, 2])).value), [4, 6]);
  assert.throws(() => vecmat(g.param(3), g.param(4, 0).graph.constant([1, 2, 3, 4], [2, 2])), MarginalError);
});

test('vecmat: [R]·[R,C] for sizes 0, 1, 2 and large; gradients by finite differences', () => {
  for (const [R, C] of [[0, 3], [1, 1], [2, 2], [156, 5]]) {
    const A = uniformVector(rng, R * C, -1, 1), v = uniformVector(rng, R, -1, 1);
    gradcheck((_g, [a, b]) => vecmat(a, b), [v, { value: A, shape: [R, C] }], { label: `vecmat ${R}x${C}`, reference: reference(1, R, C, false) });
  }
});

test('vecmat: batched [G,R]·[G,R,C] and shared [R]·[G,R,C]', () => {
  const G = 3, R = 5, C = 2;
  const A = uniformVector(rng, G * R * C, -1, 1);
  gradcheck((_g, [a, b]) => vecmat(a, b), [uniformVector(rng, G * R, -1, 1), { value: A, shape: [G, R, C] }], { label: 'vecmat batched', reference: reference(G, R, C, true) });
  gradcheck((_g, [a, b]) => vecmat(a, b), [uniformVector(rng, R, -1, 1), { value: A, shape: [G, R, C] }], { label: 'vecmat shared', reference: reference(G, R, C, false) });
});
