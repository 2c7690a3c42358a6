import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { MarginalError } from '../errors.ts';
import { parseModelConfig, readModelConfig } from './config.ts';

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

test('enum errors list the allowed values and the value received', () => {
  assert.equal(messageOf({ ...minimal, saturation: { type: 'hil' } }),
    'c.json: `saturation.type` must be one of hill, logistic, michaelis-menten, none; got "hil"');
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

test('readModelConfig resolves data.file against the config folder and reports bad JSON with the file', () => {
  const dir = mkdtempSync(join(tmpdir(), 'cfg-'));
  writeFileSync(join(dir, 'm.json'), JSON.stringify({ ...minimal, data: { file: 'd/x.csv' } }));
  assert.equal(readModelConfig(join(dir, 'm.json')).data.file, join(dir, 'd/x.csv'));
  writeFileSync(join(dir, 'bad.json'), '{ "data": ');
  assert.throws(() => readModelConfig(join(dir, 'bad.json')), (e: Error) => e.message.includes('bad.json') && e.message.includes('not valid JSON'));
});
