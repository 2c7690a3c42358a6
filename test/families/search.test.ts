import assert from 'node:assert/strict';
import { test } from 'node:test';
import { basename } from 'node:path';
import { readWideTable } from '../../src/data/index.ts';
import { parseModelConfig } from '../../src/models/config.ts';
import { readModelConfig } from '../../src/app/modelConfigFile.ts';
import { buildModelData } from '../../src/models/design.ts';
import { classicFittedModel, fitClassic } from '../../src/models/linear/families.ts';
import { dominates } from '../../src/models/search/nsga2.ts';
import type { ParetoModel } from '../../src/models/search/robyn.ts';

async function load(patch: Record<string, unknown>) {
  const config = parseModelConfig({ ...readModelConfig('test/families/fixtures/robyn-ridge.json'), ...patch });
  const t = await readWideTable(config.data.file!);
  return { config, data: buildModelData(config, { source: basename(config.data.file!), rowCount: t.rowCount, columns: t.columns, lines: t.lines }) };
}

type Stored = { search: { pareto: ParetoModel[]; clusters: { cluster: number; size: number; recommended: number }[]; recommended: number; objectives: string[] } };

test('Robyn-style search: Pareto set is non-dominated, clustered, one recommendation per cluster; same seed → identical fit', async () => {
  const { config, data } = await load({ search: { iterations: 300, trials: 2, seed: 7 } });
  const fit = fitClassic(config, data, { bootstrap: 20 });
  const { search } = fit.stored as Stored;
  assert.deepEqual(search.objectives, ['nrmse', 'decompRssd']);
  const front1 = search.pareto.filter((p) => p.front === 1);
  assert.ok(front1.length >= 3);
  for (const a of front1) for (const b of search.pareto) assert.ok(!dominates([b.nrmse, b.decompRssd], [a.nrmse, a.decompRssd]));
  const sizes = search.clusters.reduce((s, c) => s + c.size, 0);
  assert.equal(sizes, search.pareto.length);
  for (const c of search.clusters) assert.equal(search.pareto[c.recommended].cluster, c.cluster);
  // The refitted model is the recommended one: same hyperparameters, same NRMSE.
  const rec = search.pareto[search.recommended];
  assert.ok(Math.abs(fit.fit.nrmse - rec.nrmse) < 1e-12, `${fit.fit.nrmse} vs ${rec.nrmse}`);
  assert.equal(fit.diagnostics.search!.evaluations, 600);
  const recs = fit.diagnostics.search!.recommended;
  assert.equal(recs.length, search.clusters.length);
  assert.equal(recs.filter((r) => r.chosen).length, 1);
  assert.deepEqual(Object.keys(recs[0].roi), data.channels);
  const again = fitClassic(config, data, { bootstrap: 20 });
  assert.deepEqual(again.stored, fit.stored);
  assert.deepEqual(again.channels, fit.channels);
  const other = fitClassic(parseModelConfig({ ...config, search: { iterations: 300, trials: 2, seed: 8 } }), data, { bootstrap: 20 });
  assert.notDeepEqual((other.stored as Stored).search.pareto, search.pareto);
  // A FittedModel rebuilt from the stored result reproduces the contributions.
  const fitted = classicFittedModel(config, data, fit);
  const r = fitted.response({ channel: 0, multiplier: 1 });
  assert.equal(r.length, 20);
});

test('with an experiment, calibration error is a third objective and pulls the lift toward the test', async () => {
  const exp = { channel: 'tv', start: '2018-01-01', end: '2018-03-26', lift: 400000, liftSe: 50000 };
  const { config, data } = await load({ experiments: [exp], search: { iterations: 300, trials: 1, seed: 3 } });
  const fit = fitClassic(config, data, { bootstrap: 0 });
  const { search } = fit.stored as Stored;
  assert.deepEqual(search.objectives, ['nrmse', 'decompRssd', 'calibration']);
  assert.ok(search.pareto.every((p) => typeof p.calibration === 'number'));
  const best = Math.min(...search.pareto.map((p) => p.calibration!));
  assert.ok(best < 0.1, `best calibration error ${best}`);
});
