import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parseModelConfig } from '../config.ts';
import { buildModelData } from '../design.ts';
import { simulate, simulationTable } from '../simulate/index.ts';
import { fitBayesian } from './fit.ts';
import { bayesianFittedModel } from './fitted.ts';
import { mediaPath } from './futureDraws.ts';
import { buildMmm } from './model.ts';
import { prepareMmm } from './prepare.ts';

// Two media groups: the fused default (geometric + Hill) and a tape group (Weibull PDF + logistic).
const sim = simulate({ weeks: 80, channels: 3, seed: 5 });
const config = parseModelConfig({
  data: { file: 'sim.csv' }, target: { column: 'revenue' },
  channels: sim.truth.channels.map((c, i) => ({ name: c.name, spend: `${c.name}_spend`, ...(i === 2 ? { adstock: { type: 'weibull-pdf' }, saturation: { type: 'logistic' } } : {}) })),
  controls: [{ column: 'price', sign: 'negative' }],
});
const data = buildModelData(config, simulationTable(sim));
const fit = await fitBayesian(config, data, { fast: true, chains: 1, draws: 40 });
const fitted = bayesianFittedModel(config, data, fit, 40);
const prep = prepareMmm(config, data);
const mmm = buildMmm(prep, data.controlSigns);
const { model } = mmm;
const T = data.T, C = data.C;
const cd = model.constrainedDim;
const draws = fit.draws.flatMap((chain) => Array.from({ length: chain.length / cd }, (_, i) => chain.slice(i * cd, (i + 1) * cd)));
const named = draws.slice(0, 5).map((v) => Object.fromEntries(model.params.map((p) => [p.name, Float64Array.from(v.slice(p.constrainedOffset, p.constrainedOffset + p.size))])));
const dates = (n: number) => Array.from({ length: n }, (_, k) => new Date(Date.parse(`${data.dates[T - 1]}T00:00:00Z`) + 7 * 86_400_000 * (k + 1)).toISOString().slice(0, 10));

test('the media path is the model\'s own saturated adstock (fused and tape groups) over the data', () => {
  assert.equal(mmm.groups.length, 2);
  for (const p of named) {
    const gen = model.generated(model.unconstrain(p), mmm.groups.map((_, j) => `h${j}`));
    mmm.groups.forEach((group, j) => {
      const Cg = group.channels.length, x = new Float64Array(T * Cg);
      group.channels.forEach((c, q) => { for (let t = 0; t < T; t++) x[t * Cg + q] = data.activity[t * C + c] / prep.xScale[c]; });
      const h = mediaPath(group, p, x, 1, T, Cg);
      h.forEach((v, i) => assert.ok(Math.abs(v - gen[`h${j}`][i]) < 1e-9 * Math.max(1, Math.abs(v)), `group ${j} cell ${i}: ${v} vs ${gen[`h${j}`][i]}`));
    });
  }
});

test('future draws: carry-over of past spend dies out after the max lag; future spend adds media; σ in the outcome\'s units', () => {
  const H = 16;
  const none = fitted.futureDraws!({ dates: dates(H) });
  assert.equal(none.nDraws, fitted.nDraws);
  for (let i = 0; i < none.media.length; i++) assert.ok(Math.abs(none.media[i] - none.carryIn[i]) < 1e-9 * Math.max(1, Math.abs(none.media[i])));
  const mean = (x: Float64Array, p: number) => { let s = 0; for (let d = 0; d < none.nDraws; d++) s += x[d * H + p]; return s / none.nDraws; };
  assert.ok(mean(none.carryIn, 0) > 0, 'spend before the forecast still acts in its first period');
  assert.ok(Math.abs(mean(none.carryIn, 14)) < 1e-6 * mean(none.carryIn, 0), 'nothing left 15 periods on (max lag 8; the Weibull PDF\'s 13)');
  // The same activity as the last 16 observed periods: media well above the carry-in alone.
  const activity = new Float64Array(H * C);
  for (let p = 0; p < H; p++) for (let c = 0; c < C; c++) activity[p * C + c] = data.activity[(T - H + p) * C + c];
  const some = fitted.futureDraws!({ dates: dates(H), activity });
  let future = 0, carry = 0;
  for (let p = 0; p < H; p++) { future += mean(some.media, p); carry += mean(some.carryIn, p); }
  let observed = 0;
  for (const name of data.channels) { const s = fitted.decomposition().channels[name]; for (let t = T - H; t < T; t++) observed += s[t]; }
  assert.ok(Math.abs(future / observed - 1) < 0.25, `media of last periods' activity replayed: ${future} vs ${observed} observed`);
  assert.ok(carry < 0.3 * future);
  const sigma = fit.parameters.find((p) => p.name === 'sigma')!;
  const meanSigma = none.sigma.reduce((a, b) => a + b, 0) / none.nDraws;
  assert.ok(Math.abs(meanSigma / (sigma.mean * prep.yScale[0]) - 1) < 0.15, `${meanSigma} vs ${sigma.mean * prep.yScale[0]}`);
});

test('future draws without seasonality: base steps by the same amount each period (the slope); controls', async () => {
  const flat = parseModelConfig({ ...config, seasonality: { yearly: 0 } });
  const f = await fitBayesian(flat, data, { fast: true, chains: 1, draws: 20 });
  const m = bayesianFittedModel(flat, data, f, 20);
  const H = 6;
  const K = data.K;
  const mean = new Float64Array(H * K).fill(prep.zMean[0]);
  const up = new Float64Array(H * K).fill(prep.zMean[0] + prep.zSd[0]);
  const a = m.futureDraws!({ dates: dates(H), controls: mean }), b = m.futureDraws!({ dates: dates(H), controls: up });
  for (let d = 0; d < a.nDraws; d++) {
    const steps = Array.from({ length: H - 1 }, (_, p) => a.base[d * H + p + 1] - a.base[d * H + p]);
    steps.forEach((s) => assert.ok(Math.abs(s - steps[0]) < 1e-6 * Math.abs(a.base[d * H])));
    for (let p = 0; p < H; p++) {
      assert.ok(Math.abs(a.controls[d * H + p]) < 1e-9 * a.base[d * H]);
      assert.ok(b.controls[d * H + p] < 0, 'price has a negative sign');
    }
  }
  // γ·m_g from the fit's own posterior: the mean of one sd up is the control's coefficient × the scale.
  const gamma = f.parameters.find((p) => p.name === 'control0')!.mean;
  const meanUp = b.controls.reduce((s, v) => s + v, 0) / b.controls.length;
  assert.ok(Math.abs(meanUp / (-gamma * prep.yScale[0]) - 1) < 0.05, `${meanUp} vs ${-gamma * prep.yScale[0]}`);
});
