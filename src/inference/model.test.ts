import { test } from 'node:test';
import assert from 'node:assert/strict';
import gammaln from '@stdlib/math-base-special-gammaln';
import { defineModel, type Model } from './model.ts';
import type { Target } from './target.ts';
import { Rng } from '../util/rng.ts';
import { MarginalError } from '../errors.ts';
import * as ad from '../autodiff/index.ts';
import { GRAD_TOL } from '../autodiff/testing/tolerances.ts';

const y = Float64Array.from([1.2, 0.7, 2.1, 1.6, 0.9, 1.4]);
const X = Float64Array.from([1, 0, 2, 1, 0, 3, 1, 1, 1, 2, 0, 2, 1, 0, 0, 1, 2, 1]); // [6, 3]

/** Every constraint kind, a matrix parameter, a regression likelihood and a generated quantity. */
function fullModel(): Model {
  return defineModel({
    params: [
      { name: 'mu', size: 1 },
      { name: 'sigma', size: 1, constraint: { type: 'positive' } },
      { name: 'w', size: 3, constraint: { type: 'interval', lower: 0, upper: 1 } },
      { name: 'theta', size: 4, constraint: { type: 'simplex' } },
      { name: 'm', shape: [2, 2], constraint: { type: 'lower', lower: -1 } },
    ],
    build: (g, p, ctx) => {
      const Xn = g.constant(X, [6, 3]);
      const mean = ad.add(p.mu, ad.matvec(Xn, p.w));
      ctx.generate('mean', mean);
      return {
        logDensity: ad.add(
          ad.add(ad.normalLpdf(g.constant(y), mean, p.sigma), ad.halfNormalLpdf(p.sigma, 2)),
          ad.add(ad.betaLpdf(p.w, 2, 2), ad.add(ad.normalLpdf(p.mu, 0, 3), ad.add(ad.dot(p.theta, g.constant([1, 2, 3, 4])), ad.sum(ad.square(p.m))))),
        ),
        generated: { thetaSum: ad.sum(p.theta) },
      };
    },
  });
}

test('layout: dimension, names, Target interface', () => {
  const model = fullModel();
  const t: Target = model;
  assert.equal(t.dim, 1 + 1 + 3 + 3 + 4);
  assert.equal(model.constrainedDim, 1 + 1 + 3 + 4 + 4);
  assert.deepEqual(model.paramNames(), ['mu', 'sigma', 'w[0]', 'w[1]', 'w[2]', 'theta[0]', 'theta[1]', 'theta[2]', 'theta[3]', 'm[0,0]', 'm[0,1]', 'm[1,0]', 'm[1,1]']);
  assert.deepEqual(model.unconstrainedNames().slice(5, 8), ['theta__alr[0]', 'theta__alr[1]', 'theta__alr[2]']);
  assert.deepEqual(model.generatedNames(), ['mean', 'thetaSum']);
  assert.deepEqual(model.params.map((p) => [p.offset, p.length, p.constrainedOffset]), [[0, 1, 0], [1, 1, 1], [2, 3, 2], [5, 3, 5], [8, 4, 9]]);
});

test('constrain and unconstrain round-trip; constrainFlat follows paramNames', () => {
  const model = fullModel();
  const values = { mu: -0.4, sigma: [1.7], w: [0.1, 0.5, 0.95], theta: [0.1, 0.2, 0.3, 0.4], m: [-0.5, 0, 2, 10] };
  const theta = model.unconstrain(values);
  const back = model.constrain(theta);
  for (const [k, v] of Object.entries(values)) {
    const arr = typeof v === 'number' ? [v] : v;
    arr.forEach((x, i) => assert.ok(Math.abs(back[k][i] - x) < 1e-12, `${k}[${i}]: ${back[k][i]} vs ${x}`));
  }
  const flat = model.constrainFlat(theta);
  assert.deepEqual(Array.from(flat), Object.values(back).flatMap((v) => Array.from(v)));
  const rng = new Rng(1);
  const t2 = model.init(rng);
  assert.ok(t2.every((v) => v > -2 && v < 2));
  const again = model.unconstrain(model.constrain(t2));
  t2.forEach((v, i) => assert.ok(Math.abs(again[i] - v) < 1e-9));
});

test('log-Jacobians: a positive parameter with a log-normal density is a normal density on the log scale', () => {
  const mu = 0.3, s = 0.8;
  const model = defineModel({
    params: [{ name: 'x', size: 1, constraint: { type: 'positive' } }],
    build: (_g, p) => ad.logNormalLpdf(p.x, mu, s),
  });
  for (const u of [-2, 0, 0.3, 1.7]) {
    const closed = -0.5 * Math.log(2 * Math.PI) - Math.log(s) - 0.5 * ((u - mu) / s) ** 2;
    const grad = new Float64Array(1);
    assert.ok(Math.abs(model.logDensityGradient(Float64Array.of(u), grad) - closed) < 1e-12);
    assert.ok(Math.abs(grad[0] - -(u - mu) / (s * s)) < 1e-12);
  }
});

