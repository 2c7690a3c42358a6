import { after, test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { asyncBufferFromFile, parquetReadObjects } from 'hyparquet';
import { insightTables } from '../../analysis/index.ts';
import { writeTables } from '../../data/tables.ts';
import { MarginalError } from '../../errors.ts';
import { modelInsights } from '../../app/insights.ts';
import { modelReport } from '../../app/report.ts';
import { fastFitFixture } from '../../../test/support/fastFit.ts';

const fx = await fastFitFixture({ weeks: 80, holdout: 8 });
after(() => fx.cleanup());

test('insights of a stored fast fit: every table written as CSV and Parquet with the same rows', async () => {
  const x = await modelInsights(fx.workspace, fx.modelId);
  const tables = insightTables(x);
  const out = join(fx.dir, 'insights');
  const written = await writeTables(out, tables);
  assert.deepEqual(written.map((w) => w.name).sort(), Object.keys(tables).sort());
  // The fixture's config has no lift tests: that table is empty, a CSV header and no Parquet file.
  assert.deepEqual(Object.keys(tables).filter((k) => tables[k].length === 0), ['lift_tests']);
  for (const w of written) {
    const rows = tables[w.name];
    if (!rows.length) { assert.equal(w.parquet, null, `${w.name}: no Parquet for an empty table`); continue; }
    const csv = readFileSync(w.csv, 'utf8').trimEnd().split('\n');
    assert.equal(csv.length, rows.length + 1, `${w.name}.csv rows`);
    assert.ok(w.parquet, `${w.name}.parquet written`);
    const pq = await parquetReadObjects({ file: await asyncBufferFromFile(w.parquet!) });
    assert.equal(pq.length, rows.length, `${w.name}.parquet rows`);
    // Numbers survive the round trip (first numeric cell of the first row).
    const cell = Object.entries(rows[0]).find(([, v]) => typeof v === 'number' && Number.isFinite(v));
    if (cell) assert.equal(Number(pq[0][cell[0]]), cell[1], `${w.name}.${cell[0]}`);
    else assert.equal(String(pq[0][Object.keys(rows[0])[0]]), String(Object.values(rows[0])[0]));
  }
  assert.equal(x.fit.length, 2);
  assert.ok(x.responseCurves.length > 0 && x.curvePoints.some((p) => p.point === 'current'));
});

test('report: self-contained HTML; unknown model is NOT_FOUND', async () => {
  const html = await modelReport(fx.workspace, fx.modelId);
  assert.match(html, /^<!doctype html>/);
  assert.ok(!/<script[^>]+src=/.test(html), 'no external scripts');
  // Response curves are in the page: a section, and chart data whose current points match the insights.
  assert.match(html, /<section class="detail" id="curves">/);
  const blob = html.match(/<script type="application\/json" id="report-data">([\s\S]*?)<\/script>/)![1];
  const curves = JSON.parse(blob).curves as { channel: string; current: { spend: number; expected: number } }[];
  const x = await modelInsights(fx.workspace, fx.modelId);
  assert.equal(curves.length, x.channels.length);
  for (const c of curves) {
    const row = x.channels.find((r) => r.channel === c.channel)!;
    assert.ok(Math.abs(c.current.spend - (row.spend as number)) < 1e-6 * (row.spend as number), `${c.channel} current spend`);
    // The same 200 draws as the fit output: the contribution at the current spend, exactly.
    assert.ok(Math.abs(c.current.expected / (row.contribution as number) - 1) < 1e-9, `${c.channel} current contribution`);
  }
  await assert.rejects(modelReport(fx.workspace, 'nope-1'), (e: unknown) => e instanceof MarginalError && e.code === 'NOT_FOUND');
});
