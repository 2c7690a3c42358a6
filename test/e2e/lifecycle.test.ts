/**
 * The no-code workspace's lifecycle in Chromium: two models (revenue and orders) fitted on version 1 of
 * 'weekly' and a plan on one; a new version of the table makes both stale — marked on the Models page
 * and the Insights header — and "Refit on the new data" (keeping what was learned as priors) refits one
 * in one action with the progress bar, after which its stale mark gives way to "superseded"; the
 * overview (the default page) shows each KPI's latest model with health and ROI intervals, data
 * freshness with versions, stale models and the plan; rename, duplicate (the wizard opens with the
 * config, and trains it) and delete (asking, with the dependent plan named) on the Models page; and the
 * first-run state of an empty workspace. Screenshots in out/e2e (docs/screenshots/ are made by scripts/screenshots.ts)
 * (1440 × 900), and the steps in out/e2e/.
 */
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { spawnSync } from 'node:child_process';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { openApp } from './browser.ts';
import { startServer } from '../../src/server/listen.ts';
import { optimizePlan } from '../../src/app/plan.ts';
import { parsePlan } from '../../src/planning/index.ts';
import { harmonizedWorkspace } from '../support/harmonizedWorkspace.ts';

const SHOTS = resolve(process.env.E2E_SHOTS ?? 'out/e2e');
let fx: Awaited<ReturnType<typeof harmonizedWorkspace>>;
let browser: Browser;
let server: Awaited<ReturnType<typeof startServer>>;
let page: Page;

before(async () => {
  mkdirSync(SHOTS, { recursive: true });
  fx = await harmonizedWorkspace({ weeks: 96, until: 88 });
  await fx.fit();
  await fx.fit({ name: 'orders', target: { column: 'orders', kind: 'conversions', revenuePerConversion: 40 } });
  await optimizePlan(fx.workspace, parsePlan({ name: 'q3', model: 'weekly-1', budget: 6e5, periods: 8, draws: 30 }));
  await fx.reharmonize();
  ({ server, browser, page } = await openApp(fx.workspace));
});
after(async () => { await browser?.close(); await server?.close(); fx?.cleanup(); });

const rowOf = (id: string) => page.locator('[data-testid=models] tbody tr', { has: page.locator(`a:text-is("${id}")`) });

/** Serious or critical accessibility violations (axe-core) on the page as it is. */
async function axeViolations(): Promise<string[]> {
  await page.addScriptTag({ path: createRequire(import.meta.url).resolve('axe-core/axe.min.js') });
  const found = await page.evaluate(async () => {
    const r = await (window as unknown as { axe: { run(c: Document, o: object): Promise<{ violations: { id: string; impact: string; nodes: { target: string[] }[] }[] }> } }).axe.run(document, { resultTypes: ['violations'] });
    return r.violations.filter((v) => v.impact === 'serious' || v.impact === 'critical').map((v) => `${v.id}: ${v.nodes.map((n) => n.target.join(' ')).slice(0, 3).join(', ')}`);
  });
  return found;
}

