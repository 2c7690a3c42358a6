/**
 * Exact path-dependent TreeSHAP (Lundberg, Erion & Lee 2018, Algorithm 2; the polynomial-time
 * recursion of the `shap` package's tree_shap.h): the Shapley values of one prediction where a
 * missing feature is integrated out by following both children in proportion to their training
 * cover. The values satisfy φ0 + Σ_j φ_j = prediction exactly (to rounding), with φ0 the
 * cover-weighted mean prediction.
 *
 * Example: a stump on x (left leaf 0, right leaf 1, equal cover) at x in the right leaf gives
 * φ0 = 0.5, φ_x = 0.5.
 */
import type { Tree } from './cart.ts';
import type { Ensemble } from './ensemble.ts';

/** Cover-weighted mean of the leaves: E[tree(x)] over the training distribution. */
export function expectedValue(tree: Tree): number {
  let s = 0;
  for (let j = 0; j < tree.value.length; j++) if (tree.left[j] < 0) s += tree.value[j] * tree.cover[j];
  return s / tree.cover[0];
}

class PathBuffer {
  feat: Int32Array; zero: Float64Array; one: Float64Array; pw: Float64Array;
  constructor(size: number) { this.feat = new Int32Array(size); this.zero = new Float64Array(size); this.one = new Float64Array(size); this.pw = new Float64Array(size); }
}

/**
 * Adds `scale` × the SHAP values of `tree` at row `row` of X [·, F] into phi [F] (not φ0).
 */
export function treeShap(tree: Tree, X: Float64Array, F: number, row: number, phi: Float64Array, scale: number, buf?: PathBuffer): void {
  const D = tree.maxDepth + 2;
  const b = buf ?? new PathBuffer(((D + 1) * (D + 2)) / 2 + D);
  recurse(tree, X, F, row, phi, scale, b, 0, 0, 0, 1, 1, -1);
}

function extend(b: PathBuffer, at: number, depth: number, zero: number, one: number, feat: number): void {
  b.feat[at + depth] = feat; b.zero[at + depth] = zero; b.one[at + depth] = one; b.pw[at + depth] = depth === 0 ? 1 : 0;
  for (let i = depth - 1; i >= 0; i--) {
    b.pw[at + i + 1] += (one * b.pw[at + i] * (i + 1)) / (depth + 1);
    b.pw[at + i] = (zero * b.pw[at + i] * (depth - i)) / (depth + 1);
  }
}

function unwind(b: PathBuffer, at: number, depth: number, pathIndex: number): void {
  const one = b.one[at + pathIndex], zero = b.zero[at + pathIndex];
  let next = b.pw[at + depth];
  for (let i = depth - 1; i >= 0; i--) {
    if (one !== 0) {
      const tmp = b.pw[at + i];
      b.pw[at + i] = (next * (depth + 1)) / ((i + 1) * one);
      next = tmp - (b.pw[at + i] * zero * (depth - i)) / (depth + 1);
    } else {
      b.pw[at + i] = (b.pw[at + i] * (depth + 1)) / (zero * (depth - i));
    }
  }
  for (let i = pathIndex; i < depth; i++) { b.feat[at + i] = b.feat[at + i + 1]; b.zero[at + i] = b.zero[at + i + 1]; b.one[at + i] = b.one[at + i + 1]; }
}

function unwoundSum(b: PathBuffer, at: number, depth: number, pathIndex: number): number {
  const one = b.one[at + pathIndex], zero = b.zero[at + pathIndex];
  let next = b.pw[at + depth], total = 0;
  for (let i = depth - 1; i >= 0; i--) {
    if (one !== 0) {
      const tmp = (next * (depth + 1)) / ((i + 1) * one);
      total += tmp;
      next = b.pw[at + i] - (tmp * zero * (depth - i)) / (depth + 1);
    } else if (zero !== 0) {
      total += b.pw[at + i] / zero / ((depth - i) / (depth + 1));
    }
  }
  return total;
}

function recurse(tree: Tree, X: Float64Array, F: number, row: number, phi: Float64Array, scale: number, b: PathBuffer,
  node: number, parentAt: number, depthIn: number, parentZero: number, parentOne: number, parentFeat: number): void {
  let depth = depthIn;
  // This node's path starts right after its parent's `depth` elements; it begins as a copy of them.
  const here = depth === 0 ? 0 : parentAt + depth;
  if (depth > 0) for (let i = 0; i < depth; i++) { b.feat[here + i] = b.feat[parentAt + i]; b.zero[here + i] = b.zero[parentAt + i]; b.one[here + i] = b.one[parentAt + i]; b.pw[here + i] = b.pw[parentAt + i]; }
  extend(b, here, depth, parentZero, parentOne, parentFeat);
  if (tree.left[node] < 0) {
    const v = tree.value[node] * scale;
    for (let i = 1; i <= depth; i++) {
      const w = unwoundSum(b, here, depth, i);
      phi[b.feat[here + i]] += w * (b.one[here + i] - b.zero[here + i]) * v;
    }
    return;
  }
  const f = tree.feature[node];
  const hot = X[row * F + f] <= tree.threshold[node] ? tree.left[node] : tree.right[node];
  const cold = hot === tree.left[node] ? tree.right[node] : tree.left[node];
  const cover = tree.cover[node];
  let inZero = 1, inOne = 1;
  let k = 0;
  for (; k <= depth; k++) if (b.feat[here + k] === f) break;
  if (k !== depth + 1) {
    inZero = b.zero[here + k]; inOne = b.one[here + k];
    unwind(b, here, depth, k);
    depth -= 1;
  }
  recurse(tree, X, F, row, phi, scale, b, hot, here, depth + 1, (tree.cover[hot] / cover) * inZero, inOne, f);
  recurse(tree, X, F, row, phi, scale, b, cold, here, depth + 1, (tree.cover[cold] / cover) * inZero, 0, f);
}

/**
 * SHAP values of an ensemble for every row of X [m, F]: returns phi [m, F] and φ0 (the expected
 * prediction); φ0 + Σ_j phi[i, j] = prediction i.
 */
export function ensembleShap(e: Ensemble, X: Float64Array): { phi: Float64Array; expected: number } {
  const F = e.F, m = X.length / F;
  const phi = new Float64Array(m * F);
  let expected = e.base;
  let D = 0;
  for (const t of e.trees) { expected += e.scale * expectedValue(t); D = Math.max(D, t.maxDepth); }
  const buf = new PathBuffer(((D + 3) * (D + 4)) / 2 + D + 4);
  const row = new Float64Array(F);
  for (let i = 0; i < m; i++) {
    row.fill(0);
    for (const t of e.trees) treeShap(t, X, F, i, row, e.scale, buf);
    phi.set(row, i * F);
  }
  return { phi, expected };
}
