/**
 * A new saturation joins Marginal in one place: its descriptor (kernels, gradient, parameter with
 * prior, classic default and search range) and one `registerTransform` call, here. Nothing else is
 * edited, and then the config accepts it (and lists it in its errors), `priors.curves` knows its
 * half-saturation, the Bayesian model fits with it (the Laplace path), and the fitted contribution of
 * each period is the coefficient times tanh of the adstocked activity, recomputed here by hand. The
 * classic families and the ridge search take it too.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { MarginalError } from '../../src/errors.ts';
import { Rng } from '../../src/util/rng.ts';
import { gradcheck, uniformVector } from '../../src/autodiff/testing/gradcheck.ts';
import { mediaTransform } from '../../src/autodiff/ops/media.ts';
import { registerTransform } from '../../src/transforms/registry.ts';
import type { MediaTransform } from '../../src/transforms/types.ts';
import { hasCurveParameter, parseModelConfig, type ModelConfigInput } from '../../src/models/config.ts';
import { buildModelData } from '../../src/models/design.ts';
import { simulate, simulationTable } from '../../src/models/simulate/index.ts';
import { fitBayesian } from '../../src/models/bayesian/fit.ts';
import { prepareMmm } from '../../src/models/bayesian/prepare.ts';
import { fitClassic } from '../../src/models/linear/families.ts';
import { searchSpace } from '../../src/models/search/robyn.ts';
import { defaultMediaParams } from '../../src/models/linear/media.ts';

/** tanh(c·x/K) with c = atanh(1/2), so that K is the half-saturation point (y = 1/2 at x = K). */
const C_HALF = Math.atanh(0.5);

const tanhSaturation: MediaTransform = {
  kind: 'saturation',
  name: 'tanh',
  description: 'y = tanh(atanh(1/2)·x/K); 0 at x = 0, 1/2 at x = K, → 1.',
  params: [{
    name: 'K', key: 'k', role: 'halfSaturation', description: 'half-saturation point, in units of x',
    support: { type: 'positive' }, prior: { dist: 'logNormal', mu: 0, sigma: 0.7 }, fixed: 1, search: { lo: 0.2, hi: 3 },
  }],
  defaultOptions: {},
  workSize: () => 0,
  forward(x, d, [K], out) {
    const n = d.series * d.T, C = d.C;
    for (let c = 0; c < C; c++) for (let i = c; i < n * C; i += C) out[i] = Math.tanh((C_HALF * x[i]) / K[c]);
  },
  backward(x, d, [K], out, gOut, gx, [gK]) {
    const n = d.series * d.T, C = d.C;
    for (let c = 0; c < C; c++) {
      let gk = 0;
      for (let i = c; i < n * C; i += C) {
        const slope = gOut[i] * (1 - out[i] * out[i]) * C_HALF; // ∂y/∂(x/K) · c
        gk -= (slope * x[i]) / (K[c] * K[c]);
        if (gx) gx[i] += slope / K[c];
      }
      if (gK) gK[c] += gk;
    }
  },
};
registerTransform(tanhSaturation);

const sim = simulate({ weeks: 80, channels: 2, seed: 4 });
const base: ModelConfigInput = {
  data: { file: 'sim.csv' }, target: { column: 'revenue' },
  channels: sim.truth.channels.map((c) => ({ name: c.name, spend: `${c.name}_spend` })),
  controls: [{ column: 'price', sign: 'negative' }],
  saturation: { type: 'tanh' },
};
const config = parseModelConfig(base);
const data = buildModelData(config, simulationTable(sim));

test('tanh: its kernel and gradient agree with finite differences over [G, T, C]', () => {
  const rng = new Rng(3);
  const x = uniformVector(rng, 2 * 10 * 3, 0, 2);
  const out = gradcheck((_g, [xs, K]) => mediaTransform(tanhSaturation, xs, [K]), [{ value: x, shape: [2, 10, 3] }, [0.7, 1, 1.6]], { label: 'tanh' });
  assert.ok(out.checked > 0);
});

