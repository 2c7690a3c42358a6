/**
 * Accessibility in Chromium. First a keyboard-only walk from an empty workspace (Tab, Shift+Tab,
 * Enter, Space and arrow keys, typing into fields; no mouse): upload the three demo files through the
 * file picker, ingest, harmonize, train a model with the wizard's defaults and optimize a plan, every
 * focused control showing a focus ring. Then every page of the app (PAGES: add a page with one line)
 * and the HTML report pass axe-core with no serious or critical violation.
 */
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, writeFileSync } from 'node:fs';
import { spawnSync } from 'node:child_process';
import { join, resolve } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { openApp } from './browser.ts';
import { assertAccessible, describeViolations, type AxeViolation } from './axe.ts';
import { startServer } from '../../src/server/listen.ts';
import { demoFiles, touchpointsCsv } from '../server/helpers.ts';

const SHOTS = resolve(process.env.E2E_SHOTS ?? 'out/e2e');
const demo = demoFiles(104, 3);
let browser: Browser;
let server: Awaited<ReturnType<typeof startServer>>;
let page: Page;

/**
 * The pages axe checks, each once it has drawn (`ready`), in the workspace the walk leaves: a model
 * (demo-1), a plan (plan-1) and a touchpoint dataset. `then` puts the page in a further state to check.
 */
export const PAGES: { name: string; path: string; ready: string; then?: (page: Page) => Promise<void> }[] = [
  { name: 'Overview', path: '#/overview', ready: '[data-testid=kpis]' },
  { name: 'Data', path: '#/data', ready: '[data-testid=harmonize-report] [data-testid=correlation-chart] svg' },
  { name: 'Models (wizard, step 1)', path: '#/models', ready: '[data-testid=step-0]' },
  ...['2. Channels', '3. Controls', '4. Transforms', '5. Priors & lift tests', '6. Train'].map((step) => ({
    name: `Models (wizard, step ${step})`, path: '#/models', ready: '[data-testid=step-0]',
    then: async (p: Page) => { await p.getByRole('button', { name: step, exact: true }).click(); await p.waitForTimeout(300); },
  })),
  { name: 'Insights', path: '#/insights/demo-1', ready: '[data-testid=chart-curves] svg' },
  { name: 'Plans', path: '#/plans/plan-1', ready: '[data-testid=plan-result] [data-testid=chart-forecast] svg' },
  { name: 'Experiments', path: '#/experiments', ready: 'select[name=design-model]' },
  { name: 'Touchpoints', path: '#/touchpoints', ready: 'select[name=tp-data]', then: async (p) => {
    await p.getByRole('button', { name: 'Score', exact: true }).click();
    await p.waitForSelector('[data-testid=touchpoints-result]', { timeout: 30_000 });
  } },
];

before(async () => {
  mkdirSync(SHOTS, { recursive: true });
  ({ server, browser, page } = await openApp(demo.workspace));
});
after(async () => { await browser?.close(); await server?.close(); });

/** What has focus: its tag, name, label and whether a focus ring shows (on it, or on the label that wraps a hidden file input). */
async function focused(p: Page) {
  return p.evaluate(() => {
    const el = document.activeElement as HTMLElement | null;
    if (!el || el === document.body) return null;
    // (No named helper in here: the test runner's compiler would name it with a function the page lacks.)
    const ring = [el, el.closest('label.button')].some((e) => {
      if (!e) return false;
      const st = getComputedStyle(e);
      return (st.outlineStyle !== 'none' && parseFloat(st.outlineWidth) > 0) || st.boxShadow !== 'none';
    });
    return { tag: el.tagName.toLowerCase(), name: el.getAttribute('name') ?? '', type: el.getAttribute('type') ?? '', text: (el.textContent ?? '').trim().slice(0, 60), aria: el.getAttribute('aria-label') ?? '', ring };
  });
}

/**
 * Presses Tab (or Shift+Tab) until the focused element matches the CSS `selector` (and has exactly
 * `text`, when given); every stop on the way must show a focus ring.
 */
async function tabTo(p: Page, selector: string, opts: { text?: string; back?: boolean; max?: number } = {}): Promise<void> {
  for (let i = 0; i < (opts.max ?? 150); i++) {
    await p.keyboard.press(opts.back ? 'Shift+Tab' : 'Tab');
    const f = await focused(p);
    if (f) assert.ok(f.ring, `no visible focus indicator on <${f.tag}${f.name ? ` name=${f.name}` : ''}> "${f.aria || f.text}"`);
    const hit = await p.evaluate(([s, t]) => {
      const el = document.activeElement;
      return !!el && el.matches(s!) && (t === null || (el.textContent ?? '').trim() === t);
    }, [selector, opts.text ?? null] as const);
    if (hit) return;
  }
  assert.fail(`Tab never reached ${selector}${opts.text ? ` "${opts.text}"` : ''}`);
}

/** Tabs to the file picker, opens it with Space and gives it the file. */
async function pickFile(p: Page, file: string): Promise<void> {
  await tabTo(p, 'input[type=file]');
  // Space opens the picker (Enter too); headless Chromium now and then drops one, so ask again.
  for (let attempt = 0; attempt < 3; attempt++) {
    const chooser = p.waitForEvent('filechooser', { timeout: 5_000 }).catch(() => null);
    await p.keyboard.press(attempt % 2 ? 'Enter' : 'Space');
    const c = await chooser;
    if (!c) continue;
    await c.setFiles(file);
    await p.waitForSelector('[data-testid=mapping]');
    return;
  }
  assert.fail('the file picker did not open from the keyboard');
}

const lesser: { page: string; violations: AxeViolation[] }[] = [];

