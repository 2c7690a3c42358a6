import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Graph } from '../graph.ts';
import { Rng } from '../../util/rng.ts';
import { MarginalError } from '../../errors.ts';
import { gradcheck, uniformVector } from '../testing/gradcheck.ts';
import { constrainNode, constrainValues, logJacobian, unconstrainValues, type Constraint } from './bijectors.ts';

const constraints: Constraint[] = [
  { type: 'real' }, { type: 'positive' }, { type: 'lower', lower: -2 }, { type: 'interval', lower: -1, upper: 3 }, { type: 'simplex' },
];
const csize = (c: Constraint, n: number) => (c.type === 'simplex' ? n + 1 : n);

/** log |det J| of the map from u to the first (unconstrained-length) constrained elements, by finite differences. */
function numericLogDet(c: Constraint, u: Float64Array): number {
  const m = u.length, n = csize(c, m), h = 1e-6;
  const J: number[][] = [];
  for (let j = 0; j < m; j++) {
    const up = Float64Array.from(u), dn = Float64Array.from(u);
    up[j] += h; dn[j] -= h;
    const a = new Float64Array(n), b = new Float64Array(n);
    constrainValues(c, up, a); constrainValues(c, dn, b);
    J.push(Array.from({ length: m }, (_, i) => (a[i] - b[i]) / (2 * h)));
  }
  // log |det| by Gaussian elimination with partial pivoting.
  let ld = 0;
  for (let k = 0; k < m; k++) {
    let p = k;
    for (let i = k + 1; i < m; i++) if (Math.abs(J[i][k]) > Math.abs(J[p][k])) p = i;
    [J[k], J[p]] = [J[p], J[k]];
    ld += Math.log(Math.abs(J[k][k]));
    for (let i = k + 1; i < m; i++) { const f = J[i][k] / J[k][k]; for (let j = k; j < m; j++) J[i][j] -= f * J[k][j]; }
  }
  return ld;
}

for (const c of constraints) {
  test(`bijector ${c.type}: round trip, log-Jacobian against a numeric determinant, gradients of value and log-Jacobian`, () => {
    const rng = new Rng(4);
    for (const m of [1, 2, 5]) {
      const u = uniformVector(rng, m, -3, 3);
      const n = csize(c, m);
      const x = new Float64Array(n);
      constrainValues(c, u, x);
      const back = new Float64Array(m);
      unconstrainValues(c, x, back, 'w');
      back.forEach((v, i) => assert.ok(Math.abs(v - u[i]) < 1e-9, `${c.type} round trip ${i}: ${v} vs ${u[i]}`));
      assert.ok(Math.abs(logJacobian(c, u, n) - numericLogDet(c, u)) < 1e-6, `${c.type} log-Jacobian (m = ${m})`);
      // Graph op agrees with the plain functions; gradients checked.
      const g = new Graph();
      const r = constrainNode(g.param(m, u), c, n);
      assert.deepEqual(Array.from(r.value.value), Array.from(x));
      if (r.logJacobian) assert.ok(Math.abs(r.logJacobian.value[0] - logJacobian(c, u, n)) < 1e-12);
      gradcheck((_g, [v]) => constrainNode(v, c, n).value, [u], { label: `${c.type} value` });
      if (c.type !== 'real') gradcheck((_g, [v]) => constrainNode(v, c, n).logJacobian!, [u], { label: `${c.type} logJacobian` });
    }
    if (c.type !== 'simplex') {
      const g = new Graph();
      gradcheck((_g, [v]) => constrainNode(v, c, 0).value, [[]], { label: `${c.type} empty` });
      assert.equal(constrainNode(g.param(0), c, 0).value.size, 0);
    }
  });
}

test('bijectors stay finite in the tails; bad values and constraints throw', () => {
  const x = new Float64Array(3);
  constrainValues({ type: 'simplex' }, [800, -800], x);
  assert.ok(x.every(Number.isFinite));
  assert.ok(Math.abs(x[0] - 1) < 1e-15);
  constrainValues({ type: 'interval', lower: 0, upper: 1 }, [-800, 800, 0], x);
  assert.deepEqual(Array.from(x), [0, 1, 0.5]);
  assert.ok(Number.isFinite(logJacobian({ type: 'interval', lower: 0, upper: 1 }, [-800, 800], 2)));
  const out = new Float64Array(2);
  assert.throws(() => unconstrainValues({ type: 'positive' }, [1, 0], out, 'sigma'), (e) => e instanceof MarginalError && e.message === 'sigma[1] = 0 must be > 0');
  assert.throws(() => unconstrainValues({ type: 'interval', lower: 0, upper: 1 }, [1, 0.5], out, 'w'), /w\[0\] = 1 must be inside \(0, 1\)/);
  assert.throws(() => unconstrainValues({ type: 'simplex' }, [0.5, 0.6], out, 'theta'), /must sum to 1/);
  assert.throws(() => unconstrainValues({ type: 'real' }, [NaN], out, 'mu'), /not a finite number/);
  const g = new Graph();
  assert.throws(() => constrainNode(g.param(2), { type: 'interval', lower: 1, upper: 1 }, 2), MarginalError);
  assert.throws(() => constrainNode(g.param(2), { type: 'simplex' }, 2), /needs 1 unconstrained/);
  assert.throws(() => constrainNode(g.param(2), { type: 'bogus' } as never, 2), /must be one of real, positive/);
});
