/**
 * `npm run bench -- ingest`: generates a 10-million-row daily long-format summary table
 * (date, geo, channel, metric, value), ingests it into a fresh workspace and harmonizes it to weekly,
 * in a child process so that its peak RSS is measured alone; then runs the same job with pandas
 * (/usr/bin/python3, Debian python3-pandas: read, parse dates, the same checks, weekly sums, pivot wide)
 * and DuckDB alone on the same file (typed read_csv + pivot: the floor),
 * and reports rows/s, peak RSS and the throughput ratio (wall clock; also CPU seconds of all threads and the load
 * average, since a shared machine slows a two-thread DuckDB job and a one-thread pandas job differently).
 * Set BENCH_ROWS to change the size.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { DuckDBInstance } from '@duckdb/node-api';

const ROWS = Number(process.env.BENCH_ROWS ?? 10_000_000);
const GEOS = 200, CHANNELS = 10, METRICS = 2;

async function generate(file: string, rows: number): Promise<void> {
  const perDay = GEOS * CHANNELS * METRICS;
  const inst = await DuckDBInstance.create(':memory:');
  const c = await inst.connect();
  await c.run(`COPY (SELECT DATE '2000-01-03' + CAST(i // ${perDay} AS INTEGER) AS date, 'geo' || ((i // ${CHANNELS * METRICS}) % ${GEOS}) AS geo,
    'channel' || ((i // ${METRICS}) % ${CHANNELS}) AS channel, CASE WHEN i % 2 = 0 THEN 'spend' ELSE 'impressions' END AS metric,
    round(hash(i) % 100000 / 100.0, 2) AS value FROM range(${rows}) t(i)) TO '${file}' (HEADER, DELIMITER ',')`);
  c.closeSync(); inst.closeSync();
}

/**
 * The floor: DuckDB alone on the same file (typed read_csv into a table, then the weekly pivot), no
 * checks, no names coded, nothing stored for later. No ingest that goes through DuckDB can be faster.
 */
async function floor(file: string): Promise<{ readSeconds: number; pivotSeconds: number; seconds: number }> {
  const inst = await DuckDBInstance.create(':memory:', { memory_limit: '1GB' });
  const c = await inst.connect();
  try {
    const t0 = performance.now();
    await c.run(`CREATE TABLE t AS SELECT * FROM read_csv('${file}', header = true, auto_detect = false,
      columns = {'date': 'DATE', 'geo': 'VARCHAR', 'channel': 'VARCHAR', 'metric': 'VARCHAR', 'value': 'DOUBLE'})`);
    const t1 = performance.now();
    await c.run(`CREATE TABLE w AS PIVOT (SELECT geo, CAST(date - CAST((dayofweek(date) + 6) % 7 AS INTEGER) AS DATE) AS week, channel || '_' || metric AS col, value FROM t)
      ON col USING sum(value) GROUP BY geo, week`);
    const t2 = performance.now();
    return { readSeconds: (t1 - t0) / 1000, pivotSeconds: (t2 - t1) / 1000, seconds: (t2 - t0) / 1000 };
  } finally { c.closeSync(); inst.closeSync(); }
}

/** The child: ingest + harmonize, timed, then its own peak RSS. */
async function child(file: string, ws: string): Promise<void> {
  const { Workspace, ingestFile, harmonize } = await import('../src/data/index.ts');
  const w = await Workspace.open(ws);
  const c0 = process.cpuUsage();
  const t0 = performance.now();
  await ingestFile(w, file, { kind: 'summary', name: 'big' });
  const t1 = performance.now();
  const h = await harmonize(w, { name: 'big-weekly', grain: 'week' });
  const t2 = performance.now();
  const cpu = process.cpuUsage(c0);
  w.close();
  process.stdout.write(JSON.stringify({ ingestSeconds: (t1 - t0) / 1000, harmonizeSeconds: (t2 - t1) / 1000, weeklyRows: h.rows, columns: h.columns.length,
    cpuSeconds: (cpu.user + cpu.system) / 1e6, peakRssMB: process.resourceUsage().maxRSS / 1024 }));
}