test('keyboard only: upload, ingest, harmonize, train a model and optimize a plan, with a visible focus ring at every stop', async () => {
  await page.goto(server.url);
  await page.waitForSelector('h1:has-text("Overview")');
  // Landmarks and a skip link: the first Tab stop skips the header.
  assert.equal(await page.locator('header').count(), 1);
  assert.equal(await page.locator('nav[aria-label]').count(), 1);
  assert.equal(await page.locator('main').count(), 1);
  await page.keyboard.press('Tab');
  assert.equal((await focused(page))?.text, 'Skip to content');
  assert.ok((await page.locator('.skip-link').boundingBox())!.y >= 0, 'the skip link shows when focused');
  await page.keyboard.press('Enter');
  assert.equal(await page.evaluate(() => document.activeElement?.tagName), 'MAIN');
  lesser.push({ page: 'Overview (first run)', violations: await assertAccessible(page, 'Overview of an empty workspace') });

  // Data: the nav link, then one wide file whose columns get their roles (proposed), a name and a
  // currency typed in, Ingest by Enter: media, outcome and factors in one upload.
  await tabTo(page, 'nav a[href="#/data"]', { back: true, max: 60 });
  await page.keyboard.press('Enter');
  await page.waitForSelector('h1:has-text("Data")');
  await pickFile(page, demo.files.data);
  lesser.push({ page: 'Data (column roles)', violations: await assertAccessible(page, 'Data page with a file being given roles') });
  await tabTo(page, 'input[name=dataset-name]');
  await page.keyboard.press('Control+A');
  await page.keyboard.type('shop');
  await tabTo(page, 'input[name=currency]');
  await page.keyboard.type('USD');
  await tabTo(page, 'button', { text: 'Ingest' });
  await page.keyboard.press('Enter');
  await page.waitForSelector("text=Ingested 'shop' (media)");
  // The datasets list reloads after the message shows: wait for its three rows (a busy machine once read it before).
  await page.waitForFunction(() => document.querySelectorAll('[data-testid=datasets] tbody tr').length >= 3, undefined, { timeout: 10_000 }).catch(() => undefined);
  assert.deepEqual((await page.locator('[data-testid=datasets] tbody tr td:nth-child(2)').allTextContents()).sort(), ['conversions', 'factors', 'summary']);
  await tabTo(page, 'button', { text: 'Harmonize and save' });
  await page.keyboard.press('Enter');
  await page.waitForSelector('[data-testid=harmonize-report] [data-testid=correlation-chart] svg');

  // Models: to the nav link, then the wizard's Next to the last step, Train.
  await tabTo(page, 'nav a[href="#/models"]', { back: true, max: 400 });
  await page.keyboard.press('Enter');
  await page.waitForSelector('[data-testid=step-0]');
  for (let step = 1; step <= 5; step++) {
    await tabTo(page, 'button', { text: 'Next' });
    await page.keyboard.press('Enter');
    await page.waitForSelector(`[data-testid=step-${step}]`);
  }
  await tabTo(page, 'button', { text: 'Train' });
  await page.keyboard.press('Enter');
  await page.waitForSelector('[data-testid=fit-progress][data-status=succeeded]', { timeout: 90_000 });

  // Plans: the default budget (the recent spend), named, optimized by Enter.
  await tabTo(page, 'nav a[href="#/plans"]', { back: true, max: 400 });
  await page.keyboard.press('Enter');
  await page.waitForFunction(() => Number((document.querySelector('input[name=budget]') as HTMLInputElement | null)?.value) > 0);
  await tabTo(page, 'button', { text: 'Optimize' });
  await page.keyboard.press('Enter');
  await page.waitForSelector('[data-testid=plan-result] h2:has-text("Plan plan-1")', { timeout: 60_000 });
  // The budget is said as money beside its field, never only as raw digits.
  assert.match(await page.textContent('[data-testid=budget-echo]') ?? '', /^\$\d{1,3}(,\d{3})+/);
  await page.screenshot({ path: join(SHOTS, 'a11y-keyboard-plan.png'), fullPage: true });
});

test('every page, and the report, has no serious or critical axe violation', async () => {
  // A touchpoint dataset, through the API, so the Touchpoints page has its form and a result to check.
  const journeys = join(demo.dir, 'journeys.csv');
  writeFileSync(journeys, await touchpointsCsv(['tv', 'search', 'social'], '2023-03-06'));
  const api = (path: string) => new URL(path, server.url).href;
  const up = await page.request.post(api('/api/uploads?kind=touchpoints'), { multipart: { file: { name: 'journeys.csv', mimeType: 'text/csv', buffer: Buffer.from((await import('node:fs')).readFileSync(journeys)) } } });
  assert.equal(up.status(), 201, await up.text());
  const ing = await page.request.post(api('/api/datasets'), { data: { upload: (await up.json()).upload, kind: 'touchpoints', name: 'journeys' } });
  assert.ok(ing.ok(), await ing.text());

  for (const p of PAGES) {
    await page.goto('about:blank'); // a fresh load, even where only the hash differs
    await page.goto(`${server.url}/${p.path}`);
    await page.waitForSelector(p.ready, { timeout: 30_000 });
    if (p.then) await p.then(page);
    lesser.push({ page: p.name, violations: await assertAccessible(page, p.name) });
  }
  // The report, as the API serves it.
  const html = await (await page.request.get(api('/api/models/demo-1/report'))).text();
  await page.setContent(html);
  await page.waitForFunction(() => Number(document.documentElement.getAttribute('data-charts')) > 0);
  lesser.push({ page: 'HTML report', violations: await assertAccessible(page, 'HTML report') });
  const minor = lesser.filter((l) => l.violations.length);
  if (minor.length) process.stderr.write(`a11y: minor or moderate findings (not failing):\n${minor.map((l) => `${l.page}:\n${describeViolations(l.violations)}`).join('\n')}\n`);
});
