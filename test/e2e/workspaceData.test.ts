/**
 * The no-code data workspace in Chromium: (a) one wide file uploaded once, its columns given three
 * roles (media, outcome, factor), stored as three datasets and harmonized; (b) two datasets of three
 * chosen (and a column left out), previewed — nothing stored — then saved; (c) a bad harmonize form
 * (no name, dates the wrong way round) answered beside its fields with the buttons disabled and saying
 * why, without a single request to harmonize; (d) a refusal only the server can give (a column two
 * datasets both have for the same weeks) shown beside the overlap field. Screenshots go to out/e2e/ (E2E_SHOTS=dir to change).
 */
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, readFileSync } from 'node:fs';
import { spawnSync } from 'node:child_process';
import { join, resolve } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { openApp } from './browser.ts';
import { startServer } from '../../src/server/listen.ts';
import { demoFiles } from '../server/helpers.ts';

const SHOTS = resolve(process.env.E2E_SHOTS ?? 'out/e2e');
const demo = demoFiles(60, 3);
const [first, second] = demo.sim.truth.channels.map((c) => c.name);
let browser: Browser;
let server: Awaited<ReturnType<typeof startServer>>;
let page: Page;
/** Every request the page sends to the API, as "METHOD path". */
const sent: string[] = [];

before(async () => {
  mkdirSync(SHOTS, { recursive: true });
  ({ server, browser, page } = await openApp(demo.workspace));
  page.on('request', (r) => { const u = new URL(r.url()); if (u.pathname.startsWith('/api/')) sent.push(`${r.method()} ${u.pathname}`); });
});
after(async () => { await browser?.close(); await server?.close(); });

const api = async <T>(path: string): Promise<T> => (await page.request.get(new URL(path, server.url).toString())).json() as Promise<T>;
const field = (name: string) => page.locator(`[data-field=${name}] .field-error`);

test('(a) a wide file uploaded once: media, outcome and factor roles, three datasets, harmonized', async () => {
  await page.goto(`${server.url}#/data`);
  await page.waitForSelector('h1:has-text("Data")');
  assert.equal(await page.inputValue('select[name=kind]'), 'mixed', 'one file with several roles is the default');
  await page.setInputFiles('input[type=file]', demo.files.data);
  await page.waitForSelector('[data-testid=mapping]');
  // Proposed roles: the detector's media, outcome and factor; every column offers every role.
  assert.equal(await page.inputValue('select[aria-label="Role of column date"]'), 'date');
  assert.equal(await page.inputValue(`select[aria-label="Role of column ${first}_spend"]`), 'media');
  assert.equal(await page.inputValue('select[aria-label="Role of column revenue"]'), 'outcome');
  assert.equal(await page.inputValue('select[aria-label="Role of column price"]'), 'factor');
  assert.deepEqual(await page.locator('select[aria-label="Role of column revenue"] option').evaluateAll((os) => os.map((o) => (o as HTMLOptionElement).value)),
    ['date', 'geo', 'media', 'outcome', 'factor', 'ignore']);
  // The user leaves the first channel's impressions out; the table and the preview follow.
  await page.selectOption(`select[aria-label="Role of column ${first}_impressions"]`, 'ignore');
  await page.waitForFunction((c) => [...document.querySelectorAll('[data-testid=preview] th')].some((th) => th.textContent === `${c}_impressionsignore`), first);
  // A role the ingest would refuse is said beside its column, and Ingest says why it is off.
  await page.selectOption('select[aria-label="Role of column price"]', 'media');
  await page.waitForSelector('#role-error');
  assert.match(await page.textContent('#role-error') ?? '', /column 'price' is media, but its name does not say the channel and the measure/);
  assert.equal(await page.isDisabled('button:has-text("Ingest")'), true);
  assert.match(await page.textContent('#ingest-why') ?? '', /Change the role of column price first/);
  await page.selectOption('select[aria-label="Role of column price"]', 'factor');
  await page.waitForSelector('#role-error', { state: 'detached' });
  await page.fill('input[name=dataset-name]', 'shop');
  assert.match(await page.textContent('[data-testid=becomes]') ?? '', /shop \(media: .*\), shop-outcome \(outcome: revenue\), shop-factors \(factors: price\)/);
  await page.click('button:has-text("Ingest")');
  await page.waitForSelector("text=Ingested 'shop' (media), 'shop-outcome' (outcome), 'shop-factors' (factors)");
  await page.waitForFunction(() => document.querySelectorAll('[data-testid=datasets] tbody tr').length === 3);
  const stored = await api<{ id: string; kind: string }[]>('/api/datasets');
  assert.deepEqual(stored.map((d) => [d.id, d.kind]).sort(), [['shop', 'summary'], ['shop-factors', 'factors'], ['shop-outcome', 'conversions']]);
  assert.equal(sent.filter((s) => s === 'POST /api/uploads').length, 1, 'uploaded once');

  // Harmonize the three: every dataset is ticked; save straight away.
  await page.waitForSelector('[data-dataset=shop-factors] input[type=checkbox]:checked');
  await page.click('button:has-text("Harmonize and save")');
  await page.waitForSelector('[data-testid=harmonize-report]');
  const [table] = await api<{ id: string; datasets: string[]; columns: { name: string; role: string }[] }[]>('/api/harmonized');
  // No name typed: the form offered a free one.
  assert.equal(table.id, 'demo');
  assert.deepEqual(table.datasets, ['shop', 'shop-factors', 'shop-outcome']);
  const roles = Object.fromEntries(table.columns.map((c) => [c.name, c.role]));
  assert.deepEqual([roles.revenue, roles.price, roles[`${first}_spend`], roles[`${first}_impressions`]], ['outcome', 'factor', 'media', undefined]);
  // 'demo' is taken now: the form offers the next free name rather than opening on an error.
  await page.waitForFunction(() => (document.querySelector('input[name=harmonized-name]') as HTMLInputElement | null)?.value === 'demo-2');
  assert.equal(await page.isDisabled('button:has-text("Harmonize and save")'), false);
});

