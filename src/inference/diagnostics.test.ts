import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { ebfmi, essBulk, essMean, essTail, mcseMean, quantile, rhat, rhatBasic } from './diagnostics.ts';
import { Rng } from '../util/rng.ts';

// Reference values from the R package `posterior` (fixtures/make-posterior-reference.R).
const ref = JSON.parse(readFileSync(new URL('./fixtures/posterior-reference.json', import.meta.url), 'utf8')) as Record<string, {
  chains: number[][]; rhat: number; rhat_basic: number; ess_bulk: number; ess_tail: number; ess_mean: number; mcse_mean: number; q5: number; q95: number;
}>;

for (const [name, c] of Object.entries(ref)) {
  if (name === 'version') continue;
  test(`matches posterior on case '${name}'`, () => {
    const chains = c.chains.map((x) => Float64Array.from(x));
    const close = (got: number, want: number, what: string) =>
      assert.ok(Math.abs(got - want) <= 1e-8 * Math.max(1, Math.abs(want)), `${name} ${what}: got ${got}, posterior ${want}`);
    close(rhat(chains), c.rhat, 'rhat');
    close(rhatBasic(chains), c.rhat_basic, 'rhat_basic');
    close(essBulk(chains), c.ess_bulk, 'ess_bulk');
    close(essTail(chains), c.ess_tail, 'ess_tail');
    close(essMean(chains), c.ess_mean, 'ess_mean');
    close(mcseMean(chains), c.mcse_mean, 'mcse_mean');
    close(quantile(chains, 0.05), c.q5, 'q5');
    close(quantile(chains, 0.95), c.q95, 'q95');
  });
}

test('ESS of long AR(1) chains matches the closed form N(1-φ)/(1+φ)', () => {
  const rng = new Rng(7);
  for (const phi of [0.5, 0.9]) {
    const n = 20000, chains: Float64Array[] = [];
    for (let c = 0; c < 4; c++) {
      const x = new Float64Array(n);
      x[0] = rng.normal() / Math.sqrt(1 - phi * phi);
      for (let i = 1; i < n; i++) x[i] = phi * x[i - 1] + rng.normal();
      chains.push(x);
    }
    const want = (4 * n * (1 - phi)) / (1 + phi);
    const got = essMean(chains);
    assert.ok(Math.abs(got / want - 1) < 0.1, `phi ${phi}: ESS ${got}, closed form ${want}`);
    assert.ok(Math.abs(essBulk(chains) / want - 1) < 0.12);
    assert.ok(rhat(chains) < 1.01);
  }
});

test('E-BFMI: 2 for iid energies, small for a random walk', () => {
  const rng = new Rng(3);
  const iid = new Float64Array(20000).map(() => rng.normal());
  assert.ok(Math.abs(ebfmi(iid) - 2) < 0.05);
  const walk = new Float64Array(20000);
  for (let i = 1; i < walk.length; i++) walk[i] = walk[i - 1] + rng.normal();
  assert.ok(ebfmi(walk) < 0.01);
});

test('constant or non-finite draws give NaN, not a crash', () => {
  const c = [new Float64Array(50).fill(1), new Float64Array(50).fill(1)];
  assert.ok(Number.isNaN(rhat(c)));
  assert.ok(Number.isNaN(essBulk(c)));
  assert.ok(Number.isNaN(essBulk([Float64Array.from([1, 2, NaN, 4, 5, 6])])));
});
