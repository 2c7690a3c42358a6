/**
 * No chart text on top of other chart text at 1280 and 1920 px: legends, axis labels and names,
 * panel titles and data labels of every chart on the Insights, Data (the correlation heat-map) and
 * Plans pages, measured in the page (SVG renderer: each is a <text> with a box), and none cut off at
 * its chart's edge. A five-channel model in USD, so the response curves are small multiples over two
 * rows and every amount carries the model's currency.
 */
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { spawnSync } from 'node:child_process';
import { join, resolve } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { launchChromium, strictPage } from './browser.ts';
import { layoutProblems, overlaps, cutOff } from './layout.ts';
import { startServer } from '../../src/server/listen.ts';

const SHOTS = resolve(process.env.E2E_SHOTS ?? 'out/e2e');
const dir = mkdtempSync(join(tmpdir(), 'marginal-layout-'));
const ws = join(dir, 'ws.duckdb');
let browser: Browser;
let server: Awaited<ReturnType<typeof startServer>>;
let page: Page;

function cli(...args: string[]) {
  const r = spawnSync(process.execPath, ['bin/marginal', '--workspace', ws, ...args], { encoding: 'utf8' });
  assert.equal(r.status, 0, `marginal ${args.join(' ')}: ${r.stderr}`);
}

before(async () => {
  const build = spawnSync(process.execPath, ['web/build-if-needed.mjs'], { stdio: 'inherit' });
  assert.equal(build.status, 0, 'web build failed');
  mkdirSync(SHOTS, { recursive: true });
  cli('simulate', '--out', dir, '--weeks', '104', '--channels', '5', '--seed', '3');
  cli('ingest', join(dir, 'media.csv'), '--kind', 'summary', '--currency', 'USD');
  cli('ingest', join(dir, 'sales.csv'), '--kind', 'conversions');
  cli('ingest', join(dir, 'factors.csv'), '--kind', 'factors');
  cli('harmonize', '--grain', 'week', '--name', 'demo');
  const channels = ['tv', 'search', 'social', 'display', 'radio'].map((c) => ({ name: c, spend: `${c}_spend` }));
  writeFileSync(join(dir, 'model.json'), JSON.stringify({ name: 'demo', data: { harmonized: 'demo' }, target: { column: 'revenue' }, channels, controls: [{ column: 'price', sign: 'negative' }], holdout: { periods: 8 } }));
  cli('fit', join(dir, 'model.json'), '--fast');
  writeFileSync(join(dir, 'plan.json'), JSON.stringify({ name: 'plan', model: 'demo-1', periods: 13, budget: 2_000_000 }));
  cli('optimize', join(dir, 'plan.json'));
  server = await startServer({ workspace: ws, port: 0 });
  browser = await launchChromium();
  page = await strictPage(browser);
});
after(async () => { await browser?.close(); await server?.close(); });

test('the check finds what it is for: boxes that overlap, and text cut off at the edge', () => {
  const legend = { text: 'Base (no media)', x: 100, y: 4, w: 90, h: 14 };
  const axisName = { text: 'USD', x: 60, y: 12, w: 50, h: 14 };
  assert.equal(overlaps('c', [legend, axisName]).length, 1);
  assert.equal(overlaps('c', [legend, { ...axisName, y: 20 }]).length, 0, 'touching is not overlapping');
  assert.equal(cutOff({ text: '', x: 0, y: 0, w: 200, h: 100 }, [{ text: 'weight', x: 10, y: -12, w: 40, h: 14 }]).length, 1);
});

const pages = [
  { name: 'insights', path: '#/insights/demo-1', ready: '[data-testid=chart-curves] svg', charts: ['chart-waterfall', 'chart-contributions', 'chart-donut', 'chart-roi', 'chart-shares', 'chart-curves', 'chart-adstock', 'chart-fit'] },
  { name: 'data', path: '#/data', ready: '[data-testid=correlation-chart] svg', charts: ['coverage-chart', 'correlation-chart'] },
  { name: 'plans', path: '#/plans/plan-1', ready: '[data-testid=chart-forecast] svg', charts: ['chart-plan', 'chart-forecast'] },
];

for (const width of [1280, 1920]) {
  test(`at ${width} px, no chart's legend, labels or titles overlap, and none is cut off`, async () => {
    await page.setViewportSize({ width, height: 900 });
    for (const p of pages) {
      await page.goto('about:blank');
      await page.goto(`${server.url}/${p.path}`);
      await page.waitForSelector(p.ready, { timeout: 30_000 });
      for (const id of p.charts) await page.waitForSelector(`[data-testid=${id}] svg text`, { state: 'attached', timeout: 30_000 });
      await page.waitForTimeout(300); // the ResizeObserver's last resize
      const problems = await layoutProblems(page);
      assert.deepEqual(problems, [], `${p.name} at ${width} px:\n${problems.join('\n')}`);
    }
  });
}

test('the small multiples: one panel per channel with its own axes, the markers named in words, money in the model\'s currency', async () => {
  await page.setViewportSize({ width: 1440, height: 900 });
  await page.goto('about:blank');
  await page.goto(`${server.url}/#/insights/demo-1`);
  await page.waitForSelector('[data-testid=chart-curves] svg text');
  const texts = await page.locator('[data-testid=chart-curves] svg text').allTextContents();
  for (const c of ['tv', 'search', 'social', 'display', 'radio']) assert.ok(texts.includes(c), `a panel titled ${c}: ${texts.join(' | ')}`);
  assert.ok(texts.includes('current spend') && texts.includes('break-even (marginal ROI = 1)'), 'the legend names both markers');
  assert.ok(texts.some((t) => /^\$\d/.test(t)), 'axes in dollars');
  assert.equal(await page.locator('[data-testid=chart-curves] svg path[fill-opacity="0.14"]').count(), 5, 'one band per panel');
  assert.match(await page.textContent('[data-testid=response-curves] p') ?? '', /marginal ROI = 1/);
  await page.locator('[data-testid=response-curves]').screenshot({ path: join(SHOTS, 'layout-response-curves.png') });
});
