import { test } from 'node:test';
import assert from 'node:assert/strict';
import { journeysFrom } from './build.ts';
import { discretize, fitIncremental, scoreHazard } from './incremental.ts';
import { ruleScores } from './rules.ts';
import { byChannel } from './types.ts';
import { DEFAULT_SIMULATION, simulateJourneys } from './simulate.ts';

const { channels, truth } = DEFAULT_SIMULATION;
const simulate = simulateJourneys;

test('hazard model recovers incremental conversions per channel (±15%) and gives the null channel almost nothing', () => {
  const j = journeysFrom(simulate(11, 8000), channels);
  const fit = fitIncremental(j, { censorAfterDays: 0 });
  const st = discretize(j, { censorAfterDays: 0 });
  const trueScores = scoreHazard(j, truth, st);
  const est = byChannel(j, fit.incremental), tru = byChannel(j, trueScores.incremental);
  const last = byChannel(j, ruleScores(j, 'last')), linear = byChannel(j, ruleScores(j, 'linear'));
  const convs = [...j.conversions].reduce((a, b) => a + b, 0);
  for (const c of [0, 1]) {
    assert.ok(Math.abs(est[c].conversions / tru[c].conversions - 1) < 0.15, `${channels[c]}: ${est[c].conversions.toFixed(1)} vs true ${tru[c].conversions.toFixed(1)}`);
  }
  // the null channel: almost nothing from the model, generous credit from last touch and linear
  assert.ok(est[2].conversions < 0.05 * convs, `social incremental ${est[2].conversions.toFixed(1)} of ${convs}`);
  assert.ok(last[2].conversions > 0.3 * convs && linear[2].conversions > 0.3 * convs, `last ${last[2].conversions}, linear ${linear[2].conversions}`);
  // influenced scores share out every conversion
  const inf = byChannel(j, fit.influenced).reduce((a, c) => a + c.conversions, 0);
  assert.ok(Math.abs(inf - convs) < 1e-6);
  assert.ok(Math.abs(fit.params.beta[1] - 1.0) < 0.2 && Math.abs(fit.params.beta[0] - 0.8) < 0.15, `beta ${[...fit.params.beta]}`);
});

test('the hand-written log posterior and its gradient are those of the model on the autodiff tape', async () => {
  const ad = await import('../autodiff/index.ts');
  const { defineModel } = await import('../inference/model.ts');
  const { hazardLogPosterior } = await import('./incremental.ts');
  const j = journeysFrom(simulate(3, 400), channels);
  const st = discretize(j, { censorAfterDays: 3 });
  const C = channels.length, J = j.offsets.length - 1, T = st.maxLen;
  // The reference: the dense journeys × steps × channels grid, adstocked on the tape.
  const x = new Float64Array(J * T * C), wRisk = new Float64Array(J * T), wEvent = new Float64Array(J * T);
  for (let q = 0; q < J; q++) {
    for (let t = 0; t < st.length[q]; t++) wRisk[q * T + t] = j.conversions[q] + j.nulls[q];
    wEvent[q * T + st.length[q] - 1] = j.conversions[q];
    for (let i = j.offsets[q]; i < j.offsets[q + 1]; i++) x[(q * T + st.touchStep[i]) * C + j.touchChannel[i]] += 1;
  }
  const model = defineModel({
    params: [{ name: 'alpha' }, { name: 'beta', size: C, constraint: { type: 'positive' } }, { name: 'lambda', size: C, constraint: { type: 'interval', lower: 0, upper: 1 } }],
    build: (g, p) => {
      const A = ad.adstockGeometric(g.constant(x, [J, T, C]), p.lambda, { maxLag: Infinity, normalize: false });
      const flat = g.reshape(ad.add(ad.matvec(A, p.beta), p.alpha), [J * T]);
      const ll = ad.sub(ad.dot(g.constant(wEvent), flat), ad.dot(g.constant(wRisk), ad.softplus(flat)));
      return ad.add(ll, ad.add(ad.normalLpdf(p.alpha, -4, 4), ad.add(ad.halfNormalLpdf(p.beta, 2), ad.betaLpdf(p.lambda, 2, 2))));
    },
  });
  const scratch = new Float64Array(2 * T);
  let first: { mine: number; tape: number } | null = null;
  for (const seed of [1, 2, 3, 4]) {
    const theta = Float64Array.from({ length: 1 + 2 * C }, (_, k) => Math.sin(seed * 7.3 + k * 1.9) * (k === 0 ? 2 : 1.5) - (k === 0 ? 3 : 0));
    const gTape = new Float64Array(theta.length), gMine = new Float64Array(theta.length);
    // The tape's density is in θ, with the log-Jacobians of log β and logit λ: take them out.
    let tape = model.logDensityGradient(theta, gTape);
    for (let k = 1; k <= C; k++) { tape -= theta[k]; gTape[k] -= 1; }
    for (let k = C + 1; k <= 2 * C; k++) { const s = 1 / (1 + Math.exp(-theta[k])); tape -= Math.log(s) + Math.log1p(-s); gTape[k] -= 1 - 2 * s; }
    const mine = hazardLogPosterior(j, st, theta, gMine, scratch);
    first ??= { mine, tape };
    // Equal up to the normalizing constants of the priors, the same constant at every θ.
    assert.ok(Math.abs((mine - first.mine) - (tape - first.tape)) < 1e-7 * Math.abs(tape), `log posterior at seed ${seed}: ${mine - first.mine} against ${tape - first.tape}`);
    for (let k = 0; k < theta.length; k++) assert.ok(Math.abs(gMine[k] - gTape[k]) < 1e-7 * Math.max(1, Math.abs(gTape[k])), `gradient ${k} at seed ${seed}: ${gMine[k]} against ${gTape[k]}`);
  }
});

