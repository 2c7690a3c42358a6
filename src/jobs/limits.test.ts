import { test } from 'node:test';
import assert from 'node:assert/strict';
import { checkFitLimits, checkPlanLimits, limitsFromEnv, LIMIT_VARIABLES } from './limits.ts';
import { parseModelConfig } from '../models/config.ts';

const base = { data: { file: 'x.csv' }, target: { column: 'y' }, channels: [{ name: 'tv', spend: 'tv' }] };

test('limits come from the environment, with defaults, and a bad value is refused by name', () => {
  const d = limitsFromEnv({});
  assert.equal(d.draws, LIMIT_VARIABLES.draws.default);
  assert.equal(limitsFromEnv({ MARGINAL_MAX_DRAWS: '500' }).draws, 500);
  assert.throws(() => limitsFromEnv({ MARGINAL_MAX_CHAINS: 'many' }), /MARGINAL_MAX_CHAINS must be a positive number; got 'many'/);
  // A timer cannot hold more than 24.8 days: a larger limit would fire at once, so it is refused.
  assert.equal(limitsFromEnv({ MARGINAL_JOB_TIMEOUT_MIN: '35791' }).jobMinutes, 35791);
  assert.throws(() => limitsFromEnv({ MARGINAL_JOB_TIMEOUT_MIN: '100000' }), /MARGINAL_JOB_TIMEOUT_MIN must be at most 35,791/);
});

test('a fit past a limit is refused naming the field and the variable; within limits it passes', () => {
  const limits = limitsFromEnv({});
  const huge = parseModelConfig({ ...base, inference: { draws: 5e4 } });
  assert.throws(() => checkFitLimits(huge, {}, limits), /`config.inference.draws` is 50,000; this server allows at most 20,000 draws per chain \(.*MARGINAL_MAX_DRAWS\)/);
  // Past what any machine holds, the config itself is refused.
  assert.throws(() => parseModelConfig({ ...base, inference: { draws: 1e8 } }), /`inference.draws` must be at most 100000/);
  const search = parseModelConfig({ ...base, family: 'ridge', search: { iterations: 1e12 } });
  assert.throws(() => checkFitLimits(search, {}, limits), /`config.search.iterations` is 1,000,000,000,000/);
  const ok = parseModelConfig(base);
  assert.throws(() => checkFitLimits(ok, { chains: 17 }, limits), /`chains` is 17/);
  checkFitLimits(ok, { draws: 1000 }, limits);
  assert.throws(() => checkPlanLimits({ periods: 10_000 }, limits), /`periods` is 10,000/);
  checkPlanLimits({ periods: 52 }, limits);
});
