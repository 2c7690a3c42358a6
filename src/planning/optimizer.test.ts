import { test } from 'node:test';
import assert from 'node:assert/strict';
import { optimizeBudget, hillCurve } from './index.ts';
import { gridBest, logCurve, rng } from './testing.ts';
import type { ResponseCurve } from './types.ts';

const sum = (xs: number[]) => xs.reduce((a, b) => a + b, 0);
const close = (a: number, b: number, rel: number, what = '') => assert.ok(Math.abs(a - b) <= rel * Math.max(Math.abs(b), 1e-12), `${what}: ${a} vs ${b}`);

test('log curves: KKT closed form s_i = a_i/λ − b_i, λ = Σa/(B + Σb) over funded curves; one curve left at 0', () => {
  const a = [100, 80, 60, 5], b = [10, 20, 15, 50], B = 120;
  const curves = a.map((ai, i) => logCurve(`c${i}`, ai, b[i]));
  // c3 has marginal 5/50 = 0.1 at 0, below λ: unfunded.
  const lambda = (100 + 80 + 60) / (B + 10 + 20 + 15);
  const want = [...a.slice(0, 3).map((ai, i) => ai / lambda - b[i]), 0];
  const r = optimizeBudget({ curves, budget: B });
  r.allocation.forEach((x, i) => close(x.spend, want[i], 1e-6, x.key));
  close(sum(r.allocation.map((x) => x.spend)), B, 1e-12, 'sum');
  assert.ok(r.equalMroi !== null);
  close(r.equalMroi!, lambda, 1e-6, 'equal mROI');
  r.allocation.slice(0, 3).forEach((x) => close(x.mroi, lambda, 1e-6, `mroi ${x.key}`));
  assert.ok(r.allocation[3].mroi < lambda);
  close(r.total.expected, sum(a.map((ai, i) => ai * Math.log1p(want[i] / b[i]))), 1e-9, 'total');
  assert.ok(r.iterations > 1);
});

test('S-shaped Hill curves: matches a dense grid search within 0.1% (2 and 3 channels, 30 random problems)', () => {
  const u = rng(7);
  for (let t = 0; t < 30; t++) {
    const m = t % 2 ? 3 : 2;
    const curves: ResponseCurve[] = [];
    for (let i = 0; i < m; i++) curves.push(hillCurve({ channel: `ch${i}`, beta: 50 + 200 * u(), k: 10 + 90 * u(), shape: 1 + 3 * u(), reference: 1 + u() }));
    const budget = 20 + 200 * u();
    const grid = gridBest(curves, budget, m === 2 ? 20000 : 400);
    const r = optimizeBudget({ curves, budget });
    assert.ok(r.total.expected >= grid.value * (1 - 1e-3), `problem ${t}: optimizer ${r.total.expected} < grid ${grid.value}`);
    // The grid is an approximation from below; we should not lose to it by more than its resolution.
    assert.ok(r.total.expected >= grid.value - 1e-6 * grid.value || m === 3, `problem ${t} (2 channels): ${r.total.expected} < ${grid.value}`);
    close(r.total.spend, budget, 1e-12, 'sum');
  }
});

test('an S-curve that a local optimizer started at the reference would never fund (convex start, big payoff)', () => {
  // tv: near-zero slope at small spend but saturates high; radio: concave, modest. Reference mix puts ~nothing on tv.
  const tv = hillCurve({ channel: 'tv', beta: 1000, k: 60, shape: 4, reference: 1 });
  const radio = hillCurve({ channel: 'radio', beta: 150, k: 20, shape: 1, reference: 99 });
  const budget = 100;
  const grid = gridBest([tv, radio], budget, 100000);
  const r = optimizeBudget({ curves: [tv, radio], budget });
  close(r.total.expected, grid.value, 1e-6, 'vs grid');
  assert.ok(r.allocation[0].spend > 50, `tv gets ${r.allocation[0].spend}`);
  assert.ok(r.total.expected > r.baseline.total.expected);
  // And with a budget too small to get tv past its threshold, radio takes it all.
  const small = optimizeBudget({ curves: [tv, radio], budget: 15 });
  close(small.total.expected, gridBest([tv, radio], 15, 100000).value, 1e-6, 'small budget vs grid');
});

