import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Graph } from '../graph.ts';
import { Rng } from '../../util/rng.ts';
import { MarginalError } from '../../errors.ts';
import { assertClose, gradcheck, uniformVector } from '../testing/gradcheck.ts';
import { SIZES, VALUE_RTOL } from '../testing/tolerances.ts';
import { adstock, adstockGeometric, adstockWeibull, hillSaturation, logisticSaturation, mediaTransform, michaelisMentenSaturation, saturation } from './media.ts';
import { geometric } from '../../transforms/adstock/geometric.ts';

const rng = new Rng(21);

/** Plain O(T·L) geometric adstock of one series, as the definition reads. */
function geometricRef(x: ArrayLike<number>, a: number, L: number, normalize: boolean): number[] {
  let W = 0;
  for (let l = 0; l < Math.min(L, 10_000); l++) W += Math.pow(a, l);
  return Array.from(x, (_, t) => {
    let s = 0;
    for (let l = 0; l <= t && l < L; l++) s += Math.pow(a, l) * x[t - l];
    return normalize ? s / W : s;
  });
}

test('geometric adstock: recursion equals the finite-lag definition (finite and infinite lag, normalized or not)', () => {
  const g = new Graph();
  assert.deepEqual(Array.from(adstockGeometric(g.constant([1, 0, 0]), 0.5, { maxLag: Infinity, normalize: false }).value), [1, 0.5, 0.25]);
  for (const n of SIZES) {
    const x = uniformVector(rng, n, 0, 3);
    if (n > 5) x.fill(0, 0, 4); // zeros in the input, at the start
    for (const [L, normalize] of [[8, true], [3, false], [1, true], [Infinity, false], [Infinity, true]] as const) {
      gradcheck((_g, [xs, a]) => adstockGeometric(xs, a, { maxLag: L, normalize }), [x, [0.6]], {
        label: `geometric n=${n} L=${L} norm=${normalize}`, reference: ([xs, a]) => geometricRef(xs, a[0], L, normalize),
      });
    }
  }
  // α at the edge of its range, and x constant (no gradient in x).
  gradcheck((_g, [xs, a]) => adstockGeometric(xs, a), [{ value: [0, 0, 1, 2, 0, 0, 0, 0, 0, 3], grad: false }, [1e-6]], { label: 'geometric α≈0' });
  gradcheck((_g, [xs, a]) => adstockGeometric(xs, a), [{ value: [0, 0, 1, 2, 0, 0, 0, 0, 0, 3], grad: false }, [0.999]], { label: 'geometric α≈1' });
});

test('columns: [T, C] and [G, T, C] with per-channel parameters equal the per-series op', () => {
  const G = 3, T = 20, C = 4;
  const X = uniformVector(rng, G * T * C, 0, 2);
  const alpha = uniformVector(rng, C, 0.1, 0.9);
  const ref = ([xs, a]: Float64Array[]) => {
    const out = new Float64Array(xs.length);
    for (let gi = 0; gi < G; gi++) for (let c = 0; c < C; c++) {
      const col = Array.from({ length: T }, (_, t) => xs[(gi * T + t) * C + c]);
      geometricRef(col, a[c], 8, true).forEach((v, t) => { out[(gi * T + t) * C + c] = v; });
    }
    return out;
  };
  gradcheck((_g, [xs, a]) => adstockGeometric(xs, a), [{ value: X, shape: [G, T, C] }, alpha], { label: 'geometric [G,T,C]', reference: ref });
  gradcheck((_g, [xs, a]) => adstockGeometric(xs, a), [{ value: X.subarray(0, T * C), shape: [T, C] }, alpha], { label: 'geometric [T,C]' });
  // A length-1 parameter is shared by all channels.
  gradcheck((_g, [xs, a]) => adstockGeometric(xs, a), [{ value: X, shape: [G, T, C] }, [0.3]], { label: 'geometric shared α' });
  gradcheck((_g, [xs, k, s]) => hillSaturation(xs, k, s), [{ value: X, shape: [G, T, C] }, [0.5, 1, 2, 4], [0.5, 1, 2, 3]], { label: 'hill [G,T,C]' });
});

