/**
 * `marginal track`: a plan on a model fitted to the first 104 weeks of simulated data, tracked against
 * the file that goes on for 6 more weeks. The actuals are the file's own numbers, the forecast the
 * plan's, the planned spend the plan's allocation over its reference pattern, and the remainder
 * spends exactly what is left.
 */
import { after, test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { MarginalError } from '../../src/errors.ts';
import { simulate } from '../../src/models/simulate/index.ts';
import { writeSimulation } from '../../src/app/writeSimulation.ts';
import { parseModelConfig } from '../../src/models/config.ts';
import { runFit } from '../../src/app/fit.ts';
import { optimizePlan } from '../../src/app/plan.ts';
import { trackPlan } from '../../src/app/track.ts';
import { parsePlan } from '../../src/planning/index.ts';

const dir = mkdtempSync(join(tmpdir(), 'marginal-track-'));
after(() => rmSync(dir, { recursive: true, force: true }));
const files = writeSimulation(simulate({ weeks: 116, channels: 3, seed: 5 }), dir);
const lines = readFileSync(files.data, 'utf8').trim().split('\n');
writeFileSync(join(dir, 'train.csv'), `${lines.slice(0, 105).join('\n')}\n`);
const newData = join(dir, 'new.csv');
writeFileSync(newData, `${lines.slice(0, 111).join('\n')}\n`);
const raw = JSON.parse(readFileSync(files.config, 'utf8'));
raw.data.file = join(dir, 'train.csv');
raw.name = 'tr';
const workspace = join(dir, 'ws.duckdb');
await runFit(parseModelConfig(raw), workspace, { fast: true, chains: 1, draws: 200 });
const plan = await optimizePlan(workspace, parsePlan({ name: 'q', model: 'tr-1', budget: 1e6, periods: 13, draws: 50 }));

test('track: actuals from the new data against the plan forecast, planned against actual spend, the rest re-optimized on what is left', async () => {
  const t = await trackPlan(workspace, plan.planId!, { file: newData });
  assert.equal(t.covered, 6);
  assert.equal(t.periods, 13);
  const header = lines[0].split(',');
  const col = (name: string) => header.indexOf(name);
  t.weeks.forEach((w, k) => {
    const row = lines[105 + k].split(',');
    assert.equal(w.period, row[0]);
    assert.equal(w.actual, Number(row[col('revenue')]));
    const f = plan.forecast[0].periods[k];
    assert.deepEqual([w.expected, w.low, w.high], [f.expected, ...f.expectedInterval]);
    assert.equal(w.inside, w.actual >= w.low && w.actual <= w.high);
  });
  assert.equal(t.outside, t.weeks.filter((w) => !w.inside).length);
  for (const c of t.channels) {
    const seen = lines.slice(105, 111).reduce((s, l) => s + Number(l.split(',')[col(`${c.channel}_spend`)]), 0);
    assert.ok(Math.abs(c.actual - seen) < 1e-6 * seen, `${c.channel}: ${c.actual} vs ${seen}`);
    const total = plan.allocation.find((a) => a.channel === c.channel)!.spend;
    assert.ok(c.planned > 0 && c.planned < total, `${c.channel}: planned ${c.planned} of ${total} over 6 of 13 weeks`);
  }
  assert.ok(t.remainder, 'the rest is re-optimized');
  assert.equal(t.remainder!.periods, 7);
  assert.equal(t.remainder!.start, plan.forecast[0].periods[6].period);
  assert.ok(Math.abs(t.remainder!.total.spend - (1e6 - t.spent)) < 1e-6 * 1e6, `remainder spends ${t.remainder!.total.spend} of ${1e6 - t.spent} left`);
  const none = await trackPlan(workspace, plan.planId!, { file: newData }, { replan: false });
  assert.equal(none.remainder, null);
});

test('track refuses data that do not reach the plan, and a file without the model\'s columns, naming them', async () => {
  await assert.rejects(trackPlan(workspace, plan.planId!, { file: join(dir, 'train.csv') }), (e: unknown) => e instanceof MarginalError && e.code === 'BAD_INPUT' && /no row for the plan's first period \(\d{4}-\d\d-\d\d\)/.test(e.message));
  const cut = join(dir, 'cut.csv');
  writeFileSync(cut, lines.map((l) => l.split(',').slice(0, 3).join(',')).join('\n'));
  await assert.rejects(trackPlan(workspace, plan.planId!, { file: cut }), (e: unknown) => e instanceof MarginalError && /cut\.csv has no column .*'revenue'/.test(e.message));
  const header = lines[0].split(',');
  const typo = join(dir, 'typo.csv');
  writeFileSync(typo, `${lines.slice(0, 111).map((l, i) => (i === 107 ? l.split(',').map((v, j) => (header[j] === 'revenue' ? 'n/a' : v)).join(',') : l)).join('\n')}\n`);
  await assert.rejects(trackPlan(workspace, plan.planId!, { file: typo }), (e: unknown) => e instanceof MarginalError && e.code === 'BAD_FILE' && /typo\.csv, row 108, column 'revenue', value 'n\/a': n\/a marks a missing value: leave the cell empty/.test(e.message));
});

test('marginal track prints periods, the channel table and the remainder', () => {
  const out = execFileSync(join(import.meta.dirname, '../../bin/marginal'), ['--workspace', workspace, 'track', plan.planId!, '--data', newData], { encoding: 'utf8' });
  assert.match(out, /6 of 13 periods covered by new\.csv/);
  assert.match(out, /\d+ of 6 periods outside the 90% interval/);
  assert.match(out, /the rest of the plan, re-optimized on the [\d,]+ left:/);
  const missing = spawnSync(join(import.meta.dirname, '../../bin/marginal'), ['--workspace', workspace, 'track', plan.planId!, '--data', join(dir, 'nope.csv')], { encoding: 'utf8' });
  assert.equal(missing.status, 2);
  assert.match(missing.stderr, /--data: no file '.*nope\.csv'/);
});

test('track: a plan with a lock re-plans the rest with the lock less what was spent; a week without its outcome yet is not covered', async () => {
  const locked = await optimizePlan(workspace, parsePlan({ name: 'lk', model: 'tr-1', budget: 1e6, periods: 13, draws: 50, constraints: { tv: { locked: 400_000 } } }));
  const t = await trackPlan(workspace, locked.planId!, { file: newData });
  const tv = t.channels.find((c) => c.channel === 'tv')!;
  assert.ok(t.remainder, t.notes.join(' | '));
  const rest = t.remainder!.allocation.find((a) => a.channel === 'tv')!.spend;
  assert.ok(Math.abs(rest - Math.max(0, 400_000 - tv.actual)) < 1e-6 * 400_000, `tv in the rest ${rest}, lock less spent ${400_000 - tv.actual}`);
  // The last new week arrives without its outcome: 5 weeks are covered, not 6.
  const header = lines[0].split(',');
  const partial = join(dir, 'partial.csv');
  writeFileSync(partial, `${lines.slice(0, 111).map((l, i) => (i === 110 ? l.split(',').map((v, j) => (header[j] === 'revenue' ? '' : v)).join(',') : l)).join('\n')}\n`);
  assert.equal((await trackPlan(workspace, plan.planId!, { file: partial })).covered, 5);
});