const PANDAS = `
import sys, time, resource
import pandas as pd
_ru = resource.getrusage(resource.RUSAGE_SELF)
cpu0 = _ru.ru_utime + _ru.ru_stime
t0 = time.time()
df = pd.read_csv(sys.argv[1], dtype={'geo': 'string', 'channel': 'string', 'metric': 'string', 'value': 'float64'})
df['date'] = pd.to_datetime(df['date'], format='%Y-%m-%d')
import numpy as np
assert not df['value'].isna().any() and np.isfinite(df['value']).all() and (df['value'] >= 0).all()
assert not df.duplicated(['date', 'geo', 'channel', 'metric']).any()
t1 = time.time()
df['week'] = df['date'] - pd.to_timedelta(df['date'].dt.dayofweek, unit='D')
df['col'] = df['channel'] + '_' + df['metric']
wide = df.groupby(['geo', 'week', 'col'], sort=False)['value'].sum().unstack('col').fillna(0.0).sort_index()
t2 = time.time()
ru = resource.getrusage(resource.RUSAGE_SELF)
print('{"ingestSeconds": %f, "harmonizeSeconds": %f, "weeklyRows": %d, "cpuSeconds": %f, "peakRssMB": %f}' % (t1 - t0, t2 - t1, len(wide), ru.ru_utime + ru.ru_stime - cpu0, ru.ru_maxrss / 1024))
`;

export async function run(): Promise<object> {
  const dir = mkdtempSync(join(tmpdir(), 'marginal-bench-'));
  try {
    const file = join(dir, 'daily_long.csv');
    console.error(`generating ${ROWS.toLocaleString()} rows …`);
    await generate(file, ROWS);
    const bytes = statSync(file).size;
    console.error(`marginal: ingest + harmonize weekly …`);
    const self = fileURLToPath(import.meta.url);
    const r = spawnSync(process.execPath, ['--import', 'tsx', self, '--child', file, join(dir, 'ws.duckdb')], { encoding: 'utf8', maxBuffer: 1 << 24 });
    if (r.status !== 0) throw new Error(`marginal child failed: ${r.stderr}`);
    const ours = JSON.parse(r.stdout);
    const oursSeconds = ours.ingestSeconds + ours.harmonizeSeconds;
    const result: Record<string, unknown> = {
      rows: ROWS, fileMB: Math.round(bytes / 1e5) / 10, cpus: (await import('node:os')).cpus().length,
      marginal: { ...ours, seconds: oursSeconds, rowsPerSecond: Math.round(ROWS / oursSeconds) },
    };
    console.error('DuckDB alone: read_csv + pivot (the floor) …');
    const bare = await floor(file);
    result.duckdbFloor = { ...bare, rowsPerSecond: Math.round(ROWS / bare.seconds) };
    const py = '/usr/bin/python3';
    const hasPandas = existsSync(py) && spawnSync(py, ['-c', 'import pandas'], { encoding: 'utf8' }).status === 0;
    if (!hasPandas) {
      console.error('pandas side skipped: /usr/bin/python3 with pandas not found (apt-get install -y python3-pandas)');
      result.pandas = { skipped: 'pandas is not installed for /usr/bin/python3 (apt-get install -y python3-pandas)' };
    } else {
      console.error('pandas: the same job …');
      const script = join(dir, 'job.py');
      writeFileSync(script, PANDAS);
      const p = spawnSync(py, [script, file], { encoding: 'utf8', maxBuffer: 1 << 24 });
      if (p.status !== 0) throw new Error(`pandas job failed: ${p.stderr}`);
      const pd = JSON.parse(p.stdout.trim().split('\n').at(-1)!);
      const pdSeconds = pd.ingestSeconds + pd.harmonizeSeconds;
      result.pandas = { ...pd, seconds: pdSeconds, rowsPerSecond: Math.round(ROWS / pdSeconds), version: spawnSync(py, ['-c', 'import pandas; print(pandas.__version__)'], { encoding: 'utf8' }).stdout.trim() };
      result.throughputRatio = Math.round((pdSeconds / oursSeconds) * 100) / 100;
      // The most a DuckDB-based ingest could reach against pandas on this file and machine.
      result.floorRatio = Math.round((pdSeconds / bare.seconds) * 100) / 100;
      // CPU seconds spent (all threads): less sensitive than wall time to other processes on a shared machine.
      result.cpuRatio = Math.round((pd.cpuSeconds / ours.cpuSeconds) * 100) / 100;
      result.loadAverage = (await import('node:os')).loadavg().map((x) => Math.round(x * 10) / 10);
      result.goals = { ratioAtLeast5: (result.throughputRatio as number) >= 5, floorAtLeast5: (result.floorRatio as number) >= 5, peakRssUnder1GB: ours.peakRssMB < 1024 };
    }
    console.error(JSON.stringify(result, null, 2));
    return result;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

if (process.argv[2] === '--child') await child(process.argv[3], process.argv[4]);