test('a model made stale by a new table version is refitted on the new data in one action; its stale mark gives way', async () => {
  await page.goto(`${server.url}#/models`);
  await page.waitForSelector('[data-testid=stale-weekly-1]');
  assert.match(await page.locator('[data-testid=stale-weekly-1]').textContent() ?? '', /weekly-1 is stale: fitted on version 1 of 'weekly'; version 2 \(\d{4}-\d\d-\d\d, 8 more weeks\) is newer/);
  assert.equal(await rowOf('weekly-1').locator('.badge.stale').textContent(), 'stale');
  assert.match(await rowOf('weekly-1').textContent() ?? '', /weekly v1/);
  // The Insights header says so too.
  await page.goto(`${server.url}#/insights/weekly-1`);
  await page.waitForSelector('[data-testid=stale-note]');
  assert.match(await page.locator('[data-testid=stale-note]').textContent() ?? '', /^Stale: weekly-1 was fitted on version 1 of 'weekly'; version 2 .* is newer\./);

  await page.click('nav >> text=Models');
  await page.check('input[aria-label="Keep what weekly-1 learned as priors"]');
  await page.click('button[aria-label="Refit weekly-1 on the new data"]');
  await page.waitForSelector('[data-testid=fit-progress][data-status=succeeded]', { timeout: 60_000 });
  assert.equal(await page.getAttribute('[role=progressbar]', 'aria-valuenow'), '100');
  await page.waitForSelector('[data-testid=models] tbody tr a:text-is("weekly-2")');
  await page.waitForFunction(() => !document.querySelector('[data-testid=stale-weekly-1]'));
  assert.equal(await rowOf('weekly-1').locator('.badge.superseded').textContent(), 'superseded by weekly-2');
  assert.equal(await rowOf('weekly-2').locator('.badge.ok').textContent(), 'current');
  assert.match(await rowOf('weekly-2').textContent() ?? '', /weekly v2/);
  const fresh = await (await page.request.get(`${server.url}/api/models/weekly-2`)).json();
  assert.ok(fresh.config.priors.curves.tv, 'refitted with curve priors from the old posterior');
  assert.equal(fresh.stale, null);
  // The other stale model still offers its refit.
  assert.equal(await page.locator('[data-testid=stale-orders-1]').count(), 1);
  await page.setViewportSize({ width: 1440, height: 900 });
  await page.screenshot({ path: join(SHOTS, 'models-stale.png') });
  await page.setViewportSize({ width: 1280, height: 800 });
  await page.goto(`${server.url}#/insights/weekly-1`);
  await page.waitForSelector('[data-testid=stale-note]');
  assert.match(await page.locator('[data-testid=stale-note]').textContent() ?? '', /^Superseded: .*Its refresh on the current data is weekly-2\./);
});

test('the overview, first in the nav and the default page: each KPI\'s latest model, health, ROI with intervals, freshness, stale models and plans', async () => {
  await page.setViewportSize({ width: 1440, height: 900 });
  await page.goto(server.url);
  await page.waitForSelector('[data-testid=kpi-revenue] [data-testid=kpi-roi] tbody tr');
  assert.equal(await page.locator('nav a').first().textContent(), 'Overview');
  assert.equal(await page.getAttribute('nav a:first-child', 'aria-current'), 'page');
  const revenue = page.locator('[data-testid=kpi-revenue]');
  assert.match(await revenue.locator('.kpi-model').textContent() ?? '', /^Latest model weekly-2 · bayesian, approximate · fitted \d{4}-\d\d-\d\d on weekly v2$/);
  assert.match(await revenue.locator('[data-testid=health-line]').textContent() ?? '', /^(Healthy|Use with care|Do not act on it yet)/);
  const roiRows = await revenue.locator('[data-testid=kpi-roi] tbody tr').allTextContents();
  assert.equal(roiRows.length, 3);
  assert.ok(roiRows.every((r) => /^(tv|search|social)\$[\d.]+[KM][\d.]+\[[\d.]+, [\d.]+\]$/.test(r)), roiRows.join(' | '));
  assert.match(await page.locator('[data-testid=kpi-orders] [data-testid=kpi-stale]').textContent() ?? '', /Stale: fitted on version 1 of 'weekly'/);
  const fresh = await page.locator('[data-testid=freshness] tbody tr').allTextContents();
  assert.ok(fresh.some((r) => r.startsWith(`table weeklyweekly, harmonized${fx.week(95)}v2 of 2`)), fresh.join(' | '));
  assert.ok(fresh.some((r) => r.startsWith(`dataset mediasummary${fx.week(95)}`)), fresh.join(' | '));
  assert.match(await page.locator('[data-testid=overview-stale]').textContent() ?? '', /orders-1: fitted on version 1/);
  assert.doesNotMatch(await page.locator('[data-testid=overview-stale]').textContent() ?? '', /weekly-1/, 'a refreshed model is no longer waiting');
  assert.match(await page.locator('[data-testid=overview-plans] tbody tr').textContent() ?? '', /^q3-1weekly-1\$?[\d.,]+[KM]?on a stale model$/);
  assert.ok(await page.locator('[data-testid=overview-warnings] li').count() > 0);
  await page.screenshot({ path: join(SHOTS, 'overview.png') });
  assert.deepEqual(await axeViolations(), [], 'no serious accessibility violation on the overview');
  await page.setViewportSize({ width: 1280, height: 800 });
});

