/**
 * Writes per-touch scores (one row per touch) to CSV or Parquet, with the aggregates beside it:
 * `<base>.channels|campaigns|weeks|positions|paths|consistency.<ext>`.
 *
 * Per-touch columns (stable): journey_id, session, timestamp (ISO UTC, empty for paths), channel,
 * campaign, position (starter|player|closer), step (1-based), journey_touches, journey_conversions,
 * journey_value, then for each method M computed: M (conversions credited), M_value (value credited).
 */
import { closeSync, openSync, renameSync, unlinkSync, writeSync } from 'node:fs';
import { extname } from 'node:path';
import { badInput } from '../errors.ts';
import { csvText, lit, toCsv, Workspace } from '../data/index.ts';
import type { Journeys, Scores } from './types.ts';
import { aggregates, positionOf, topPaths } from './aggregate.ts';

export function outFormat(out: string): 'csv' | 'parquet' {
  const ext = extname(out).toLowerCase();
  if (ext === '.csv') return 'csv';
  if (ext === '.parquet') return 'parquet';
  throw badInput(`--out must end in .csv or .parquet; got '${out}'`);
}

const num = (x: number) => (Number.isFinite(x) ? String(x) : '');

/** Streams the per-touch rows as CSV to `path` (chunked: 10M rows in bounded memory). */
function writeTouchCsv(j: Journeys, scores: Scores[], path: string): number {
  const fd = openSync(path, 'w');
  try {
    const head = ['journey_id', 'session', 'timestamp', 'channel', 'campaign', 'position', 'step', 'journey_touches', 'journey_conversions', 'journey_value',
      ...scores.flatMap((s) => [s.method, `${s.method}_value`])];
    writeSync(fd, head.join(',') + '\n');
    const chan = j.channels.map(csvText), camp = j.campaigns.map(csvText);
    const J = j.offsets.length - 1;
    let buf: string[] = [];
    for (let q = 0; q < J; q++) {
      const a = j.offsets[q], n = j.offsets[q + 1] - a;
      const pre = `${csvText(j.ids?.[q] ?? String(q + 1))},${j.session?.[q] ?? 0},`;
      const post = `${n},${num(j.conversions[q])},${num(j.value[q])}`;
      for (let k = 0; k < n; k++) {
        const i = a + k, t = j.touchTime[i];
        let line = `${pre}${Number.isFinite(t) ? new Date(t * 1000).toISOString() : ''},${chan[j.touchChannel[i]]},${j.touchCampaign[i] >= 0 ? camp[j.touchCampaign[i]] : ''},${positionOf(k, n)},${k + 1},${post}`;
        for (const s of scores) line += `,${num(s.conversions[i])},${num(s.value[i])}`;
        buf.push(line);
      }
      if (buf.length >= 50000) { writeSync(fd, buf.join('\n') + '\n'); buf = []; }
    }
    if (buf.length) writeSync(fd, buf.join('\n') + '\n');
    return j.offsets[J];
  } finally {
    closeSync(fd);
  }
}

async function csvToParquet(csv: string, parquet: string): Promise<void> {
  const ws = await Workspace.open(':memory:');
  try {
    await ws.run(`COPY (SELECT * FROM read_csv(${lit(csv)}, header = true, auto_detect = true, sample_size = -1)) TO ${lit(parquet)} (FORMAT parquet)`);
  } finally { ws.close(); }
}

function writeTable(rows: Record<string, unknown>[], path: string, header?: string[]): void {
  const fd = openSync(path, 'w');
  try { writeSync(fd, toCsv(rows, header)); } finally { closeSync(fd); }
}

export interface ExportResult { out: string; rows: number; files: Record<string, string> }

/** Writes the per-touch rows and every aggregate; returns the paths written. */
export async function exportScores(j: Journeys, scores: Scores[], out: string, consistency?: Record<string, unknown>[]): Promise<ExportResult> {
  const fmt = outFormat(out);
  const base = out.slice(0, out.length - extname(out).length);
  const files: Record<string, string> = {};
  const tables: [string, Record<string, unknown>[], string[]?][] = [
    ...Object.entries(aggregates(j, scores)).map(([k, rows]): [string, Record<string, unknown>[]] => [k, rows]),
    ['paths', topPaths(j, 100) as unknown as Record<string, unknown>[], ['path', 'journeys', 'conversions', 'value', 'conversionRate']],
  ];
  // `subchannels` (the model channel's, `|`-separated) only when the model has them.
  if (consistency) tables.push(['consistency', consistency, ['channel', 'mmmChannel', ...(consistency.some((r) => 'subchannels' in r) ? ['subchannels'] : []), 'period', 'mmm', 'touchpoints', 'raw', 'difference']]);
  const csvOut = fmt === 'csv' ? out : `${base}.tmp-${process.pid}.csv`;
  const rows = writeTouchCsv(j, scores, csvOut);
  if (fmt === 'parquet') { await csvToParquet(csvOut, out); unlinkSync(csvOut); }
  for (const [name, data, header] of tables) {
    const path = `${base}.${name}.${fmt}`;
    if (fmt === 'csv') writeTable(data, path, header);
    else {
      const tmp = `${base}.${name}.tmp-${process.pid}.csv`;
      writeTable(data, tmp, header);
      await csvToParquet(tmp, `${path}.tmp`);
      unlinkSync(tmp);
      renameSync(`${path}.tmp`, path);
    }
    files[name] = path;
  }
  return { out, rows, files };
}
