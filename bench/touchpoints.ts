/**
 * Touchpoints at scale: 10 million generated events (1.25M customers, 8 channels, 30 campaigns,
 * ~2.5% conversion rows) written straight into a fresh workspace's `touchpoint_events`, then, in a
 * child process (for its peak RSS): journeys built in DuckDB, every rule-based method, Markov order 1
 * (and 2), Shapley, and the segment model on a device attribute (three values, one per customer,
 * in `touchpoint_segments`). The incremental model's fit time is measured on simulated journeys
 * (known truth), and the segment model's 90% intervals against the truth on SEGMENTED_SIMULATION,
 * seeds 1–6 (how many cover it, and the spread of (estimate − truth) in interval widths / 3.29).
 * Goal: journeys + rule-based + Markov < 60 s, peak RSS < 4 GB. Wall seconds depend on the machine's
 * load (reported: loadAverage); CPU seconds (all threads, DuckDB's included) do not.
 *
 * At scale (`atScale`): 100 million events (TOUCHPOINTS_SCALE_EVENTS) of 12.5 million customers
 * written to a Parquet file in log order (a customer's events spread through the file), then scored
 * where they lie by `marginal touchpoints --events` (scoreEventFile: journeys, every rule, Markov,
 * Shapley and the incremental model, partition by partition) in a child process for its peak RSS.
 * Goal: ≤ 120 s, ≤ 4 GB. Its reference in the same run: the same partitioned scoring of the 10M
 * workspace dataset against the in-memory methods on it (`scale.partitionedSeconds` beside
 * `scale.journeysRulesMarkovSeconds`, and the largest relative difference in any channel's credit).
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir, cpus, loadavg } from 'node:os';
import { dirname, join } from 'node:path';
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { lit, withWorkspace } from '../src/data/index.ts';
import { scoreEventFile } from '../src/app/touchpointsAtScale.ts';
import {
  attribute, summarize, datasetEvents, scorePartitioned, loadJourneys, ruleScores, markovScores, shapleyScores, journeysFrom, simulateJourneys, fitIncremental, byChannel, DEFAULT_SIMULATION, discretize, scoreHazard,
  SEGMENTED_SIMULATION, segmentIncremental, segmentLevels, segmentTotals, segmentTruth,
} from '../src/touchpoints/index.ts';

const EVENTS = Number(process.env.TOUCHPOINTS_EVENTS ?? 10_000_000);
const SCALE_EVENTS = Number(process.env.TOUCHPOINTS_SCALE_EVENTS ?? 100_000_000);

/** Events in log order: row i is customer i mod C's (C = n / 8), so each customer's events lie far apart in the file. */
async function generateParquet(file: string, n: number): Promise<void> {
  const customers = Math.ceil(n / 8);
  await withWorkspace(join(dirname(file), 'gen.duckdb'), (w) => w.run(`COPY (SELECT 'u' || (i % ${customers})::VARCHAR AS journey_id,
      TIMESTAMP '2026-01-05' + to_seconds(((i % ${customers}) % 90) * 86400 + (i // ${customers}) * 5400 * (1 + hash(i * 3) % 24)::BIGINT) AS ts,
      CASE WHEN hash(i) % 40 = 0 THEN NULL ELSE 'ch' || (hash(i * 7) % 8)::VARCHAR END AS channel,
      CASE WHEN hash(i) % 40 = 0 THEN 'conversion' ELSE 'impression' END AS interaction,
      CASE WHEN hash(i) % 40 = 0 THEN 1 ELSE 0 END::DOUBLE AS conversion,
      CASE WHEN hash(i) % 40 = 0 THEN (hash(i * 11) % 100)::DOUBLE ELSE 0 END AS value,
      'camp' || (hash(i * 13) % 30)::VARCHAR AS campaign
    FROM range(${n}) t(i)) TO ${lit(file)} (FORMAT parquet)`));
}

/** Child: `marginal touchpoints --events FILE`'s use case, timed, with the process's CPU and peak RSS. */
async function childEvents(file: string): Promise<void> {
  const cpu0 = process.cpuUsage(), t0 = performance.now();
  const r = await scoreEventFile(file, { method: 'incremental' });
  const cpu = process.cpuUsage(cpu0);
  process.stdout.write(JSON.stringify({
    seconds: (performance.now() - t0) / 1000, cpuSeconds: (cpu.user + cpu.system) / 1e6, peakRssMB: process.resourceUsage().maxRSS / 1024,
    events: r.events, partitions: r.partitions, journeys: r.journeyCount, touches: r.touches, stages: r.seconds,
    incrementalFit: r.incremental && { journeysFitted: r.incremental.journeysFitted, iterations: r.incremental.iterations, converged: r.incremental.converged },
    shares: Object.fromEntries(r.methods.map((m) => [m.method, Object.fromEntries(m.channels.map((c) => [c.channel, c.share]))])),
  }));
}

