import { test } from 'node:test';
import assert from 'node:assert/strict';
import { MarginalError } from '../errors.ts';
import { mcseMean, mcseVariance } from './diagnostics.ts';
import { correlatedGaussian, gaussianTarget } from './examples/index.ts';
import { sampleNuts, type ChainResult } from './nuts.ts';
import { column, samplerDiagnostics } from './summary.ts';

/** Asserts every coordinate's mean and variance lie within 4 Monte-Carlo standard errors of the truth. */
function assertMoments(chains: ChainResult[], mean: number[], cov: number[]): void {
  const d = mean.length;
  for (let j = 0; j < d; j++) {
    const col = column(chains.map((c) => c.draws), d, j);
    let s = 0, n = 0;
    for (const c of col) for (const v of c) { s += v; n++; }
    const m = s / n;
    let v2 = 0;
    for (const c of col) for (const v of c) v2 += (v - m) ** 2;
    const variance = v2 / (n - 1);
    const zMean = (m - mean[j]) / mcseMean(col);
    const zVar = (variance - cov[j * d + j]) / mcseVariance(col);
    assert.ok(Math.abs(zMean) < 4, `coordinate ${j}: mean ${m} vs ${mean[j]} (${zMean.toFixed(2)} MCSE)`);
    assert.ok(Math.abs(zVar) < 4, `coordinate ${j}: variance ${variance} vs ${cov[j * d + j]} (${zVar.toFixed(2)} MCSE)`);
  }
}

test('2-D correlated Gaussian (ρ = 0.9): means and variances within 4 MCSE', () => {
  const g = correlatedGaussian(2, 0.9, 1);
  const t = gaussianTarget(g);
  const chains = [0, 1].map((chain) => sampleNuts(t, { warmup: 500, draws: 2000, seed: 11, chain }));
  assertMoments(chains, g.mean, g.cov);
  const diag = samplerDiagnostics(chains);
  assert.equal(diag.divergences, 0);
  assert.ok(diag.ebfmi.every((e) => e > 0.5));
  // the adapted metric approximates the marginal variances
  for (const c of chains) for (let j = 0; j < 2; j++) assert.ok(Math.abs(c.invMetric[j] / g.cov[j * 3] - 1) < 0.5);
});

test('100-D correlated Gaussian: all 200 moments within 4 MCSE (MCSE from our own ESS)', () => {
  const g = correlatedGaussian(100, 0.5, 2);
  const t = gaussianTarget(g);
  const chains = [0, 1].map((chain) => sampleNuts(t, { warmup: 300, draws: 400, seed: 5, chain }));
  assertMoments(chains, g.mean, g.cov);
  assert.equal(samplerDiagnostics(chains).divergences, 0);
});

test('dense metric: correct moments and fewer leapfrog steps on a strongly correlated Gaussian', () => {
  const g = correlatedGaussian(5, 0.95, 3);
  const t = gaussianTarget(g);
  const dense = [0, 1].map((chain) => sampleNuts(t, { warmup: 500, draws: 1000, seed: 2, chain, metric: 'dense' }));
  const diag = [0, 1].map((chain) => sampleNuts(t, { warmup: 500, draws: 1000, seed: 2, chain }));
  assertMoments(dense, g.mean, g.cov);
  assert.equal(dense[0].invMetric.length, 25);
  const leap = (cs: ChainResult[]) => samplerDiagnostics(cs).leapfrogPerIteration;
  assert.ok(leap(dense) < 0.5 * leap(diag), `dense ${leap(dense)} vs diag ${leap(diag)} leapfrog steps per iteration`);
});

test('an initial inverse metric (the true covariance) gives correct moments and shorter warm-up trajectories', () => {
  const g = correlatedGaussian(10, 0.95, 5);
  const t = gaussianTarget(g);
  const warm = (cs: ChainResult[]) => cs.reduce((s, c) => s + c.totalLeapfrog - c.nLeapfrog.reduce((a, b) => a + b, 0), 0);
  const given = [0, 1].map((chain) => sampleNuts(t, { warmup: 300, draws: 1000, seed: 4, chain, metric: 'dense', invMetric: Float64Array.from(g.cov) }));
  const plain = [0, 1].map((chain) => sampleNuts(t, { warmup: 300, draws: 1000, seed: 4, chain, metric: 'dense' }));
  assertMoments(given, g.mean, g.cov);
  assert.ok(warm(given) < 0.7 * warm(plain), `warm-up leapfrog steps: ${warm(given)} with the metric vs ${warm(plain)} without`);
  const diag = sampleNuts(t, { warmup: 50, draws: 10, seed: 4, metric: 'diag', invMetric: Float64Array.from(g.cov) });
  assert.equal(diag.invMetric.length, 10);
  assert.throws(() => sampleNuts(t, { warmup: 10, draws: 10, seed: 1, invMetric: new Float64Array(3) }), /invMetric/);
});

test('the same seed and chain give identical draws; another chain gives different ones', () => {
  const t = gaussianTarget(correlatedGaussian(3, 0.5, 4));
  const a = sampleNuts(t, { warmup: 100, draws: 50, seed: 9, chain: 1 });
  const b = sampleNuts(t, { warmup: 100, draws: 50, seed: 9, chain: 1 });
  const c = sampleNuts(t, { warmup: 100, draws: 50, seed: 9, chain: 2 });
  assert.deepEqual(a.draws, b.draws);
  assert.deepEqual(a.nLeapfrog, b.nLeapfrog);
  assert.notDeepEqual(a.draws, c.draws);
});

test('progress callback reports iterations, phase and step size', () => {
  const t = gaussianTarget(correlatedGaussian(2, 0, 1));
  const seen: string[] = [];
  sampleNuts(t, { warmup: 50, draws: 50, seed: 1, chain: 3, progressEvery: 25, onProgress: (p) => seen.push(`${p.chain}:${p.iteration}:${p.phase}:${p.stepSize > 0}`) });
  assert.deepEqual(seen, ['3:25:warmup:true', '3:50:warmup:true', '3:75:sampling:true', '3:100:sampling:true']);
});

test('maximum tree depth is respected and reported', () => {
  const t = gaussianTarget(correlatedGaussian(10, 0.99, 1));
  const r = sampleNuts(t, { warmup: 0, draws: 30, seed: 1, maxTreeDepth: 2, init: new Float64Array(10) });
  assert.ok(r.treeDepth.every((d) => d <= 2));
  assert.ok(r.nLeapfrog.every((n) => n <= 3));
  assert.ok(samplerDiagnostics([r]).maxTreeDepthShare > 0.5);
});

test('bad options and a start with zero density throw MarginalError', () => {
  const t = gaussianTarget(correlatedGaussian(2, 0, 1));
  assert.throws(() => sampleNuts(t, { warmup: -1, draws: 10, seed: 1 }), (e) => e instanceof MarginalError && /warmup/.test(e.message));
  assert.throws(() => sampleNuts(t, { warmup: 1, draws: 10, seed: 1, init: new Float64Array(3) }), /length 2/);
  assert.throws(() => sampleNuts(t, { warmup: 1, draws: 10, seed: 1, targetAccept: 1.2 }), /targetAccept/);
  const dead = { dim: 1, logDensityGradient: () => -Infinity };
  assert.throws(() => sampleNuts(dead, { warmup: 1, draws: 1, seed: 1 }), (e) => e instanceof MarginalError && e.code === 'FIT_FAILED');
});
