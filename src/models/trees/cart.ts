/**
 * CART regression trees (squared error) on a row-major feature matrix X [n, F], with sample weights
 * (bootstrap counts), a random subset of candidate features per split, maximum depth and minimum
 * samples per leaf (counted in distinct rows, as scikit-learn). Splits are found by scanning rows
 * presorted once per feature and partitioned stably down the tree (O(n·F) per level).
 *
 * A tree is flat arrays indexed by node; node 0 is the root; leaves have left = −1. A row goes left
 * when x[feature] <= threshold (the midpoint between the two neighbouring training values).
 * Example: x = [1, 2, 3, 4], y = [0, 0, 1, 1], depth 1 → one split at 2.5, leaves 0 and 1.
 */
import type { Rng } from '../../util/rng.ts';

export interface Tree {
  feature: Int32Array;
  threshold: Float64Array;
  left: Int32Array;
  right: Int32Array;
  value: Float64Array;
  /** Weighted number of training rows that reached the node (TreeSHAP's cover). */
  cover: Float64Array;
  maxDepth: number;
}

export interface TreeParams {
  maxDepth: number;
  minSamplesLeaf: number;
  minSamplesSplit: number;
  /** Candidate features per split (1…F). */
  maxFeatures: number;
}

/** Row orders sorted by each feature: [F][n]. Compute once per X and share between trees. */
export function presort(X: Float64Array, n: number, F: number): Int32Array[] {
  return Array.from({ length: F }, (_, f) => {
    const idx = Int32Array.from({ length: n }, (_, i) => i);
    const key = Float64Array.from({ length: n }, (_, i) => X[i * F + f]);
    return idx.sort((a, b) => key[a] - key[b] || a - b);
  });
}

export function buildTree(X: Float64Array, n: number, F: number, y: Float64Array, w: Float64Array, params: TreeParams, rng: Rng, sorted: Int32Array[]): Tree {
  const feature: number[] = [], threshold: number[] = [], left: number[] = [], right: number[] = [], value: number[] = [], cover: number[] = [];
  let maxDepthSeen = 0;
  const goLeft = new Uint8Array(n);
  const featOrder = Int32Array.from({ length: F }, (_, f) => f);
  // Root lists: rows with positive weight, in each feature's order.
  const root = sorted.map((s) => s.filter((i) => w[i] > 0));
  const stack: { lists: Int32Array[]; node: number; depth: number }[] = [];
  const newNode = () => { feature.push(-1); threshold.push(0); left.push(-1); right.push(-1); value.push(0); cover.push(0); return feature.length - 1; };
  stack.push({ lists: root, node: newNode(), depth: 0 });
  while (stack.length) {
    const { lists, node, depth } = stack.pop()!;
    const rows = lists[0];
    const m = rows.length;
    let W = 0, S = 0, SS = 0;
    for (let k = 0; k < m; k++) { const i = rows[k]; W += w[i]; S += w[i] * y[i]; SS += w[i] * y[i] * y[i]; }
    value[node] = S / W;
    cover[node] = W;
    if (depth > maxDepthSeen) maxDepthSeen = depth;
    const impurity = SS - (S * S) / W;
    if (depth >= params.maxDepth || m < params.minSamplesSplit || m < 2 * params.minSamplesLeaf || !(impurity > 1e-12 * Math.max(SS, 1e-300))) continue;
    // Candidate features: a partial Fisher–Yates shuffle.
    for (let f = 0; f < params.maxFeatures; f++) {
      const j = f + Math.floor(rng.uniform() * (F - f));
      const t = featOrder[f]; featOrder[f] = featOrder[j]; featOrder[j] = t;
    }
    let bestGain = 0, bestF = -1, bestT = 0;
    const base = (S * S) / W;
    for (let q = 0; q < params.maxFeatures; q++) {
      const f = featOrder[q];
      const list = lists[f];
      let wl = 0, sl = 0;
      for (let k = 0; k < m - 1; k++) {
        const i = list[k];
        wl += w[i]; sl += w[i] * y[i];
        if (k + 1 < params.minSamplesLeaf || m - k - 1 < params.minSamplesLeaf) continue;
        const xa = X[i * F + f], xb = X[list[k + 1] * F + f];
        if (!(xb > xa)) continue;
        const wr = W - wl, sr = S - sl;
        const gain = (sl * sl) / wl + (sr * sr) / wr - base;
        if (gain > bestGain + 1e-12 * Math.abs(base)) {
          bestGain = gain; bestF = f;
          let t = (xa + xb) / 2;
          if (t >= xb) t = xa;
          bestT = t;
        }
      }
    }
    if (bestF < 0) continue;
    feature[node] = bestF; threshold[node] = bestT;
    for (let k = 0; k < m; k++) { const i = rows[k]; goLeft[i] = X[i * F + bestF] <= bestT ? 1 : 0; }
    const leftLists: Int32Array[] = [], rightLists: Int32Array[] = [];
    let nl = 0;
    for (let k = 0; k < m; k++) nl += goLeft[rows[k]];
    for (let f = 0; f < F; f++) {
      const list = lists[f];
      const L = new Int32Array(nl), R = new Int32Array(m - nl);
      let a = 0, b = 0;
      for (let k = 0; k < m; k++) { const i = list[k]; if (goLeft[i]) L[a++] = i; else R[b++] = i; }
      leftLists.push(L); rightLists.push(R);
    }
    const l = newNode(), r = newNode();
    left[node] = l; right[node] = r;
    stack.push({ lists: rightLists, node: r, depth: depth + 1 }, { lists: leftLists, node: l, depth: depth + 1 });
  }
  return {
    feature: Int32Array.from(feature), threshold: Float64Array.from(threshold), left: Int32Array.from(left), right: Int32Array.from(right),
    value: Float64Array.from(value), cover: Float64Array.from(cover), maxDepth: maxDepthSeen,
  };
}

/** Prediction of one tree for row `row` of X [·, F]. */
export function predictTree(tree: Tree, X: Float64Array, F: number, row: number): number {
  let node = 0;
  while (tree.left[node] >= 0) node = X[row * F + tree.feature[node]] <= tree.threshold[node] ? tree.left[node] : tree.right[node];
  return tree.value[node];
}
