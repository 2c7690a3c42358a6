/**
 * `marginal design` end to end on small simulated workspaces: the JSON follows the design-output
 * contract, --csv writes the plan, a channel the model lacks is refused (exit 2), a national model gets
 * time-based tests, and a result entered from the design's `experiment` refits with the ROI interval
 * before, as predicted and now beside the test (insights).
 */
import { after, test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync, spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Ajv2020 } from 'ajv/dist/2020.js';
import { fastFitFixture } from '../../../test/support/fastFit.ts';
import { runFit } from '../../app/fit.ts';
import { modelInsights } from '../../app/insights.ts';
import { parseModelConfig } from '../../models/config.ts';

const validate = new Ajv2020({ strict: false }).compile(JSON.parse(readFileSync(new URL('../../../contracts/design-output.schema.json', import.meta.url), 'utf8')));
const bin = join(import.meta.dirname, '../../../bin/marginal');
const geo = await fastFitFixture({ weeks: 104, channels: 3, geos: 8, seed: 3 });
const national = await fastFitFixture({ weeks: 104, channels: 3, seed: 4 });
after(() => { geo.cleanup(); national.cleanup(); });
const cli = (workspace: string, ...args: string[]) => execFileSync(bin, ['--workspace', workspace, ...args], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });

interface Out { model: string; tests: { rank: number; kind: string; channel: string; weeks?: string[]; treatment?: { geos: string[] }; control?: { geos: string[] }; spendChange: number; expectedLift: number; expectedLiftSe: number; experiment: Record<string, unknown> }[] }

test('design --json on a geo model: the contract, geo splits, an experiment to enter; --csv writes the plan', () => {
  const out = JSON.parse(cli(geo.workspace, 'design', geo.modelId, '--channel', 'search', '--weeks', '4', '--json', '--csv', join(geo.dir, 'plan.csv'))) as Out;
  assert.ok(validate(out), JSON.stringify(validate.errors));
  assert.equal(out.model, geo.modelId);
  assert.ok(out.tests.length > 0 && out.tests.every((t) => t.kind === 'geo' && t.channel === 'search'));
  const t = out.tests[0];
  assert.equal(t.treatment!.geos.length + t.control!.geos.length, 8);
  assert.deepEqual(Object.keys(t.experiment).sort(), ['channel', 'design', 'end', 'geos', 'spendChange', 'start']);
  const csv = readFileSync(join(geo.dir, 'plan.csv'), 'utf8').trim().split('\n');
  assert.equal(csv[0], 'geo,group,channel,week,planned_spend');
  assert.equal(csv.length, 1 + 8 * 4);
  assert.ok(csv.slice(1).every((l) => /^G\d\d,(treatment|control),search,\d{4}-\d\d-\d\d,\d+\.\d\d$/.test(l)), csv[1]);
  const text = cli(geo.workspace, 'design', geo.modelId, '--channel', 'search', '--weeks', '4');
  assert.match(text, /design on model .*\n[\s\S]*expected lift[\s\S]*1\. search, /);
});

test('design refuses a channel the model lacks and a bad --weeks (exit 2)', () => {
  const r = spawnSync(bin, ['--workspace', geo.workspace, 'design', geo.modelId, '--channel', 'nope'], { encoding: 'utf8' });
  assert.equal(r.status, 2);
  assert.match(r.stderr, /no channel 'nope'; the channels are tv, search, social/);
  assert.equal(spawnSync(bin, ['--workspace', geo.workspace, 'design', geo.modelId, '--weeks', '0'], { encoding: 'utf8' }).status, 2);
});

test('design on a national model: time-based tests with their changed weeks', () => {
  const out = JSON.parse(cli(national.workspace, 'design', national.modelId, '--channel', 'search', '--json')) as Out;
  assert.ok(validate(out), JSON.stringify(validate.errors));
  for (const t of out.tests) {
    assert.equal(t.kind, 'time');
    assert.equal(t.treatment, undefined);
    assert.ok(t.weeks!.length > 0);
    assert.equal(t.experiment.alternate, 2);
  }
});

test('a result entered from the design refits: the lift test beside the ROI interval before, predicted and now', async () => {
  const out = JSON.parse(cli(geo.workspace, 'design', geo.modelId, '--channel', 'search', '--weeks', '8', '--json')) as Out;
  const t = out.tests[0];
  const raw = JSON.parse(readFileSync(geo.configPath, 'utf8'));
  raw.name = 'calibrated';
  raw.experiments = [{ ...t.experiment, lift: t.expectedLift, liftSe: t.expectedLiftSe }];
  const { output } = await runFit(parseModelConfig(raw), geo.workspace, { fast: true, chains: 1, draws: 200 });
  const x = await modelInsights(geo.workspace, output.modelId, { perGeo: false });
  assert.equal(x.liftTests.length, 1);
  const row = x.liftTests[0];
  assert.equal(row.spendChange, t.spendChange);
  assert.ok(row.roiBeforeLow !== null && row.roiPredictedLow !== null && row.roiLow !== null);
  assert.ok(Math.abs(row.z) < 2, `the refit agrees with the result it was given (z ${row.z})`);
  const text = cli(geo.workspace, 'insights', output.modelId, '--no-geo-curves');
  assert.match(text, /lift tests[\s\S]*ROI before[\s\S]*predicted[\s\S]*ROI now/);
});
