import assert from 'node:assert/strict';
import { test } from 'node:test';
import { basename } from 'node:path';
import { readWideTable } from '../../src/data/index.ts';
import { parseModelConfig } from '../../src/models/config.ts';
import { readModelConfig } from '../../src/app/modelConfigFile.ts';
import { buildModelData } from '../../src/models/design.ts';
import { classicFittedModel, fitClassic } from '../../src/models/linear/families.ts';
import { fitTrees } from '../../src/models/trees/fit.ts';

async function load(name: string, patch: Record<string, unknown> = {}) {
  const config = parseModelConfig({ ...readModelConfig(`test/families/fixtures/${name}`), ...patch });
  const t = await readWideTable(config.data.file!);
  return { config, data: buildModelData(config, { source: basename(config.data.file!), rowCount: t.rowCount, columns: t.columns, lines: t.lines }) };
}

test('boosting on Robyn data: contract fields, decomposition sums to predictions to 1e-9, reload reproduces it', async () => {
  const { config, data } = await load('robyn-boosting.json');
  const fit = fitClassic(config, data, { bootstrap: 3, seed: 4 });
  assert.equal(fit.family, 'boosting');
  assert.ok(fit.fit.r2 > 0.9 && fit.fit.holdout!.r2 > 0.3, `r2 ${fit.fit.r2} holdout ${fit.fit.holdout?.r2}`);
  assert.ok(fit.warnings.some((w) => w.startsWith('EXTRAPOLATION')));
  const fitted = classicFittedModel(config, data, fit);
  const d = fitted.decomposition();
  for (let i = 0; i < data.T; i++) {
    let s = 0;
    for (const v of Object.values(d.components)) s += v[i];
    for (const v of Object.values(d.channels)) s += v[i];
    assert.ok(Math.abs(s - d.predicted[i]) < 1e-9 * Math.abs(d.predicted[i]), `period ${i}: ${s} vs ${d.predicted[i]}`);
    assert.ok(Math.abs(d.predicted[i] - fit.series.predicted[i]) < 1e-9 * Math.abs(d.predicted[i]));
  }
  const r = fitted.response({ channel: 0, multiplier: 1 });
  assert.equal(r.length, 3);
  const stored = fit.stored as { synergy: { h2: number }[]; curves: unknown[] };
  assert.equal(stored.synergy.length, 10);
  assert.ok(stored.synergy.every((s) => s.h2 >= 0 && s.h2 <= 1.5));
  assert.equal(stored.curves.length, 5);
});

test('forest recovers a synergy: y depends on tv × search, H² ranks that pair first; non-monotone response is flagged', async () => {
  const { config, data } = await load('robyn-forest.json', { adstock: { type: 'none' }, saturation: { type: 'none' }, controls: [], seasonality: { yearly: 0 }, trend: 'none', holdout: { periods: 0 } });
  const C = data.C;
  const sd = (c: number) => { let m = 0; for (let t = 0; t < data.T; t++) m = Math.max(m, data.spend[t * C + c]); return m; };
  const [m0, m4, m2] = [sd(0), sd(4), sd(2)];
  for (let t = 0; t < data.T; t++) {
    const tv = data.spend[t * C] / m0, search = data.spend[t * C + 4] / m4, print = data.spend[t * C + 2] / m2;
    // print: rises to a peak at 1/6 of its largest spend, then falls → not monotone.
    data.y[t] = 1e6 * (2 + 3 * (tv - 0.5) * (search - 0.5) + 12 * print * Math.exp(-6 * print));
  }
  const fit = fitTrees(config, data, { bootstrap: 1, seed: 2, forest: { nTrees: 40, maxFeatures: 1, minSamplesLeaf: 2, maxDepth: 10 } });
  const stored = fit.stored as { synergy: { a: string; b: string; h2: number }[] };
  assert.deepEqual([stored.synergy[0].a, stored.synergy[0].b], ['tv', 'search']);
  assert.ok(stored.synergy[0].h2 > 3 * stored.synergy[1].h2, JSON.stringify(stored.synergy.slice(0, 3)));
  assert.ok(fit.warnings.some((w) => /NOT MONOTONE: print/.test(w)), fit.warnings.join('\n'));
});
