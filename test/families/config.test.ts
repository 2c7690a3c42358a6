import { test } from 'node:test';
import assert from 'node:assert/strict';
import { MarginalError } from '../../src/errors.ts';
import { parseModelConfig } from '../../src/models/config.ts';
import { buildModelData } from '../../src/models/design.ts';
import { simulate } from '../../src/models/simulate/index.ts';
import { fitClassic } from '../../src/models/linear/families.ts';

const sim = simulate({ weeks: 80, channels: 2, seed: 1 });
const columns = Object.fromEntries(sim.columns.map((c, j) => [c, sim.rows.map((r) => r[j])]));
const base = { data: { file: 'x.csv' }, target: { column: 'revenue' }, channels: sim.truth.channels.map((c) => ({ name: c.name, spend: `${c.name}_spend` })) };

test('`classic` settings reach the fit: tree hyperparameters, bootstrap replicates, non-negativity', () => {
  const config = parseModelConfig({ ...base, family: 'boosting', classic: { bootstrap: 3, trees: { nTrees: 15, maxDepth: 2, learningRate: 0.3 } } });
  const fit = fitClassic(config, buildModelData(config, { source: 'x.csv', rowCount: sim.rows.length, columns }));
  const params = (fit.stored as { params: Record<string, number> }).params;
  assert.deepEqual([params.nTrees, params.maxDepth, params.learningRate], [15, 2, 0.3]);
  assert.equal(fit.diagnostics.bootstrap, 3);
  const forest = parseModelConfig({ ...base, family: 'forest', classic: { bootstrap: 2, trees: { nTrees: 10, learningRate: 0.3 } } });
  const fp = (fitClassic(forest, buildModelData(forest, { source: 'x.csv', rowCount: sim.rows.length, columns })).stored as { params: Record<string, unknown> }).params;
  assert.equal(fp.nTrees, 10);
  assert.equal(fp.learningRate, undefined);
  const free = parseModelConfig({ ...base, family: 'linear', classic: { nonNegative: false, bootstrap: 2 } });
  assert.equal(free.classic?.nonNegative, false);
});

test('unknown or out-of-range `classic` keys are errors naming the key', () => {
  assert.throws(() => parseModelConfig({ ...base, classic: { trees: { depth: 3 } } }), (e: MarginalError) => e.message.includes('unknown key `classic.trees.depth`'));
  assert.throws(() => parseModelConfig({ ...base, classic: { trees: { learningRate: 2 } } }), (e: MarginalError) => e.message.includes('classic.trees.learningRate'));
});

test('channel names that are Object.prototype members are refused by name; priors are null-prototype lookups', async () => {
  const { parseModelConfig } = await import('../../src/models/config.ts');
  for (const name of ['__proto__', 'constructor', 'toString', 'hasOwnProperty']) {
    const raw = JSON.parse(`{"data":{"file":"x.csv"},"target":{"column":"y"},"channels":[{"name":${JSON.stringify(name)},"spend":"s"}]}`);
    assert.throws(() => parseModelConfig(raw), new RegExp(`channel name '${name}' is reserved by JavaScript`));
  }
  const ok = parseModelConfig({ data: { file: 'x.csv' }, target: { column: 'y' }, channels: [{ name: 'tv', spend: 's' }] });
  assert.equal(ok.priors.roi.constructor, undefined, 'no prior inherited from Object.prototype');
});
