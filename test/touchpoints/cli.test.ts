/**
 * End to end on the reference files: ingest (events and aggregated paths), every method's summary
 * against the JSON contract, a fitted MMM, then `marginal touchpoints MODEL` calibrated to it: the
 * consistency table matches to 0.1% wherever the journeys cover a channel and week.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync, writeFileSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { Ajv2020 } from 'ajv/dist/2020.js';
import { ingestFile, withWorkspace } from '../../src/data/index.ts';
import { attribute, loadJourneys, summarize, CHEAP_METHODS, fitIncremental, journeyTotals } from '../../src/touchpoints/index.ts';
import { simulate } from '../../src/models/simulate/index.ts';
import { readModelConfig } from '../../src/app/modelConfigFile.ts';
import { runFit } from '../../src/app/fit.ts';

const repo = fileURLToPath(new URL('../../', import.meta.url));
const events = join(repo, 'data/reference/attribution/touchpoint_journeys.csv'); // generated: scripts/generate-journeys.mjs
const paths = join(repo, 'data/reference/attribution/channelattribution_paths.csv');
const schema = JSON.parse(readFileSync(join(repo, 'contracts/touchpoints-output.schema.json'), 'utf8'));
const validate = new Ajv2020({ strict: false }).compile(schema);
const cli = (ws: string, ...args: string[]) => spawnSync(process.execPath, ['--import', 'tsx', join(repo, 'src/cli/main.ts'), '--workspace', ws, ...args], { encoding: 'utf8', cwd: repo });

test('reference files: every method scores, sums to the conversions and matches the contract; MMM calibration matches to 0.1%', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'marginal-tp-'));
  try {
    const ws = join(dir, 'ws.duckdb');
    await withWorkspace(ws, async (w) => {
      await ingestFile(w, events, { kind: 'touchpoints', name: 'tpe' });
      await ingestFile(w, paths, { kind: 'touchpoints', name: 'tpp' });
    });
    const je = await withWorkspace(ws, (w) => loadJourneys(w, 'tpe'));
    const jp = await withWorkspace(ws, (w) => loadJourneys(w, 'tpp'));
    // 1,835 conversion rows in the generated file; sessions end at each one; 30-day lookback
    assert.equal(journeyTotals(je).conversions + je.untouchedConversions, 1835);
    assert.equal(journeyTotals(jp).conversions, 19785);
    assert.equal(jp.channels.length, 12);
    for (const j of [je, jp]) {
      for (const m of CHEAP_METHODS) {
        const s = summarize(j, attribute(j, m, { order: 2 }));
        assert.ok(validate(s), `${m}: ${JSON.stringify(validate.errors)}`);
        assert.ok(Math.abs(s.totalConversions - journeyTotals(j).conversions) < 1e-6 * s.totalConversions, m);
      }
    }
    const inc = fitIncremental(je, { stepHours: 72 });
    const sInc = summarize(je, inc.incremental);
    assert.ok(validate(sInc), JSON.stringify(validate.errors));
    assert.ok(inc.converged && sInc.totalConversions >= 0 && inc.base > 0, `${sInc.totalConversions} + ${inc.base}`);
    // The generated file has a known cause: Paid Search touches are the likeliest to start a conversion
    // (scripts/generate-journeys.mjs, TRIGGER), so its log-odds per touch is the largest and touches cause some.
    const beta = Array.from(inc.params.beta);
    assert.equal(je.channels[beta.indexOf(Math.max(...beta))], 'Paid Search', JSON.stringify(beta));
    assert.ok(sInc.totalConversions > 100, `${sInc.totalConversions}`);
    assert.ok(Math.abs(summarize(je, inc.influenced).totalConversions - journeyTotals(je).conversions) < 1e-6);

    // an MMM over weeks that cover July 2018
    const sim = simulate({ weeks: 60, channels: 5, seed: 2, start: '2017-11-06' });
    writeFileSync(join(dir, 'sim.csv'), [sim.columns.join(','), ...sim.rows.map((r) => r.join(','))].join('\n') + '\n');
    writeFileSync(join(dir, 'model.json'), JSON.stringify({
      name: 'tp', data: { file: 'sim.csv' }, target: { column: 'revenue' },
      channels: sim.truth.channels.map((c) => ({ name: c.name, spend: `${c.name}_spend` })),
    }));
    const { output } = await runFit(readModelConfig(join(dir, 'model.json')), ws, { fast: true, draws: 200, chains: 1 });
    const modelId = (output as { modelId: string }).modelId;
    const r = cli(ws, 'touchpoints', modelId, '--data', 'tpe', '--method', 'position', '--json', '--out', join(dir, 'scores.csv'), '--long',
      '--channel-map', 'Facebook=social', '--channel-map', 'Instagram=social', '--channel-map', 'Online Display=display',
      '--channel-map', 'Online Video=tv', '--channel-map', 'Paid Search=search');
    assert.equal(r.status, 0, r.stderr);
    const out = JSON.parse(r.stdout) as { method: string; consistency: { channel: string; period?: string; mmm: number; touchpoints: number }[] };
    assert.ok(validate(out), JSON.stringify(validate.errors));
    assert.equal(out.method, 'position');
    const covered = out.consistency.filter((c) => c.period && c.channel !== 'radio');
    const withTouches = covered.filter((c) => c.period! >= '2018-07-02' && c.period! <= "2018-07-23");
    assert.equal(withTouches.length, 4 * 4);
    for (const c of withTouches) assert.ok(Math.abs(c.touchpoints - c.mmm) <= 1e-3 * Math.abs(c.mmm), JSON.stringify(c));
    assert.match(r.stderr, /radio|falls in channel-periods/);
    // exports: one row per touch with every score, and the aggregates
    const lines = readFileSync(join(dir, 'scores.csv'), 'utf8').trimEnd().split('\n');
    assert.equal(lines.length - 1, je.offsets[je.offsets.length - 1]);
    assert.match(lines[0], /^journey_id,session,timestamp,channel,campaign,geo,path_position,step,journey_touches,journey_conversions,journey_value,conversion_id,first,first_value,.*,position,position_value,.*,markov,markov_value,shapley,shapley_value,calibrated,calibrated_value$/);
    // The scoring dataset's contract: every row validates (numbers as numbers).
    const header = lines[0].split(',');
    const text = new Set(['journey_id', 'timestamp', 'channel', 'campaign', 'geo', 'path_position', 'conversion_id']);
    const scoreRow = new Ajv2020({ strict: false }).compile(JSON.parse(readFileSync(join(repo, 'contracts/touchpoint-scores.schema.json'), 'utf8')));
    const parsed = lines.slice(1).map((l) => Object.fromEntries(l.split(',').map((v, k) => [header[k], text.has(header[k]) ? v : Number(v)])));
    for (const row of parsed) assert.ok(scoreRow(row), `${JSON.stringify(row)}: ${JSON.stringify(scoreRow.errors)}`);
    // A converting journey's touches name its conversion; the calibrated credit per model channel adds
    // up to the calibrated total of the consistency table.
    assert.ok(parsed.some((p) => (p.journey_conversions as number) > 0 && p.conversion_id === `${p.journey_id}#${p.session}`));
    const toModel: Record<string, string> = { Facebook: 'social', Instagram: 'social', 'Online Display': 'display', 'Online Video': 'tv', 'Paid Search': 'search' };
    const byModel = new Map<string, number>();
    for (const p of parsed) byModel.set(toModel[p.channel as string], (byModel.get(toModel[p.channel as string]) ?? 0) + (p.calibrated as number));
    for (const c of out.consistency.filter((x) => x.period === undefined && byModel.has(x.channel))) {
      assert.ok(Math.abs(byModel.get(c.channel)! - c.touchpoints) <= 1e-6 * Math.max(1, Math.abs(c.touchpoints)), `${c.channel}: ${byModel.get(c.channel)} vs ${c.touchpoints}`);
    }
    // The long shape: a row per touch and method.
    const long = readFileSync(join(dir, 'scores.long.csv'), 'utf8').trimEnd().split('\n');
    const methods = header.filter((h) => !text.has(h) && !['session', 'step', 'journey_touches', 'journey_conversions', 'journey_value'].includes(h) && !h.endsWith('_value'));
    assert.equal(long.length - 1, parsed.length * methods.length);
    assert.match(long[0], /,conversion_id,method,credit,credit_value$/);
    for (const f of ['channels', 'campaigns', 'weeks', 'positions', 'paths', 'consistency']) assert.ok(existsSync(join(dir, `scores.${f}.csv`)), f);
    // The consistency file names the model channel and the journey channels mapped to it.
    const cons = readFileSync(join(dir, 'scores.consistency.csv'), 'utf8').trim().split('\n');
    assert.ok(cons[0].startsWith('channel,touchChannels,period,mmm,touchpoints,raw,difference'), cons[0]);
    assert.ok(cons.some((l) => l.startsWith('social,Facebook|Instagram,')), 'social from Facebook and Instagram');
    const pos = readFileSync(join(dir, 'scores.positions.csv'), 'utf8');
    assert.match(pos, /^path_position,touches,/);
    assert.match(pos, /\ncloser,/);
    // An audience for lookalikes: the customers Paid Search moved most, ids hashed as ad platforms take them.
    const aud = cli(ws, 'touchpoints', '--data', 'tpe', '--method', 'linear', '--audience', 'Paid Search', '--audience-out', join(dir, 'audience.csv'), '--top', '3', '--hash');
    assert.equal(aud.status, 0, aud.stderr);
    const audLines = readFileSync(join(dir, 'audience.csv'), 'utf8').trim().split('\n');
    assert.equal(audLines[0], 'hashed_id,credit,journeys');
    assert.equal(audLines.length, 4);
    for (const l of audLines.slice(1)) assert.match(l, /^[0-9a-f]{64},[0-9.]+,\d+$/);
    assert.equal(cli(ws, 'touchpoints', '--data', 'tpe', '--audience', 'Paid Search').status, 2, '--audience needs --audience-out');
    // bad input: exit 2 with a one-line reason
    const bad = cli(ws, 'touchpoints', '--data', 'tpe', '--method', 'markov', '--order', '5');
    assert.equal(bad.status, 2);
    assert.match(bad.stderr, /order must be 1, 2 or 3/);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
