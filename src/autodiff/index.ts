/**
 * Reverse-mode automatic differentiation over whole Float64Array vectors — a static tape of vector ops.
 *
 * Build a graph once, evaluate it many times:
 * ```ts
 * import { Graph, add, mul, matvec, normalLpdf, adstockGeometric, hillSaturation } from '../autodiff/index.ts';
 * const g = new Graph();
 * const X = g.constant(spend, [T, C]);           // row-major [rows, cols]
 * const alpha = g.param(C, 0.5), K = g.param(C, 1), S = g.param(C, 2), beta = g.param(C, 1), sigma = g.param(1, 1);
 * const mu = matvec(hillSaturation(adstockGeometric(X, alpha), K, S), beta);   // [T]
 * const lp = normalLpdf(g.constant(y), mu, sigma);                             // scalar
 * const prog = g.program([lp]);
 * alpha.value.set(newAlpha); prog.forward(); prog.backward();                 // alpha.grad = ∂lp/∂alpha
 * ```
 * Nodes (`Node`): `value` and `grad` are preallocated; a length-1 node is a scalar and broadcasts in
 * elementwise ops and log densities; a plain number operand becomes a constant. Inputs: `g.param`
 * (gradient wanted), `g.constant` (fixed; ops on constants only are folded), `g.data` (overwritable, no
 * gradient). Every op runs once when built, so a freshly built graph is also a one-shot tape.
 *
 * Ops (shapes; `n` = size, `s` = size 1):
 * - elementwise `add sub mul div pow` (n∘n, n∘s, s∘n → n); `neg exp log log1p expm1 sqrt square sigmoid softplus lgamma` (n → n)
 * - `sum(x)`, `dot(a, b)` → scalar; `matvec(A [R,C], v [C]) → [R]`, `matvec(A [G,R,C], v [C] | [G,C]) → [G,R]`;
`vecmat(v [R], A [R,C]) → [C]` (weighted column sums);
 *   `scaleColumns(A [..., C], v [C]) → A's shape` (per-channel contributions h[t,c]·β[c])
 * - `gather(x, idx) → [idx.length]`, `scatter(x, idx, size) → [size]`, `concat(xs)`, `slice(x, start, len)`, `g.reshape(x, shape)`
 * - media, x [T] | [T,C] | [G,T,C], parameters of length C (or 1): `adstockGeometric` (O(T) recursion; maxLag, normalize),
 *   `adstockDelayed`, `adstockWeibullCdf`, `adstockWeibullPdf`, `adstockWeibull`, `adstock(type, …)`;
 *   `hillSaturation`, `logisticSaturation`, `michaelisMentenSaturation`, `saturation(type, …)`; `mediaTransform(descriptor, …)`
 * - log densities → scalar (sum): `normalLpdf halfNormalLpdf logNormalLpdf gammaLpdf betaLpdf studentTLpdf exponentialLpdf priorLpdf`
 * - bijectors: `constrainNode(u, constraint, size)` → { value, logJacobian } (real, positive, lower, interval, simplex)
 *
 * For models, prefer `defineModel` in `inference/model.ts`. Full reference and examples: docs/autodiff.md.
 */
export { Graph, Node, Program, type Op, type Operand, type Shape, type NodeKind } from './graph.ts';
export { add, sub, mul, div, pow, neg, exp, log, log1p, expm1, sqrt, square, sigmoid, softplus, lgamma } from './ops/elementwise.ts';
export { sum, dot, matvec, scaleColumns, gather, scatter, concat, slice } from './ops/linear.ts';
export { vecmat } from './ops/vecmat.ts';
export {
  mediaTransform, mediaDims, adstock, saturation, adstockGeometric, adstockGeometricColumns, adstockDelayed, adstockWeibull,
  adstockWeibullCdf, adstockWeibullPdf, hillSaturation, hillColumns, hill, logisticSaturation, michaelisMentenSaturation, michaelisMenten,
} from './ops/media.ts';
export {
  normalLpdf, halfNormalLpdf, logNormalLpdf, lognormalLpdf, gammaLpdf, betaLpdf, studentTLpdf, exponentialLpdf, priorLpdf,
} from './ops/densities.ts';
export { constrainNode, constrainValues, unconstrainValues, logJacobian, unconstrainedSize, type Constraint } from './ops/bijectors.ts';