test('rename, duplicate (the wizard opens with the config and trains it) and delete (asking, naming the dependent plan) on the Models page', async () => {
  await page.goto(`${server.url}#/models`);
  await page.waitForSelector('button[aria-label="Rename model weekly-2"]');
  page.once('dialog', (d) => void d.accept('Brand model'));
  await page.click('button[aria-label="Rename model weekly-2"]');
  await page.waitForFunction(() => [...document.querySelectorAll('[data-testid=models] tbody tr')].some((r) => r.textContent?.includes('weekly-2') && r.textContent.includes('Brand model')));

  await page.click('button[aria-label="Duplicate model orders-1"]');
  await page.waitForSelector('[data-testid=prefill-note]');
  assert.match(await page.textContent('[data-testid=prefill-note]') ?? '', /named orders-copy/);
  assert.equal(await page.inputValue('select[name=target]'), 'orders');
  assert.equal(await page.inputValue('select[name=target-kind]'), 'conversions');
  await page.getByRole('button', { name: '6. Train' }).click();
  assert.equal(await page.inputValue('input[name=model-name]'), 'orders-copy');
  await page.click('summary:has-text("Config (JSON)")');
  const shown = JSON.parse((await page.locator('details pre').textContent()) ?? '{}');
  assert.deepEqual(shown.target, { column: 'orders', kind: 'conversions', revenuePerConversion: 40 });
  assert.deepEqual(shown.channels.map((c: { name: string }) => c.name).sort(), [...fx.channels].sort());
  assert.deepEqual(shown.controls, [{ column: 'price', sign: 'negative' }]);
  await page.getByRole('button', { name: 'Train', exact: true }).click();
  await page.waitForSelector('.wizard [data-testid=fit-progress][data-status=succeeded]', { timeout: 60_000 });
  await page.waitForSelector('[data-testid=models] tbody tr a:text-is("orders-copy-1")');

  let asked = '';
  page.once('dialog', (d) => { asked = d.message(); void d.accept(); });
  await page.click('button[aria-label="Delete model weekly-1"]');
  await page.waitForFunction(() => ![...document.querySelectorAll('[data-testid=models] tbody tr a')].some((a) => a.textContent === 'weekly-1'));
  assert.match(asked, /^Delete model weekly-1\? 1 saved plan depends on it: q3-1\./);
  assert.equal((await page.request.get(`${server.url}/api/models/weekly-1`)).status(), 404);
  await page.screenshot({ path: join(SHOTS, '11-models-lifecycle.png'), fullPage: true });
  await page.click('nav >> text=Overview');
  await page.waitForSelector('[data-testid=overview-plans] tbody tr[data-status="model deleted"]');
});

test('an empty workspace opens on the overview\'s first-run state, which leads to the Data page', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'marginal-first-run-'));
  const empty = await startServer({ workspace: join(dir, 'ws.duckdb'), port: 0 });
  try {
    await page.goto(empty.url);
    await page.waitForSelector('[data-testid=first-run]');
    assert.match(await page.textContent('[data-testid=first-run]') ?? '', /Upload your spend per channel and your sales/);
    await page.click('text=Start on the Data page');
    await page.waitForSelector('h1:has-text("Data")');
  } finally {
    await empty.close();
    rmSync(dir, { recursive: true, force: true });
  }
});
