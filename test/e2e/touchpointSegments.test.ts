/**
 * Segments on the Touchpoints page: a journey file whose customers carry a device, the segment chosen
 * in the form; the ranking with intervals, the segment × channel heat-map, and a segment's audience.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { segmentedCsv } from '../touchpoints/segmentedCsv.ts';
import { openApp } from './browser.ts';

const repo = fileURLToPath(new URL('../../', import.meta.url));

test('Touchpoints page: segments by device, ranked with intervals, a heat-map, a segment audience', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'marginal-seg-e2e-'));
  const ws = join(dir, 'ws.duckdb'), file = join(dir, 'journeys.csv');
  const { csv, devices } = segmentedCsv(3000);
  writeFileSync(file, csv);
  const ing = spawnSync(process.execPath, ['--import', 'tsx', join(repo, 'src/cli/main.ts'), '--workspace', ws, '--create', 'ingest', file, '--kind', 'touchpoints', '--name', 'journeys', '--map', 'device=segment'], { encoding: 'utf8', cwd: repo });
  assert.equal(ing.status, 0, ing.stderr);
  const { server, page, close } = await openApp(ws);
  try {
    await page.goto(`${server.url}#/touchpoints`);
    await page.waitForSelector('select[name=tp-segment]');
    await page.selectOption('select[name=tp-segment]', 'device');
    await page.getByRole('button', { name: 'Score', exact: true }).click();
    await page.waitForSelector('[data-testid=segments]', { timeout: 90_000 });
    const ranking = await page.locator('[data-testid=segment-ranking] tbody tr').allTextContents();
    assert.equal(ranking.length, 3);
    assert.match(ranking[0], /^1/);
    assert.ok(ranking.every((r) => (r.match(/\[[\d.,]+, [\d.,]+\]/g) ?? []).length === 2), `each figure with its interval: ${ranking.join(' | ')}`);
    assert.ok(await page.locator('[data-testid=chart-segment-heatmap] svg').count() > 0, 'the heat-map is drawn');
    await page.locator('[data-testid=segments]').screenshot({ path: join(tmpdir(), 'marginal-segments.png') });

    const box = page.locator('[data-testid=segment-audience]');
    await box.locator('select[name=segment-audience]').selectOption('tablet');
    const [dl] = await Promise.all([page.waitForEvent('download'), box.getByRole('button', { name: 'Export segment audience (CSV)' }).click()]);
    const rows = readFileSync(await dl.path(), 'utf8').trim().split('\n');
    assert.equal(rows[0], 'hashed_id,device');
    assert.equal(rows.length - 1, [...devices.values()].filter((d) => d === 'tablet').length);
  } finally { await close(); rmSync(dir, { recursive: true, force: true }); }
});
