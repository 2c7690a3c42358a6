import { test } from 'node:test';
import assert from 'node:assert/strict';
import { MarginalError } from '../errors.ts';
import { Rng } from '../util/rng.ts';
import { gradcheck, uniformVector } from '../autodiff/testing/gradcheck.ts';
import { mediaTransform } from '../autodiff/ops/media.ts';
import { applyTransform, buildRegistry, getTransform, resolveOptions, transformNames, transforms } from './registry.ts';
import { resolveParam } from './params.ts';
import type { MediaTransform, Support } from './types.ts';

/** Each parameter resolved at the transform's default number of lags. */
const resolved = (t: MediaTransform) => t.params.map((p) => resolveParam(p, { maxLag: t.defaultOptions.maxLag ?? 8 }));

/** A value inside each support, away from the edges. */
function typical(t: MediaTransform, k: number, c: number): number {
  const s = resolved(t)[k].support;
  return s.type === 'interval' ? s.lower + (s.upper - s.lower) * (0.3 + 0.1 * c) : 0.8 + 0.4 * c + 0.3 * k;
}

/** Whether v lies in the support's closure. */
const within = (s: Support, v: number) => (s.type === 'interval' ? v >= s.lower && v <= s.upper : v > 0);

for (const t of transforms) {
  test(`${t.kind} '${t.name}': descriptor, default priors, shapes, gradients over [G, T, C]`, () => {
    // Every parameter has a prior of a known family whose support fits the parameter's (a bounded
    // parameter: a Beta on (0, 1), or flat on its interval), and a classic value and search range in it.
    assert.ok(t.params.length > 0);
    for (const p of resolved(t)) {
      assert.ok(p.description.length > 0, `${t.name}.${p.name} has a description`);
      if (p.support.type === 'interval') {
        assert.ok(p.prior.dist === 'uniform' || (p.prior.dist === 'beta' && p.support.lower === 0 && p.support.upper === 1), `${t.name}.${p.name}: a bounded parameter gets a beta prior on (0, 1) or a flat one`);
      } else assert.ok(['logNormal', 'gamma', 'halfNormal', 'exponential'].includes(p.prior.dist), `${t.name}.${p.name}: positive parameter gets a positive prior`);
      assert.ok(within(p.support, p.fixed), `${t.name}.${p.name}: fixed ${p.fixed} in its support`);
      assert.ok(p.search.lo < p.search.hi && within(p.support, p.search.hi) && (p.search.lo === 0 || within(p.support, p.search.lo)), `${t.name}.${p.name}: search range in its support`);
    }
    assert.equal(new Set(t.params.map((p) => p.name)).size, t.params.length);
    assert.equal(new Set(t.params.map((p) => p.key)).size, t.params.length);
    // Serialization round trip: a descriptor is identified by kind + name.
    assert.equal(getTransform(t.kind, JSON.parse(JSON.stringify({ type: t.name })).type), t);
    const rng = new Rng(9);
    const G = 2, T = 15, C = 3;
    const x = uniformVector(rng, G * T * C, 0, 2);
    if (t.kind === 'adstock') x.fill(0, 0, C * 2); // zero spend at the start (saturations at exactly 0 are checked with x constant in autodiff/ops/media.test.ts)
    const params = t.params.map((_, k) => Float64Array.from({ length: C }, (_, c) => typical(t, k, c)));
    const out = gradcheck((_g, [xs, ...ps]) => mediaTransform(t, xs, ps), [{ value: x, shape: [G, T, C] }, ...params], { label: t.name });
    assert.ok(out.checked > 0);
    // Each series and channel is transformed on its own: a column alone, with its channel's parameters,
    // gives what it gives among the others. The fitted model's response curves rely on it (one
    // evaluation with every channel of a group scaled answers each channel's question: bayesian/fitted.ts).
    const all = applyTransform(t, x, Object.fromEntries(t.params.map((p, k) => [p.name, params[k]])), {}, { series: G, T, C });
    for (let g = 0; g < G; g++) for (let c = 0; c < C; c++) {
      const col = Array.from({ length: T }, (_, i) => x[(g * T + i) * C + c]);
      const one = applyTransform(t, col, Object.fromEntries(t.params.map((p, k) => [p.name, params[k][c]])));
      for (let i = 0; i < T; i++) assert.ok(Math.abs(one[i] - all[(g * T + i) * C + c]) < 1e-12, `${t.name}: series ${g}, channel ${c}, period ${i}`);
    }
    // Sizes 0 and 1.
    for (const n of [0, 1]) gradcheck((_g, [xs, ...ps]) => mediaTransform(t, xs, ps), [[...uniformVector(rng, n, 0.1, 2)], ...params.map((p) => [p[0]])], { label: `${t.name}(${n})` });
  });
}

