/**
 * `npm run bench -- nuts`: our NUTS against Stan (rstan) on the same models and data, 4 chains ×
 * 1000 warm-up × 1000 draws: a 100-D correlated Gaussian, eight schools and a 50-group hierarchical
 * linear model (both non-centered). Reports wall time (Stan's compile time apart), minimum bulk-ESS
 * (our diagnostics on both sides' draws), ESS per second and the ratio. Goal: ≥ 2× Stan's ESS/s on
 * the hierarchical models, ≥ 1× on the Gaussian. The Stan side is skipped with a message without R.
 */
import { fileURLToPath } from 'node:url';
import { compareWithStan, type CompareFigures } from './stan/compare.ts';
import { correlatedGaussian, eightSchools, simulateHierLinear } from '../src/inference/examples/index.ts';

const examples = fileURLToPath(new URL('../src/inference/examples/index.ts', import.meta.url));
const stan = (f: string) => fileURLToPath(new URL(`./stan/${f}`, import.meta.url));

export async function run(): Promise<object> {
  const results: CompareFigures[] = [];
  const g = correlatedGaussian(100, 0.5, 1);
  const D = g.mean.length;
  const sigmaRows = Array.from({ length: D }, (_, i) => g.cov.slice(i * D, (i + 1) * D));
  const hl = simulateHierLinear(50, 10, 3);
  const models = [
    { name: 'gaussian-100d', stanFile: stan('gaussian.stan'), data: { D, mu: g.mean, Sigma: sigmaRows }, factory: { module: examples, export: 'gaussianTarget', args: g } },
    { name: 'eight-schools', stanFile: stan('schools.stan'), data: { J: 8, ...eightSchools }, factory: { module: examples, export: 'schoolsNonCentered', args: eightSchools } },
    { name: 'hier-linear-50', stanFile: stan('hier_linear.stan'),
      data: { N: hl.y.length, J: hl.J, g: hl.group.map((j) => j + 1), x: hl.x, y: hl.y }, factory: { module: examples, export: 'hierLinear', args: hl } },
  ];
  for (const m of models) {
    const r = await compareWithStan({ ...m, chains: 4, warmup: 1000, draws: 1000, seed: 1 });
    results.push(r);
    const s = 'skipped' in r.stan ? r.stan.skipped : `Stan ${r.stan.essPerSecond.toFixed(0)} ESS/s (${r.stan.wallSeconds.toFixed(2)} s, compile ${r.stan.compileSeconds.toFixed(0)} s)`;
    console.error(`[${m.name}] Marginal ${r.marginal.essPerSecond.toFixed(0)} ESS/s (${r.marginal.wallSeconds.toFixed(2)} s, ${r.marginal.leapfrogPerIteration.toFixed(1)} leapfrog/iter); ${s}; ratio ${r.ratio?.toFixed(2) ?? '—'}`);
  }
  return { settings: { chains: 4, warmup: 1000, draws: 1000, seed: 1 }, goals: { hierarchical: 2, gaussian: 1 }, models: results };
}
