/**
 * Plans beyond one national model, in Chromium: a geo plan (per-geo allocation, table and chart), a
 * plan over two models (lines of business), and a plan in flight: a model fitted to the first 104 weeks, a 13-week plan on it, and a
 * harmonized table that goes 6 weeks into the plan; the plan page tracks it — periods against the
 * forecast band, spend against plan, the rest re-optimized.
 */
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync } from 'node:fs';
import { spawnSync } from 'node:child_process';
import { join, resolve } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { launchChromium, strictPage } from './browser.ts';
import { startServer } from '../../src/server/listen.ts';
import { harmonize, ingestFile, withWorkspace } from '../../src/data/index.ts';
import { parseModelConfig } from '../../src/models/config.ts';
import { runFit } from '../../src/app/fit.ts';
import { optimizePlan } from '../../src/app/plan.ts';
import { parsePlan } from '../../src/planning/index.ts';
import { demoConfig, demoFiles } from '../server/helpers.ts';
import { simulate } from '../../src/models/simulate/index.ts';
import { writeSimulation } from '../../src/app/writeSimulation.ts';

const SHOTS = resolve(process.env.E2E_SHOTS ?? 'out/e2e');
const demo = demoFiles(110, 3);
const geoFiles = writeSimulation(simulate({ weeks: 104, channels: 3, geos: 4, seed: 7 }), join(demo.dir, 'geo'));
let browser: Browser;
let server: Awaited<ReturnType<typeof startServer>>;
let page: Page;
let planId: string;

before(async () => {
  assert.equal(spawnSync(process.execPath, ['web/build-if-needed.mjs'], { stdio: 'inherit' }).status, 0, 'web build failed');
  mkdirSync(SHOTS, { recursive: true });
  const week104 = String(demo.sim.rows[103][0]);
  await withWorkspace(demo.workspace, async (ws) => {
    await ingestFile(ws, demo.files.media, { kind: 'summary', name: 'media' });
    await ingestFile(ws, demo.files.sales, { kind: 'conversions', name: 'sales' });
    await ingestFile(ws, demo.files.factors, { kind: 'factors', name: 'factors' });
    await harmonize(ws, { name: 'demo', grain: 'week', to: week104, datasets: ['media', 'sales', 'factors'] });
    await harmonize(ws, { name: 'latest', grain: 'week', datasets: ['media', 'sales', 'factors'] });
    await ingestFile(ws, geoFiles.media, { kind: 'summary', name: 'geo-media' });
    await ingestFile(ws, geoFiles.sales, { kind: 'conversions', name: 'geo-sales' });
    await ingestFile(ws, geoFiles.factors, { kind: 'factors', name: 'geo-factors' });
    await harmonize(ws, { name: 'geo', grain: 'week', datasets: ['geo-media', 'geo-sales', 'geo-factors'] });
  });
  const channels = demo.sim.truth.channels.map((c) => c.name);
  await runFit(parseModelConfig({ ...demoConfig(channels), name: 'demo' }), demo.workspace, { fast: true, chains: 1, draws: 200 });
  await runFit(parseModelConfig({ ...demoConfig(channels), name: 'ridgy', family: 'ridge', classic: { bootstrap: 5 } }), demo.workspace);
  await runFit(parseModelConfig({ ...demoConfig(channels), name: 'regional', data: { harmonized: 'geo', geo: 'geo' } }), demo.workspace, { fast: true, chains: 1, draws: 200 });
  planId = (await optimizePlan(demo.workspace, parsePlan({ name: 'q', model: 'demo-1', budget: 1e6, periods: 13, draws: 50 }))).planId!;
  server = await startServer({ workspace: demo.workspace, port: 0 });
  browser = await launchChromium();
  page = await strictPage(browser);
});
after(async () => { await browser?.close(); await server?.close(); });

/** Names the plan, optimizes it and waits for it; an error shown instead fails the test with its text. */
async function optimizeAs(name: string): Promise<void> {
  await page.fill('input[name=plan-name]', name);
  await page.getByRole('button', { name: 'Optimize', exact: true }).click();
  await page.waitForSelector(`[data-testid=plan-result] h2:has-text("Plan ${name}-1"), [role=alert]`, { timeout: 60_000 });
  const alerts = await page.locator('[role=alert]').allTextContents();
  assert.equal(alerts.length, 0, alerts.join(' | '));
}

test('track a plan in flight: 6 of 13 weeks against the forecast band, spend against plan, the rest re-optimized', async () => {
  await page.goto(`${server.url}#/plans/${planId}`);
  await page.waitForSelector(`[data-testid=plan-result] h2:has-text("Plan ${planId}")`);
  await page.selectOption('select[name=track-data]', 'latest');
  await page.getByRole('button', { name: 'Track', exact: true }).click();
  await page.waitForSelector('[data-testid=track-channels] tbody tr');
  const text = await page.locator('[data-testid=plan-track]').textContent() ?? '';
  assert.match(text, /6 of 13 periods covered by harmonized 'latest'/);
  assert.match(text, /\d+ periods? outside the 90% interval/);
  assert.equal(await page.locator('[data-testid=track-channels] tbody tr').count(), 3);
  assert.match(await page.locator('[data-testid=track-remainder]').textContent() ?? '', /The rest \(7 periods from \d{4}-\d\d-\d\d\) re-optimized on the \$?[\d.,]+[KM]? left/);
  assert.ok(await page.locator('[data-testid=chart-track] svg path').count() >= 3, 'the tracking chart is drawn');
  await page.locator('[data-testid=plan-track]').screenshot({ path: join(SHOTS, '7-plan-track.png') });
});

