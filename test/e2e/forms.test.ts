/**
 * A bad form is answered next to its field, before anything is sent, in Chromium: the wizard keeps no
 * hidden state when the table changes, says a negative prior spread and reversed lift-test dates beside
 * their inputs, and says why Train waits; the planner says a minimum above its maximum beside the
 * channel and why Optimize waits. No job is started by any of it.
 */
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdirSync } from 'node:fs';
import { resolve } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { launchChromium, strictPage } from './browser.ts';
import { startServer } from '../../src/server/listen.ts';
import { harmonize, ingestFile, withWorkspace } from '../../src/data/index.ts';
import { parseModelConfig } from '../../src/models/config.ts';
import { runFit } from '../../src/app/fit.ts';
import { demoConfig, demoFiles } from '../server/helpers.ts';

const SHOTS = resolve(process.env.E2E_SHOTS ?? 'out/e2e');
const demo = demoFiles(110, 3);
let browser: Browser;
let server: Awaited<ReturnType<typeof startServer>>;
let page: Page;
const requests: string[] = [];

before(async () => {
  assert.equal(spawnSync(process.execPath, ['web/build-if-needed.mjs'], { stdio: 'inherit' }).status, 0, 'web build failed');
  await withWorkspace(demo.workspace, async (ws) => {
    await ingestFile(ws, demo.files.media, { kind: 'summary', name: 'media' });
    await ingestFile(ws, demo.files.sales, { kind: 'conversions', name: 'sales' });
    await ingestFile(ws, demo.files.factors, { kind: 'factors', name: 'factors' });
    await harmonize(ws, { name: 'demo', grain: 'week', datasets: ['media', 'sales', 'factors'] });
    await harmonize(ws, { name: 'media-only', grain: 'week', datasets: ['media', 'sales'] });
  });
  const channels = demo.sim.truth.channels.map((c) => c.name);
  await runFit(parseModelConfig({ ...demoConfig(channels), name: 'demo' }), demo.workspace, { fast: true, chains: 1, draws: 200 });
  mkdirSync(SHOTS, { recursive: true });
  server = await startServer({ workspace: demo.workspace, port: 0 });
  browser = await launchChromium();
  page = await strictPage(browser);
  page.on('request', (r) => { if (r.method() !== 'GET') requests.push(`${r.method()} ${new URL(r.url()).pathname}`); });
});
after(async () => { await browser?.close(); await server?.close(); });

const jobsStarted = () => requests.filter((r) => /\/fit$|\/api\/plans$/.test(r));