test('the config takes the registered saturation: listed in the error, its half-saturation in priors.curves', () => {
  assert.equal(config.saturation.type, 'tanh');
  assert.throws(() => parseModelConfig({ ...base, saturation: { type: 'tan' } }, 'c.json'), (e) => e instanceof MarginalError
    && e.message === "c.json: `saturation.type` must be one of hill, logistic, michaelis-menten, tanh, none; got 'tan'");
  assert.ok(hasCurveParameter('halfSaturation', 'geometric', 'tanh'));
  assert.ok(!hasCurveParameter('shape', 'geometric', 'tanh'));
  assert.doesNotThrow(() => parseModelConfig({ ...base, priors: { curves: { [sim.truth.channels[0].name]: { halfSaturation: { mean: 1.2, sd: 0.3 } } } } }));
  assert.throws(() => parseModelConfig({ ...base, priors: { curves: { [sim.truth.channels[0].name]: { shape: { mean: 1.2, sd: 0.3 } } } } }, 'c.json'),
    /is the shape of Hill saturation; .*'s saturation is tanh/);
});

test('the Bayesian model fits with it: each period\'s contribution is the coefficient times tanh of the adstocked activity', async () => {
  const fit = await fitBayesian(config, data, { fast: true, chains: 1, draws: 200 });
  const prep = prepareMmm(config, data);
  const { T, C } = prep;
  const names = fit.paramNames, dim = names.length, draws = fit.draws[0];
  const n = draws.length / dim;
  assert.equal(n, 200);
  const at = (name: string, d: number) => draws[d * dim + names.indexOf(name)];
  for (const name of ['alpha[0]', 'k[1]', 'roi[0]']) assert.ok(names.includes(name), `${name} in ${names.join(', ')}`);
  assert.ok(!names.some((p) => p.startsWith('s[')), 'no Hill shape');
  assert.ok(fit.channels.every((ch) => ch.curve?.halfSaturation && !ch.curve.shape), 'the curve summary has the half-saturation, no shape');
  for (let c = 0; c < C; c++) {
    // By hand: normalized geometric adstock over 8 lags of the scaled activity, then tanh(c·a/K); the
    // coefficient makes the channel's revenue over all periods equal ROI × spend (model.ts).
    const L = prep.adstock[c].maxLag;
    const expected = new Float64Array(T);
    for (let d = 0; d < n; d++) {
      const alpha = at(`alpha[${c}]`, d), K = at(`k[${c}]`, d), roi = at(`roi[${c}]`, d);
      let W = 0;
      for (let l = 0; l < L; l++) W += alpha ** l;
      const h = Float64Array.from({ length: T }, (_, t) => {
        let a = 0;
        for (let l = 0; l < L && l <= t; l++) a += alpha ** l * prep.xScaled[(t - l) * C + c];
        return Math.tanh((C_HALF * a) / W / K);
      });
      const revenuePerCoefficient = h.reduce((s, v, t) => s + v * prep.revenueWeight[t], 0);
      const b = (roi * prep.spendTotal[c]) / revenuePerCoefficient;
      for (let t = 0; t < T; t++) expected[t] += (b * h[t] * prep.outcomeWeight[t]) / n;
    }
    const got = fit.series.contributions[data.channels[c]];
    for (let t = 0; t < T; t++) assert.ok(Math.abs(got[t] - expected[t]) <= 1e-9 * Math.max(1, Math.abs(expected[t])), `${data.channels[c]} period ${t}: ${got[t]} vs ${expected[t]}`);
  }
});

test('the classic families use its fixed value, and the ridge search its range', () => {
  const media = defaultMediaParams(config, data);
  assert.deepEqual(media[0].saturation, { type: 'tanh', params: { K: 1 } });
  assert.deepEqual(searchSpace(media).filter((g) => g.kind === 'saturation').map((g) => [g.param, g.lo, g.hi]), [['K', 0.2, 3], ['K', 0.2, 3]]);
  const linear = fitClassic(parseModelConfig({ ...base, family: 'linear' }), data);
  assert.equal(linear.family, 'linear');
  assert.ok(linear.channels.every((ch) => Number.isFinite(ch.contribution)));
});

test('a transform for some families only is refused by the others', () => {
  registerTransform({ ...tanhSaturation, name: 'tanh-bayesian', families: ['bayesian'] });
  assert.doesNotThrow(() => parseModelConfig({ ...base, saturation: { type: 'tanh-bayesian' } }));
  assert.throws(() => parseModelConfig({ ...base, family: 'ridge', saturation: { type: 'tanh-bayesian' } }, 'c.json'),
    /`saturation.type` 'tanh-bayesian' cannot be fitted by the ridge family; it can by bayesian/);
});
