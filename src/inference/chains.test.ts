import { test } from 'node:test';
import assert from 'node:assert/strict';
import { fileURLToPath } from 'node:url';
import { ChainWorkers, chainInit, runChains } from './chains.ts';
import { eightSchools, schoolsNonCentered } from './examples/index.ts';
import { sampleNuts } from './nuts.ts';
import { summarize } from './summary.ts';

const examples = fileURLToPath(new URL('./examples/index.ts', import.meta.url));

test('runChains: 3 chains on 2 workers equal the same chains run in this thread, with progress', async () => {
  const events: number[] = [];
  const r = await runChains({ module: examples, export: 'schoolsNonCentered', args: eightSchools },
    { chains: 3, workers: 2, warmup: 150, draws: 100, seed: 4, init: new Float64Array(10), onProgress: (p) => events.push(p.chain) });
  assert.equal(r.chains.length, 3);
  assert.deepEqual(new Set(events), new Set([0, 1, 2]));
  const local = sampleNuts(schoolsNonCentered(eightSchools), { warmup: 150, draws: 100, seed: 4, chain: 2, init: chainInit(new Float64Array(10), 0.5, 4, 2) });
  assert.deepEqual(r.chains[2].draws, local.draws);
  const s = summarize(r.chains.map((c) => c.draws), ['mu', 'log_tau', ...Array.from({ length: 8 }, (_, j) => `eta${j}`)], r.chains);
  assert.equal(s.parameters.length, 10);
  assert.ok(s.sampler!.leapfrogPerIteration > 1);
});

test('runChains rejects (never hangs) when the factory is missing or the target throws', async () => {
  await assert.rejects(runChains({ module: examples, export: 'noSuchExport', args: {} }, { chains: 2, warmup: 5, draws: 5, seed: 1 }), /noSuchExport/);
  await assert.rejects(runChains({ module: '/nonexistent/module.ts', export: 'x', args: {} }, { chains: 1, warmup: 5, draws: 5, seed: 1 }), /Cannot find|nonexistent/);
  // gaussianTarget throws on a malformed covariance inside the worker
  await assert.rejects(runChains({ module: examples, export: 'gaussianTarget', args: { mean: [0, 0], cov: [1] } }, { chains: 2, warmup: 5, draws: 5, seed: 1 }), /cov/);
});

test('ChainWorkers: workers started before the run give the same chains as runChains; a failure before the run rejects the run', async () => {
  const factory = { module: examples, export: 'schoolsNonCentered', args: eightSchools };
  const opts = { chains: 3, warmup: 100, draws: 50, seed: 6, init: new Float64Array(10) };
  const pool = new ChainWorkers(factory, 2);
  await new Promise((r) => setTimeout(r, 300)); // the caller looks for a start meanwhile
  const early = await pool.run(opts);
  const plain = await runChains(factory, { ...opts, workers: 2 });
  early.chains.forEach((c, k) => assert.deepEqual(c.draws, plain.chains[k].draws));
  await assert.rejects(pool.run(opts), /runs once/);
  const broken = new ChainWorkers({ module: examples, export: 'noSuchExport', args: {} }, 2);
  await new Promise((r) => setTimeout(r, 1500)); // the workers fail while nobody waits on them
  await assert.rejects(broken.run(opts), /noSuchExport/);
  // Closed before any run (the caller failed first): nothing keeps the process alive or throws.
  new ChainWorkers(factory, 2).close();
});
