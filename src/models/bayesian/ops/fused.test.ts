import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { Rng } from '../../../util/rng.ts';
import { gradcheck, uniformVector } from '../../../autodiff/testing/gradcheck.ts';
import { MarginalError } from '../../../errors.ts';
import { Graph, type Node } from '../../../autodiff/graph.ts';
import { mediaContribution } from './mediaContribution.ts';
import { centredIntercept, centredPredictor } from './centredPredictor.ts';
import { centredNormalLikelihood } from './centredNormalLikelihood.ts';
import { geometricHillContribution, geometricHillWindowSums, laneLayout, type MediaWindow } from './geometricHillContribution.ts';
import { geometricHillMarginalRatio } from './geometricHillMarginalRatio.ts';
import { adstockGeometric, hillSaturation } from '../../../autodiff/ops/media.ts';
import { concat, dot, gather } from '../../../autodiff/ops/linear.ts';
import { add, div, mul, sub } from '../../../autodiff/ops/elementwise.ts';

const rng = new Rng(5);

/** out[g,t] = Σ_c h[g,t,c]·u[g,c]·roi[c]·spend[c] / Σ_g' u[g',c]·Σ_t w[g',t]·h[g',t,c], written out plainly. */
function contributionReference(G: number, T: number, C: number, spend: Float64Array, w: Float64Array, withU: boolean) {
  return ([h, roi, u]: Float64Array[]) => {
    const out = new Array<number>(G * T).fill(0);
    for (let c = 0; c < C; c++) {
      let rpb = 0;
      for (let g = 0; g < G; g++) for (let t = 0; t < T; t++) rpb += (withU ? u[g * C + c] : 1) * w[g * T + t] * h[(g * T + t) * C + c];
      const beta = (roi[c] * spend[c]) / rpb;
      for (let g = 0; g < G; g++) for (let t = 0; t < T; t++) out[g * T + t] += h[(g * T + t) * C + c] * (withU ? u[g * C + c] : 1) * beta;
    }
    return out;
  };
}

test('mediaContribution: values against the plain formula, gradients by finite differences (national and geo)', () => {
  for (const [G, T, C, withU] of [[1, 12, 3, false], [3, 7, 2, true], [4, 5, 1, true]] as const) {
    const h = uniformVector(rng, G * T * C, 0.1, 1), roi = uniformVector(rng, C, 0.5, 3), u = uniformVector(rng, G * C, 0.5, 1.5);
    const spend = Float64Array.from(uniformVector(rng, C, 1, 10)), w = Float64Array.from(uniformVector(rng, G * T, 0.5, 2));
    gradcheck((_g, [hh, r, uu]) => mediaContribution(hh, r, spend, w, withU ? uu : null),
      [{ value: h, shape: [G, T, C] }, roi, ...(withU ? [u] : [])],
      { label: `mediaContribution ${G}x${T}x${C}`, reference: contributionReference(G, T, C, spend, w, withU) });
  }
});

test('mediaContribution: the channel revenue Σ w·out equals roi × spend per channel', () => {
  const g = new Graph(), G = 2, T = 4, C = 1;
  const w = new Float64Array(G * T).fill(1);
  const out = mediaContribution(g.constant(uniformVector(rng, G * T * C, 0.1, 1), [G, T, C]), g.param(1, 2.5), Float64Array.of(4), w, g.param(G * C, 1.3));
  assert.ok(Math.abs(out.value.reduce((a, b) => a + b, 0) - 10) < 1e-12);
  assert.throws(() => mediaContribution(g.constant(new Float64Array(8), [G * T]), g.param(1), Float64Array.of(1), w, null), MarginalError);
});