test('(b) two datasets of three chosen, one column left out, previewed (nothing stored), then saved', async () => {
  await page.fill('input[name=harmonized-name]', 'two');
  await page.uncheck('input[aria-label="Use dataset shop-factors"]');
  await page.click('[data-dataset=shop] summary');
  await page.uncheck(`input[aria-label="Column ${second}_impressions of shop"]`);
  // Priority order: the outcome first (from third place, past shop-factors and shop).
  await page.click('button[aria-label="Move shop-outcome up"]');
  await page.click('button[aria-label="Move shop-outcome up"]');
  await page.selectOption('select[name=overlap]', 'priority');
  const before = sent.length;
  await page.click('button:has-text("Preview")');
  await page.waitForSelector('[data-testid=harmonize-preview-table]');
  assert.deepEqual(sent.slice(before).filter((s) => s.startsWith('POST')), ['POST /api/harmonized/preview']);
  const headers = await page.locator('[data-testid=harmonize-preview-table] th').evaluateAll((ths) => ths.map((th) => th.firstChild?.textContent));
  assert.deepEqual(headers, ['date', 'revenue', `${second}_spend`, ...headers.slice(3)]);
  assert.ok(!headers.includes('price') && !headers.includes(`${second}_impressions`) && !headers.includes(`${first}_impressions`), headers.join(', '));
  assert.equal(await page.locator('[data-testid=harmonize-preview-table] tbody tr').count(), 10);
  assert.match(await page.textContent('[data-testid=harmonize-preview]') ?? '', /Preview of two — not saved yet60 rows, weekly from/);
  assert.deepEqual((await api<{ id: string }[]>('/api/harmonized')).map((t) => t.id), ['demo'], 'the preview stored nothing');
  await page.setViewportSize({ width: 1440, height: 900 });
  await page.evaluate(() => document.getElementById('harm-h')!.scrollIntoView());
  await page.screenshot({ path: join(SHOTS, 'data-harmonize-preview.png') });
  await page.setViewportSize({ width: 1280, height: 800 });

  await page.click('button:has-text("Harmonize and save")');
  await page.waitForFunction(() => document.querySelector('[data-testid=harmonize-report] strong')?.textContent === 'two');
  const saved = (await api<{ id: string; datasets: string[]; columns: { name: string }[] }[]>('/api/harmonized')).find((t) => t.id === 'two')!;
  assert.deepEqual(saved.datasets, ['shop-outcome', 'shop']);
  assert.ok(!saved.columns.some((c) => c.name === 'price' || c.name === `${second}_impressions`));
  // The name is now taken: without an explicit replace, Save is off and says so beside the name.
  assert.match(await field('name').textContent() ?? '', /A table called two already exists: choose another name, or tick “Replace it”/);
  assert.equal(await page.isDisabled('button:has-text("Harmonize and save")'), true);
});

