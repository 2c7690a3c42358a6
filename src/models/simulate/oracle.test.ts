import { test } from 'node:test';
import assert from 'node:assert/strict';
import { simulate } from './simulate.ts';
import { oracleRoiBound, posteriorMeanUnderLogNormalPrior } from './oracle.ts';

test('oracle bound: its ROI errors over 60 simulations are unbiased and match its own standard errors', () => {
  const z: number[] = [];
  for (let seed = 1; seed <= 60; seed++) {
    const sim = simulate({ weeks: 156, channels: 5, seed });
    const bound = oracleRoiBound(sim, { draws: 1000 });
    for (const c of bound.channels) z.push(c.relError / c.relSe);
    // The simulator's noise sd is 4% of its intercept, 1.1 × Σβ: OLS must find that level.
    const noise = 0.04 * 1.1 * sim.truth.channels.reduce((a, c) => a + c.beta, 0);
    assert.ok(Math.abs(bound.sigma / noise - 1) < 0.15, `seed ${seed}: sigma ${bound.sigma} vs ${noise}`);
    assert.ok(Math.abs(bound.expectedMeanAbsRelError - Math.sqrt(2 / Math.PI) * bound.channels.reduce((a, c) => a + c.relSe, 0) / 5) < 1e-12);
  }
  const mean = z.reduce((a, b) => a + b, 0) / z.length;
  const sd = Math.sqrt(z.reduce((a, b) => a + (b - mean) ** 2, 0) / (z.length - 1));
  // 300 z-scores: the mean's own sd is 0.058, the sd's about 0.04 (t with 144 df has sd 1.007).
  assert.ok(Math.abs(mean) < 0.2, `mean z ${mean}`);
  assert.ok(sd > 0.88 && sd < 1.15, `sd z ${sd}`);
});

test('oracle bound: the best-funded flighted channel is pinned, the smallest always-on one is not', () => {
  const bound = oracleRoiBound(simulate({ weeks: 156, channels: 5, seed: 1 }));
  const byName = Object.fromEntries(bound.channels.map((c) => [c.name, c]));
  assert.ok(byName.tv.relSe < 0.1, `tv ${byName.tv.relSe}`);
  assert.ok(byName.display.relSe > 1, `display ${byName.display.relSe}`);
});

test('oracle bound on geo simulations: unbiased, with standard errors that match its errors', () => {
  const z: number[] = [];
  for (let seed = 1; seed <= 12; seed++) {
    const sim = simulate({ weeks: 52, channels: 5, geos: 6, seed });
    const bound = oracleRoiBound(sim, { draws: 1000 });
    for (const c of bound.channels) z.push(c.relError / c.relSe);
    const noise = 0.04 * 1.1 * sim.truth.channels.reduce((a, c) => a + c.beta, 0);
    assert.ok(Math.abs(bound.sigma / noise - 1) < 0.1, `seed ${seed}: sigma ${bound.sigma} vs ${noise}`);
  }
  const mean = z.reduce((a, b) => a + b, 0) / z.length;
  const sd = Math.sqrt(z.reduce((a, b) => a + (b - mean) ** 2, 0) / (z.length - 1));
  // 60 z-scores: the mean's sd is 0.13, the sd's about 0.09.
  assert.ok(Math.abs(mean) < 0.4, `mean z ${mean}`);
  assert.ok(sd > 0.75 && sd < 1.3, `sd z ${sd}`);
});

test('Bayes oracle: the importance-sampled posterior mean matches quadrature (1-D and independent 2-D)', () => {
  const prior = { mu: 0.2, sigma: 0.9 };
  // Posterior ∝ Normal(x; m, s²) · LogNormal(x; μ, σ) on x > 0, by the trapezoid rule on a fine grid.
  const quadrature = (m: number, s: number) => {
    let num = 0, den = 0;
    const hi = m + 10 * s, n = 200_000, h = hi / n;
    for (let i = 1; i <= n; i++) {
      const x = i * h;
      const w = Math.exp(-((x - m) ** 2) / (2 * s * s) - Math.log(x) - (Math.log(x) - prior.mu) ** 2 / (2 * prior.sigma ** 2));
      num += x * w; den += w;
    }
    return num / den;
  };
  // A likelihood much wider than the prior (display), and one much narrower (tv).
  for (const [m, s] of [[-0.6, 1.3], [1.5, 0.07]]) {
    const est = posteriorMeanUnderLogNormalPrior([m], Float64Array.of(s * s), prior, { draws: 400_000 }).mean[0];
    const exact = quadrature(m, s);
    assert.ok(Math.abs(est / exact - 1) < 0.01, `m ${m} s ${s}: ${est} vs ${exact}`);
  }
  const two = posteriorMeanUnderLogNormalPrior([-0.6, 1.5], Float64Array.of(1.69, 0, 0, 0.0049), prior, { draws: 400_000 }).mean;
  assert.ok(Math.abs(two[0] / quadrature(-0.6, 1.3) - 1) < 0.01 && Math.abs(two[1] / quadrature(1.5, 0.07) - 1) < 0.01, `${two}`);
});

test('Bayes oracle: with the true transforms and Meridian\'s ROI prior, it shrinks the worst OLS channel toward the prior', () => {
  const bound = oracleRoiBound(simulate({ weeks: 156, channels: 5, seed: 1 }));
  const display = bound.channels.findIndex((c) => c.name === 'display');
  assert.ok(Math.abs(bound.bayes.relErrors[display]) < Math.abs(bound.channels[display].relError), `${bound.bayes.relErrors[display]} vs ${bound.channels[display].relError}`);
  assert.ok(bound.bayes.roi.every((r) => r > 0));
  assert.ok(bound.bayes.effectiveDraws > 1000, `ESS ${bound.bayes.effectiveDraws}`);
});
