import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Rng } from '../../util/rng.ts';
import { simulate } from '../simulate/index.ts';
import { posteriorQuantities } from './posterior.ts';
import { simulatedMmm } from './simulatedMmm.ts';

test('posteriorQuantities with the fused op: ROI from the generic h and b, marginal ROI equals a finite difference of the scenario', () => {
  const { prep, mmm } = simulatedMmm(simulate({ weeks: 60, channels: 3, geos: 3, seed: 8 }));
  assert.ok(mmm.fusedContributions[0], 'the default transforms run fused');
  const rng = new Rng(2);
  const d = mmm.model.dim, nDraws = 4;
  const draws = Float64Array.from({ length: nDraws * d }, () => 0.3 * rng.normal());
  const q = posteriorQuantities(mmm, prep, [draws]);
  const { G, T, C } = prep;
  const eps = 1e-6;
  const x = mmm.scenarioInputs[0].value, x0 = Float64Array.from(x);
  for (let k = 0; k < nDraws; k++) {
    const theta = draws.subarray(k * d, (k + 1) * d);
    // The reference: generic h, b, and hs at activity × (1 + ε).
    x.set(x0.map((v) => v * (1 + eps)));
    const gen = mmm.model.generated(theta, ['h0', 'b0', 'hs0']);
    x.set(x0);
    for (let c = 0; c < C; c++) {
      let revenue = 0, scenario = 0;
      for (let g = 0; g < G; g++) for (let t = 0; t < T; t++) {
        const i = g * T + t, b = gen.b0[g * C + c];
        revenue += gen.h0[i * C + c] * b * prep.revenueWeight[i];
        scenario += gen.hs0[i * C + c] * b * prep.revenueWeight[i];
      }
      const roi = revenue / prep.spendTotal[c], mroi = (scenario - revenue) / (eps * prep.spendTotal[c]);
      assert.ok(Math.abs(q.roi[k * C + c] / roi - 1) < 1e-10, `draw ${k} channel ${c}: roi ${q.roi[k * C + c]} vs ${roi}`);
      assert.ok(Math.abs(q.mroi[k * C + c] / mroi - 1) < 1e-5, `draw ${k} channel ${c}: mroi ${q.mroi[k * C + c]} vs ${mroi}`);
    }
  }
  // The scenario input is left as it was.
  assert.deepEqual(Array.from(x), Array.from(x0));
});

test('posteriorQuantities with a generic group (logistic saturation) beside a fused one: both marginal ROIs match finite differences, scenario inputs restored exactly', () => {
  const { prep, mmm } = simulatedMmm(simulate({ weeks: 60, channels: 3, seed: 9 }), (i) => (i === 1 ? { saturation: { type: 'logistic' } } : {}));
  assert.equal(mmm.groups.length, 2);
  assert.deepEqual(mmm.fusedContributions.map((n) => n !== null).sort(), [false, true]);
  const rng = new Rng(4);
  const d = mmm.model.dim;
  const theta = Float64Array.from({ length: d }, () => 0.3 * rng.normal());
  const before = mmm.scenarioInputs.map((x) => Float64Array.from(x.value));
  const q = posteriorQuantities(mmm, prep, [theta]);
  mmm.scenarioInputs.forEach((x, j) => assert.deepEqual(Array.from(x.value), Array.from(before[j])));
  const eps = 1e-6, { T } = prep;
  mmm.groups.forEach((group, j) => {
    const x = mmm.scenarioInputs[j].value;
    x.set(before[j].map((v) => v * (1 + eps)));
    const gen = mmm.model.generated(theta, [`h${j}`, `b${j}`, `hs${j}`]);
    x.set(before[j]);
    const Cg = group.channels.length;
    group.channels.forEach((c, qi) => {
      let revenue = 0, scenario = 0;
      for (let t = 0; t < T; t++) {
        revenue += gen[`h${j}`][t * Cg + qi] * gen[`b${j}`][qi] * prep.revenueWeight[t];
        scenario += gen[`hs${j}`][t * Cg + qi] * gen[`b${j}`][qi] * prep.revenueWeight[t];
      }
      const mroi = (scenario - revenue) / (eps * prep.spendTotal[c]);
      // The generic group's finite difference uses a step of 1e-3: agreement to its truncation error.
      const tol = mmm.fusedContributions[j] ? 1e-5 : 2e-3;
      assert.ok(Math.abs(q.roi[c] / (revenue / prep.spendTotal[c]) - 1) < 1e-10, `channel ${c} roi`);
      assert.ok(Math.abs(q.mroi[c] / mroi - 1) < tol, `channel ${c}: mroi ${q.mroi[c]} vs ${mroi}`);
    });
  });
});