test("each touch's marginal effect is P minus P without that touch, computed directly (the series and the exact branch alike)", async () => {
  const { journeyMarginals, softplus } = await import('./incremental.ts');
  const j = journeysFrom(simulate(5, 300), channels);
  const st = discretize(j, { censorAfterDays: 2 });
  const C = channels.length;
  // Strong and weak effects, slow and fast carry-over: large w (exp/log branch) and tiny w (series) both occur.
  for (const scale of [0.02, 1, 6]) {
    const p = { alpha: -3, beta: Float64Array.from({ length: C }, (_, c) => scale * (0.3 + c)), lambda: Float64Array.from({ length: C }, (_, c) => [0.05, 0.5, 0.9][c % 3]) };
    const logit = new Float64Array(st.maxLen), m = new Float64Array(j.offsets[j.offsets.length - 1]);
    const direct = (q: number, skip: number) => {
      const eta = new Float64Array(st.length[q]).fill(p.alpha);
      for (let i = j.offsets[q]; i < j.offsets[q + 1]; i++) {
        if (i === skip) continue;
        let w = p.beta[j.touchChannel[i]];
        for (let t = st.touchStep[i]; t < st.length[q]; t++) { eta[t] += w; w *= p.lambda[j.touchChannel[i]]; }
      }
      let logS = 0;
      for (const x of eta) logS -= softplus(x);
      return -Math.expm1(logS);
    };
    let checked = 0;
    for (let q = 0; q < j.offsets.length - 1; q++) {
      const r = journeyMarginals(j, q, p, st, logit, m);
      const P = direct(q, -1);
      assert.ok(Math.abs(r.P - P) <= 1e-14, `P of journey ${q}`);
      for (let i = j.offsets[q]; i < j.offsets[q + 1]; i++) {
        const want = P - direct(q, i);
        // The direct difference loses digits when the effect is tiny; the tolerance is that loss (1e-15 of P) plus 1e-9 relative.
        assert.ok(Math.abs(m[i] - want) <= 1e-15 + 1e-9 * Math.abs(want), `touch ${i} (scale ${scale}): ${m[i]} against ${want}`);
        checked++;
      }
    }
    assert.ok(checked > 500);
  }
});
