/**
 * Reach and frequency through ingest and harmonize: `<channel>_frequency` is read as the channel's
 * frequency (not ignored, not a factor); over geos reach adds up (different people) and frequency is
 * the mean weighted by reach; over the dates of a coarser period reach is not summed (the largest
 * date's) and frequency is weighted by reach; resampling them is warned about.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { writeFileSync } from 'node:fs';
import { harmonize, ingestFile, readHarmonized } from '../../src/data/index.ts';
import { tempDir, tempWorkspace } from './helpers.ts';

/** Two geos, four weeks of January 2024 and the first of February: spend, reach, frequency, revenue. */
function panel(dir: string): string {
  const lines = ['date,geo,tv_spend,tv_reach,tv_frequency,revenue'];
  const weeks = ['2024-01-01', '2024-01-08', '2024-01-15', '2024-01-22', '2024-02-05'];
  weeks.forEach((d, w) => {
    lines.push(`${d},north,${100 + w},${1000 + 100 * w},${2 + 0.5 * w},${5000 + w}`);
    lines.push(`${d},south,${50 + w},${400 + 10 * w},${1.5 + w},${3000 + w}`);
  });
  writeFileSync(join(dir, 'rf.csv'), lines.join('\n'));
  return join(dir, 'rf.csv');
}

test('reach adds up over geos and frequency is weighted by reach; at the weekly grain each week is as given', async () => {
  const dir = tempDir();
  const ws = await tempWorkspace();
  try {
    await ingestFile(ws, panel(dir), { kind: 'summary' });
    const h = await harmonize(ws, { name: 'national', grain: 'week', geo: 'aggregate' });
    assert.ok(h.columns.includes('tv_frequency') && h.columns.includes('tv_reach'), `columns: ${h.columns.join(', ')}`);
    const t = await readHarmonized(ws, 'national');
    // Week 1: reach 1000 + 400; frequency (1000·2 + 400·1.5) / 1400.
    assert.equal(t.columns.tv_reach[0], 1400);
    assert.ok(Math.abs((t.columns.tv_frequency[0] as number) - (1000 * 2 + 400 * 1.5) / 1400) < 1e-9, `frequency ${t.columns.tv_frequency[0]}`);
    // Impressions are kept: national reach × frequency is the geos' sum of reach × frequency.
    const w = 2;
    const impressions = (1000 + 100 * w) * (2 + 0.5 * w) + (400 + 10 * w) * (1.5 + w);
    assert.ok(Math.abs((t.columns.tv_reach[w] as number) * (t.columns.tv_frequency[w] as number) - impressions) < 1e-6);
    assert.ok(!h.notes.some((n) => /reach and frequency were resampled/.test(n)), 'nothing was resampled over time');
  } finally { await ws.close(); }
});

test('monthly from weekly: reach is the largest week\'s, not the sum; frequency weighted by reach; a warning says so', async () => {
  const dir = tempDir();
  const ws = await tempWorkspace();
  try {
    await ingestFile(ws, panel(dir), { kind: 'summary' });
    const h = await harmonize(ws, { name: 'monthly', grain: 'month' });
    const t = await readHarmonized(ws, 'monthly');
    const jan = t.dates.indexOf('2024-01-01');
    const north = t.geos!.indexOf('north');
    const at = (col: string) => t.columns[col][north * t.dates.length + jan] as number;
    const reach = [1000, 1100, 1200, 1300], freq = [2, 2.5, 3, 3.5];
    assert.equal(at('tv_reach'), 1300, 'January\'s reach in north is its largest week\'s');
    assert.ok(Math.abs(at('tv_frequency') - reach.reduce((s, r, i) => s + r * freq[i], 0) / reach.reduce((a, b) => a + b, 0)) < 1e-9);
    assert.equal(at('tv_spend'), 100 + 101 + 102 + 103, 'spend still adds up');
    assert.ok(h.notes.some((n) => /reach and frequency were resampled \(up to 4 dates in one period\)/.test(n)), `notes: ${h.notes.join(' | ')}`);
  } finally { await ws.close(); }
});