test('centredPredictor: mean of μ over in-sample periods is the level; intercept and gradients check', () => {
  for (const [G, T, withPeriod] of [[1, 10, true], [3, 6, true], [2, 5, false]] as const) {
    const inSample = new Float64Array(G * T);
    const tIn = T - 2;
    for (let g = 0; g < G; g++) for (let t = 0; t < tIn; t++) inSample[g * T + t] = 1 / tIn;
    const parts = [uniformVector(rng, G * T, -1, 1), uniformVector(rng, G * T, -1, 1)];
    const period = uniformVector(rng, T, -1, 1), level = uniformVector(rng, G, 0.5, 1.5);
    const reference = (xs: Float64Array[]) => {
      const [a, b] = xs, pp = withPeriod ? xs[2] : null, lv = xs[withPeriod ? 3 : 2];
      const out: number[] = [];
      for (let g = 0; g < G; g++) {
        const rest = Array.from({ length: T }, (_, t) => a[g * T + t] + b[g * T + t] + (pp ? pp[t] : 0));
        const mean = rest.slice(0, tIn).reduce((s, v) => s + v, 0) / tIn;
        for (let t = 0; t < T; t++) out.push(rest[t] + lv[g] - mean);
      }
      return out;
    };
    const inputs = [parts[0], parts[1], ...(withPeriod ? [period] : []), level];
    const split = (xs: readonly Node[]) => ({ ps: xs.slice(0, 2), pp: withPeriod ? xs[2] : null, lv: xs[withPeriod ? 3 : 2] });
    gradcheck((_g, xs) => { const s = split(xs); return centredPredictor(s.ps, s.pp, s.lv, inSample); }, inputs, { label: `centredPredictor ${G}x${T}`, reference });
    gradcheck((_g, xs) => { const s = split(xs); return centredIntercept(s.ps, s.pp, s.lv, inSample); }, inputs, {
      label: `centredIntercept ${G}x${T}`,
      // τ[g] = μ[g,0] − rest[g,0]
      reference: (xs) => { const mu = reference(xs); return Array.from({ length: G }, (_, g) => mu[g * T] - (xs[0][g * T] + xs[1][g * T] + (withPeriod ? xs[2][0] : 0))); },
    });
  }
});

test('centredNormalLikelihood: the Normal log-likelihood of y around the centred predictor, plainly written; gradients check', () => {
  // Geo with per-geo controls and a holdout, shared controls, no controls and no per-period term, national;
  // calendar designs (trend and seasonality: their sum per geo in JS, or nationally as kernel columns).
  const cases = [[3, 8, 2, true, true, []], [2, 6, 1, false, true, []], [2, 5, 0, false, false, []], [1, 12, 2, false, true, []],
    [1, 12, 1, false, true, [3, 1]], [1, 10, 0, false, false, [4, 1]], [3, 8, 2, true, false, [2]]] as const;
  for (const [G, T, K, perGeo, withPeriod, calendarCols] of cases) {
    const n = G * T, tIn = T - 2;
    const inSample = new Uint8Array(n), m = new Float64Array(n);
    for (let g = 0; g < G; g++) for (let t = 0; t < tIn; t++) { inSample[g * T + t] = 1; m[g * T + t] = 1 / tIn; }
    const y = Float64Array.from(uniformVector(rng, n, 0.5, 1.5));
    const z = Float64Array.from(uniformVector(rng, n * K, -1, 1));
    const gammaSize = perGeo ? G * K : K;
    const parts = [uniformVector(rng, n, -0.3, 0.3), uniformVector(rng, n, -0.3, 0.3)];
    const designs = calendarCols.map((J) => Float64Array.from(uniformVector(rng, T * J, -1, 1)));
    const inputs = [parts[0], parts[1], ...(K ? [uniformVector(rng, gammaSize, -0.5, 0.5)] : []), ...(withPeriod ? [uniformVector(rng, T, -0.2, 0.2)] : []),
      ...calendarCols.map((J) => uniformVector(rng, J, -0.5, 0.5)), uniformVector(rng, G, 0.8, 1.2), uniformVector(rng, 1, 0.1, 0.3)];
    const split = <X>(xs: readonly X[]) => {
      let i = 2;
      const gamma = K ? xs[i++] : null, pp = withPeriod ? xs[i++] : null;
      const coefs = calendarCols.map(() => xs[i++]);
      return { parts: xs.slice(0, 2), gamma, pp, coefs, level: xs[i], sigma: xs[i + 1] };
    };
    const reference = (xs: Float64Array[]) => {
      const s = split(xs);
      let lp = 0;
      for (let g = 0; g < G; g++) {
        const rest = Array.from({ length: T }, (_, t) => {
          let r = s.parts[0][g * T + t] + s.parts[1][g * T + t] + (s.pp ? s.pp[t] : 0);
          for (let k = 0; k < K; k++) r += z[(g * T + t) * K + k] * s.gamma![(perGeo ? g * K : 0) + k];
          calendarCols.forEach((J, c) => { for (let j = 0; j < J; j++) r += designs[c][t * J + j] * s.coefs[c][j]; });
          return r;
        });
        const mean = rest.slice(0, tIn).reduce((a, v) => a + v, 0) / tIn;
        for (let t = 0; t < tIn; t++) {
          const e = (y[g * T + t] - (rest[t] + s.level[g] - mean)) / s.sigma[0];
          lp += -0.5 * e * e - Math.log(s.sigma[0]) - 0.5 * Math.log(2 * Math.PI);
        }
      }
      return [lp];
    };
    gradcheck((_g, xs) => {
      const s = split(xs);
      const calendar = s.coefs.map((coef, c) => ({ design: designs[c], coef }));
      return centredNormalLikelihood({ parts: s.parts, controls: s.gamma ? { z, K, gamma: s.gamma } : null, perPeriod: s.pp, calendar, level: s.level, meanWeight: m, y, inSample, sigma: s.sigma });
    }, inputs, { label: `centredNormalLikelihood ${G}x${T}x${K}${perGeo ? ' per geo' : ''} calendar [${calendarCols.join(', ')}]`, reference });
  }
  const g = new Graph();
  assert.throws(() => centredNormalLikelihood({ parts: [], controls: null, perPeriod: null, level: g.param(2), meanWeight: new Float64Array(6), y: new Float64Array(5), inSample: new Uint8Array(6), sigma: g.param(1) }), MarginalError);
});

