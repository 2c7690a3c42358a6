// NUTS on posteriors with known answers: Neal's funnel (both forms), conjugate linear regression,
// logistic regression against the Laplace approximation at large n, and simulation-based calibration.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mcseMean, mcseVariance } from './diagnostics.ts';
import { funnelCentered, funnelNonCentered, linearPosterior, linearRegression, logisticRegression, simulateRegression } from './examples/index.ts';
import { laplace } from './laplace.ts';
import { lbfgs } from './lbfgs.ts';
import { sampleNuts } from './nuts.ts';
import { Rng } from '../util/rng.ts';
import { column, samplerDiagnostics, summarize } from './summary.ts';

test('non-centered funnel: no divergences, v ~ N(0, 3)', () => {
  const chains = [0, 1].map((chain) => sampleNuts(funnelNonCentered({ dim: 10 }), { warmup: 500, draws: 1000, seed: 3, chain }));
  const s = summarize(chains.map((c) => c.draws), ['v', ...Array.from({ length: 9 }, (_, i) => `x${i}`)], chains);
  assert.equal(s.sampler!.divergences, 0);
  assert.equal(chains[0].divergentPoints.length, 0);
  const v = s.parameters[0];
  assert.ok(Math.abs(v.mean) < 4 * v.mcse, `v mean ${v.mean}, mcse ${v.mcse}`);
  assert.ok(Math.abs(v.sd - 3) < 0.3, `v sd ${v.sd}`);
});

test('centered funnel: divergences are detected, reported and located in the neck', () => {
  // Divergences here are rare events after adaptation (a handful per thousand draws, varying with
  // rounding-level differences in the trajectories): 2 × 1000 draws saw none in 3 of 16 seeds, 4 × 3000
  // saw at least 28 in each of 5 seeds.
  const chains = [0, 1, 2, 3].map((chain) => sampleNuts(funnelCentered({ dim: 10 }), { warmup: 500, draws: 3000, seed: 3, chain }));
  const diag = samplerDiagnostics(chains);
  assert.ok(diag.divergences > 0, 'expected divergences in the centered funnel');
  const points = chains.flatMap((c) => c.divergentPoints);
  assert.equal(points.length, diag.divergences);
  for (const c of chains) for (const p of c.divergentPoints) assert.equal(c.divergent[p.draw], 1);
  // divergent trajectories start in the narrow neck: lower v than the chain's typical draw
  const median = (xs: number[]) => xs.sort((a, b) => a - b)[Math.floor(xs.length / 2)];
  const vDiv = median(points.map((p) => p.theta[0]));
  const vAll = median(chains.flatMap((c) => Array.from(column([c.draws], 10, 0)[0])));
  assert.ok(vDiv < vAll - 1, `median v at divergent starts ${vDiv}, over all draws ${vAll}`);
});

test('Bayesian linear regression: posterior equals the conjugate closed form (within 4 MCSE)', () => {
  const data = simulateRegression(50, [1, -2, 0.5, 3], 21, 'linear', 1.5);
  const args = { ...data, sigma: 1.5, priorSd: 2 };
  const truth = linearPosterior(args);
  const chains = [0, 1].map((chain) => sampleNuts(linearRegression(args), { warmup: 400, draws: 1000, seed: 4, chain }));
  for (let j = 0; j < 4; j++) {
    const col = column(chains.map((c) => c.draws), 4, j);
    const all = col.flatMap((c) => Array.from(c));
    const m = all.reduce((a, v) => a + v, 0) / all.length;
    const v = all.reduce((a, x) => a + (x - m) ** 2, 0) / (all.length - 1);
    assert.ok(Math.abs(m - truth.mean[j]) < 4 * mcseMean(col), `β${j}: mean ${m} vs ${truth.mean[j]}`);
    assert.ok(Math.abs(v - truth.cov[j * 5]) < 4 * mcseVariance(col), `β${j}: variance ${v} vs ${truth.cov[j * 5]}`);
  }
});

test('logistic regression at n = 2000 agrees with the Laplace approximation at the MAP', () => {
  const data = simulateRegression(2000, [-0.5, 1, -0.7], 8, 'logistic');
  const target = logisticRegression({ ...data, priorSd: 5 });
  const map = lbfgs(target, new Float64Array(3));
  assert.ok(map.converged);
  const lap = laplace(target, map.theta, { draws: 0, seed: 1 });
  const chains = [0, 1].map((chain) => sampleNuts(target, { warmup: 300, draws: 800, seed: 6, chain, init: map.theta }));
  const s = summarize(chains.map((c) => c.draws), ['b0', 'b1', 'b2'], chains);
  for (let j = 0; j < 3; j++) {
    const p = s.parameters[j], sdLap = Math.sqrt(lap.covariance[j * 4]);
    // the posterior mean differs from the mode by O(1/n): allow 4 MCSE plus 0.1 posterior sd
    assert.ok(Math.abs(p.mean - map.theta[j]) < 4 * p.mcse + 0.1 * sdLap, `b${j}: NUTS mean ${p.mean} vs MAP ${map.theta[j]}`);
    assert.ok(Math.abs(p.sd / sdLap - 1) < 0.1, `b${j}: NUTS sd ${p.sd} vs Laplace sd ${sdLap}`);
    assert.ok(p.rhat < 1.01);
  }
});

test('simulation-based calibration on a normal-mean model: rank histograms uniform (χ² test)', () => {
  // μ ~ N(0, 1), y_i ~ N(μ, 1), i = 1..5. For each of 200 replications: draw μ* from the prior, data
  // from μ*, run NUTS, and record the rank of μ* among 19 thinned posterior draws (20 bins).
  const rng = new Rng(2024);
  const reps = 200, L = 19, counts = new Array(L + 1).fill(0);
  for (let r = 0; r < reps; r++) {
    const mu = rng.normal();
    const y = Array.from({ length: 5 }, () => mu + rng.normal());
    const target = { dim: 1, logDensityGradient: (th: Float64Array, g: Float64Array) => {
      let lp = -0.5 * th[0] * th[0], gr = -th[0];
      for (const yi of y) { lp -= 0.5 * (yi - th[0]) ** 2; gr += yi - th[0]; }
      g[0] = gr; return lp;
    } };
    const c = sampleNuts(target, { warmup: 100, draws: L * 5, seed: 100 + r });
    let rank = 0;
    for (let k = 0; k < L; k++) if (c.draws[k * 5] < mu) rank++;
    counts[rank]++;
  }
  const expected = reps / (L + 1);
  const chi2 = counts.reduce((a, o) => a + (o - expected) ** 2 / expected, 0);
  // 99th percentile of χ² with 19 degrees of freedom
  assert.ok(chi2 < 36.19, `χ² = ${chi2.toFixed(1)} with counts ${counts.join(',')}`);
});
