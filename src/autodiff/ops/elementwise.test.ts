import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Graph, type Node } from '../graph.ts';
import { Rng } from '../../util/rng.ts';
import { MarginalError } from '../../errors.ts';
import { gradcheck, uniformVector } from '../testing/gradcheck.ts';
import { SIZES } from '../testing/tolerances.ts';
import * as ew from './elementwise.ts';
import gammaln from '@stdlib/math-base-special-gammaln';

type Unary = { name: string; op: (x: Node) => Node; f: (x: number) => number; lo: number; hi: number; edges: number[] };
const unaries: Unary[] = [
  { name: 'neg', op: ew.neg, f: (x) => -x, lo: -3, hi: 3, edges: [0] },
  { name: 'exp', op: ew.exp, f: Math.exp, lo: -5, hi: 5, edges: [0, -30] },
  { name: 'log', op: ew.log, f: Math.log, lo: 0.05, hi: 10, edges: [1e-3, 1e6] },
  { name: 'log1p', op: ew.log1p, f: Math.log1p, lo: -0.9, hi: 10, edges: [0, 1e-12] },
  { name: 'expm1', op: ew.expm1, f: Math.expm1, lo: -5, hi: 5, edges: [0, 1e-12] },
  { name: 'sqrt', op: ew.sqrt, f: Math.sqrt, lo: 0.05, hi: 10, edges: [1e-4] },
  { name: 'square', op: ew.square, f: (x) => x * x, lo: -3, hi: 3, edges: [0] },
  { name: 'sigmoid', op: ew.sigmoid, f: (x) => 1 / (1 + Math.exp(-x)), lo: -8, hi: 8, edges: [0, -40, 40] },
  { name: 'softplus', op: ew.softplus, f: (x) => Math.log(1 + Math.exp(x)), lo: -8, hi: 8, edges: [0, -40, 30] },
  { name: 'lgamma', op: ew.lgamma, f: gammaln, lo: 0.1, hi: 20, edges: [1, 2, 0.5] },
];

for (const u of unaries) {
  test(`${u.name}: values and gradients at sizes ${SIZES.join(', ')} and edge values`, () => {
    const rng = new Rng(11);
    for (const n of SIZES) gradcheck((_g, [x]) => u.op(x), [uniformVector(rng, n, u.lo, u.hi)], { label: `${u.name}(${n})`, reference: ([x]) => x.map(u.f) });
    gradcheck((_g, [x]) => u.op(x), [u.edges], { label: `${u.name} edges`, reference: ([x]) => x.map(u.f) });
  });
}

test('sigmoid and softplus stay finite and exact in the tails', () => {
  const g = new Graph();
  const x = g.param(4, [-800, -40, 40, 800]);
  const sg = ew.sigmoid(x).value;
  assert.equal(sg[0], 0);
  assert.ok(Math.abs(sg[1] / Math.exp(-40) - 1) < 1e-12);
  assert.equal(sg[3], 1);
  const sp = ew.softplus(x).value;
  assert.equal(sp[0], 0);
  assert.equal(sp[3], 800);
});

type Binary = { name: string; op: (a: Node | number, b: Node | number) => Node; f: (a: number, b: number) => number; a: [number, number]; b: [number, number] };
const binaries: Binary[] = [
  { name: 'add', op: ew.add, f: (a, b) => a + b, a: [-3, 3], b: [-3, 3] },
  { name: 'sub', op: ew.sub, f: (a, b) => a - b, a: [-3, 3], b: [-3, 3] },
  { name: 'mul', op: ew.mul, f: (a, b) => a * b, a: [-3, 3], b: [-3, 3] },
  { name: 'div', op: ew.div, f: (a, b) => a / b, a: [-3, 3], b: [0.5, 3] },
  { name: 'pow', op: ew.pow, f: Math.pow, a: [0.1, 3], b: [-2, 2] },
];

for (const b of binaries) {
  test(`${b.name}: vector∘vector, vector∘scalar, scalar∘vector at sizes ${SIZES.join(', ')}`, () => {
    const rng = new Rng(5);
    for (const n of SIZES) {
      const x = uniformVector(rng, n, ...b.a), y = uniformVector(rng, n, ...b.b);
      const s = uniformVector(rng, 1, ...b.b), t = uniformVector(rng, 1, ...b.a);
      gradcheck((_g, [p, q]) => b.op(p, q), [x, y], { label: `${b.name} vv(${n})`, reference: ([p, q]) => p.map((v, i) => b.f(v, q[i])) });
      gradcheck((_g, [p, q]) => b.op(p, q), [x, s], { label: `${b.name} vs(${n})`, reference: ([p, q]) => p.map((v) => b.f(v, q[0])) });
      gradcheck((_g, [p, q]) => b.op(p, q), [t, y], { label: `${b.name} sv(${n})`, reference: ([p, q]) => q.map((v) => b.f(p[0], v)) });
      gradcheck((_g, [p, q]) => b.op(p, q), [x, { value: y, grad: false }], { label: `${b.name} v∘const(${n})` });
    }
  });
}

test('pow: 0^b has a finite gradient in b, and x^0 a zero gradient in x', () => {
  gradcheck((_g, [a, e]) => ew.pow(a, e), [{ value: [0, 0], grad: false }, [1.5, 2]], { label: 'pow 0^b' });
  gradcheck((_g, [x]) => ew.pow(x, 0), [[0, 2]], { label: 'pow x^0', reference: () => [1, 1] });
});

test('numbers become constants; mismatched sizes and foreign nodes throw MarginalError', () => {
  const g = new Graph();
  const x = g.param(3, [1, 2, 3]);
  assert.deepEqual(Array.from(ew.add(x, 1).value), [2, 3, 4]);
  assert.deepEqual(Array.from(ew.sub(10, x).value), [9, 8, 7]);
  assert.throws(() => ew.add(x, g.param(2)), (e) => e instanceof MarginalError && /sizes 3 and 2/.test(e.message));
  assert.throws(() => ew.mul(x, new Graph().param(3)), MarginalError);
  assert.throws(() => ew.add(1 as never, 2 as never), MarginalError);
});

test('ops on constants only are folded (evaluated once, not taped)', () => {
  const g = new Graph();
  const c = ew.exp(g.constant([0, 1]));
  assert.equal(c.kind, 'const');
  assert.equal(g.ops.length, 0);
  const p = g.param(2, [1, 1]);
  ew.mul(c, p);
  assert.equal(g.ops.length, 1);
});