test('geometricHillContribution (WebAssembly) equals adstock → Hill → mediaContribution, with gradients by finite differences', () => {
  // Odd and even geo counts (padding lane), zero-spend runs (adstock exactly 0), S = 1 at zero, national.
  for (const [G, T, C, L, withU] of [[1, 20, 3, 4, false], [3, 16, 2, 3, true], [4, 9, 1, 8, true]] as const) {
    const x = Float64Array.from(uniformVector(rng, G * T * C, 0, 2));
    for (let t = 0; t < 6; t++) x[t * C] = 0;
    const w = Float64Array.from(uniformVector(rng, G * T, 0.5, 2)), spend = Float64Array.from(uniformVector(rng, C, 1, 10));
    const alpha = uniformVector(rng, C, 0.1, 0.8), K = uniformVector(rng, C, 0.5, 1.5), S = uniformVector(rng, C, 0.7, 2);
    S[0] = 1;
    const roi = uniformVector(rng, C, 0.5, 3), u = uniformVector(rng, G * C, 0.7, 1.3);
    const inputs = [alpha, K, S, roi, ...(withU ? [u] : [])];
    const label = `geometricHillContribution ${G}x${T}x${C} L=${L}`;
    const generic = (xs: readonly Node[]) => {
      const xn = xs[0].graph.constant(x, [G, T, C]);
      const h = hillSaturation(adstockGeometric(xn, xs[0], { maxLag: L, normalize: true }), xs[1], xs[2]);
      return mediaContribution(h, xs[3], spend, w, withU ? xs[4] : null);
    };
    const report = gradcheck((_g, xs) => geometricHillContribution(x, [G, T, C], L, xs[0], xs[1], xs[2], xs[3], spend, w, withU ? xs[4] : null), inputs, {
      label,
      reference: (vals) => { const g = new Graph(); return generic(vals.map((v) => g.constant(v))).value; },
    });
    assert.ok(report.checked >= inputs.reduce((s, v) => s + v.length, 0));
    // Same gradient as the generic composition to rounding.
    const grads = (fused: boolean) => {
      const g = new Graph();
      const ps = inputs.map((v) => g.param(v.length, v));
      const out = fused ? geometricHillContribution(x, [G, T, C], L, ps[0], ps[1], ps[2], ps[3], spend, w, withU ? ps[4] : null) : generic(ps);
      const loss = dot(out, g.constant(w));
      g.backward(loss);
      return ps.map((p) => Array.from(p.grad));
    };
    const a = grads(true), b = grads(false);
    a.forEach((ga, i) => ga.forEach((v, j) => assert.ok(Math.abs(v - b[i][j]) <= 1e-10 * Math.max(1, Math.abs(b[i][j])), `${label}: input ${i}[${j}] ${v} vs ${b[i][j]}`)));
  }
});

