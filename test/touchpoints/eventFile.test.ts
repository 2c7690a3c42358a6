/**
 * `marginal touchpoints --events FILE.parquet` end to end on the reference journeys written as
 * Parquet: every method's credit per channel equals the in-memory scoring of the same file ingested
 * (the incremental model scored with the parameters it fitted), the lead summary follows the
 * touchpoints-output contract, and flags that need the journeys in memory are refused by name.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { Ajv2020 } from 'ajv/dist/2020.js';
import { Workspace, ingestFile, lit, withWorkspace } from '../../src/data/index.ts';
import { attribute, discretize, loadJourneys, scoreHazard, summarize, type Summary } from '../../src/touchpoints/index.ts';
import type { EventFileSummary } from '../../src/app/touchpointsAtScale.ts';

const repo = fileURLToPath(new URL('../../', import.meta.url));
const csv = join(repo, 'data/reference/attribution/touchpoint_journeys.csv');
const validate = new Ajv2020({ strict: false }).compile(JSON.parse(readFileSync(join(repo, 'contracts/touchpoints-output.schema.json'), 'utf8')));
const cli = (...args: string[]) => spawnSync(process.execPath, ['--import', 'tsx', join(repo, 'src/cli/main.ts'), ...args], { encoding: 'utf8', cwd: repo });

function sameCredit(got: Summary, want: Summary): void {
  assert.equal(got.method, want.method);
  assert.equal(got.touches, want.touches);
  assert.ok(Math.abs(got.untouchedConversions - want.untouchedConversions) < 1e-9, `${want.method}: untouched conversions`);
  assert.deepEqual(got.channels.map((c) => c.channel), want.channels.map((c) => c.channel));
  got.channels.forEach((c, x) => {
    const w = want.channels[x];
    assert.ok(Math.abs(c.conversions - w.conversions) <= 1e-9 * Math.max(1, w.conversions), `${want.method} ${c.channel}: ${c.conversions} against ${w.conversions}`);
    assert.ok(Math.abs(c.value - w.value) <= 1e-9 * Math.max(1, w.value), `${want.method} ${c.channel} value`);
  });
}

test('an event file scored where it lies gives the credit of the same events ingested, every method', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'marginal-events-'));
  try {
    const file = join(dir, 'events.parquet'), ws = join(dir, 'ws.duckdb');
    const scratch = await Workspace.open(':memory:');
    try {
      await scratch.run(`COPY (SELECT customer_id AS journey_id, "time"::TIMESTAMP AS ts, channel, interaction, conversion, conversion_value AS value FROM read_csv(${lit(csv)})) TO ${lit(file)} (FORMAT parquet)`);
    } finally {
      scratch.close();
    }
    const r = cli('touchpoints', '--events', file, '--method', 'markov', '--json');
    assert.equal(r.status, 0, r.stderr);
    const out = JSON.parse(r.stdout) as EventFileSummary;
    assert.ok(validate(out), JSON.stringify(validate.errors));
    assert.equal(out.method, 'markov');
    assert.equal(out.events, 63548);
    assert.equal(out.methods.length, 8);

    await withWorkspace(ws, (w) => ingestFile(w, csv, { kind: 'touchpoints', name: 'tpe' }));
    const j = await withWorkspace(ws, (w) => loadJourneys(w, 'tpe'));
    assert.equal(out.journeyCount, j.offsets.length - 1);
    for (const m of ['first', 'last', 'linear', 'position', 'decay', 'markov', 'shapley'] as const) sameCredit(out.methods.find((s) => s.method === m)!, summarize(j, attribute(j, m)));
    const inc = out.incremental!;
    const params = { alpha: inc.params.alpha, beta: Float64Array.from(inc.params.channels, (c) => c.beta), lambda: Float64Array.from(inc.params.channels, (c) => c.lambda) };
    sameCredit(out.methods.find((s) => s.method === 'incremental')!, summarize(j, scoreHazard(j, params, discretize(j)).incremental));

    const refused = cli('touchpoints', '--events', file, '--out', join(dir, 'scores.csv'), '--segment', 'device');
    assert.notEqual(refused.status, 0);
    assert.match(refused.stderr, /--out, --segment need the journeys in memory: ingest the file/);
    const both = cli('touchpoints', '--events', file, '--data', 'tpe');
    assert.equal(both.status, 2);
    assert.match(both.stderr, /give the touchpoints to score: --data DATASET \(ingested\) or --events FILE\.parquet/);
    const missing = cli('touchpoints', '--events', join(dir, 'missing.parquet'));
    assert.match(missing.stderr, /missing\.parquet: cannot read it as Parquet/);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('a dataset with more events than are held in memory is scored partition by partition from --data, with the in-memory figures', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'marginal-large-'));
  try {
    const ws = join(dir, 'ws.duckdb');
    await withWorkspace(ws, (w) => ingestFile(w, csv, { kind: 'touchpoints', name: 'tpe' }));
    const small = { ...process.env, MARGINAL_MAX_IN_MEMORY_EVENTS: '20000' };
    const r = spawnSync(process.execPath, ['--import', 'tsx', join(repo, 'src/cli/main.ts'), '--workspace', ws, 'touchpoints', '--data', 'tpe', '--method', 'position', '--json'], { encoding: 'utf8', cwd: repo, env: small });
    assert.equal(r.status, 0, r.stderr);
    const out = JSON.parse(r.stdout) as EventFileSummary;
    assert.ok(validate(out), JSON.stringify(validate.errors));
    assert.equal(out.source, "dataset 'tpe'");
    assert.equal(out.events, 63548);
    const j = await withWorkspace(ws, (w) => loadJourneys(w, 'tpe'));
    for (const m of ['position', 'markov'] as const) sameCredit(out.methods.find((s) => s.method === m)!, summarize(j, attribute(j, m)));
    const refused = spawnSync(process.execPath, ['--import', 'tsx', join(repo, 'src/cli/main.ts'), '--workspace', ws, 'touchpoints', '--data', 'tpe', '--report', join(dir, 'r.html')], { encoding: 'utf8', cwd: repo, env: small });
    assert.equal(refused.status, 2);
    assert.match(refused.stderr, /dataset 'tpe' has more than 20,000 events, too many to hold every journey in memory: it is scored partition by partition, every method's credit per channel; --report needs the journeys in memory/);
    // Under the bound, the same command scores in memory (the contract's summary, no partitions).
    const inMemory = JSON.parse(cli('--workspace', ws, 'touchpoints', '--data', 'tpe', '--method', 'position', '--json').stdout) as Record<string, unknown>;
    assert.equal(inMemory.partitions, undefined);
    sameCredit(inMemory as unknown as Summary, out);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
