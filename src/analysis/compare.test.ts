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
  assert.match(text, /marginal ROI \[90% interval\]\ntv +1\.00 \[0\.80, 1\.30\] +1\.50 \[1\.30, 1\.80\]/);
});
