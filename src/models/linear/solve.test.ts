import assert from 'node:assert/strict';
import { test } from 'node:test';
import { Rng } from '../../util/rng.ts';
import { ridgeSolve } from './solve.ts';

function randomProblem(n: number, P: number, seed: number) {
  const rng = new Rng(seed);
  const X = Float64Array.from({ length: n * P }, () => rng.normal() * 10 + 3);
  const w = Float64Array.from({ length: P }, (_, j) => j - 1.5);
  const y = Float64Array.from({ length: n }, (_, i) => { let s = 4; for (let j = 0; j < P; j++) s += X[i * P + j] * w[j]; return s; });
  return { X, y, w };
}

test('least squares: x = [0, 1, 2], y = [1, 3, 5] gives intercept 1 and slope 2', () => {
  const s = ridgeSolve(Float64Array.of(0, 1, 2), 1, [1, 3, 5], 0);
  assert.ok(Math.abs(s.intercept - 1) < 1e-12 && Math.abs(s.coef[0] - 2) < 1e-12);
});

test('noise-free data: least squares recovers the generating coefficients to 1e-10', () => {
  const { X, y, w } = randomProblem(50, 4, 3);
  const s = ridgeSolve(X, 4, y, 0);
  for (let j = 0; j < 4; j++) assert.ok(Math.abs(s.coef[j] - w[j]) < 1e-10, `coef ${j}: ${s.coef[j]} vs ${w[j]}`);
  assert.ok(Math.abs(s.intercept - 4) < 1e-9);
});

test('ridge (raw penalty) satisfies its normal equations: Xcᵀ(yc − Xc w) = λ w', () => {
  const { X, y } = randomProblem(40, 3, 5);
  const lambda = 250;
  const s = ridgeSolve(X, 3, y, lambda, { penalty: 'raw' });
  const n = 40, P = 3;
  for (let j = 0; j < P; j++) {
    let g = 0;
    for (let i = 0; i < n; i++) {
      let r = y[i] - s.intercept;
      for (let k = 0; k < P; k++) r -= X[i * P + k] * s.coef[k];
      g += X[i * P + j] * r;
    }
    assert.ok(Math.abs(g - lambda * s.coef[j]) < 1e-7 * (1 + Math.abs(lambda * s.coef[j])), `gradient ${j}: ${g} vs ${lambda * s.coef[j]}`);
  }
});

test('bounds: the solution satisfies the KKT conditions and beats every feasible perturbation', () => {
  const { X, y } = randomProblem(60, 4, 9); // true coefficients −1.5, −0.5, 0.5, 1.5
  const lower = [0, 0, 0, 0];
  const s = ridgeSolve(X, 4, y, 0, { lower });
  const sse = (c: ArrayLike<number>, a: number) => { let t = 0; for (let i = 0; i < 60; i++) { let r = y[i] - a; for (let j = 0; j < 4; j++) r -= X[i * 4 + j] * c[j]; t += r * r; } return t; };
  assert.ok(s.coef.every((c) => c >= 0));
  assert.equal(s.coef[0], 0);
  const best = sse(s.coef, s.intercept);
  const rng = new Rng(1);
  for (let k = 0; k < 200; k++) {
    const c = Float64Array.from(s.coef, (v) => Math.max(0, v + 0.01 * rng.normal()));
    // the intercept re-optimized for the perturbed coefficients
    let a = 0; for (let i = 0; i < 60; i++) { let r = y[i]; for (let j = 0; j < 4; j++) r -= X[i * 4 + j] * c[j]; a += r; }
    assert.ok(sse(c, a / 60) >= best - 1e-6 * best);
  }
});

test('constant column: coefficient 0 and reported; collinear columns: jitter instead of a crash', () => {
  const X = Float64Array.from({ length: 20 }, (_, k) => (k % 2 === 0 ? k : 7));
  const y = Float64Array.from({ length: 10 }, (_, i) => 2 * i);
  const s = ridgeSolve(X, 2, y, 0);
  assert.deepEqual(s.dropped, [1]);
  assert.equal(s.coef[1], 0);
  const Xc = Float64Array.from({ length: 20 }, (_, k) => Math.floor(k / 2));
  const t = ridgeSolve(Xc, 2, y, 0);
  assert.ok(t.jitter);
  assert.ok(Math.abs(t.coef[0] + t.coef[1] - 2) < 1e-6);
});