test('(c) a bad form is answered beside its fields, with no request sent and the buttons saying why', async () => {
  const before = sent.length;
  await page.fill('input[name=harmonized-name]', '');
  assert.equal(await field('name').textContent(), 'Give the table a name');
  assert.equal(await page.isDisabled('button:has-text("Harmonize and save")'), true);
  assert.equal(await page.isDisabled('button:has-text("Preview")'), true);
  assert.equal(await page.textContent('[data-testid=harmonize-why]'), 'Give the table a name');
  await page.fill('input[name=harmonized-name]', 'dated');
  await page.fill('input[name=from]', '2024-06-01');
  await page.fill('input[name=to]', '2024-01-01');
  assert.equal(await field('to').textContent(), 'The end date is before the start date');
  assert.equal(await field('name').textContent(), '');
  assert.equal(await page.textContent('[data-testid=harmonize-why]'), 'The end date is before the start date');
  assert.equal(await page.isDisabled('button:has-text("Harmonize and save")'), true);
  await page.uncheck('input[aria-label="Use dataset shop"]');
  await page.uncheck('input[aria-label="Use dataset shop-outcome"]');
  assert.equal(await field('datasets').textContent(), 'Tick at least one dataset');
  await page.screenshot({ path: join(SHOTS, 'data-harmonize-bad-form.png'), fullPage: true });
  // Clicking a disabled button sends nothing either.
  await page.click('button:has-text("Harmonize and save")', { force: true });
  await page.waitForTimeout(200);
  assert.deepEqual(sent.slice(before).filter((s) => s.startsWith('POST') || s.includes('/jobs')), [], 'no harmonize request, no job');
});

test('(d) a refusal only the server can give (a column from two datasets in the same weeks) is shown beside its field', async () => {
  // The media file again, as its own dataset: its spend columns are also in `shop`.
  const up = await (await page.request.post(new URL('/api/uploads?kind=summary', server.url).toString(), { multipart: { file: { name: 'media.csv', mimeType: 'text/csv', buffer: readFileSync(demo.files.media) } } })).json();
  assert.equal((await page.request.post(new URL('/api/datasets', server.url).toString(), { data: { upload: up.upload, kind: 'summary', name: 'media' } })).status(), 201);
  await page.reload();
  await page.waitForSelector('[data-dataset=media]');
  await page.fill('input[name=harmonized-name]', 'both');
  for (const id of ['shop-outcome', 'shop-factors']) await page.uncheck(`input[aria-label="Use dataset ${id}"]`);
  // Before anything runs, the shared columns are pointed out (the server decides whether their weeks overlap).
  assert.match(await page.textContent('[data-field=overlap] .field-note') ?? '', /^\w+ comes from shop and media; .* \(and 2 more\): where their periods overlap, choose how to combine them here/);
  await page.click('button:has-text("Preview")');
  await field('overlap').filter({ hasText: /has values from both/ }).waitFor();
  assert.match(await field('overlap').textContent() ?? '', new RegExp(`^column '\\w+' has values from both 'shop' and 'media' for the same periods`));
  assert.doesNotMatch(await page.textContent('[data-testid=harmonize-why]') ?? '', /--/);
  // Choosing a rule clears it; the preview then adds the two.
  await page.selectOption('select[name=overlap]', 'sum');
  assert.equal(await field('overlap').textContent(), '');
  await page.click('button:has-text("Preview")');
  await page.waitForSelector('[data-testid=harmonize-preview-table]');
  assert.match(await page.textContent('[data-testid=harmonize-preview] .warnings') ?? '', /had values from 'shop' and 'media'; they were added up/);
});
