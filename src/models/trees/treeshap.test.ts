import assert from 'node:assert/strict';
import { test } from 'node:test';
import { Rng } from '../../util/rng.ts';
import { buildTree, predictTree, presort, type Tree } from './cart.ts';
import { fitBoosting, fitForest, predictEnsemble } from './ensemble.ts';
import { ensembleShap, expectedValue, treeShap } from './treeshap.ts';

/** Path-dependent value of a coalition: follow known features, split by cover on unknown ones. */
function coalitionValue(tree: Tree, x: Float64Array, known: Set<number>, node = 0): number {
  if (tree.left[node] < 0) return tree.value[node];
  const f = tree.feature[node];
  if (known.has(f)) return coalitionValue(tree, x, known, x[f] <= tree.threshold[node] ? tree.left[node] : tree.right[node]);
  const l = tree.left[node], r = tree.right[node];
  return (tree.cover[l] * coalitionValue(tree, x, known, l) + tree.cover[r] * coalitionValue(tree, x, known, r)) / tree.cover[node];
}

/** Exact Shapley values by enumerating every coalition (2^F). */
function bruteShap(tree: Tree, x: Float64Array, F: number): Float64Array {
  const phi = new Float64Array(F);
  const fact = (k: number): number => (k <= 1 ? 1 : k * fact(k - 1));
  for (let j = 0; j < F; j++) {
    for (let mask = 0; mask < 1 << F; mask++) {
      if (mask & (1 << j)) continue;
      const S = new Set<number>();
      for (let k = 0; k < F; k++) if (mask & (1 << k)) S.add(k);
      const weight = (fact(S.size) * fact(F - S.size - 1)) / fact(F);
      const withJ = new Set(S); withJ.add(j);
      phi[j] += weight * (coalitionValue(tree, x, withJ) - coalitionValue(tree, x, S));
    }
  }
  return phi;
}

function data(n: number, F: number, seed: number) {
  const rng = new Rng(seed);
  const X = Float64Array.from({ length: n * F }, () => rng.uniform());
  // Interactions and repeated splits on the same feature.
  const y = Float64Array.from({ length: n }, (_, i) => Math.sin(6 * X[i * F]) + 2 * X[i * F + 1] * X[i * F + 2] + (X[i * F + 3] > 0.5 ? 1 : 0) + 0.1 * rng.normal());
  return { X, y };
}

test('a stump at a right-leaf row: φ0 = 0.5 and φ_x = 0.5', () => {
  const X = Float64Array.of(1, 2, 3, 4), y = Float64Array.of(0, 0, 1, 1);
  const tree = buildTree(X, 4, 1, y, new Float64Array(4).fill(1), { maxDepth: 1, minSamplesLeaf: 1, minSamplesSplit: 2, maxFeatures: 1 }, new Rng(1), presort(X, 4, 1));
  assert.equal(tree.threshold[0], 2.5);
  const phi = new Float64Array(1);
  treeShap(tree, X, 1, 3, phi, 1);
  assert.equal(expectedValue(tree), 0.5);
  assert.ok(Math.abs(phi[0] - 0.5) < 1e-15);
});

test('TreeSHAP equals brute-force Shapley values of the path-dependent game (deep trees, 5 features)', () => {
  const F = 5, n = 300;
  const { X, y } = data(n, F, 11);
  const tree = buildTree(X, n, F, y, new Float64Array(n).fill(1), { maxDepth: 8, minSamplesLeaf: 3, minSamplesSplit: 2, maxFeatures: F }, new Rng(2), presort(X, n, F));
  for (const row of [0, 17, 123, 299]) {
    const phi = new Float64Array(F);
    treeShap(tree, X, F, row, phi, 1);
    const brute = bruteShap(tree, X.subarray(row * F, (row + 1) * F), F);
    for (let j = 0; j < F; j++) assert.ok(Math.abs(phi[j] - brute[j]) < 1e-10, `row ${row} feature ${j}: ${phi[j]} vs ${brute[j]}`);
  }
});

test('forest and boosting: φ0 + Σφ equals every prediction to 1e-9', () => {
  const F = 6, n = 200;
  const { X, y } = data(n, F, 5);
  const forest = fitForest(X, n, F, y, { nTrees: 30, maxDepth: Infinity, minSamplesLeaf: 1, minSamplesSplit: 2, maxFeatures: 0.5, bootstrap: true }, 3);
  const boost = fitBoosting(X, n, F, y, { nTrees: 60, learningRate: 0.1, maxDepth: 3, minSamplesLeaf: 1, minSamplesSplit: 2, subsample: 0.8, maxFeatures: 1 }, 3);
  for (const e of [forest, boost]) {
    const pred = predictEnsemble(e, X);
    const { phi, expected } = ensembleShap(e, X);
    for (let i = 0; i < n; i++) {
      let s = expected;
      for (let j = 0; j < F; j++) s += phi[i * F + j];
      assert.ok(Math.abs(s - pred[i]) < 1e-9 * Math.max(1, Math.abs(pred[i])), `row ${i}: ${s} vs ${pred[i]}`);
    }
  }
  // A single tree's prediction agrees with predictTree.
  assert.equal(predictEnsemble({ trees: [forest.trees[0]], base: 0, scale: 1, F }, X)[7], predictTree(forest.trees[0], X, F, 7));
});
