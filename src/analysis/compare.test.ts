import { test } from 'node:test';
import assert from 'node:assert/strict';
import { compareOutputs } from './compare.ts';
import { formatComparison } from '../cli/commands/compare.ts';

test('compare: marginal ROI with its interval beside ROI, and an approximate model marked', () => {
  const channel = (roi: number) => ({ name: 'tv', spend: 100, contribution: 100 * roi, roi, roiInterval: [roi - 0.5, roi + 0.5] as [number, number], mroi: roi / 2, mroiInterval: [roi / 2 - 0.2, roi / 2 + 0.3] as [number, number] });
  const c = compareOutputs([
    { id: 'a-1', output: { family: 'bayesian', fit: { r2: 0.9, mape: 0.05 }, channels: [channel(2)] } },
    { id: 'a-2', output: { family: 'bayesian', approximate: true, fit: { r2: 0.88, mape: 0.06 }, channels: [channel(3)] } },
  ]);
  assert.deepEqual(c.channels[0].models['a-2'], { roi: 3, roiInterval: [2.5, 3.5], mroi: 1.5, mroiInterval: [1.3, 1.8], contribution: 300 });
  assert.deepEqual(c.models.map((m) => m.approximate), [false, true]);
  const text = formatComparison(c);
  assert.match(text, /bayesian \(APPROXIMATE\)/);
  assert.match(text, /marginal ROI \[90% interval\]\ntv +1\.00 \[0\.800, 1\.30\] +1\.50 \[1\.30, 1\.80\]/);
});

test('compare: a conversions model\'s figures keep their digits and say their unit', () => {
  const ch = { name: 'tv', spend: 1e6, contribution: 400, roi: 0.0004, roiInterval: [0.0003, 0.00052] as [number, number], mroi: 0.00021, mroiInterval: [0.00015, 0.0003] as [number, number] };
  const c = compareOutputs([
    { id: 'r-1', output: { family: 'bayesian', fit: { r2: 0.9, mape: 0.05 }, channels: [{ ...ch, roi: 2.5 }] } },
    { id: 'c-1', output: { family: 'bayesian', units: { roi: 'conversions-per-spend' }, fit: { r2: 0.9, mape: 0.05 }, channels: [ch] } },
  ]);
  assert.deepEqual(c.models.map((m) => m.roiUnit), ['revenue-per-spend', 'conversions-per-spend']);
  const text = formatComparison(c);
  assert.match(text, /0\.000400 \[0\.000300, 0\.000520\]/);
  assert.match(text, /conversions per unit of spend for conversions models/);
});
