import { test } from 'node:test';
import assert from 'node:assert/strict';
import { MarginalError } from '../errors.ts';
import { parseModelConfig } from './config.ts';

const minimal = { data: { file: 'x.csv' }, target: { column: 'y' }, channels: [{ name: 'tv', spend: 'tv_spend' }] };

function messageOf(raw: unknown): string {
  try {
    parseModelConfig(raw, 'c.json');
  } catch (err) {
    assert.ok(err instanceof MarginalError);
    assert.equal(err.exitCode, 2);
    return err.message;
  }
  assert.fail('expected a config error');
}

test('defaults are filled in for everything but data, target and channels', () => {
  const c = parseModelConfig(minimal);
  assert.equal(c.family, 'bayesian');
  assert.deepEqual(c.adstock, { type: 'geometric' });
  assert.deepEqual(c.saturation, { type: 'hill' });
  assert.equal(c.trend, 'linear');
  assert.deepEqual(c.seasonality, { yearly: 2 }); // weekly: 3 on daily data, 0 otherwise (features.test.ts)
  assert.deepEqual(c.inference, { chains: 4, warmup: 1000, draws: 1000, seed: 1, maxTreeDepth: 10 });
  assert.equal(c.target.kind, 'revenue');
  assert.equal(c.holdout.periods, 0);
});

test('unknown keys are errors that name the key', () => {
  assert.equal(messageOf({ ...minimal, channels: [{ name: 'tv', spend: 's', spnd: 1 }] }), 'c.json: unknown key `channels[0].spnd`');
  assert.equal(messageOf({ ...minimal, colour: 'red' }), 'c.json: unknown key `colour`');
});

test('enum errors list the allowed values and the value received (quoted as the error catalogue words it)', () => {
  assert.equal(messageOf({ ...minimal, saturation: { type: 'hil' } }),
    "c.json: `saturation.type` must be one of hill, logistic, michaelis-menten, none; got 'hil'");
});

test('priors and experiments must name configured channels; windows must be ordered', () => {
  assert.match(messageOf({ ...minimal, priors: { roi: { radio: { mean: 1, sd: 1 } } } }), /priors\.roi\.radio.*got 'radio'/);
  assert.match(messageOf({ ...minimal, priors: { mroi: { radio: { mean: 1, sd: 1 } } } }), /priors\.mroi\.radio.*got 'radio'/);
  assert.match(messageOf({ ...minimal, priors: { roi: { tv: { mean: 2, sd: 1 } }, mroi: { tv: { mean: 1, sd: 0.3 } } } }), /'tv' has both `priors\.roi` and `priors\.mroi`/);
  assert.match(messageOf({ ...minimal, priors: { mroi: { tv: { mean: 0, sd: 0.3 } } } }), /priors\.mroi\.tv\.mean/);
  assert.match(messageOf({ ...minimal, experiments: [{ channel: 'tv', start: '2024-02-01', end: '2024-01-01', lift: 1, liftSe: 1 }] }), /ends \(2024-01-01\) before it starts/);
  assert.match(messageOf({ ...minimal, channels: [{ name: 'tv', spend: 'a' }, { name: 'tv', spend: 'b' }] }), /listed twice/);
  assert.match(messageOf({ ...minimal, data: {} }), /exactly one of `file` or `harmonized`/);
});

test('curve priors: a channel that exists, a parameter its transforms have, a decay that a Beta can hold', () => {
  const ok = parseModelConfig({ ...minimal, priors: { curves: { tv: { decay: { mean: 0.6, sd: 0.1 }, halfSaturation: { mean: 1.2, sd: 0.3 }, shape: { mean: 1.5, sd: 0.3 } } } } });
  assert.deepEqual(ok.priors.curves.tv.decay, { mean: 0.6, sd: 0.1 });
  assert.match(messageOf({ ...minimal, priors: { curves: { radio: { decay: { mean: 0.5, sd: 0.1 } } } } }), /priors\.curves\.radio.*got 'radio'/);
  assert.match(messageOf({ ...minimal, priors: { curves: { tv: { decay: { mean: 1.2, sd: 0.1 } } } } }), /priors\.curves\.tv\.decay\.mean/);
  // sd 0.5 around 0.5: no Beta has it (the largest sd at mean 0.5 is 0.5, a two-point distribution).
  assert.match(messageOf({ ...minimal, priors: { curves: { tv: { decay: { mean: 0.5, sd: 0.5 } } } } }), /priors\.curves\.tv\.decay.*sd must be below/);
  assert.match(messageOf({ ...minimal, priors: { curves: { tv: { halfLife: { mean: 2, sd: 1 } } } } }), /halfLife/);
  const weibull = { ...minimal, channels: [{ name: 'tv', spend: 'tv', adstock: { type: 'weibull-cdf' } }] };
  assert.match(messageOf({ ...weibull, priors: { curves: { tv: { decay: { mean: 0.5, sd: 0.1 } } } } }), /^c\.json: `priors\.curves\.tv\.decay` is the decay of a geometric or delayed adstock; tv's adstock is weibull-cdf/);
  assert.match(messageOf({ ...minimal, saturation: { type: 'logistic' }, priors: { curves: { tv: { halfSaturation: { mean: 1, sd: 0.5 } } } } }), /halfSaturation` is the half-saturation of Hill or Michaelis–Menten saturation; tv's saturation is logistic/);
  assert.match(messageOf({ ...minimal, saturation: { type: 'michaelis-menten' }, priors: { curves: { tv: { shape: { mean: 1, sd: 0.5 } } } } }), /shape` is the shape of Hill saturation; tv's saturation is michaelis-menten/);
  assert.doesNotThrow(() => parseModelConfig({ ...minimal, saturation: { type: 'michaelis-menten' }, priors: { curves: { tv: { halfSaturation: { mean: 1, sd: 0.5 } } } } }));
});

test('absurd sizes are refused by the config, in words: a billion draws, thousands of channels; a long duplicate list answers at once', () => {
  assert.match(messageOf({ ...minimal, inference: { draws: 1e9 } }), /inference\.draws/);
  assert.match(messageOf({ ...minimal, inference: { warmup: 100001 } }), /inference\.warmup/);
  assert.equal(parseModelConfig({ ...minimal, inference: { draws: 100000 } }).inference.draws, 100000);
  const many = Array.from({ length: 201 }, (_, i) => ({ name: `c${i}`, spend: `c${i}_spend` }));
  assert.match(messageOf({ ...minimal, channels: many }), /`channels` may list at most 200 items/);
  const twice = [...many.slice(0, 199), { name: 'c3', spend: 'x' }];
  assert.match(messageOf({ ...minimal, channels: twice }), /channel 'c3' is listed twice/);
});
