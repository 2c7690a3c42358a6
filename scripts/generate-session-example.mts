/**
 * Writes the data files of the README's "A session with the command line" into examples/session/:
 * two years of weekly data for three channels from the project's simulator (`marginal simulate
 * --weeks 104 --channels 3 --seed 1`), split the way an analyst receives it —
 *
 *   media.csv    date, <channel>_spend, <channel>_impressions   (ingested --kind summary)
 *   sales.csv    date, revenue                                  (ingested --kind conversions)
 *   prices.xlsx  sheet "prices": date (Excel dates), price      (ingested --kind factors)
 *   truth.json   what the data were simulated from (each channel's true ROI and marginal ROI)
 *
 * The configs beside them (model.json, plan.json, plan-tv-capped.json) are written by hand.
 *
 *   node --import tsx scripts/generate-session-example.mts [--out examples/session]
 */
import { copyFileSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import ExcelJS from 'exceljs';
import { simulate } from '../src/models/simulate/index.ts';
import { writeSimulation } from '../src/app/writeSimulation.ts';

const { values } = parseArgs({ options: { out: { type: 'string', default: 'examples/session' } } });
const out = values.out!;
const tmp = mkdtempSync(join(tmpdir(), 'marginal-session-'));
try {
  const files = writeSimulation(simulate({ weeks: 104, channels: 3, seed: 1 }), tmp);
  copyFileSync(files.media, join(out, 'media.csv'));
  copyFileSync(files.sales, join(out, 'sales.csv'));
  copyFileSync(files.truth, join(out, 'truth.json'));
  const [header, ...rows] = readFileSync(files.factors, 'utf8').trim().split('\n').map((l) => l.split(','));
  if (header.join(',') !== 'date,price') throw new Error(`factors.csv: expected date,price; got ${header.join(',')}`);
  const wb = new ExcelJS.Workbook();
  // Fixed workbook metadata (the zip inside still stamps the time of writing).
  wb.created = wb.modified = new Date('2025-01-01T00:00:00Z');
  wb.creator = 'marginal';
  const ws = wb.addWorksheet('prices');
  ws.columns = [{ header: 'date', key: 'date', width: 12, style: { numFmt: 'yyyy-mm-dd' } }, { header: 'price', key: 'price', width: 10 }];
  for (const [date, price] of rows) ws.addRow({ date: new Date(`${date}T00:00:00Z`), price: Number(price) });
  await wb.xlsx.writeFile(join(out, 'prices.xlsx'));
  process.stderr.write(`wrote media.csv, sales.csv, prices.xlsx (${rows.length} weeks), truth.json to ${out}\n`);
} finally {
  rmSync(tmp, { recursive: true, force: true });
}
