import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Workspace, lit } from '../data/index.ts';
import { loadJourneys } from './journeys.ts';
import { attribute, summarize, type Summary } from './attribute.ts';
import { discretize, fitHazard, scoreHazard } from './incremental.ts';
import { markovScores } from './markov.ts';
import { datasetEvents, parquetEvents, scorePartitioned } from './partitioned.ts';
import type { Method } from './types.ts';

const EVENTS = 24_000;

/**
 * Events of 3,000 customers over 60 days: 6 channels, a conversion row for about 1 in 12 events (some
 * carrying a value, some with a count of 2), touches at the same instant as a conversion, touches
 * older than the lookback, campaigns, and rows in no particular customer order (as a log is).
 */
async function eventsWorkspace(): Promise<Workspace> {
  const ws = await Workspace.open(':memory:');
  await ws.run(`INSERT INTO datasets (id, kind, source_name, format, row_count, stored_rows, layout, mapping, metric_kinds, warnings, created_at)
    VALUES ('d', 'touchpoints', 'generated', 'generated', ${EVENTS}, ${EVENTS}, 'events', '{}', '{}', '[]', now())`);
  await ws.run(`INSERT INTO touchpoint_events
    SELECT 'd', 'c' || (i % 3000)::VARCHAR,
      TIMESTAMP '2026-01-05' + to_seconds((hash(i * 5) % 60) * 86400 + (hash(i * 3) % 4) * 3600),
      CASE WHEN hash(i) % 12 = 0 THEN NULL ELSE 'ch' || (hash(i * 7) % 6)::VARCHAR END,
      CASE WHEN hash(i) % 12 = 0 THEN 'conversion' ELSE 'click' END,
      CASE WHEN hash(i) % 12 = 0 THEN 1 + (hash(i * 17) % 5 = 0)::INTEGER ELSE NULL END,
      CASE WHEN hash(i) % 12 = 0 AND hash(i * 19) % 3 > 0 THEN (hash(i * 11) % 100)::DOUBLE ELSE NULL END,
      NULL, NULL, 'camp' || (hash(i * 13) % 9)::VARCHAR
    FROM range(${EVENTS}) t(i)`);
  // The data's last event: a conversion no touch leads to (the end both paths censor non-converting journeys at).
  await ws.run(`INSERT INTO touchpoint_events VALUES ('d', 'late', TIMESTAMP '2026-05-01', NULL, 'conversion', 1, 10, NULL, NULL, NULL)`);
  return ws;
}

const close = (a: number, b: number, what: string) => assert.ok(Math.abs(a - b) <= 1e-9 * Math.max(1, Math.abs(a), Math.abs(b)), `${what}: ${a} against ${b}`);

function sameSummary(got: Summary, want: Summary): void {
  assert.equal(got.method, want.method);
  for (const k of ['journeys', 'convertingJourneys', 'touches'] as const) assert.equal(got[k], want[k], `${want.method} ${k}`);
  for (const k of ['untouchedConversions', 'untouchedValue', 'totalConversions', 'totalValue'] as const) close(got[k], want[k], `${want.method} ${k}`);
  assert.deepEqual(got.channels.map((c) => c.channel), want.channels.map((c) => c.channel));
  got.channels.forEach((c, x) => {
    close(c.conversions, want.channels[x].conversions, `${want.method} ${c.channel} conversions`);
    close(c.value, want.channels[x].value, `${want.method} ${c.channel} value`);
    close(c.share, want.channels[x].share, `${want.method} ${c.channel} share`);
  });
}

test('scored partition by partition and slice by slice, every method gives the figures of all journeys at once', async () => {
  const ws = await eventsWorkspace();
  try {
    const j = await loadJourneys(ws, 'd', { lookbackDays: 30 });
    assert.equal(j.dataEnd, Date.UTC(2026, 4, 1) / 1000);
    const methods: Method[] = ['first', 'last', 'linear', 'position', 'decay', 'markov', 'shapley', 'incremental'];
    const r = await scorePartitioned(ws, datasetEvents('d'), { methods, lookbackDays: 30, rowsPerPartition: 3500, fitJourneys: 300, sliceRows: 700 });
    assert.equal(r.partitions, 7);
    assert.equal(r.journeyCount, j.offsets.length - 1);
    assert.equal(r.touches, j.offsets[j.offsets.length - 1]);
    for (const m of methods.filter((x) => x !== 'incremental')) sameSummary(r.summaries.find((s) => s.method === m)!, summarize(j, attribute(j, m)));
    const chain = markovScores(j, 1);
    j.channels.forEach((c, x) => close(r.markov!.removalEffect[c], chain.removalEffect[x], `removal effect of ${c}`));
    // The incremental model: every journey scored with the parameters fitted on the sample gives the same credit.
    const inc = r.incremental!;
    const params = { alpha: inc.params.alpha, beta: Float64Array.from(inc.params.channels, (c) => c.beta), lambda: Float64Array.from(inc.params.channels, (c) => c.lambda) };
    const s = scoreHazard(j, params, discretize(j));
    sameSummary(r.summaries.find((x) => x.method === 'incremental')!, summarize(j, s.incremental));
    sameSummary(inc.influenced, summarize(j, s.influenced));
    close(inc.base, s.base, 'base conversions');
    assert.ok(inc.journeysFitted > 150 && inc.journeysFitted <= 300, `fitted on ${inc.journeysFitted}`);
  } finally {
    ws.close();
  }
});

