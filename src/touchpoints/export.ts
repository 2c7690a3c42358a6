/**
 * Writes per-touch scores (one row per touch) to CSV or Parquet, with the aggregates beside it:
 * `<base>.channels|campaigns|weeks|positions|paths|consistency.<ext>`.
 *
 * Per-touch columns (stable; contracts/touchpoint-scores.schema.json): journey_id, session, timestamp
 * (ISO UTC, empty for paths), channel, campaign, geo (empty when the events have none), path_position
 * (starter|player|closer), step (1-based), journey_touches, journey_conversions, journey_value,
 * conversion_id (`journey_id#session` for a journey that ends in a conversion, else empty), then for
 * each method M computed: M (conversions credited), M_value (value credited). With a model, method
 * `calibrated` is the touch's share of the MMM's incremental outcome (in the model's unit).
 * `--long` adds `<base>.long.<ext>`: one row per touch and method (BI tools' shape).
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

/** The per-touch columns before the methods' (the contract's fixed part). */
// `path_position` (not `position`, the position-based method's column): starter, player or closer.
export const TOUCH_COLUMNS = ['journey_id', 'session', 'timestamp', 'channel', 'campaign', 'geo', 'path_position', 'step', 'journey_touches', 'journey_conversions', 'journey_value', 'conversion_id'];

/**
 * Streams the per-touch rows as CSV to `path` (chunked: 10M rows in bounded memory): wide (a pair of
 * columns per method), or long (a row per touch and method: method, credit, credit_value).
 */
export function writeTouchCsv(j: Journeys, scores: Scores[], path: string, shape: 'wide' | 'long' = 'wide'): number {
  const fd = openSync(path, 'w');
  try {
    const head = [...TOUCH_COLUMNS, ...(shape === 'wide' ? scores.flatMap((s) => [s.method, `${s.method}_value`]) : ['method', 'credit', 'credit_value'])];
    writeSync(fd, head.join(',') + '\n');
    const chan = j.channels.map(csvText), camp = j.campaigns.map(csvText), geo = (j.geos ?? []).map(csvText);
    const J = j.offsets.length - 1;
    let buf: string[] = [], rows = 0;
    for (let q = 0; q < J; q++) {
      const a = j.offsets[q], n = j.offsets[q + 1] - a;
      const raw = j.ids?.[q] ?? String(q + 1), session = j.session?.[q] ?? 0;
      const pre = `${csvText(raw)},${session},`;
      // The conversion a touch belongs to: its customer's session that ended in it.
      const post = `${n},${num(j.conversions[q])},${num(j.value[q])},${j.conversions[q] > 0 ? csvText(`${raw}#${session}`) : ''}`;
      for (let k = 0; k < n; k++) {
        const i = a + k, t = j.touchTime[i], g = j.touchGeo?.[i] ?? -1;
        const line = `${pre}${Number.isFinite(t) ? new Date(t * 1000).toISOString() : ''},${chan[j.touchChannel[i]]},${j.touchCampaign[i] >= 0 ? camp[j.touchCampaign[i]] : ''},${g >= 0 ? geo[g] : ''},${positionOf(k, n)},${k + 1},${post}`;
        if (shape === 'wide') {
          let wide = line;
          for (const s of scores) wide += `,${num(s.conversions[i])},${num(s.value[i])}`;
          buf.push(wide); rows++;
        } else {
          for (const s of scores) { buf.push(`${line},${s.method},${num(s.conversions[i])},${num(s.value[i])}`); rows++; }
        }
      }
      if (buf.length >= 50000) { writeSync(fd, buf.join('\n') + '\n'); buf = []; }
    }
    if (buf.length) writeSync(fd, buf.join('\n') + '\n');
    return rows;
  } finally {
    closeSync(fd);
  }
}

/**
 * A wide per-touch CSV (writeTouchCsv) in another shape or format, by DuckDB: Parquet, and/or the long
 * shape (a row per touch and method: method, credit, credit_value) for the `methods` it holds.
 */
export async function reshapeTouchCsv(csv: string, out: string, methods: readonly string[], opts: { long: boolean; format: 'csv' | 'parquet' }): Promise<void> {
  const ws = await Workspace.open(':memory:');
  const q = (c: string) => `"${c.replaceAll('"', '""')}"`;
  try {
    const src = `read_csv(${lit(csv)}, header = true, auto_detect = true, sample_size = -1, all_varchar = false)`;
    const fixed = TOUCH_COLUMNS.map(q).join(', ');
    const sql = opts.long
      ? methods.map((m) => `SELECT ${fixed}, ${lit(m)} AS method, ${q(m)} AS credit, ${q(`${m}_value`)} AS credit_value FROM ${src}`).join(' UNION ALL ')
      : `SELECT * FROM ${src}`;
    await ws.run(`COPY (${sql}) TO ${lit(out)} (FORMAT ${opts.format === 'parquet' ? 'parquet' : "csv, HEADER true"})`);
  } finally { ws.close(); }
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
export async function exportScores(j: Journeys, scores: Scores[], out: string, consistency?: Record<string, unknown>[], opts: { long?: boolean } = {}): Promise<ExportResult> {
  const fmt = outFormat(out);
  const base = out.slice(0, out.length - extname(out).length);
  const files: Record<string, string> = {};
  const tables: [string, Record<string, unknown>[], string[]?][] = [
    ...Object.entries(aggregates(j, scores)).map(([k, rows]): [string, Record<string, unknown>[]] => [k, rows]),
    ['paths', topPaths(j, 100) as unknown as Record<string, unknown>[], ['path', 'journeys', 'conversions', 'value', 'conversionRate']],
  ];
  // `subchannels` (the model channel's, `|`-separated) only when the model has them.
  // `channel` is the model's; `touchChannels` the journey channels mapped to it (`|`-separated).
  if (consistency) tables.push(['consistency', consistency, ['channel', 'touchChannels', ...(consistency.some((r) => 'subchannels' in r) ? ['subchannels'] : []), ...(consistency.some((r) => 'campaigns' in r) ? ['campaigns'] : []), 'period', 'mmm', 'touchpoints', 'raw', 'difference']]);
  const csvOut = fmt === 'csv' ? out : `${base}.tmp-${process.pid}.csv`;
  const rows = writeTouchCsv(j, scores, csvOut);
  if (fmt === 'parquet') { await csvToParquet(csvOut, out); unlinkSync(csvOut); }
  if (opts.long) {
    const longOut = `${base}.long.${fmt}`, longCsv = fmt === 'csv' ? longOut : `${base}.long.tmp-${process.pid}.csv`;
    writeTouchCsv(j, scores, longCsv, 'long');
    if (fmt === 'parquet') { await csvToParquet(longCsv, longOut); unlinkSync(longCsv); }
    files.long = longOut;
  }
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
