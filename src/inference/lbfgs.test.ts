import { test } from 'node:test';
import assert from 'node:assert/strict';
import { MarginalError } from '../errors.ts';
import { correlatedGaussian, gaussianTarget, linearPosterior, linearRegression, simulateRegression } from './examples/index.ts';
import { laplace, negHessian } from './laplace.ts';
import { lbfgs, wolfeSearch } from './lbfgs.ts';
import type { Target } from './target.ts';

/** Rosenbrock's banana as a log-density: logp = −(1−x)² − 100(y−x²)², maximum at (1, 1). */
const rosenbrock: Target = {
  dim: 2,
  logDensityGradient(t, g) {
    const [x, y] = t;
    g[0] = 2 * (1 - x) + 400 * x * (y - x * x);
    g[1] = -200 * (y - x * x);
    return -((1 - x) ** 2) - 100 * (y - x * x) ** 2;
  },
};

test('L-BFGS finds the mode of a 50-D correlated Gaussian', () => {
  const g = correlatedGaussian(50, 0.8, 1);
  const r = lbfgs(gaussianTarget(g), new Float64Array(50));
  assert.ok(r.converged, r.reason);
  for (let i = 0; i < 50; i++) assert.ok(Math.abs(r.theta[i] - g.mean[i]) < 1e-4);
  assert.ok(r.iterations < 400);
});

test('L-BFGS solves Rosenbrock from (-1.2, 1)', () => {
  const r = lbfgs(rosenbrock, Float64Array.from([-1.2, 1]));
  assert.ok(r.converged, r.reason);
  assert.ok(Math.abs(r.theta[0] - 1) < 1e-5 && Math.abs(r.theta[1] - 1) < 1e-5, `${r.theta}`);
  assert.ok(r.gradNorm < 1e-4);
});

test('the line search returns a step satisfying the strong Wolfe conditions', () => {
  const x = Float64Array.from([-1.2, 1]), g = new Float64Array(2);
  const f = (p: Float64Array, gr: Float64Array) => { const lp = rosenbrock.logDensityGradient(p, gr); gr[0] = -gr[0]; gr[1] = -gr[1]; return -lp; };
  const f0 = f(x, g);
  const dir = Float64Array.from([-g[0], -g[1]]);
  const dg0 = dir[0] * g[0] + dir[1] * g[1];
  const xo = new Float64Array(2), go = new Float64Array(2);
  const r = wolfeSearch(f, x, f0, g, dir, dg0, 1, 1e-4, 0.9, xo, go, 2)!;
  assert.ok(r && r.f <= f0 + 1e-4 * r.step * dg0, 'sufficient decrease');
  assert.ok(Math.abs(go[0] * dir[0] + go[1] * dir[1]) <= 0.9 * Math.abs(dg0), 'curvature');
});

test('L-BFGS stays inside the support when the density is zero beyond a boundary', () => {
  // logp = log(x) − x on x > 0 (Gamma(2, 1)): mode at 1; -Infinity for x ≤ 0.
  const t: Target = { dim: 1, logDensityGradient: (th, g) => { if (th[0] <= 0) { g[0] = NaN; return -Infinity; } g[0] = 1 / th[0] - 1; return Math.log(th[0]) - th[0]; } };
  const r = lbfgs(t, Float64Array.from([0.01]));
  assert.ok(Math.abs(r.theta[0] - 1) < 1e-6, `${r.theta[0]}`);
  assert.throws(() => lbfgs(t, Float64Array.from([-1])), (e) => e instanceof MarginalError && e.code === 'FIT_FAILED');
});

test('Laplace: exact for a Gaussian posterior (conjugate regression) — Hessian, covariance and draws', () => {
  const data = simulateRegression(40, [0.5, 1, -1], 3, 'linear');
  const args = { ...data, sigma: 1, priorSd: 3 };
  const target = linearRegression(args);
  const truth = linearPosterior(args);
  const map = lbfgs(target, new Float64Array(3));
  for (let j = 0; j < 3; j++) assert.ok(Math.abs(map.theta[j] - truth.mean[j]) < 1e-6);
  const lap = laplace(target, map.theta, { draws: 20000, seed: 1 });
  for (let k = 0; k < 9; k++) assert.ok(Math.abs(lap.covariance[k] - truth.cov[k]) < 1e-6 * Math.max(1, Math.abs(truth.cov[k])));
  for (let j = 0; j < 3; j++) {
    let m = 0, v = 0;
    for (let i = 0; i < 20000; i++) m += lap.draws[i * 3 + j] / 20000;
    for (let i = 0; i < 20000; i++) v += (lap.draws[i * 3 + j] - m) ** 2 / 19999;
    const sd = Math.sqrt(truth.cov[j * 4]);
    assert.ok(Math.abs(m - truth.mean[j]) < 4 * sd / Math.sqrt(20000));
    assert.ok(Math.abs(v / truth.cov[j * 4] - 1) < 4 * Math.sqrt(2 / 20000));
  }
  assert.deepEqual(laplace(target, map.theta, { draws: 5, seed: 7 }).draws, laplace(target, map.theta, { draws: 5, seed: 7 }).draws);
});

test('Laplace refuses a point that is not a maximum', () => {
  const saddle: Target = { dim: 2, logDensityGradient: (t, g) => { g[0] = -t[0]; g[1] = t[1]; return -0.5 * t[0] ** 2 + 0.5 * t[1] ** 2; } };
  assert.ok(negHessian(saddle, new Float64Array(2))[3] < 0);
  assert.throws(() => laplace(saddle, new Float64Array(2), { draws: 1, seed: 1 }), (e) => e instanceof MarginalError && e.code === 'FIT_FAILED');
});