test('weighted adstocks (delayed, Weibull CDF/PDF): gradients in x and both parameters', () => {
  for (const n of SIZES) {
    const x = uniformVector(rng, n, 0, 3);
    gradcheck((_g, [xs, a, th]) => adstock('delayed', xs, { alpha: a, theta: th }), [x, [0.5], [1.3]], { label: `delayed(${n})` });
    gradcheck((_g, [xs, k, l]) => adstockWeibull(xs, k, l, { kind: 'cdf' }), [x, [1.5], [3]], { label: `weibull-cdf(${n})` });
    gradcheck((_g, [xs, k, l]) => adstockWeibull(xs, k, l, { kind: 'pdf', maxLag: 6, normalize: false }), [x, [2], [2.5]], { label: `weibull-pdf(${n})` });
  }
  // Delayed with θ = 1, α = 0.5, L = 3: weights [0.5, 1, 0.5]/2.
  const g = new Graph();
  const y = adstock('delayed', g.constant([4, 0, 0, 0]), { alpha: 0.5, theta: 1 }, { maxLag: 3 });
  [1, 2, 1, 0].forEach((v, i) => assertClose(y.value[i], v, VALUE_RTOL, `delayed[${i}]`));
  // Weibull CDF with k = 1, λ = 1, unnormalized: weights [1, e^−1, e^−2].
  const w = adstockWeibull(g.constant([1, 0, 0]), 1, 1, { maxLag: 3, normalize: false });
  [1, Math.exp(-1), Math.exp(-2)].forEach((v, i) => assertClose(w.value[i], v, VALUE_RTOL, `weibull-cdf[${i}]`));
});

test('saturations: values, gradients, edge values (0, tiny, huge)', () => {
  const hillRef = (x: number, K: number, S: number) => (x <= 0 ? 0 : 1 / (1 + (K / x) ** S));
  for (const n of SIZES) {
    const x = uniformVector(rng, n, 0.01, 5);
    gradcheck((_g, [xs, k, s]) => hillSaturation(xs, k, s), [x, [1.2], [2.5]], { label: `hill(${n})`, reference: ([xs, k, s]) => xs.map((v) => hillRef(v, k[0], s[0])) });
    gradcheck((_g, [xs, l]) => logisticSaturation(xs, l), [x, [1.7]], { label: `logistic(${n})`, reference: ([xs, l]) => xs.map((v) => (1 - Math.exp(-l[0] * v)) / (1 + Math.exp(-l[0] * v))) });
    gradcheck((_g, [xs, k]) => michaelisMentenSaturation(xs, k), [x, [0.8]], { label: `mm(${n})`, reference: ([xs, k]) => xs.map((v) => v / (k[0] + v)) });
  }
  // Near 0 and near ∞: values exact, gradients finite and checked (x constant at exactly 0).
  const edges = [0, 1e-300, 1e-8, 1e8, 1e300];
  for (const S of [0.5, 1, 3]) {
    gradcheck((_g, [xs, k, s]) => hillSaturation(xs, k, s), [{ value: edges, grad: false }, [2], [S]], { label: `hill edges S=${S}`, reference: ([xs, k, s]) => xs.map((v) => hillRef(v, k[0], s[0])) });
  }
  gradcheck((_g, [xs, k, s]) => hillSaturation(xs, k, s), [[1e-3, 1e3], [2], [1.5]], { label: 'hill x small/large' });
  const g = new Graph();
  const x0 = g.param(1, [0]);
  const h = hillSaturation(x0, 2, 1);
  g.backward(h);
  assert.equal(h.value[0], 0);
  assert.equal(x0.grad[0], 0.5); // S = 1: dy/dx at 0 is 1/K
  gradcheck((_g, [xs, l]) => logisticSaturation(xs, l), [{ value: [0, 1e-8, 1e8], grad: false }, [3]], { label: 'logistic edges' });
});

test('bad input: shapes, parameter sizes and names, unknown types, maxLag', () => {
  const g = new Graph();
  const X = g.constant(new Float64Array(12), [4, 3]);
  assert.throws(() => adstockGeometric(X, g.param(2)), (e) => e instanceof MarginalError && /size 2; expected 3/.test(e.message));
  assert.throws(() => adstockGeometric(g.constant(new Float64Array(16), [2, 2, 2, 2]), 0.5), MarginalError);
  assert.throws(() => adstock('geometrik', X, { alpha: 0.5 }), (e) => e instanceof MarginalError && /`adstock.type` must be one of geometric, delayed, weibull-cdf, weibull-pdf; got 'geometrik'/.test(e.message));
  assert.throws(() => saturation('hill', X, { K: 1 }), (e) => e instanceof MarginalError && /needs parameter 'S'/.test(e.message));
  assert.throws(() => adstockGeometric(X, 0.5, { maxLag: 0 }), MarginalError);
  assert.throws(() => adstock('delayed', X, { alpha: 0.5, theta: 1 }, { maxLag: Infinity }), MarginalError);
  assert.throws(() => mediaTransform(geometric, X, []), MarginalError);
});
