/**
 * Touchpoints at scale: 10 million generated events (1.25M customers, 8 channels, 30 campaigns,
 * ~2.5% conversion rows) written straight into a fresh workspace's `touchpoint_events`, then, in a
 * child process (for its peak RSS): journeys built in DuckDB, every rule-based method, Markov order 1
 * (and 2), Shapley. The incremental model's fit time is measured on simulated journeys (known truth).
 * Goal: journeys + rule-based + Markov < 60 s, peak RSS < 4 GB. Wall seconds depend on the machine's
 * load (reported: loadAverage); CPU seconds (all threads, DuckDB's included) do not.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir, cpus, loadavg } from 'node:os';
import { join } from 'node:path';
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { withWorkspace } from '../src/data/index.ts';
import { loadJourneys, ruleScores, markovScores, shapleyScores, journeysFrom, simulateJourneys, fitIncremental, byChannel, DEFAULT_SIMULATION, discretize, scoreHazard } from '../src/touchpoints/index.ts';

const EVENTS = Number(process.env.TOUCHPOINTS_EVENTS ?? 10_000_000);

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
  const total = t.journeysSeconds + t.firstSeconds + t.lastSeconds + t.linearSeconds + t.positionSeconds + t.decaySeconds + t.markov1Seconds;
  process.stdout.write(JSON.stringify({
    journeys: j.offsets.length - 1, touches: j.offsets[j.offsets.length - 1], channels: j.channels.length,
    ...t, journeysRulesMarkovSeconds: total, journeysRulesMarkovCpuSeconds: (cpu.user + cpu.system) / 1e6, peakRssMB: process.resourceUsage().maxRSS / 1024,
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
    console.error('incremental model on simulated journeys …');
    const customers = 10000;
    const j = journeysFrom(simulateJourneys(7, customers), DEFAULT_SIMULATION.channels);
    t0 = performance.now();
    const fit = fitIncremental(j, { censorAfterDays: 0 });
    const fitSeconds = (performance.now() - t0) / 1000;
    const est = byChannel(j, fit.incremental), tru = byChannel(j, scoreHazard(j, DEFAULT_SIMULATION.truth, discretize(j, { censorAfterDays: 0 })).incremental);
    return {
      events: EVENTS, cpus: cpus().length, loadAverage: loadavg()[0], generateSeconds,
      goal: { journeysRulesMarkovSeconds: 60, peakRssMB: 4096 },
      scale,
      incremental: {
        customers, journeys: j.offsets.length - 1, touches: j.offsets[j.offsets.length - 1], fitSeconds, iterations: fit.iterations, converged: fit.converged,
        channels: est.map((c, k) => ({ channel: c.channel, incremental: c.conversions, truth: tru[k].conversions })),
      },
    };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

if (process.argv[2] === '--child') await child(process.argv[3]);
