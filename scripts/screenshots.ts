/**
 * The pictures in docs/screenshots/: every page of the web app at 1440 × 900 in Debian's Chromium, on
 * the workspace `npm start` makes (the demo: simulated data, ingested, harmonized, a Bayesian fit) plus a
 * saved plan, so what the README describes is what the pictures show.
 *
 *   node --import tsx scripts/screenshots.ts [OUT_DIR]      (default docs/screenshots)
 *
 * Not a test: it asserts nothing. It runs the demo fast (Laplace) so it takes about a minute.
 */
import { mkdirSync, rmSync } from 'node:fs';
import { spawnSync } from 'node:child_process';
import { join, resolve } from 'node:path';
import { chromium } from 'playwright-core';
import { startServer } from '../src/server/listen.ts';
import { optimizePlan } from '../src/app/plan.ts';
import { parsePlan } from '../src/planning/index.ts';

const out = resolve(process.argv[2] ?? 'docs/screenshots');
const work = resolve('out/screenshots');
rmSync(work, { recursive: true, force: true });
mkdirSync(out, { recursive: true });

const run = (args: string[]) => {
  const r = spawnSync(process.execPath, args, { stdio: 'inherit' });
  if (r.status !== 0) process.exit(r.status ?? 1);
};
run(['web/build-if-needed.mjs']);
run(['bin/marginal', 'demo', '--fast', '--out', work]);
const workspace = join(work, 'marginal.duckdb');
const plan = await optimizePlan(workspace, parsePlan({ name: 'next-quarter', model: 'demo-1', budget: 2_000_000, periods: 13, draws: 100 }));

const server = await startServer({ workspace, port: 0 });
const browser = await chromium.launch({
  executablePath: '/usr/bin/chromium',
  args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'],
});
try {
  const page = await browser.newPage({ viewport: { width: 1440, height: 900 } });
  const shot = async (name: string, hash: string, ready: string, then?: () => Promise<void>) => {
    await page.goto(`${server.url}${hash}`);
    await page.waitForSelector(ready, { timeout: 60_000 });
    await page.waitForTimeout(800); // charts animate in
    if (then) await then();
    await page.screenshot({ path: join(out, `${name}.png`) });
    process.stderr.write(`${name}.png\n`);
  };
  await shot('overview', '#/overview', '[data-testid=kpis]');
  await shot('data', '#/data', 'main h1', async () => {
    const preview = page.locator('button', { hasText: /^Preview$/ });
    if (await preview.count()) {
      await page.locator('input[name=harmonized-name]').fill('weekly');
      await preview.click();
      await page.waitForTimeout(1500);
      await page.locator('text=Preview of').first().scrollIntoViewIfNeeded().catch(() => undefined);
    }
  });
  await shot('models', '#/models', 'main h1');
  await shot('insights', '#/insights/demo-1', '[data-testid^=chart]');
  await shot('insights-curves', '#/insights/demo-1', '[data-testid^=chart]', async () => {
    await page.locator('h2', { hasText: /response curves/i }).first().scrollIntoViewIfNeeded();
  });
  await shot('plans', `#/plans/${encodeURIComponent(plan.planId ?? '')}`, '[data-testid=plan-result]', async () => {
    await page.locator('[data-testid=plan-result]').scrollIntoViewIfNeeded();
    await page.evaluate(() => document.querySelector('[data-testid=plan-result]')?.scrollIntoView());
    await page.waitForTimeout(800);
  });
  await shot('touchpoints', '#/touchpoints', 'main h1');
  await shot('experiments', '#/experiments', 'select[name=design-model]', async () => {
    await page.locator('button', { hasText: 'Design tests' }).click();
    await page.waitForSelector('[data-testid=design-result]', { timeout: 300_000 });
    await page.locator('[data-testid=design-result]').scrollIntoViewIfNeeded();
  });
  await page.goto(`${server.url}/api/models/demo-1/report`);
  await page.waitForTimeout(1500);
  await page.screenshot({ path: join(out, 'report.png') });
  process.stderr.write('report.png\n');
} finally {
  await browser.close();
  await server.close();
}
