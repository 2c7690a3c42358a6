/**
 * The MMM link on the Touchpoints page: journeys whose channel names are not the model's ("Paid
 * Search") are mapped to model channels in the page and scored again; the consistency table then sets
 * the touch credit before calibration beside the calibrated one, and shows a channel period by period.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { simulatedWorkspace } from '../cli/simulatedWorkspace.ts';
import { touchpointsCsv } from '../server/helpers.ts';
import { openApp } from './browser.ts';

test('journey channels mapped to model channels in the page: calibrated beside uncalibrated credit, by period', async () => {
  const w = simulatedWorkspace('tp-map-e2e-', 60, 2);
  // The model on a harmonized table, so a copy of its config opens in the wizard.
  for (const [file, kind] of [['media', 'summary'], ['sales', 'conversions'], ['factors', 'factors']]) assert.equal(w.run('--create', 'ingest', join(w.dir, 'sim', `${file}.csv`), '--kind', kind, '--name', file).status, 0);
  assert.equal(w.run('harmonize', '--name', 'weekly', '--grain', 'week').status, 0);
  writeFileSync(join(w.dir, 'model.json'), JSON.stringify({ ...w.config, name: 'simulated', data: { harmonized: 'weekly' } }));
  const fit = w.run('fit', join(w.dir, 'model.json'), '--fast');
  assert.equal(fit.status, 0, fit.stderr);
  const journeys = join(w.dir, 'journeys.csv');
  // Journeys that start in the model's weeks, with the platforms' own channel names.
  writeFileSync(journeys, (await touchpointsCsv(['TV Spots', 'Paid Search'], '2023-06-05')));
  assert.equal(w.run('ingest', journeys, '--kind', 'touchpoints', '--name', 'journeys').status, 0);
  const { server, page, close } = await openApp(w.workspace);
  try {
    await page.goto(`${server.url}#/touchpoints`);
    await page.waitForSelector('select[name=tp-data]');
    await page.selectOption('select[name=tp-model]', 'simulated-1');
    await page.getByRole('button', { name: 'Score', exact: true }).click();
    await page.waitForSelector('[data-testid=touchpoints-result]', { timeout: 60_000 });
    assert.match(await page.locator('[data-testid=touchpoints-result]').textContent() ?? '', /Touch channels with no model channel: TV Spots, Paid Search|Touch channels with no model channel: Paid Search, TV Spots/);
    // Map them, and score again.
    const mapping = page.locator('[data-testid=channel-mapping]');
    await mapping.waitFor();
    await mapping.locator('select[name="map-TV Spots"]').selectOption('tv');
    await mapping.locator('select[name="map-Paid Search"]').selectOption('search');
    await mapping.getByRole('button', { name: 'Score again with this mapping' }).click();
    await page.waitForFunction(() => /TV Spots/.test(document.querySelector('[data-testid=consistency] tbody')?.textContent ?? ''), undefined, { timeout: 60_000 });
    const rows = page.locator('[data-testid=consistency] tbody tr');
    const tv = (await rows.allTextContents()).find((t) => t.startsWith('tv')) ?? '';
    assert.match(tv, /TV Spots/, 'tv is credited from the TV Spots touches');
    const headers = await page.locator('[data-testid=consistency] thead th').allTextContents();
    assert.ok(headers.some((h) => /before calibration/.test(h)) && headers.some((h) => /^Calibrated/.test(h)), headers.join(' | '));
    assert.equal(await page.locator('[data-testid=touchpoints-result] .warn').count(), 0, 'no touch channel is left unmatched');
    assert.ok(await page.locator('[data-testid=consistency-periods] tbody tr').count() > 0, 'the channel period by period');
    // Journeys at a glance: touches per journey (chart and table) and days to convert.
    assert.ok(await page.locator('[data-testid=path-length] tbody tr').count() > 0);
    assert.ok(await page.locator('[data-testid=chart-time-to-convert] svg').count() > 0);
    assert.match(await page.locator('[data-testid=journey-shape]').textContent() ?? '', /Median \d/);

    // An audience for lookalikes: the customers a channel moved most, as SHA-256 ids by default.
    const [dl] = await Promise.all([page.waitForEvent('download'), page.getByRole('button', { name: 'Export audience (CSV)' }).click()]);
    const audience = (await import('node:fs')).readFileSync(await dl.path(), 'utf8').trim().split('\n');
    assert.equal(audience[0], 'hashed_id,credit,journeys');
    assert.match(audience[1], /^[0-9a-f]{64},/);

    // The scoring dataset after the mapping: the calibrated credit adds up to the model's per channel (the consistency totals).
    const [touchDl] = await Promise.all([page.waitForEvent('download'), page.getByRole('button', { name: 'Export per-touch scores' }).click()]);
    const touchRows = (await import('node:fs')).readFileSync(await touchDl.path(), 'utf8').trim().split('\n').map((l) => l.split(','));
    const col = (name: string) => touchRows[0].indexOf(name);
    assert.ok(col('calibrated') > 0, touchRows[0].join(','));
    const byChannel = new Map<string, number>();
    for (const r of touchRows.slice(1)) byChannel.set(r[col('channel')], (byChannel.get(r[col('channel')]) ?? 0) + Number(r[col('calibrated')]));
    // The job shown: the one the page's report link names.
    const href = await page.getByRole('link', { name: 'Open the touchpoints report' }).getAttribute('href') ?? '';
    const jobId = /\/api\/touchpoints\/([a-z0-9]+)\/report/.exec(href)![1];
    const job = (await (await page.request.get(new URL(`/api/jobs/${jobId}`, page.url()).href)).json()) as { result: { calibration: { consistency: { channel: string; touchChannels: string[]; period?: string; touchpoints: number }[] } } };
    for (const row of job.result.calibration.consistency.filter((c) => c.period === undefined)) {
      const sum = row.touchChannels.reduce((t, c) => t + (byChannel.get(c) ?? 0), 0);
      assert.ok(Math.abs(sum - row.touchpoints) <= 1e-6 * Math.max(1, Math.abs(row.touchpoints)), `${row.channel}: per-touch ${sum} vs ${row.touchpoints}`);
    }

    // Priors from these journeys: a copy of the model's config opens in the wizard with them.
    await page.fill('input[name=media-share]', '30');
    await page.getByRole('button', { name: 'Open a copy of simulated-1 with these priors' }).click();
    await page.waitForSelector('#wizard-h', { timeout: 30_000 });
    const wizard = page.locator('.wizard');
    await wizard.locator('button', { hasText: '6. Train' }).click();
    const config = JSON.parse(await wizard.locator('details pre').textContent() ?? '{}');
    const shares = config.priors.contributionShare as Record<string, { share: number; confidence: number }>;
    assert.deepEqual(Object.keys(shares).sort(), ['search', 'tv']);
    assert.ok(Math.abs(shares.tv.share + shares.search.share - 0.3) < 1e-9, 'the media share split over the channels the journeys credit');
    assert.equal(shares.tv.confidence, 0.6);
  } finally { await close(); }
});