test('at the optimum, curves strictly inside their bounds share one marginal ROI; bounded ones sit on the right side', () => {
  const u = rng(3);
  const curves = Array.from({ length: 60 }, (_, i) =>
    hillCurve({ channel: `ch${i % 12}`, geo: `g${Math.floor(i / 12)}`, beta: 100 + 900 * u(), k: 20 + 200 * u(), shape: 0.8 + 2.2 * u(), reference: 5 + 50 * u() }));
  const constraints = { ch0: { max: 10 }, 'ch1@g2': { min: 80 } };
  const r = optimizeBudget({ curves, budget: 3000, constraints });
  const lam = r.equalMroi!;
  assert.ok(lam > 0);
  let inside = 0;
  r.allocation.forEach((x) => {
    const atMax = x.channel === 'ch0' && Math.abs(x.spend - 10) < 1e-9;
    const atMin = x.key === 'ch1@g2' && Math.abs(x.spend - 80) < 1e-9;
    if (x.spend < 1e-9) assert.ok(x.mroi <= lam * (1 + 1e-6), `${x.key} at 0 has mroi ${x.mroi} > ${lam}`);
    else if (atMax) assert.ok(x.mroi >= lam * (1 - 1e-6), `${x.key} at max`);
    else if (atMin) assert.ok(x.mroi <= lam * (1 + 1e-6), `${x.key} at min`);
    else { inside++; close(x.mroi, lam, 1e-6, `mroi ${x.key}`); }
  });
  assert.ok(inside > 20);
  close(r.total.spend, 3000, 1e-12, 'sum');
});

test('profit: spends m·a − b on each log curve when the budget allows, and never more than the budget', () => {
  const a = [100, 50], b = [10, 20], m = 2;
  const curves = a.map((ai, i) => logCurve(`c${i}`, ai, b[i]));
  const r = optimizeBudget({ curves, budget: 1000, objective: 'profit', margin: m });
  r.allocation.forEach((x, i) => close(x.spend, m * a[i] - b[i], 1e-6, x.key));
  close(r.equalMroi!, 1 / m, 1e-6, 'mroi = 1/margin');
  close(r.objective.value, sum(a.map((ai, i) => m * ai * Math.log1p((m * ai - b[i]) / b[i]) - (m * ai - b[i]))), 1e-9, 'profit');
  // Budget binding: the outcome optimum (λ = Σa/(B+Σb) = 150/130 > 1/m).
  const tight = optimizeBudget({ curves, budget: 100, objective: 'profit', margin: m });
  close(tight.total.spend, 100, 1e-12, 'binding');
  tight.allocation.forEach((x, i) => close(x.spend, a[i] / (150 / 130) - b[i], 1e-6, x.key));
});

test('posterior draws give intervals: per curve and for the total, from the draws at the optimal spends', () => {
  const u = rng(11);
  const D = 200;
  const curves = Array.from({ length: 4 }, (_, i) => {
    const beta = 100 + 50 * i, k = 30, shape = 1.5;
    const draws = { beta: Float64Array.from({ length: D }, () => beta * (0.7 + 0.6 * u())), k: new Float64Array(D).fill(k), shape: new Float64Array(D).fill(shape) };
    return hillCurve({ channel: `c${i}`, beta, k, shape, reference: 10, draws });
  });
  const r = optimizeBudget({ curves, budget: 200, intervalMass: 0.8 });
  const totals = new Float64Array(D);
  r.allocation.forEach((x, i) => {
    const d = curves[i].draws!(x.spend);
    d.forEach((v, k) => { totals[k] += v; });
    const s = Float64Array.from(d).sort();
    const q = (p: number) => { const h = (D - 1) * p, k = Math.floor(h); return s[k] + (h - k) * (s[k + 1] - s[k]); };
    close(x.expectedInterval![0], q(0.1), 1e-12, 'lo'); close(x.expectedInterval![1], q(0.9), 1e-12, 'hi');
    assert.ok(x.expectedInterval![0] < x.expected && x.expected < x.expectedInterval![1]);
  });
  const st = totals.sort();
  const tq = (p: number) => { const h = (D - 1) * p, k = Math.floor(h); return st[k] + (h - k) * (st[k + 1] - st[k]); };
  close(r.total.expectedInterval![0], tq(0.1), 1e-12, 'total lo');
  close(r.total.expectedInterval![1], tq(0.9), 1e-12, 'total hi');
  assert.ok(r.baseline.total.expectedInterval);
});
