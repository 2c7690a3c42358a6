import assert from 'node:assert/strict';
import { test } from 'node:test';
import { readWideTable } from '../../src/data/index.ts';
import { MarginalError } from '../../src/errors.ts';
import { parseModelConfig } from '../../src/models/config.ts';
import { readModelConfig } from '../../src/app/modelConfigFile.ts';
import { buildModelData } from '../../src/models/design.ts';
import { classicFittedModel, fitClassic, requireBayesianMinPeriods } from '../../src/models/linear/families.ts';
import { basename } from 'node:path';

const fixtures = 'test/families/fixtures';
async function load(name: string, patch: Record<string, unknown> = {}) {
  const base = readModelConfig(`${fixtures}/${name}`);
  const config = parseModelConfig({ ...base, ...patch });
  const t = await readWideTable(config.data.file!);
  return { config, data: buildModelData(config, { source: basename(config.data.file!), rowCount: t.rowCount, columns: t.columns, lines: t.lines }) };
}

test('toy (5 rows): linear fits with a warning; Bayesian and search refuse, stating the minimum', async () => {
  const { config, data } = await load('toy-linear.json');
  const fit = fitClassic(config, data);
  assert.equal(fit.family, 'linear');
  assert.ok(fit.warnings.some((w) => /FEW PERIODS: 5 periods/.test(w)));
  assert.equal(fit.channels.length, 3);
  const bayes = await load('toy-bayesian.json');
  // The Bayesian floor: 9 regression coefficients (level, 3 channels, 4 seasonal terms, trend) + 10.
  assert.throws(() => requireBayesianMinPeriods(bayes.config, bayes.data), (e: unknown) => e instanceof MarginalError && /5 fit periods; this model needs at least 19/.test(e.message));
  const search = await load('toy-search.json');
  assert.throws(() => fitClassic(search.config, search.data), (e: unknown) => e instanceof MarginalError && e.code === 'BAD_CONFIG' && /at least 36/.test(e.message));
});

test('linear on noise-free simulated data recovers contributions exactly; FittedModel agrees with the output', async () => {
  const { config, data } = await load('robyn-linear.json', { adstock: { type: 'none' }, saturation: { type: 'none' }, seasonality: { yearly: 0 }, trend: 'none', controls: [], holdout: { periods: 0 } });
  // Replace the outcome by an exact linear function of spend: 1000 + Σ roi_c · spend_c.
  const roi = [2, 0.5, 1.5, 3, 1];
  for (let t = 0; t < data.T; t++) { let s = 1000; for (let c = 0; c < data.C; c++) s += roi[c] * data.spend[t * data.C + c]; data.y[t] = s; }
  const fit = fitClassic(config, data, { bootstrap: 50 });
  fit.channels.forEach((ch, c) => {
    assert.ok(Math.abs(ch.roi - roi[c]) < 1e-8 * roi[c], `${ch.name}: roi ${ch.roi}`);
    assert.ok(Math.abs(ch.mroi - roi[c]) < 1e-6 * roi[c], `${ch.name}: mroi ${ch.mroi}`);
    assert.ok(ch.roiInterval[0] <= ch.roi + 1e-8 && ch.roiInterval[1] >= ch.roi - 1e-8);
  });
  assert.ok(fit.fit.r2 > 1 - 1e-12);
  const fitted = classicFittedModel(config, data, fit);
  const d = fitted.decomposition();
  for (let i = 0; i < data.T; i++) {
    let s = 0; for (const v of Object.values(d.components)) s += v[i]; for (const v of Object.values(d.channels)) s += v[i];
    assert.ok(Math.abs(s - d.predicted[i]) < 1e-6 * Math.abs(d.predicted[i]));
  }
  const r = fitted.response({ channel: 0, multiplier: 1 });
  assert.equal(r.length, 50);
  const half = fitted.response({ channel: 3, multiplier: 2, window: [0, 52] });
  let spend52 = 0; for (let t = 0; t < 52; t++) spend52 += data.spend[t * data.C + 3];
  // Linear, no adstock: doubling spend over weeks 0–51 adds 2 · roi · spend there.
  assert.ok(Math.abs(half[0] - 2 * roi[3] * spend52) < 1e-6 * spend52);
});

test('ridge: λ by time-series cross-validation, non-negative media, contract fields and bootstrap intervals', async () => {
  const { config, data } = await load('robyn-ridge.json');
  const fit = fitClassic(config, data, { bootstrap: 40, seed: 3 });
  assert.equal(fit.family, 'ridge');
  assert.ok(fit.diagnostics.lambda! > 0);
  assert.ok(fit.fit.r2 > 0.8 && fit.fit.holdout!.r2 > 0.5, `r2 ${fit.fit.r2}, holdout ${fit.fit.holdout?.r2}`);
  for (const ch of fit.channels) {
    assert.ok(ch.contribution >= 0 && ch.roi >= 0);
    assert.ok(ch.roiInterval[0] <= ch.roiInterval[1] && ch.mroiInterval[0] <= ch.mroiInterval[1]);
  }
  const again = fitClassic(config, data, { bootstrap: 40, seed: 3 });
  assert.deepEqual(again.channels, fit.channels);
});
