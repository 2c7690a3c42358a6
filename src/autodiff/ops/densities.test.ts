import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { Graph, type Node, type Operand } from '../graph.ts';
import { Rng } from '../../util/rng.ts';
import { MarginalError } from '../../errors.ts';
import { assertClose, gradcheck, uniformVector } from '../testing/gradcheck.ts';
import { SIZES, VALUE_RTOL } from '../testing/tolerances.ts';
import * as d from './densities.ts';

type Lpdf = (x: Operand, ...p: Operand[]) => Node;
const fns: Record<string, Lpdf> = {
  normal: d.normalLpdf as Lpdf, halfNormal: d.halfNormalLpdf as Lpdf, logNormal: d.logNormalLpdf as Lpdf, gamma: d.gammaLpdf as Lpdf,
  beta: d.betaLpdf as Lpdf, studentT: d.studentTLpdf as Lpdf, exponential: d.exponentialLpdf as Lpdf,
};
/** Ranges of x and of each parameter for random checks. */
const ranges: Record<string, [number, number][]> = {
  normal: [[-3, 3], [-1, 1], [0.5, 2]],
  halfNormal: [[0.05, 3], [0.5, 2]],
  logNormal: [[0.1, 4], [-0.5, 0.5], [0.4, 1.5]],
  gamma: [[0.1, 5], [0.6, 4], [0.5, 3]],
  beta: [[0.05, 0.95], [0.6, 4], [0.6, 4]],
  studentT: [[-3, 3], [1.5, 20], [-1, 1], [0.5, 2]],
  exponential: [[0, 4], [0.3, 3]],
};

test('log densities match SciPy reference values (fixtures/densities.json, made by fixtures/densities.py)', () => {
  const ref = JSON.parse(readFileSync(new URL('./fixtures/densities.json', import.meta.url), 'utf8')) as { cases: { dist: string; params: number[]; x: number; logpdf: number }[] };
  assert.ok(ref.cases.length > 30);
  for (const c of ref.cases) {
    const g = new Graph();
    const v = fns[c.dist](g.constant([c.x]), ...c.params).value[0];
    const expected = c.logpdf === null ? -Infinity : c.logpdf;
    assertClose(v, expected, VALUE_RTOL, `${c.dist}(${c.params.join(', ')}) at ${c.x}`);
  }
});

for (const [name, fn] of Object.entries(fns)) {
  test(`${name}: gradients in x and every parameter, vector and broadcast scalar parameters, sizes ${SIZES.join(', ')}`, () => {
    const rng = new Rng(17);
    const r = ranges[name];
    for (const n of SIZES) {
      const x = uniformVector(rng, n, ...r[0]);
      const vecParams = r.slice(1).map((rr) => uniformVector(rng, n, ...rr));
      const scalarParams = r.slice(1).map((rr) => uniformVector(rng, 1, ...rr));
      // Reference: the sum of the scalar density evaluated element by element.
      const elementwise = ([xs, ...ps]: Float64Array[]) => {
        let s = 0;
        for (let i = 0; i < xs.length; i++) s += fn(new Graph().constant([xs[i]]), ...ps.map((p) => (p.length === 1 ? p[0] : p[i]))).value[0];
        return [s];
      };
      gradcheck((_g, [xs, ...ps]) => fn(xs, ...ps), [x, ...vecParams], { label: `${name} vector(${n})`, reference: elementwise });
      gradcheck((_g, [xs, ...ps]) => fn(xs, ...ps), [x, ...scalarParams], { label: `${name} scalar params(${n})`, reference: elementwise });
      // Mixed: first parameter vector, the rest scalars; x constant.
      gradcheck((_g, [xs, ...ps]) => fn(xs, ...ps), [{ value: x, grad: false }, vecParams[0], ...scalarParams.slice(1)], { label: `${name} mixed(${n})` });
    }
  });
}

test('outside the support: −Infinity, no throw', () => {
  const g = new Graph();
  assert.equal(d.halfNormalLpdf(g.constant([1, -0.1]), 1).value[0], -Infinity);
  assert.equal(d.logNormalLpdf(g.constant([0]), 0, 1).value[0], -Infinity);
  assert.equal(d.gammaLpdf(g.constant([-1]), 2, 1).value[0], -Infinity);
  assert.equal(d.betaLpdf(g.constant([1.5]), 2, 2).value[0], -Infinity);
  assert.equal(d.exponentialLpdf(g.constant([-2]), 1).value[0], -Infinity);
  assert.ok(Number.isNaN(d.normalLpdf(g.constant([0]), 0, -1).value[0]));
  // Gamma with shape 1 at x = 0 is the exponential's log λ.
  assert.equal(d.gammaLpdf(g.constant([0]), 1, 2).value[0], Math.log(2));
});

test('priorLpdf dispatches on the prior; bad sizes throw', () => {
  const g = new Graph();
  const x = g.param(2, [0.3, 0.6]);
  assert.equal(d.priorLpdf(x, { dist: 'beta', a: 2, b: 3 }).value[0], d.betaLpdf(x, 2, 3).value[0]);
  assert.equal(d.priorLpdf(x, { dist: 'gamma', shape: 2, rate: 3 }).value[0], d.gammaLpdf(x, 2, 3).value[0]);
  assert.throws(() => d.normalLpdf(x, g.param(3), 1), (e) => e instanceof MarginalError && /sizes 2, 3, 1/.test(e.message));
  assert.throws(() => d.priorLpdf(x, { dist: 'cauchy' } as never), MarginalError);
});