test('geometricHillWindowSums (lift tests, shares) equals Σ weight·b·h of the generic composition, gradients by finite differences', () => {
  // Windows: a national window early (adstock shorter than maxLag), one geo late, a whole channel
  // (a share prior), two windows on one channel, and a window over zero spend.
  for (const [G, T, C, L, withU] of [[1, 24, 3, 4, false], [3, 20, 2, 5, true]] as const) {
    const x = Float64Array.from(uniformVector(rng, G * T * C, 0, 2));
    for (let t = 0; t < 6; t++) x[t * C] = 0;
    const w = Float64Array.from(uniformVector(rng, G * T, 0.5, 2)), spend = Float64Array.from(uniformVector(rng, C, 1, 10));
    const alpha = uniformVector(rng, C, 0.1, 0.8), K = uniformVector(rng, C, 0.5, 1.5), S = uniformVector(rng, C, 0.7, 2);
    const roi = uniformVector(rng, C, 0.5, 3), u = uniformVector(rng, G * C, 0.7, 1.3);
    const inputs = [alpha, K, S, roi, ...(withU ? [u] : [])];
    const cellsOf = (pred: (g: number, t: number) => boolean) => Int32Array.from({ length: G * T }, (_, i) => i).filter((i) => pred(Math.floor(i / T), i % T));
    const window = (channel: number, cells: Int32Array): MediaWindow => ({ channel, cells, weights: Float64Array.from(cells, () => 0.5 + rng.uniform()) });
    const windows = [
      window(0, cellsOf((_, t) => t >= 2 && t < 9)),
      window(C - 1, cellsOf((g, t) => g === G - 1 && t >= T - 6)),
      window(1, cellsOf(() => true)),
      window(0, cellsOf((_, t) => t >= 12 && t < 15)),
      window(0, cellsOf((_, t) => t < 2)),
    ];
    const label = `geometricHillWindowSums ${G}x${T}x${C} L=${L}`;
    // The generic composition: h by tape ops, b as mediaContribution's, Σ weight·b·h per window.
    const reference = (vals: Float64Array[]) => {
      const g = new Graph();
      const xs = vals.map((v) => g.constant(v));
      const h = hillSaturation(adstockGeometric(g.constant(x, [G, T, C]), xs[0], { maxLag: L, normalize: true }), xs[1], xs[2]).value;
      const uv = withU ? vals[4] : null;
      const beta = Array.from({ length: C }, (_, c) => {
        let rpb = 0;
        for (let gi = 0; gi < G; gi++) for (let t = 0; t < T; t++) rpb += (uv ? uv[gi * C + c] : 1) * w[gi * T + t] * h[(gi * T + t) * C + c];
        return (vals[3][c] * spend[c]) / rpb;
      });
      const contribution = contributionReference(G, T, C, spend, w, withU)([h, vals[3], uv ?? new Float64Array(0)]);
      const sums = windows.map((win) => {
        let total = 0;
        win.cells.forEach((cell, j) => {
          const gi = Math.floor(cell / T), c = win.channel;
          total += win.weights[j] * (uv ? uv[gi * C + c] : 1) * beta[c] * h[cell * C + c];
        });
        return total;
      });
      return [...contribution, ...sums];
    };
    const report = gradcheck((_g, xs) => {
      const contribution = geometricHillContribution(x, [G, T, C], L, xs[0], xs[1], xs[2], xs[3], spend, w, withU ? xs[4] : null);
      return concat([contribution, geometricHillWindowSums(contribution, windows)]);
    }, inputs, { label, reference });
    assert.ok(report.checked >= inputs.reduce((s, v) => s + v.length, 0));
  }
  const g = new Graph();
  const node = g.param(3);
  assert.throws(() => geometricHillWindowSums(node, []), /not a geometricHillContribution/);
  const c = geometricHillContribution(new Float64Array(4), [1, 4, 1], 2, g.param(1, 0.5), g.param(1, 1), g.param(1, 1), g.param(1, 1), Float64Array.of(1), new Float64Array(4).fill(1), null);
  assert.throws(() => geometricHillWindowSums(c, [{ channel: 1, cells: Int32Array.of(0), weights: Float64Array.of(1) }]), /channel must be in 0..0/);
  assert.throws(() => geometricHillWindowSums(c, [{ channel: 0, cells: Int32Array.of(9), weights: Float64Array.of(1) }]), /outside 0..3/);
});

