/**
 * `marginal priors MODEL --for CONFIG --out FILE` (a model refresh): the written config carries the
 * model's curve posteriors as priors, validates and fits; bad input exits 2 with one line and writes
 * nothing.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { simulatedWorkspace } from './simulatedWorkspace.ts';

const { dir, run, configPath, config } = simulatedWorkspace('priors-cli-', 80, 2);

test('priors from a fitted model: posterior means, sd × widen, the config\'s own priors kept; the new config fits', () => {
  const fit = run('fit', configPath, '--fast', '--json');
  assert.equal(fit.status, 0, fit.stderr);
  const model = JSON.parse(fit.stdout) as { modelId: string; channels: { name: string; curve: Record<string, { mean: number; sd: number; prior: { sd: number } }> }[] };
  const own = join(dir, 'sim', 'own.json');
  writeFileSync(own, JSON.stringify({ ...config, priors: { curves: { tv: { decay: { mean: 0.7, sd: 0.05 } } } } }));
  const out = join(dir, 'refresh.json');
  const r = run('priors', model.modelId, '--for', own, '--out', out, '--widen', '1.5', '--json');
  assert.equal(r.status, 0, r.stderr);
  assert.match(r.stderr, /wrote .*refresh\.json with curve priors from simulated-1 \(posterior sd × 1\.5\) for tv, search/);
  const written = JSON.parse(readFileSync(out, 'utf8'));
  assert.deepEqual(JSON.parse(r.stdout).curves, written.priors.curves);
  for (const ch of model.channels) {
    for (const [key, p] of Object.entries(ch.curve)) {
      const prior = written.priors.curves[ch.name][key];
      if (ch.name === 'tv' && key === 'decay') { assert.deepEqual(prior, { mean: 0.7, sd: 0.05 }); continue; }
      assert.equal(prior.mean, p.mean, `${ch.name}.${key}`);
      assert.ok(Math.abs(prior.sd - Math.min(1.5 * p.sd, p.prior.sd)) < 1e-12, `${ch.name}.${key}: ${prior.sd}`);
    }
  }
  // Everything else of the config is as it was, but the data file, re-based on the new config's folder;
  // and the new config fits.
  assert.equal(written.data.file, join('sim', config.data.file));
  assert.deepEqual({ ...written, priors: undefined, data: { ...written.data, file: config.data.file } }, { ...config, priors: undefined });
  const refit = run('fit', out, '--fast');
  assert.equal(refit.status, 0, refit.stderr);
  assert.match(refit.stdout, /^curve priors: tv decay .*\(prior 0\.70 ± 0\.05\)/m);
});

test('bad input: an unknown or non-Bayesian model, a bad --widen, an unreadable config — exit 2, one line, nothing written', () => {
  const ridge = join(dir, 'sim', 'ridge.json');
  writeFileSync(ridge, JSON.stringify({ ...config, name: 'ridge', family: 'ridge' }));
  assert.equal(run('fit', ridge).status, 0);
  const out = join(dir, 'never.json');
  const cases: [string[], RegExp][] = [
    [['nope-1', '--for', configPath, '--out', out], /model 'nope-1'.*simulated-1/],
    [['ridge-1', '--for', configPath, '--out', out], /model 'ridge-1' is a ridge model: curve priors come from a Bayesian fit's posterior/],
    [['simulated-1', '--for', configPath, '--out', out, '--widen', '0.5'], /widen \(--widen\) must be a number >= 1/],
    [['simulated-1', '--for', join(dir, 'missing.json'), '--out', out], /--for .*missing\.json: cannot read a JSON model config/],
  ];
  for (const [args, message] of cases) {
    const r = run('priors', ...args);
    assert.equal(r.status, 2, `${args.join(' ')}: exit ${r.status}\n${r.stderr}`);
    const lines = r.stderr.trim().split('\n');
    assert.equal(lines.length, 1, r.stderr);
    assert.match(lines[0], message);
    assert.equal(existsSync(out), false);
  }
});