test('a geo plan allocates per geo (table and chart); a plan over two models weighs both and forecasts each', async () => {
  await page.goto(`${server.url}#/plans`);
  await page.selectOption('select[name=plan-model]', 'regional-1');
  await page.waitForSelector('input[name=by-geo]');
  await page.check('input[name=by-geo]');
  // A bound for one geo: tv in G01 at most 1,000.
  await page.selectOption('select[name=bounds-scope]', 'geo:G01');
  await page.fill('input[aria-label="Maximum spend for tv"]', '1000');
  await page.waitForFunction(() => Number((document.querySelector('input[name=budget]') as HTMLInputElement).value) > 0);
  await optimizeAs('bygeo');
  assert.equal(await page.locator('[data-testid=geo-allocation] tbody tr').count(), 4, 'one row per geo');
  const tvG01 = await page.locator('[data-testid=allocation] tbody tr:has-text("tv@G01") td:nth-child(2)').textContent();
  assert.match(tvG01 ?? '', /^\$?(1\.00K|1K|1,000|1000|[1-9]\d{0,2}(\.\d+)?)$/, `tv@G01 within its bound: ${tvG01}`);
  assert.ok(await page.locator('[data-testid=chart-plan-geos] svg path').count() >= 12, 'a stacked bar per geo and channel');
  assert.match(await page.locator('[data-testid=guardrail]').textContent() ?? '', /11 channels kept within ±30%/);
  await page.locator('[data-testid=plan-result]').screenshot({ path: join(SHOTS, '7-plan-geo.png') });

  await page.selectOption('select[name=plan-model]', 'demo-1');
  await page.waitForFunction(() => !document.querySelector('input[name=by-geo]'));
  await page.click('button[name=add-line]');
  await page.selectOption('select[aria-label="Model of line 2"]', 'ridgy-1');
  await page.fill('input[aria-label="Weight of line 2"]', '0.5');
  await optimizeAs('lob');
  assert.match(await page.locator('[data-testid=plan-result] h2').textContent() ?? '', /model demo-1\+ridgy-1/);
  const legend = await page.locator('[data-testid=chart-forecast] svg text').allTextContents();
  assert.ok(legend.includes('demo-1 (expected)') && legend.includes('ridgy-1 (expected)'), `forecast legend: ${legend.join(' | ')}`);
});

test('a plan with two flights, each with its own budget: a row per channel and flight, a flights table', async () => {
  await page.goto(`${server.url}#/plans`);
  await page.reload();
  await page.selectOption('select[name=plan-model]', 'demo-1');
  await page.waitForFunction(() => !(document.querySelector('button[name=add-flight]') as HTMLButtonElement | null)?.disabled);
  await page.click('button[name=add-flight]');
  await page.click('button[name=add-flight]');
  await page.fill('input[aria-label="Budget of flight 1"]', '300000');
  await page.fill('input[aria-label="Budget of flight 2"]', '500000');
  // Flight 1's own bound: search locked at 50,000 there.
  await page.selectOption('select[name=bounds-scope]', 'flight:0');
  await page.check('input[aria-label="Lock search"]');
  await page.fill('input[aria-label="Locked spend for search"]', '50000');
  await optimizeAs('flighted');
  const rows = await page.locator('[data-testid=flights-table] tbody tr').allTextContents();
  assert.equal(rows.length, 2, rows.join(' | '));
  assert.match(rows[0], /^flight1\d{4}-\d\d-\d\d\d{4}-\d\d-\d\d6\$?300K/);
  assert.match(rows[1], /^flight2.*\$?500K/);
  const keys = await page.locator('[data-testid=allocation] tbody tr td:first-child').allTextContents();
  assert.equal(keys.length, 6);
  assert.ok(keys.every((k) => /#flight[12]/.test(k)), keys.join(' | '));
  assert.match(await page.locator('[data-testid=allocation] tbody tr:has-text("search#flight1") td:nth-child(2)').textContent() ?? '', /^\$?50\.0K$/);
  await page.locator('[data-testid=plan-result]').screenshot({ path: join(SHOTS, '7-plan-flights.png') });
});

test('an ROI floor: the most outcome whose plan keeps total ROI at least the floor, within the budget', async () => {
  await page.goto(`${server.url}#/plans`);
  await page.reload();
  await page.selectOption('select[name=plan-model]', 'demo-1');
  await page.waitForFunction(() => Number((document.querySelector('input[name=budget]') as HTMLInputElement).value) > 0);
  const cap = Number(await page.inputValue('input[name=budget]')) * 3;
  await page.fill('input[name=budget]', String(cap));
  await page.check('input[name=goal] >> nth=2');
  await page.fill('input[name=floor]', '1.2');
  await optimizeAs('floor');
  const headline = await page.locator('[data-testid=plan-result] p').first().textContent() ?? '';
  const roi = Number(/ROI (\d+\.\d+)/.exec(headline)![1]);
  assert.ok(roi >= 1.2 - 0.005, `ROI ${roi} below the floor: ${headline}`);
  const spend = /Spend \$?([\d.]+)([KM])/.exec(headline)!;
  assert.ok(Number(spend[1]) * (spend[2] === 'M' ? 1e6 : 1e3) <= cap * 1.005, `spends within the cap ${cap}: ${headline}`);
});