test('geometricHillMarginalRatio (mROI priors) equals revenue ÷ marginal revenue written plainly, gradients by finite differences', () => {
  // National and geo, zero-spend runs (adstock exactly 0: no term), maxLag 1 (no taps), S = 1; a
  // channel without an mROI prior (ratio 1, no gradient) in the last case.
  for (const [G, T, C, L, withU, only] of [[1, 20, 3, 4, false, [true, true, true]], [3, 16, 2, 3, true, [true, true]], [2, 12, 3, 1, true, [true, false, true]]] as const) {
    const x = Float64Array.from(uniformVector(rng, G * T * C, 0, 2));
    for (let t = 0; t < 6; t++) x[t * C] = 0;
    const w = Float64Array.from(uniformVector(rng, G * T, 0.5, 2));
    const alpha = uniformVector(rng, C, 0.1, 0.8), K = uniformVector(rng, C, 0.5, 1.5), S = uniformVector(rng, C, 0.7, 2);
    S[0] = 1;
    const u = uniformVector(rng, G * C, 0.7, 1.3), step = 1e-3;
    const inputs = [alpha, K, S, ...(withU ? [u] : [])];
    const label = `geometricHillMarginalRatio ${G}x${T}x${C} L=${L}`;
    // Plainly: adstock with weights α^l / Σα^l, Hill, then the two weighted sums per channel.
    const reference = (vals: Float64Array[]) => Array.from({ length: C }, (_, c) => {
      if (!only[c]) return 1;
      const [a, k, sh] = [vals[0][c], vals[1][c], vals[2][c]];
      let norm = 0;
      for (let l = 0; l < L; l++) norm += a ** l;
      const hill = (v: number) => (v > 0 ? v ** sh / (v ** sh + k ** sh) : 0);
      let N = 0, M = 0;
      for (let gi = 0; gi < G; gi++) {
        const ug = withU ? vals[3][gi * C + c] : 1;
        for (let t = 0; t < T; t++) {
          let ad = 0;
          for (let l = 0; l < L && l <= t; l++) ad += a ** l * x[(gi * T + t - l) * C + c];
          ad /= norm;
          N += ug * w[gi * T + t] * hill(ad);
          M += (ug * w[gi * T + t] * (hill(ad * (1 + step)) - hill(ad))) / step;
        }
      }
      return N / M;
    });
    const report = gradcheck((_g, xs) => geometricHillMarginalRatio(x, [G, T, C], L, xs[0], xs[1], xs[2], w, withU ? xs[3] : null, step, only), inputs, { label, reference });
    assert.ok(report.checked >= inputs.reduce((n, v) => n + v.length, 0));
    // The same gradient as the generic composition model.ts used before (adstock → Hill twice, vecmat).
    const grads = (fused: boolean) => {
      const g = new Graph();
      const ps = inputs.map((v) => g.param(v.length, v));
      let out: Node;
      if (fused) out = geometricHillMarginalRatio(x, [G, T, C], L, ps[0], ps[1], ps[2], w, withU ? ps[3] : null, step, only);
      else {
        const transform = (scale: number) => hillSaturation(adstockGeometric(g.constant(Float64Array.from(x, (v) => v * scale), [G, T, C]), ps[0], { maxLag: L, normalize: true }), ps[1], ps[2]);
        const h = transform(1), hUp = transform(1 + step);
        const perGeo = (node: Node) => { // [G·C]: Σ_t w[g,t]·node[g,t,c]
          const vals: Node[] = [];
          for (let gi = 0; gi < G; gi++) for (let c = 0; c < C; c++) {
            const cells = Int32Array.from({ length: T }, (_, t) => (gi * T + t) * C + c);
            vals.push(dot(gather(node, cells), g.constant(w.subarray(gi * T, gi * T + T))));
          }
          const stacked = concat(vals);
          return withU ? mul(stacked, ps[3]) : stacked;
        };
        const over = (node: Node) => concat(Array.from({ length: C }, (_, c) => dot(gather(node, Int32Array.from({ length: G }, (_, gi) => gi * C + c)), g.constant(new Float64Array(G).fill(1)))));
        const mask = Float64Array.from(only, (o) => (o ? 1 : 0));
        const ratio = div(over(perGeo(h)), div(over(perGeo(sub(hUp, h))), g.constant(Float64Array.of(step))));
        out = add(mul(g.constant(mask), ratio), g.constant(mask.map((o) => 1 - o)));
      }
      g.backward(dot(out, g.constant(Float64Array.from({ length: C }, (_, c) => 1 + c))));
      return ps.map((p) => Array.from(p.grad));
    };
    const a = grads(true), b = grads(false);
    a.forEach((ga, i) => ga.forEach((v, j) => assert.ok(Math.abs(v - b[i][j]) <= 1e-8 * Math.max(1, Math.abs(b[i][j])), `${label}: input ${i}[${j}] ${v} vs ${b[i][j]}`)));
  }
  const g = new Graph();
  assert.throws(() => geometricHillMarginalRatio(new Float64Array(4), [1, 4, 1], 2, g.param(1), g.param(1), g.param(1), new Float64Array(4), null, 0, [true]), /step must be in/);
  assert.throws(() => geometricHillMarginalRatio(new Float64Array(4), [1, 4, 1], 2, g.param(2), g.param(1), g.param(1), new Float64Array(4), null, 1e-3, [true]), /alpha needs 1/);
});