test('in one partition with every journey fitted, the incremental model is the in-memory fit', async () => {
  const ws = await eventsWorkspace();
  try {
    const j = await loadJourneys(ws, 'd', { lookbackDays: 30 });
    const r = await scorePartitioned(ws, datasetEvents('d'), { methods: ['incremental'], lookbackDays: 30 });
    assert.equal(r.partitions, 1);
    assert.equal(r.incremental!.journeysFitted, j.offsets.length - 1);
    const fit = fitHazard(j);
    // The same journeys in another order: L-BFGS ends within its tolerance, not bit for bit.
    assert.ok(Math.abs(r.incremental!.params.alpha - fit.params.alpha) < 1e-4, `alpha ${r.incremental!.params.alpha} against ${fit.params.alpha}`);
    r.incremental!.params.channels.forEach((c, x) => assert.ok(Math.abs(c.beta - fit.params.beta[x]) < 1e-3, `beta of ${c.channel}: ${c.beta} against ${fit.params.beta[x]}`));
  } finally {
    ws.close();
  }
});

test('events with no conversion: every rule credits nothing, and the incremental model is not scored, with the reason', async () => {
  const ws = await Workspace.open(':memory:');
  try {
    await ws.run(`INSERT INTO touchpoint_events SELECT 'n', 'c' || (i % 50)::VARCHAR, TIMESTAMP '2026-01-05' + to_seconds(i * 3600), 'ch' || (i % 3)::VARCHAR, 'click', NULL, NULL, NULL, NULL, NULL FROM range(400) t(i)`);
    const r = await scorePartitioned(ws, datasetEvents('n'), { rowsPerPartition: 100 });
    assert.equal(r.partitions, 4);
    assert.equal(r.summaries.find((s) => s.method === 'linear')!.totalConversions, 0);
    assert.equal(r.summaries.find((s) => s.method === 'incremental'), undefined);
    assert.deepEqual(r.notes, ['the incremental model needs converting journeys, and no journey converts after a touch in the lookback: not scored']);
  } finally {
    ws.close();
  }
});

test('a Parquet event file is scored where it lies, with the figures of the same events in the workspace', async () => {
  const ws = await eventsWorkspace();
  try {
    const file = join(mkdtempSync(join(tmpdir(), 'tp-parquet-')), 'events.parquet');
    // Columns in another order and case, an extra column, no geo: read by name.
    await ws.run(`COPY (SELECT channel AS Channel, ts, journey_id, interaction, conversion, value, campaign, 'x' AS note FROM touchpoint_events WHERE dataset = 'd' ORDER BY rowid) TO ${lit(file)} (FORMAT parquet)`);
    const methods: Method[] = ['first', 'linear', 'markov'];
    const a = await scorePartitioned(ws, datasetEvents('d'), { methods, rowsPerPartition: 5000 });
    const b = await scorePartitioned(ws, await parquetEvents(ws, file), { methods, rowsPerPartition: 5000 });
    assert.equal(b.events, EVENTS + 1);
    for (const m of methods) sameSummary(b.summaries.find((s) => s.method === m)!, a.summaries.find((s) => s.method === m)!);
  } finally {
    ws.close();
  }
});

test('a bad event file is refused with the file, the column or the row', async () => {
  const ws = await Workspace.open(':memory:');
  try {
    const dir = mkdtempSync(join(tmpdir(), 'tp-bad-'));
    const noChannel = join(dir, 'no-channel.parquet'), noId = join(dir, 'no-id.parquet'), negative = join(dir, 'negative.parquet'), text = join(dir, 'text.parquet'), words = join(dir, 'words.csv');
    await ws.run(`COPY (SELECT 'a' AS journey_id, TIMESTAMP '2026-01-01' AS ts, 'x' AS source) TO ${lit(noChannel)} (FORMAT parquet)`);
    await ws.run(`COPY (SELECT CASE WHEN i = 2 THEN NULL ELSE 'a' END AS journey_id, TIMESTAMP '2026-01-01' AS ts, 'tv' AS channel FROM range(4) t(i)) TO ${lit(noId)} (FORMAT parquet)`);
    await ws.run(`COPY (SELECT 'a' AS journey_id, TIMESTAMP '2026-01-01' AS ts, 'tv' AS channel, CASE WHEN i = 1 THEN -2 ELSE 0 END AS conversion FROM range(4) t(i)) TO ${lit(negative)} (FORMAT parquet)`);
    await ws.run(`COPY (SELECT 'a' AS journey_id, 'yesterday' AS ts, 'tv' AS channel) TO ${lit(text)} (FORMAT parquet)`);
    await ws.run(`COPY (SELECT 'a' AS journey_id) TO ${lit(words)} (FORMAT csv)`);
    const textCount = join(dir, 'text-count.parquet');
    await ws.run(`COPY (SELECT 'a' AS journey_id, TIMESTAMP '2026-01-01' AS ts, 'tv' AS channel, 'yes' AS conversion) TO ${lit(textCount)} (FORMAT parquet)`);
    await assert.rejects(parquetEvents(ws, textCount), /text-count\.parquet: column 'conversion' holds VARCHAR; it must hold numbers/);
    await assert.rejects(parquetEvents(ws, noChannel), /no-channel\.parquet has no column 'channel'.*Its columns: journey_id, ts, source/);
    await assert.rejects(async () => scorePartitioned(ws, await parquetEvents(ws, noId)), /no-id\.parquet: row 3 has no journey_id/);
    await assert.rejects(async () => scorePartitioned(ws, await parquetEvents(ws, negative)), /negative\.parquet: row 2 has a conversion count that is negative/);
    await assert.rejects(parquetEvents(ws, text), /text\.parquet: column 'ts' holds VARCHAR; it must hold dates and times/);
    await assert.rejects(parquetEvents(ws, words), /words\.csv: cannot read it as Parquet/);
    await assert.rejects(parquetEvents(ws, join(dir, 'missing.parquet')), /missing\.parquet: cannot read it as Parquet/);
  } finally {
    ws.close();
  }
});
