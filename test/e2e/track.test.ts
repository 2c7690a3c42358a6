/**
 * A plan in flight in Chromium: a model fitted to the first 104 weeks, a 13-week plan on it, and a
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

const SHOTS = resolve(process.env.E2E_SHOTS ?? 'out/e2e');
const demo = demoFiles(110, 3);
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
    await harmonize(ws, { name: 'demo', grain: 'week', to: week104 });
    await harmonize(ws, { name: 'latest', grain: 'week' });
  });
  const channels = demo.sim.truth.channels.map((c) => c.name);
  await runFit(parseModelConfig({ ...demoConfig(channels), name: 'demo' }), demo.workspace, { fast: true, chains: 1, draws: 200 });
  planId = (await optimizePlan(demo.workspace, parsePlan({ name: 'q', model: 'demo-1', budget: 1e6, periods: 13, draws: 50 }))).planId!;
  server = await startServer({ workspace: demo.workspace, port: 0 });
  browser = await launchChromium();
  page = await strictPage(browser);
});
after(async () => { await browser?.close(); await server?.close(); });

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