test('log-Jacobians: an interval parameter with a beta density; a uniform simplex under Dirichlet(1,…,1)', () => {
  const a = 2.5, b = 1.5;
  const model = defineModel({
    params: [{ name: 'p', size: 1, constraint: { type: 'interval', lower: 0, upper: 1 } }],
    build: (_g, p) => ad.betaLpdf(p.p, a, b),
  });
  for (const u of [-3, 0, 2]) {
    const sg = 1 / (1 + Math.exp(-u));
    const closed = a * Math.log(sg) + b * Math.log(1 - sg) - (gammaln(a) + gammaln(b) - gammaln(a + b));
    assert.ok(Math.abs(model.logDensity(Float64Array.of(u)) - closed) < 1e-12);
  }
  // Flat density on a 3-simplex: the pushforward density of u is Γ(3)·Π x_k, whose integral over ℝ² is 1.
  const simplex = defineModel({ params: [{ name: 't', size: 3, constraint: { type: 'simplex' } }], build: (g) => g.constant(Math.log(2)) });
  let integral = 0;
  const h = 0.05;
  for (let u0 = -20; u0 < 20; u0 += h) for (let u1 = -20; u1 < 20; u1 += h) integral += Math.exp(simplex.logDensity(Float64Array.of(u0, u1))) * h * h;
  assert.ok(Math.abs(integral - 1) < 1e-3, `integral ${integral}`);
});

test('gradient of the whole model against finite differences, at random points, reusing one tape', () => {
  const model = fullModel();
  const rng = new Rng(8);
  const grad = new Float64Array(model.dim);
  for (let rep = 0; rep < 5; rep++) {
    const theta = model.init(rng, 1.5);
    const lp = model.logDensityGradient(theta, grad);
    assert.ok(Number.isFinite(lp));
    assert.equal(model.logDensity(theta), lp);
    for (let i = 0; i < model.dim; i++) {
      const h = 1e-6;
      const up = Float64Array.from(theta), dn = Float64Array.from(theta);
      up[i] += h; dn[i] -= h;
      const fd = (model.logDensity(up) - model.logDensity(dn)) / (2 * h);
      assert.ok(Math.abs(fd - grad[i]) <= GRAD_TOL * Math.max(1, Math.abs(fd)), `∂/∂${model.unconstrainedNames()[i]}: ${grad[i]} vs ${fd}`);
    }
  }
});

test('generated quantities are evaluated on request, at the given θ', () => {
  const model = fullModel();
  const theta = model.unconstrain({ mu: 1, sigma: 1, w: [0.5, 0.25, 0.5], theta: [0.25, 0.25, 0.25, 0.25], m: [0, 0, 0, 0] });
  const gq = model.generated(theta);
  // rows of X: [1,0,2] [1,0,3] [1,1,1] [2,0,2] [1,0,0] [1,2,1]; mean = 1 + X·[0.5, 0.25, 0.5]
  assert.deepEqual(Array.from(gq.mean), [2.5, 3, 2.25, 3, 1.5, 2.5]);
  assert.ok(Math.abs(gq.thetaSum[0] - 1) < 1e-15);
  // A returned copy: a later evaluation does not change it.
  model.logDensity(model.init(new Rng(2)));
  assert.equal(gq.thetaSum.length, 1);
  assert.deepEqual(Object.keys(model.generated(theta, ['thetaSum'])), ['thetaSum']);
  assert.throws(() => model.generated(theta, ['nope']), (e) => e instanceof MarginalError && /known: mean, thetaSum/.test(e.message));
});

test('outside the support the density is −Infinity without throwing; bad specs and inputs throw MarginalError', () => {
  const model = defineModel({ params: [{ name: 'x', size: 1 }], build: (_g, p) => ad.halfNormalLpdf(p.x, 1) });
  const grad = new Float64Array(1).fill(7);
  assert.equal(model.logDensityGradient(Float64Array.of(-1), grad), -Infinity);
  assert.equal(grad[0], 0);
  const m = fullModel();
  assert.throws(() => m.logDensity(new Float64Array(3)), (e) => e instanceof MarginalError && /length 3; the model's dimension is 12/.test(e.message));
  assert.throws(() => m.logDensityGradient(new Float64Array(12), new Float64Array(2)), MarginalError);
  assert.throws(() => m.unconstrain({ mu: 0 }), /no value for parameter 'sigma'/);
  assert.throws(() => m.unconstrain({ mu: 0, sigma: -1, w: [0.5, 0.5, 0.5], theta: [0.25, 0.25, 0.25, 0.25], m: [0, 0, 0, 0] }), /sigma\[0\] = -1 must be > 0/);
  assert.throws(() => m.unconstrain({ bogus: 1 } as never), /unknown parameter 'bogus'/);
  const build = (_g: unknown, p: Record<string, ad.Node>) => ad.sum(p.a);
  assert.throws(() => defineModel({ params: [{ name: 'a' }, { name: 'a' }], build }), /duplicate/);
  assert.throws(() => defineModel({ params: [{ name: 'a', size: -1 }], build }), /bad shape/);
  assert.throws(() => defineModel({ params: [{ name: 'a', size: 1, constraint: { type: 'simplex' } }], build }), /simplex must be a vector of size ≥ 2/);
  assert.throws(() => defineModel({ params: [{ name: 'a', size: 2 }], build: (_g, p) => p.a }), /scalar node/);
});
