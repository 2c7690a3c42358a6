import assert from 'node:assert/strict';
import { test } from 'node:test';
import { Rng } from '../../util/rng.ts';
import { kmeans, elbowKmeans } from './cluster.ts';
import { dominates, firstFronts, nonDominatedFronts, nsga2 } from './nsga2.ts';

test('firstFronts equals the full non-dominated sort on random 2- and 3-objective points (ties included)', () => {
  const rng = new Rng(4);
  for (const M of [2, 3]) {
    const pts = Array.from({ length: 400 }, () => Array.from({ length: M }, () => Math.round(rng.uniform() * 30) / 30));
    assert.deepEqual(firstFronts(pts, 3), nonDominatedFronts(pts).slice(0, 3));
  }
});

test('NSGA-II on ZDT1 (30 genes) gets far closer to the true front f2 = 1 − √f1 than random search, and is identical for a seed', () => {
  const zdt1 = (x: Float64Array) => {
    const f1 = x[0];
    let s = 0; for (let j = 1; j < x.length; j++) s += x[j];
    const g = 1 + (9 * s) / (x.length - 1);
    return [f1, g * (1 - Math.sqrt(f1 / g))];
  };
  const gapOf = (objs: number[][]) => {
    const front = firstFronts(objs, 1)[0].map((i) => objs[i]);
    return { gap: front.reduce((s, [f1, f2]) => s + (f2 - (1 - Math.sqrt(f1))), 0) / front.length, front };
  };
  const run = (seed: number, evaluations = 10000) => nsga2(30, zdt1, { evaluations, population: 100, seed });
  const all = run(3);
  const { gap, front } = gapOf(all.map((e) => e.objectives));
  const rng = new Rng(3);
  const random = gapOf(Array.from({ length: 10000 }, () => zdt1(Float64Array.from({ length: 30 }, () => rng.uniform())))).gap;
  assert.ok(gap < 0.5 * random, `NSGA-II gap ${gap} vs random search ${random}`);
  assert.ok(gapOf(run(3, 25000).map((e) => e.objectives)).gap < 0.5 * gap, 'more evaluations get closer');
  assert.ok(Math.max(...front.map((f) => f[0])) - Math.min(...front.map((f) => f[0])) > 0.5);
  assert.deepEqual(run(3).map((e) => e.objectives), all.map((e) => e.objectives));
  assert.notDeepEqual(run(4).slice(-5).map((e) => e.objectives), all.slice(-5).map((e) => e.objectives));
  assert.ok(!front.some((a) => front.some((b) => dominates(b, a))));
});

test('k-means finds three well-separated clusters; the elbow rule picks k = 3', () => {
  const rng = new Rng(2);
  const centres = [[0, 0], [10, 0], [0, 10]];
  const pts = Array.from({ length: 90 }, (_, i) => centres[i % 3].map((v) => v + 0.3 * rng.normal()));
  const c = elbowKmeans(pts, 1);
  assert.equal(c.k, 3);
  for (let i = 0; i < 90; i += 3) assert.ok(c.labels[i] === c.labels[0] && c.labels[i + 1] === c.labels[1] && c.labels[i + 2] === c.labels[2]);
  assert.ok(kmeans(pts, 3, new Rng(1)).wss < 90 * 0.3 * 0.3 * 2 * 1.5);
});
