/**
 * Tree ensembles: random forest (bootstrap rows as weights, a random subset of features per split,
 * prediction = mean of the trees) and gradient boosting for squared error (initial value = mean,
 * each round a depth-limited tree on the residuals of an optional row subsample, shrunk by the
 * learning rate). Both are prediction = base + scale · Σ_trees tree(x).
 *
 * Defaults follow scikit-learn's GradientBoostingRegressor; the forest's differ from scikit-learn's
 * RandomForestRegressor for weekly MMM data (a few hundred rows): 1/3 of the features per split (the
 * classic regression default), at least 3 rows per leaf and depth ≤ 12, which smooths the response to
 * spend and keeps TreeSHAP (cost ∝ leaves × depth²) fast.
 */
import { Rng } from '../../util/rng.ts';
import { buildTree, predictTree, presort, type Tree } from './cart.ts';

export interface ForestParams { nTrees: number; maxDepth: number; minSamplesLeaf: number; minSamplesSplit: number; maxFeatures: number; bootstrap: boolean }
export interface BoostingParams { nTrees: number; learningRate: number; maxDepth: number; minSamplesLeaf: number; minSamplesSplit: number; subsample: number; maxFeatures: number }

export const defaultForest: ForestParams = { nTrees: 100, maxDepth: 12, minSamplesLeaf: 3, minSamplesSplit: 2, maxFeatures: 1 / 3, bootstrap: true };
export const defaultBoosting: BoostingParams = { nTrees: 100, learningRate: 0.1, maxDepth: 3, minSamplesLeaf: 1, minSamplesSplit: 2, subsample: 1, maxFeatures: 1 };

export interface Ensemble { trees: Tree[]; base: number; scale: number; F: number }

/** Candidate features per split from a fraction (≤ 1) or a count (> 1). */
export function featureCount(maxFeatures: number, F: number): number {
  return Math.max(1, Math.min(F, maxFeatures <= 1 ? Math.max(1, Math.round(maxFeatures * F)) : Math.floor(maxFeatures)));
}

/** `rows` selects (with repetition) the training rows of X [n, F]; default all rows once. */
export function fitForest(X: Float64Array, n: number, F: number, y: Float64Array, params: ForestParams, seed: number, rows?: ArrayLike<number>): Ensemble {
  const rng = new Rng(seed);
  const sorted = presort(X, n, F);
  const baseW = new Float64Array(n);
  if (rows) for (let k = 0; k < rows.length; k++) baseW[rows[k]]++; else baseW.fill(1);
  const pool: number[] = [];
  for (let i = 0; i < n; i++) for (let c = 0; c < baseW[i]; c++) pool.push(i);
  const treeParams = { maxDepth: params.maxDepth, minSamplesLeaf: params.minSamplesLeaf, minSamplesSplit: params.minSamplesSplit, maxFeatures: featureCount(params.maxFeatures, F) };
  const trees: Tree[] = [];
  const w = new Float64Array(n);
  for (let b = 0; b < params.nTrees; b++) {
    if (params.bootstrap) {
      w.fill(0);
      for (let k = 0; k < pool.length; k++) w[pool[Math.floor(rng.uniform() * pool.length)]]++;
    } else w.set(baseW);
    trees.push(buildTree(X, n, F, y, w, treeParams, rng, sorted));
  }
  return { trees, base: 0, scale: 1 / params.nTrees, F };
}

export function fitBoosting(X: Float64Array, n: number, F: number, y: Float64Array, params: BoostingParams, seed: number, rows?: ArrayLike<number>): Ensemble {
  const rng = new Rng(seed);
  const sorted = presort(X, n, F);
  const baseW = new Float64Array(n);
  if (rows) for (let k = 0; k < rows.length; k++) baseW[rows[k]]++; else baseW.fill(1);
  let W = 0, S = 0;
  for (let i = 0; i < n; i++) { W += baseW[i]; S += baseW[i] * y[i]; }
  const base = S / W;
  const current = new Float64Array(n).fill(base);
  const resid = new Float64Array(n);
  const treeParams = { maxDepth: params.maxDepth, minSamplesLeaf: params.minSamplesLeaf, minSamplesSplit: params.minSamplesSplit, maxFeatures: featureCount(params.maxFeatures, F) };
  const trees: Tree[] = [];
  const w = new Float64Array(n);
  const active: number[] = [];
  for (let i = 0; i < n; i++) if (baseW[i] > 0) active.push(i);
  for (let b = 0; b < params.nTrees; b++) {
    for (let i = 0; i < n; i++) resid[i] = y[i] - current[i];
    w.set(baseW);
    if (params.subsample < 1) {
      // Subsample distinct rows without replacement (a partial shuffle of the active rows).
      const keep = Math.max(1, Math.round(params.subsample * active.length));
      const order = active.slice();
      for (let k = 0; k < keep; k++) { const j = k + Math.floor(rng.uniform() * (order.length - k)); const t = order[k]; order[k] = order[j]; order[j] = t; }
      const chosen = new Uint8Array(n);
      for (let k = 0; k < keep; k++) chosen[order[k]] = 1;
      for (let i = 0; i < n; i++) if (!chosen[i]) w[i] = 0;
    }
    const tree = buildTree(X, n, F, resid, w, treeParams, rng, sorted);
    trees.push(tree);
    for (let i = 0; i < n; i++) current[i] += params.learningRate * predictTree(tree, X, F, i);
  }
  return { trees, base, scale: params.learningRate, F };
}

/** Predictions for every row of X [m, F]. */
export function predictEnsemble(e: Ensemble, X: Float64Array, out = new Float64Array(X.length / e.F)): Float64Array {
  const m = X.length / e.F;
  for (let i = 0; i < m; i++) {
    let s = 0;
    for (const t of e.trees) s += predictTree(t, X, e.F, i);
    out[i] = e.base + e.scale * s;
  }
  return out;
}