async function generate(ws: string, n: number): Promise<void> {
  await withWorkspace(ws, async (w) => {
    await w.run(`INSERT INTO datasets (id, kind, source_name, format, row_count, stored_rows, layout, mapping, metric_kinds, warnings, created_at)
      VALUES ('bench', 'touchpoints', 'generated', 'generated', ${n}, ${n}, 'events', '{}', '{}', '[]', now())`);
    await w.run(`INSERT INTO touchpoint_events
      SELECT 'bench', 'u' || (i // 8)::VARCHAR,
        TIMESTAMP '2026-01-05' + to_seconds(((i // 8) % 90) * 86400 + (i % 8) * 5400 * (1 + hash(i * 3) % 24)::BIGINT),
        CASE WHEN hash(i) % 40 = 0 THEN NULL ELSE 'ch' || (hash(i * 7) % 8)::VARCHAR END,
        CASE WHEN hash(i) % 40 = 0 THEN 'conversion' ELSE 'impression' END,
        CASE WHEN hash(i) % 40 = 0 THEN 1 ELSE 0 END,
        CASE WHEN hash(i) % 40 = 0 THEN (hash(i * 11) % 100)::DOUBLE ELSE 0 END,
        NULL, NULL, 'camp' || (hash(i * 13) % 30)::VARCHAR
      FROM range(${n}) t(i)`);
    await w.run(`INSERT INTO touchpoint_segments
      SELECT 'bench', 'u' || c::VARCHAR, 'device', ['desktop', 'mobile', 'tablet'][(1 + hash(c * 17) % 3)::BIGINT] FROM range(${Math.ceil(n / 8)}) t(c)`);
  });
}

async function child(ws: string): Promise<void> {
  const t: Record<string, number> = {};
  const cpu0 = process.cpuUsage();
  let t0 = performance.now();
  const j = await withWorkspace(ws, (w) => loadJourneys(w, 'bench', { lookbackDays: 30 }));
  t.journeysSeconds = (performance.now() - t0) / 1000;
  for (const m of ['first', 'last', 'linear', 'position', 'decay'] as const) { t0 = performance.now(); ruleScores(j, m); t[`${m}Seconds`] = (performance.now() - t0) / 1000; }
  t0 = performance.now(); markovScores(j, 1); t.markov1Seconds = (performance.now() - t0) / 1000;
  const cpu = process.cpuUsage(cpu0);
  t0 = performance.now(); markovScores(j, 2); t.markov2Seconds = (performance.now() - t0) / 1000;
  t0 = performance.now(); shapleyScores(j); t.shapleySeconds = (performance.now() - t0) / 1000;
  t0 = performance.now();
  const seg = segmentIncremental(j, 'device');
  t.segmentsSeconds = (performance.now() - t0) / 1000;
  t.segmentsJourneysFitted = seg.journeysFitted;
  const peakRssMB = process.resourceUsage().maxRSS / 1024;
  // Peak RSS of the in-memory path, then the same scoring partition by partition (3 partitions of the 10M events): its seconds beside the in-memory path's, and its figures against them.
  t0 = performance.now();
  const part = await withWorkspace(ws, (w) => scorePartitioned(w, datasetEvents('bench'), { methods: ['first', 'last', 'linear', 'position', 'decay', 'markov'], lookbackDays: 30, rowsPerPartition: 4_000_000 }));
  t.partitionedSeconds = (performance.now() - t0) / 1000;
  let maxRelDiff = 0;
  for (const s of part.summaries) {
    const want = summarize(j, attribute(j, s.method));
    s.channels.forEach((c, x) => { maxRelDiff = Math.max(maxRelDiff, Math.abs(c.conversions - want.channels[x].conversions) / Math.max(1, want.channels[x].conversions)); });
  }
  t.partitionedMaxRelativeDifference = maxRelDiff;
  const total = t.journeysSeconds + t.firstSeconds + t.lastSeconds + t.linearSeconds + t.positionSeconds + t.decaySeconds + t.markov1Seconds;
  process.stdout.write(JSON.stringify({
    journeys: j.offsets.length - 1, touches: j.offsets[j.offsets.length - 1], channels: j.channels.length,
    ...t, journeysRulesMarkovSeconds: total, partitionedOverInMemory: t.partitionedSeconds / total, journeysRulesMarkovCpuSeconds: (cpu.user + cpu.system) / 1e6, peakRssMB,
  }));
}

