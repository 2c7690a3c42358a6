import assert from 'node:assert/strict';
import { test } from 'node:test';
import { Rng } from '../../src/util/rng.ts';
import { parseModelConfig } from '../../src/models/config.ts';
import { buildModelData } from '../../src/models/design.ts';
import { fitRegression } from '../../src/models/linear/fit.ts';

test('linear bootstrap: 90% ROI intervals cover the true ROI in about 90% of simulated datasets', () => {
  const config = parseModelConfig({
    data: { file: 'sim.csv' }, target: { column: 'y' },
    channels: [{ name: 'a', spend: 'a' }, { name: 'b', spend: 'b' }],
    adstock: { type: 'none' }, saturation: { type: 'none' }, seasonality: { yearly: 0 }, trend: 'none',
  });
  const roi = [1.5, 0.6];
  const T = 104, sims = 100;
  let covered = 0, total = 0;
  for (let s = 0; s < sims; s++) {
    const rng = new Rng(100 + s);
    const dates = Array.from({ length: T }, (_, t) => new Date(Date.UTC(2022, 0, 3 + 7 * t)).toISOString().slice(0, 10));
    const a = dates.map(() => 100 + 50 * rng.uniform()), b = dates.map(() => 200 + 100 * rng.uniform());
    const y = dates.map((_, t) => 1000 + roi[0] * a[t] + roi[1] * b[t] + 30 * rng.normal());
    const data = buildModelData(config, { source: 'sim', rowCount: T, columns: { date: dates, a, b, y } });
    const fit = fitRegression(config, data, 'linear', { bootstrap: 200, seed: s, nonNegative: false });
    fit.channels.forEach((ch, c) => { total++; if (ch.roiInterval[0] <= roi[c] && roi[c] <= ch.roiInterval[1]) covered++; });
  }
  const rate = covered / total;
  // Measured 0.81–0.86 over 300 datasets: percentile block-bootstrap intervals run a little narrow at
  // n = 104 (documented in docs/families.md).
  assert.ok(rate >= 0.74 && rate <= 0.97, `coverage ${rate}`);
});
