/**
 * The Experiments page in Chromium: on a fitted simulated geo model, design a 4-week test for one
 * channel — the ranked tests, a test's treatment and control geos, its power and ROI interval after,
 * the plan downloaded as CSV and the experiment entry to paste — and a model refitted with such a result
 * shows the test beside the ROI interval before, as predicted and now.
 */
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, readFileSync } from 'node:fs';
import { spawnSync } from 'node:child_process';
import { join, resolve } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { openApp } from './browser.ts';
import { startServer } from '../../src/server/listen.ts';
import { harmonize, ingestFile, withWorkspace } from '../../src/data/index.ts';
import { parseModelConfig } from '../../src/models/config.ts';
import { runFit } from '../../src/app/fit.ts';
import { designModel } from '../../src/app/design.ts';
import { demoConfig, demoFiles } from '../server/helpers.ts';
import { simulate } from '../../src/models/simulate/index.ts';
import { writeSimulation } from '../../src/app/writeSimulation.ts';

const SHOTS = resolve(process.env.E2E_SHOTS ?? 'out/e2e');
const demo = demoFiles(104, 3);
const sim = simulate({ weeks: 104, channels: 3, geos: 8, seed: 3 });
const geoFiles = writeSimulation(sim, join(demo.dir, 'geo'));
let browser: Browser;
let server: Awaited<ReturnType<typeof startServer>>;
let page: Page;

before(async () => {
  mkdirSync(SHOTS, { recursive: true });
  await withWorkspace(demo.workspace, async (ws) => {
    await ingestFile(ws, geoFiles.media, { kind: 'summary', name: 'geo-media' });
    await ingestFile(ws, geoFiles.sales, { kind: 'conversions', name: 'geo-sales' });
    await ingestFile(ws, geoFiles.factors, { kind: 'factors', name: 'geo-factors' });
    await harmonize(ws, { name: 'geo', grain: 'week', datasets: ['geo-media', 'geo-sales', 'geo-factors'] });
  });
  const channels = sim.truth.channels.map((c) => c.name);
  const config = { ...demoConfig(channels), name: 'regional', data: { harmonized: 'geo', geo: 'geo' } };
  await runFit(parseModelConfig(config), demo.workspace, { fast: true, chains: 1, draws: 200 });
  // A refit with a result entered from the design's experiment entry (the lift the design expected).
  const d = await designModel(demo.workspace, 'regional-1', { channels: ['search'], weeks: 8 });
  const t = d.tests[0];
  await runFit(parseModelConfig({ ...config, name: 'calibrated', experiments: [{ ...t.experiment, lift: t.expectedLift, liftSe: t.expectedLiftSe }] }), demo.workspace, { fast: true, chains: 1, draws: 200 });
  ({ server, browser, page } = await openApp(demo.workspace));
});
after(async () => { await browser?.close(); await server?.close(); });

test('design a geo test for a channel, read it, download its plan', async () => {
  await page.goto(`${server.url}#/experiments`);
  await page.selectOption('select[name=design-model]', 'regional-1');
  await page.check('input[name=design-channel-social]');
  await page.fill('input[name=design-weeks]', '4');
  await page.getByRole('button', { name: 'Design tests', exact: true }).click();
  await page.waitForSelector('[data-testid=design-tests] tbody tr, [role=alert]', { timeout: 120_000 });
  const alerts = await page.locator('[role=alert]').allTextContents();
  assert.equal(alerts.length, 0, alerts.join(' | '));
  const rows = page.locator('[data-testid=design-tests] tbody tr');
  assert.ok(await rows.count() >= 1);
  assert.match(await rows.first().textContent() ?? '', /social.*\d+ treated \/ \d+ control geos.*(dark|%)/);
  const detail = await page.locator('[data-testid=design-detail]').textContent() ?? '';
  assert.match(detail, /Treatment geos: G\d\d/);
  assert.match(detail, /Control geos: G\d\d/);
  assert.match(detail, /Smallest lift it detects: .*\(power \d+(\.\d)?%\)/);
  assert.match(detail, /ROI \(90%\): [\d.]+–[\d.]+ now, [\d.]+–[\d.]+ expected after/);
  const entry = JSON.parse(await page.locator('[data-testid=design-experiment]').textContent() ?? '{}');
  assert.equal(entry.channel, 'social');
  assert.ok(Array.isArray(entry.geos) && entry.geos.length > 0);
  const [download] = await Promise.all([page.waitForEvent('download'), page.getByRole('button', { name: 'Download plan (CSV)' }).click()]);
  const csv = readFileSync(await download.path(), 'utf8').trim().split('\n');
  assert.equal(csv[0], 'geo,group,channel,week,planned_spend');
  assert.equal(csv.length, 1 + 8 * 4);
  await page.locator('[data-testid=design-result]').screenshot({ path: join(SHOTS, '9-experiments-design.png') });
});

test('a model refitted with a designed test\'s result shows it beside the ROI before, predicted and now', async () => {
  await page.goto(`${server.url}#/experiments`);
  await page.selectOption('select[name=design-model]', 'calibrated-1');
  await page.waitForSelector('[data-testid=model-lift-tests] tbody tr', { timeout: 60_000 });
  const cells = await page.locator('[data-testid=model-lift-tests] tbody tr').first().locator('td').allTextContents();
  assert.equal(cells[0], 'search');
  for (const c of cells.slice(-3)) assert.match(c, /^\d+\.\d+–\d+\.\d+$/, `before, predicted and now: ${cells.join(' | ')}`);
  // The range the design expected the result in; the result entered is the lift it expected: inside.
  assert.match(cells[4], /^\S+–\S+$/, `expected before: ${cells.join(' | ')}`);
  await page.locator('[data-testid=model-lift-tests]').screenshot({ path: join(SHOTS, '9-experiments-lift-tests.png') });
});