export async function run(): Promise<object> {
  const dir = mkdtempSync(join(tmpdir(), 'marginal-bench-tp-'));
  try {
    const ws = join(dir, 'ws.duckdb');
    console.error(`generating ${EVENTS.toLocaleString()} events …`);
    let t0 = performance.now();
    await generate(ws, EVENTS);
    const generateSeconds = (performance.now() - t0) / 1000;
    console.error('journeys + rule-based + Markov (child process) …');
    const r = spawnSync(process.execPath, ['--import', 'tsx', fileURLToPath(import.meta.url), '--child', ws], { encoding: 'utf8', maxBuffer: 1 << 24 });
    if (r.status !== 0) throw new Error(`child failed: ${r.stderr}`);
    const scale = JSON.parse(r.stdout);
    console.error(`at scale: ${SCALE_EVENTS.toLocaleString()} events to Parquet …`);
    const file = join(dir, 'events.parquet');
    t0 = performance.now();
    await generateParquet(file, SCALE_EVENTS);
    const parquetSeconds = (performance.now() - t0) / 1000;
    const load0 = loadavg()[0];
    console.error('scored where they lie (child process) …');
    const e = spawnSync(process.execPath, ['--import', 'tsx', fileURLToPath(import.meta.url), '--child-events', file], { encoding: 'utf8', maxBuffer: 1 << 24 });
    if (e.status !== 0) throw new Error(`child failed: ${e.stderr}`);
    const atScale = { ...JSON.parse(e.stdout), generateSeconds: parquetSeconds, loadAverageBefore: load0, loadAverageAfter: loadavg()[0], goal: { seconds: 120, peakRssMB: 4096 } };
    rmSync(file, { force: true });
    console.error('incremental model on simulated journeys …');
    const customers = 10000;
    const j = journeysFrom(simulateJourneys(7, customers), DEFAULT_SIMULATION.channels);
    t0 = performance.now();
    const fit = fitIncremental(j, { censorAfterDays: 0 });
    const fitSeconds = (performance.now() - t0) / 1000;
    const est = byChannel(j, fit.incremental), tru = byChannel(j, scoreHazard(j, DEFAULT_SIMULATION.truth, discretize(j, { censorAfterDays: 0 })).incremental);
    console.error('segment model against the truth, seeds 1–6 …');
    const segments = segmentCoverage();
    return {
      events: EVENTS, cpus: cpus().length, loadAverage: loadavg()[0], generateSeconds,
      goal: { journeysRulesMarkovSeconds: 60, peakRssMB: 4096 },
      scale,
      atScale,
      incremental: {
        customers, journeys: j.offsets.length - 1, touches: j.offsets[j.offsets.length - 1], fitSeconds, iterations: fit.iterations, converged: fit.converged,
        channels: est.map((c, k) => ({ channel: c.channel, incremental: c.conversions, truth: tru[k].conversions })),
      },
      segments,
    };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** The segment model's intervals against the truth (the same score under the true parameters), seeds 1–6 of 20,000 customers. */
function segmentCoverage() {
  const sim = SEGMENTED_SIMULATION, C = sim.channels.length;
  let inside = 0, total = 0, seconds = 0;
  const z: number[] = [];
  for (const seed of [1, 2, 3, 4, 5, 6]) {
    const j = journeysFrom(simulateJourneys(seed, 20_000, sim), sim.channels);
    const a = segmentIncremental(j, 'device', { seed: 5 });
    seconds += a.seconds;
    const { names, of } = segmentLevels(j.segments![0]);
    const byName = new Map(segmentTruth(sim).map((l) => [l.name, l.params]));
    const truth = segmentTotals(j, discretize(j), of, names.map((n) => byName.get(n)!));
    const check = (e: { estimate: number; lower: number; upper: number }, t: number) => {
      total++;
      if (e.lower <= t + 1e-9 && t <= e.upper) inside++;
      if (t > 1 && e.upper > e.lower) z.push((e.estimate - t) / ((e.upper - e.lower) / 3.29));
    };
    for (const l of a.levels) check(l.incremental, truth.bySegment[names.indexOf(l.segment)]);
    for (const c of a.cells) check(c.incremental, truth.byCell[names.indexOf(c.segment) * C + sim.channels.indexOf(c.channel)]);
  }
  const mean = z.reduce((x, y) => x + y, 0) / z.length;
  return { customers: 20_000, seeds: 6, intervals: total, inside, coverage: inside / total, nominal: 0.9, zMean: mean, zSd: Math.sqrt(z.reduce((x, y) => x + (y - mean) ** 2, 0) / (z.length - 1)), secondsPerFit: seconds / 6 };
}

if (process.argv[2] === '--child') await child(process.argv[3]);
if (process.argv[2] === '--child-events') await childEvents(process.argv[3]);
