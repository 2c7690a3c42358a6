/**
 * Against scikit-learn on the same design matrices (runs when Debian's python3-sklearn is present;
 * otherwise skipped locally with the reason logged; CI installs it and fails without it; bench/families.ts repeats
 * these comparisons): linear and ridge coefficients to 1e-8 relative; forest and boosting holdout R²
 * within 0.02 of scikit-learn's with the same hyperparameters, averaged over seeds.
 */
import assert from 'node:assert/strict';
import { basename } from 'node:path';
import { test } from 'node:test';
import { sklearnReference, sklearnStatus } from '../../bench/sklearn/reference.ts';
import { readWideTable } from '../../src/data/index.ts';
import { Rng } from '../../src/util/rng.ts';
import { readModelConfig } from '../../src/app/modelConfigFile.ts';
import { buildModelData } from '../../src/models/design.ts';
import { buildClassicDesign } from '../../src/models/linear/design.ts';
import { defaultMediaParams } from '../../src/models/linear/media.ts';
import { ridgeSolve } from '../../src/models/linear/solve.ts';
import { fitBoosting, fitForest, predictEnsemble } from '../../src/models/trees/ensemble.ts';
import { fitMetrics } from '../../src/models/metrics.ts';

const status = sklearnStatus();
// CI installs python3-sklearn (.ci/apt-packages), so there the comparison must run, never skip.
if (!status.ok && process.env.CI) throw new Error(`scikit-learn is required in CI: ${status.reason}`);
if (!status.ok) console.log(`# scikit-learn comparisons skipped: ${status.reason}`);
const skip = status.ok ? false : status.reason;

async function robynDesign() {
  const config = readModelConfig('test/families/fixtures/robyn-ridge.json');
  const t = await readWideTable(config.data.file!);
  const data = buildModelData(config, { source: basename(config.data.file!), rowCount: t.rowCount, columns: t.columns });
  const d = buildClassicDesign(config, data, defaultMediaParams(config, data));
  return { X: d.X, P: d.P, y: data.y, train: d.inRows, test: d.outRows };
}

/** Friedman #1: y = 10 sin(π x1 x2) + 20 (x3 − ½)² + 10 x4 + 5 x5 + N(0, 1), 10 features, random split. */
export function friedman1(n: number, seed: number) {
  const rng = new Rng(seed), P = 10;
  const X = Float64Array.from({ length: n * P }, () => rng.uniform());
  const y = Float64Array.from({ length: n }, (_, i) => { const x = X.subarray(i * P, i * P + P); return 10 * Math.sin(Math.PI * x[0] * x[1]) + 20 * (x[2] - 0.5) ** 2 + 10 * x[3] + 5 * x[4] + rng.normal(); });
  const order = Array.from({ length: n }, (_, i) => i);
  for (let i = n - 1; i > 0; i--) { const j = Math.floor(rng.uniform() * (i + 1)); [order[i], order[j]] = [order[j], order[i]]; }
  const cut = Math.round((2 * n) / 3);
  return { X, P, y, train: Int32Array.from(order.slice(0, cut)), test: Int32Array.from(order.slice(cut)) };
}

const relClose = (a: ArrayLike<number>, b: ArrayLike<number>, tol: number, what: string) => {
  for (let j = 0; j < b.length; j++) assert.ok(Math.abs(a[j] - b[j]) <= tol * Math.abs(b[j]), `${what} ${j}: ${a[j]} vs scikit-learn ${b[j]} (rel ${Math.abs(a[j] - b[j]) / Math.abs(b[j])})`);
};

test('linear and ridge coefficients equal scikit-learn to 1e-8 relative (Robyn design matrix)', { skip }, async () => {
  const { X, P, y, train, test: hold } = await robynDesign();
  const ref = sklearnReference(X, P, y, train, hold, [{ kind: 'linear' }, { kind: 'ridge', alpha: 5e4 }, { kind: 'ridge', alpha: 3, standardize: true }]).results;
  const ols = ridgeSolve(X, P, y, 0, { rows: train, penalty: 'raw' });
  relClose(ols.coef, ref[0].coef, 1e-8, 'linear coef');
  relClose([ols.intercept], [ref[0].intercept], 1e-8, 'linear intercept');
  const raw = ridgeSolve(X, P, y, 5e4, { rows: train, penalty: 'raw' });
  relClose(raw.coef, ref[1].coef, 1e-8, 'ridge coef');
  relClose([raw.intercept], [ref[1].intercept], 1e-8, 'ridge intercept');
  // Our default penalty (standardized features) is scikit-learn's Ridge on z-scores with the same alpha.
  const std = ridgeSolve(X, P, y, 3, { rows: train, penalty: 'standardized' });
  relClose(std.coef, ref[2].coef, 1e-8, 'standardized ridge coef');
});

test('forest and boosting: holdout R² within 0.02 of scikit-learn with the same hyperparameters (mean of 5 seeds)', { skip }, async () => {
  const seeds = [1, 2, 3, 4, 5];
  const forest = { nTrees: 100, maxFeatures: 4, minSamplesLeaf: 3, minSamplesSplit: 2, maxDepth: 12, bootstrap: true };
  const boosting = { nTrees: 100, learningRate: 0.1, maxDepth: 3, minSamplesLeaf: 1, minSamplesSplit: 2, subsample: 0.8, maxFeatures: 1 };
  const sk = [
    { kind: 'forest' as const, params: { n_estimators: 100, max_features: 4, min_samples_leaf: 3, max_depth: 12 }, seeds },
    { kind: 'boosting' as const, params: { n_estimators: 100, learning_rate: 0.1, max_depth: 3, subsample: 0.8 }, seeds },
  ];
  for (const [name, d] of [['robyn', await robynDesign()], ['friedman1', friedman1(600, 9)]] as const) {
    const ref = sklearnReference(d.X, d.P, d.y, d.train, d.test, sk).results;
    const ours = (fit: (s: number) => ReturnType<typeof fitForest>) => seeds.map((s) => {
      const e = fit(s);
      const p = predictEnsemble(e, d.X);
      return fitMetrics(Array.from(d.test, (i) => d.y[i]), Array.from(d.test, (i) => p[i])).r2;
    });
    const mean = (a: number[]) => a.reduce((x, v) => x + v, 0) / a.length;
    const rf = mean(ours((s) => fitForest(d.X, d.X.length / d.P, d.P, d.y, forest, s, d.train)));
    const gb = mean(ours((s) => fitBoosting(d.X, d.X.length / d.P, d.P, d.y, boosting, s, d.train)));
    console.log(`# ${name}: forest R² ${rf.toFixed(4)} vs scikit-learn ${mean(ref[0].r2).toFixed(4)}; boosting ${gb.toFixed(4)} vs ${mean(ref[1].r2).toFixed(4)}`);
    assert.ok(Math.abs(rf - mean(ref[0].r2)) < 0.02, `${name} forest: ${rf} vs ${mean(ref[0].r2)}`);
    assert.ok(Math.abs(gb - mean(ref[1].r2)) < 0.02, `${name} boosting: ${gb} vs ${mean(ref[1].r2)}`);
  }
});
