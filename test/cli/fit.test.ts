/**
 * `marginal fit` from the command line: bad input exits 2 with one line naming file, row and column,
 * and stores nothing; a good config stores a model that `marginal models` lists.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { simulatedWorkspace } from './simulatedWorkspace.ts';

const { dir, run, config } = simulatedWorkspace('fit-cli-', 60, 2);
const csv = readFileSync(join(dir, 'sim', 'data.csv'), 'utf8').split('\n');

function writeConfig(name: string, value: unknown): string {
  const path = join(dir, 'sim', name);
  writeFileSync(path, JSON.stringify(value));
  return path;
}

function modelsListed(): unknown[] {
  // Nothing stored can also mean no workspace at all: the bad fits did not even create one.
  if (!existsSync(join(dir, 'ws.duckdb'))) return [];
  const r = run('models', '--json');
  assert.equal(r.status, 0, r.stderr);
  return JSON.parse(r.stdout);
}

test('bad configs and bad data exit 2 with one line that says where, and store nothing', () => {
  const badCell = [...csv];
  const cells = badCell[5].split(',');
  cells[1] = 'n/a';
  badCell[5] = cells.join(',');
  writeFileSync(join(dir, 'sim', 'bad.csv'), badCell.join('\n'));
  const negative = [...csv];
  const neg = negative[9].split(',');
  neg[3] = '-5';
  negative[9] = neg.join(',');
  writeFileSync(join(dir, 'sim', 'negative.csv'), negative.join('\n'));
  const cases: [string[], RegExp][] = [
    [[join(dir, 'missing.json')], /missing\.json.*cannot read config/],
    [[writeConfig('unknown.json', { ...config, colour: 1 })], /unknown key `colour`/],
    [[writeConfig('column.json', { ...config, channels: [{ name: 'tv', spend: 'tv_spnd' }] })], /`channels\[0\]\.spend` names column 'tv_spnd', which is not in the file/],
    [[writeConfig('cell.json', { ...config, data: { ...config.data, file: 'bad.csv' } })], /bad\.csv, row 6, column 'tv_spend', value 'n\/a'/],
    [[writeConfig('neg.json', { ...config, data: { ...config.data, file: 'negative.csv' } })], /negative\.csv, row 10, column 'search_spend', value '-5': must be >= 0/],
    [[join(dir, 'sim', 'model.json'), '--chains', 'two'], /--chains must be an integer/],
    [[writeConfig('curve.json', { ...config, priors: { curves: { tv: { decay: { mean: 0.5, sd: 0.6 } } } } })], /curve\.json: `priors\.curves\.tv\.decay` sd must be below/],
    [[writeConfig('curve-weibull.json', { ...config, adstock: { type: 'weibull-cdf' }, priors: { curves: { tv: { decay: { mean: 0.5, sd: 0.1 } } } } })], /curve-weibull\.json: `priors\.curves\.tv\.decay` is the decay of a geometric or delayed adstock; tv's adstock is weibull-cdf/],
  ];
  for (const [args, message] of cases) {
    const r = run('fit', ...args, '--fast');
    assert.equal(r.status, 2, `${args.join(' ')}: exit ${r.status}\n${r.stderr}`);
    const lines = r.stderr.trim().split('\n').filter((l) => !l.includes('/usr/bin/chromium'));
    assert.equal(lines.length, 1, r.stderr);
    assert.match(lines[0], message);
    assert.equal(r.stdout, '');
  }
  assert.deepEqual(modelsListed(), []);
});

test('a good config fits, prints the contract on stdout and is listed', () => {
  const r = run('fit', join(dir, 'sim', 'model.json'), '--fast', '--json');
  assert.equal(r.status, 0, r.stderr);
  const out = JSON.parse(r.stdout);
  assert.equal(out.modelId, 'simulated-1');
  assert.equal(out.channels.length, 2);
  assert.match(r.stderr, /APPROXIMATE/);
  const listed = modelsListed() as { id: string; status: string }[];
  assert.deepEqual(listed.map((m) => [m.id, m.status]), [['simulated-1', 'approximate']]);
});

test('the text output of a Bayesian fit shows each channel with its ROI interval and posterior median', () => {
  const r = run('fit', join(dir, 'sim', 'model.json'), '--fast');
  assert.equal(r.status, 0, r.stderr);
  assert.match(r.stdout, /ROI +\[90%\]/);
  const line = r.stdout.split('\n').find((l) => l.startsWith('ROI posterior median: '));
  assert.ok(line, r.stdout);
  for (const name of config.channels.map((c: { name: string }) => c.name)) assert.match(line!, new RegExp(`${name} \\d+\\.\\d\\d`));
  // A Laplace fit claims no convergence check (its draws are independent by construction).
  assert.match(r.stdout, /^diagnostics: none to check \(Laplace approximation: independent draws\)/m);
  assert.doesNotMatch(r.stdout, /R-hat/);
  // The posterior predictive check, right under the fit line.
  const cover = /^inside the 90% predictive interval: (\d+)% of fitted observations/m.exec(r.stdout);
  assert.ok(cover && Number(cover[1]) >= 80 && Number(cover[1]) <= 100, r.stdout.slice(0, 400));
});

test('curve priors given in the config are printed beside their posteriors', () => {
  const path = writeConfig('curves.json', { ...config, name: 'curves', priors: { curves: { tv: { decay: { mean: 0.6, sd: 0.1 }, shape: { mean: 1.5, sd: 0.3 } } } } });
  const r = run('fit', path, '--fast');
  assert.equal(r.status, 0, r.stderr);
  const line = r.stdout.split('\n').find((l) => l.startsWith('curve priors: '));
  assert.match(line ?? '', /^curve priors: tv decay 0\.\d\d \[0\.\d\d, 0\.\d\d\] \(prior 0\.60 ± 0\.10\) · tv shape \d\.\d\d \[\d\.\d\d, \d\.\d\d\] \(prior 1\.50 ± 0\.30\)$/, r.stdout);
  // Without curve priors there is no such line (see the test above: the default fit).
  assert.doesNotMatch(run('fit', join(dir, 'sim', 'model.json'), '--fast').stdout, /curve priors/);
});

test('a reader that closes the pipe early ends the command quietly (no EPIPE stack)', () => {
  // Insights of 200 weeks × 5 channels run to ~180 kB, past a pipe's 64 kB buffer, so the write meets the closed pipe.
  const big = simulatedWorkspace('fit-cli-epipe-', 200, 5);
  const fit = big.run('fit', big.configPath, '--fast', '--json');
  assert.equal(fit.status, 0, fit.stderr);
  const modelId = (JSON.parse(fit.stdout) as { modelId: string }).modelId;
  const bin = new URL('../../bin/marginal', import.meta.url).pathname;
  const r = spawnSync('bash', ['-c', `"${process.execPath}" "${bin}" --workspace "${big.workspace}" insights ${modelId} --json | head -c 200 >/dev/null; exit \${PIPESTATUS[0]}`], { encoding: 'utf8' });
  assert.doesNotMatch(r.stderr, /EPIPE|Error|at /, r.stderr);
  assert.equal(r.status, 0, r.stderr);
});