test('registry: names per kind, unknown names listed, duplicates refused', () => {
  assert.deepEqual(transformNames('saturation'), ['hill', 'logistic', 'michaelis-menten']);
  assert.deepEqual(transformNames('adstock'), ['geometric', 'delayed', 'weibull-cdf', 'weibull-pdf']);
  assert.throws(() => getTransform('saturation', 'hil'), (e) => e instanceof MarginalError && e.code === 'BAD_CONFIG'
    && e.message === "`saturation.type` must be one of hill, logistic, michaelis-menten; got 'hil'");
  assert.throws(() => buildRegistry([transforms[0], transforms[0]]), (e) => e instanceof MarginalError && /duplicate name 'geometric'/.test(e.message));
  assert.deepEqual(resolveOptions(getTransform('adstock', 'geometric')), { maxLag: 8, normalize: true });
  assert.throws(() => resolveOptions(getTransform('adstock', 'geometric'), { maxLag: 2.5 }), MarginalError);
  assert.throws(() => applyTransform(getTransform('saturation', 'hill'), [1], { K: 1 }), (e) => e instanceof MarginalError && /missing parameter 'S'/.test(e.message));
  assert.throws(() => applyTransform(getTransform('saturation', 'hill'), [1, 2], { K: [1, 2], S: 1 }), MarginalError);
});

test('worked examples from the doc comments', () => {
  assert.deepEqual(Array.from(applyTransform(getTransform('saturation', 'hill'), [2], { K: 2, S: 3 })), [0.5]);
  assert.deepEqual(Array.from(applyTransform(getTransform('saturation', 'michaelis-menten'), [3], { K: 1 })), [0.75]);
  assert.deepEqual(Array.from(applyTransform(getTransform('adstock', 'geometric'), [1, 0, 0], { alpha: 0.5 }, { maxLag: Infinity, normalize: false })), [1, 0.5, 0.25]);
  // PyMC-Marketing's normalized geometric adstock, l_max = 8, α = 0.4: a unit pulse spreads as α^l / Σα^l.
  const y = applyTransform(getTransform('adstock', 'geometric'), [1, 0, 0, 0, 0, 0, 0, 0, 0, 0], { alpha: 0.4 });
  const W = (1 - 0.4 ** 8) / 0.6;
  y.forEach((v, l) => assert.ok(Math.abs(v - (l < 8 ? 0.4 ** l / W : 0)) < 1e-15));
});

test('a descriptor the models could not use is refused when registered', () => {
  const hill = getTransform('saturation', 'hill');
  const refused = (t: MediaTransform, pattern: RegExp) => assert.throws(() => buildRegistry([...transforms, t]), (e) => e instanceof MarginalError && pattern.test(e.message), pattern.source);
  const K = hill.params[0];
  // A saturation's key equal to an adstock's would give two parameters of a media group one name.
  refused({ ...hill, name: 'clash', params: [{ ...K, key: 'alpha' }] }, /key 'alpha' is also adstock 'geometric''s/);
  // `priors.curves` turns a half-saturation's mean and sd into a LogNormal: a Gamma default would not match.
  refused({ ...hill, name: 'gamma-k', params: [{ ...K, prior: { dist: 'gamma', shape: 2, rate: 1 } }] }, /'halfSaturation' parameter has a logNormal prior on x > 0/);
  refused({ ...hill, name: 'decay-k', params: [{ ...K, role: 'decay' }] }, /role 'decay' belongs to adstock parameters/);
  refused({ ...hill, name: 'two-k', params: [K, { ...K, name: 'K2', key: 'k2' }] }, /role 'halfSaturation' is taken/);
  refused({ ...hill, name: 'empty-search', params: [{ ...K, search: { lo: 1, hi: 1 } }] }, /`search` must have lo < hi/);
  refused({ ...hill, name: 'flat-k', params: [{ ...K, role: undefined, prior: { dist: 'uniform' } }] }, /uniform prior needs an interval support/);
  refused({ ...hill, name: 'none' }, /not 'none'/);
  assert.equal(buildRegistry([...transforms, { ...hill, name: 'hill-2' }]).length, transforms.length + 1);
});