test('the wizard: a table switch resets what it chose, and bad priors and lift tests are said beside their fields', async () => {
  await page.goto(`${server.url}#/models`);
  const wizard = page.locator('.wizard');
  await wizard.locator('select[name=table]').selectOption('demo');
  // Conversions with a revenue-per-conversion column, then another table: both are reset, and the config says so.
  await wizard.locator('select[name=target-kind]').selectOption('conversions');
  const rpcOptions = await wizard.locator('select[name=revenue-per-conversion] option').evaluateAll((os) => os.map((o) => (o as HTMLOptionElement).value));
  const column = rpcOptions.find((v) => v && v !== '#value');
  assert.ok(column, `a column to choose: ${rpcOptions.join(', ')}`);
  await wizard.locator('select[name=revenue-per-conversion]').selectOption(column!);
  await wizard.locator('select[name=table]').selectOption('media-only');
  assert.equal(await wizard.locator('select[name=target-kind]').inputValue(), 'revenue');
  await wizard.locator('button', { hasText: '6. Train' }).click();
  const config = JSON.parse(await wizard.locator('details pre').textContent() ?? '{}');
  assert.equal(config.target.kind, 'revenue');
  assert.equal(config.target.revenuePerConversion, undefined, 'no revenue-per-conversion column left over from the other table');
  assert.equal(config.data.harmonized, 'media-only');

  // A negative prior spread and a lift test ending before it starts: said beside the inputs, Train waits.
  await wizard.locator('button', { hasText: '5. Priors' }).click();
  const first = (await wizard.locator('input[aria-label^="ROI prior mean for "]').first().getAttribute('aria-label'))!.replace('ROI prior mean for ', '');
  await wizard.locator(`input[aria-label="ROI prior mean for ${first}"]`).fill('2');
  await wizard.locator(`input[aria-label="ROI prior sd for ${first}"]`).fill('-1');
  const sdNote = wizard.locator(`[data-field="priors.roi.${first}.sd"]`);
  await sdNote.waitFor();
  assert.match(await sdNote.textContent() ?? '', /above 0/);
  assert.equal(await wizard.locator(`input[aria-label="ROI prior sd for ${first}"]`).getAttribute('aria-invalid'), 'true');
  await wizard.locator('button', { hasText: 'Add a lift test' }).click();
  await wizard.locator('input[name=experiment-0-start]').fill('2023-06-05');
  await wizard.locator('input[name=experiment-0-end]').fill('2023-05-01');
  await wizard.locator('input[name=experiment-0-lift]').fill('1000');
  await wizard.locator('input[name=experiment-0-liftSe]').fill('200');
  assert.match(await wizard.locator('[data-field="experiments[0].end"]').textContent() ?? '', /before the start date/);
  await wizard.locator('button', { hasText: '6. Train' }).click();
  assert.equal(await wizard.locator('button', { hasText: /^Train$/ }).isDisabled(), true);
  const why = await wizard.locator('[data-testid=why-not-train]').textContent() ?? '';
  assert.match(why, /To train:/);
  assert.match(why, new RegExp(`ROI prior spread \\(sd\\) for ${first}: must be above 0`));
  assert.match(why, /Lift test 1, end date: is before the start date/);
  assert.doesNotMatch(why, /`|--[a-z]|\[\d+\]|experiments\.|priors\./, 'no schema paths or flags');
  await page.screenshot({ path: `${SHOTS}/wizard-checks.png`, fullPage: true });
  // An empty name is said too, and fixing everything enables Train.
  await wizard.locator('input[name=model-name]').fill('');
  assert.match(await wizard.locator('[data-field=name]').textContent() ?? '', /give the model a name/);
  assert.deepEqual(jobsStarted(), [], 'no job was started');
  await wizard.locator('input[name=model-name]').fill('fixed');
  await wizard.locator('button', { hasText: '5. Priors' }).click();
  await wizard.locator(`input[aria-label="ROI prior sd for ${first}"]`).fill('0.5');
  await wizard.locator('input[name=experiment-0-end]').fill('2023-07-03');
  await wizard.locator('button', { hasText: '6. Train' }).click();
  assert.equal(await wizard.locator('[data-testid=why-not-train]').count(), 0);
  assert.equal(await wizard.locator('button', { hasText: /^Train$/ }).isDisabled(), false);
});

test('the planner: a minimum above its maximum is said beside the channel, and Optimize waits', async () => {
  await page.goto(`${server.url}#/plans`);
  const ch = demo.sim.truth.channels[0].name;
  await page.locator(`input[aria-label="Minimum spend for ${ch}"]`).fill('5000');
  await page.locator(`input[aria-label="Maximum spend for ${ch}"]`).fill('1000');
  const note = page.locator(`[data-field="constraints.${ch}"]`);
  await note.waitFor();
  assert.match(await note.textContent() ?? '', /minimum is above the maximum/);
  assert.equal(await page.locator('button', { hasText: /^Optimize$/ }).isDisabled(), true);
  assert.match(await page.locator('[data-testid=why-not-optimize]').textContent() ?? '', new RegExp(`Bounds for ${ch}: the minimum is above the maximum`));
  await page.fill('input[name=plan-name]', '');
  assert.match(await page.locator('[data-testid=why-not-optimize]').textContent() ?? '', /Plan name: give the plan a name/);
  await page.screenshot({ path: `${SHOTS}/planner-checks.png`, fullPage: true });
  assert.deepEqual(jobsStarted(), [], 'no job was started');
});