test('laneLayout: a national series in four lanes with lead-ins, every period owned exactly once; geos at least as many as lanes keep one lane each', () => {
  const national = laneLayout(1, 156, 8, 4);
  assert.deepEqual([national.count, national.length], [4, 46]);
  const owners = new Int32Array(156);
  for (let i = 0; i < national.cellOf.length; i++) {
    const cell = national.cellOf[i];
    if (cell < 0) continue;
    owners[cell]++;
    // An owned period reads its own activity, and the maxLag − 1 periods before it are in its lane.
    assert.equal(national.dataOf[i], cell);
    const tau = i % national.length;
    assert.ok(tau >= 7);
    for (let l = 1; l < 8; l++) assert.equal(national.dataOf[i - l], cell - l >= 0 ? cell - l : -1);
  }
  assert.ok(owners.every((n) => n === 1));
  const two = laneLayout(2, 30, 5, 4);
  assert.deepEqual([two.count, two.length, Array.from(two.geoOf)], [4, 19, [0, 0, 1, 1]]);
  // Splitting must save vector steps: 10 periods with maxLag 8 stay in one lane.
  assert.equal(laneLayout(1, 10, 8, 4).count, 1);
  const geos = laneLayout(5, 52, 8, 4);
  assert.deepEqual([geos.count, geos.length], [5, 52]);
  assert.ok(Array.from(geos.cellOf).every((c, i) => c === i));
});

test('geometricHillContribution in f32 (the sampler\'s kernel) agrees with the f64 kernel to single precision', () => {
  // Four geos per vector: G = 1 (its periods in four lanes; with maxLag 7 on 24 periods each lane's
  // lead-in is as long as the periods it owns), 2 (two lanes each), 5 (a padding quad), 8; zero-spend
  // runs, S = 1 at zero, maxLag 1 (no taps) and 13.
  for (const [G, T, C, L, withU] of [[1, 30, 3, 4, false], [1, 24, 2, 7, false], [2, 30, 2, 5, true], [5, 40, 2, 13, true], [8, 52, 3, 1, true], [8, 156, 2, 8, true]] as const) {
    const x = Float64Array.from(uniformVector(rng, G * T * C, 0, 2));
    for (let t = 0; t < 20; t++) x[t * C] = 0;
    const w = Float64Array.from(uniformVector(rng, G * T, 0.5, 2)), spend = Float64Array.from(uniformVector(rng, C, 1, 10));
    const values = [uniformVector(rng, C, 0.05, 0.9), uniformVector(rng, C, 0.3, 3), uniformVector(rng, C, 0.5, 3), uniformVector(rng, C, 0.5, 3), uniformVector(rng, G * C, 0.7, 1.3)];
    values[2][0] = 1;
    const weights = Float64Array.from(uniformVector(rng, G * T, -1, 1));
    const run = (precision: 'f64' | 'f32') => {
      const g = new Graph();
      const ps = values.map((v) => g.param(v.length, v));
      const out = geometricHillContribution(x, [G, T, C], L, ps[0], ps[1], ps[2], ps[3], spend, w, withU ? ps[4] : null, precision);
      g.backward(dot(out, g.constant(weights)));
      return { out: Array.from(out.value), grads: ps.slice(0, withU ? 5 : 4).map((p) => Array.from(p.grad)) };
    };
    const a = run('f64'), b = run('f32');
    const label = `f32 kernel ${G}x${T}x${C} L=${L}`;
    // Relative to the largest magnitude of each array (f32 has 24 bits, 6e-8; sums run over up to T·G
    // terms), plus 1e-12 for arrays that are 0 in exact arithmetic (∂/∂alpha at maxLag 1).
    // Gradients get 1e-4: ∂a[t]/∂α = Σ_l l·α^(l−1)·x[t−l]/W − a[t]·W′/W is a difference of like terms,
    // and its f32 sums lose a few more bits to the cancellation (measured: 2.3e-5 on 8 × 156).
    const close = (u: number[], v: number[], what: string, rtol: number) => {
      const scale = Math.max(...u.map(Math.abs));
      u.forEach((ui, i) => assert.ok(Math.abs(ui - v[i]) <= rtol * scale + 1e-12, `${label} ${what}[${i}]: ${v[i]} vs f64 ${ui}`));
    };
    close(a.out, b.out, 'out', 1e-5);
    a.grads.forEach((ga, i) => close(ga, b.grads[i], `grad ${i}`, 1e-4));
  }
  const g = new Graph();
  assert.throws(() => geometricHillContribution(new Float64Array(4), [1, 4, 1], 2, g.param(1), g.param(1), g.param(1), g.param(1), Float64Array.of(1), new Float64Array(4), null, 'f16' as 'f32'), MarginalError);
});

test('the committed WebAssembly kernels are what wasm/ compiles to', async () => {
  const script = new URL('../../../../scripts/build-wasm.mjs', import.meta.url).href; // plain JS: no types to import
  const { compile, kernels } = (await import(script)) as { compile(k: unknown): string; kernels: { output: string }[] };
  for (const k of kernels) {
    const committed = readFileSync(new URL(`../../../../${k.output}`, import.meta.url), 'utf8');
    assert.ok(committed === compile(k), `${k.output} is stale: run npm run build:wasm`);
  }
});
