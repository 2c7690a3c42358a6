/**
 * The web app in Chromium, a new user's path: upload the demo CSVs (file picker and drag-and-drop),
 * change a column's role and see the preview follow, ingest, see a bad file's row/column message,
 * harmonize and see the report charts, train a model with the wizard's defaults and watch the
 * progress bar finish, open insights and check the charts and numbers; plans and touchpoints when
 * their APIs are served. Screenshots of each page go to out/e2e/ (set E2E_SHOTS=dir to change).
 */
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, readFileSync } from 'node:fs';
import { spawnSync } from 'node:child_process';
import { join, resolve } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { openApp } from './browser.ts';
import { startServer } from '../../src/server/listen.ts';
import { demoFiles, touchpointsCsv } from '../server/helpers.ts';

const SHOTS = resolve(process.env.E2E_SHOTS ?? 'out/e2e');
const demo = demoFiles(104, 3);
let browser: Browser;
let server: Awaited<ReturnType<typeof startServer>>;
let page: Page;

before(async () => {
  mkdirSync(SHOTS, { recursive: true });
  ({ server, browser, page } = await openApp(demo.workspace));
});
after(async () => { await browser?.close(); await server?.close(); });

const started = Date.now();
const shot = (name: string, fullPage = true) => {
  process.stderr.write(`e2e ${((Date.now() - started) / 1000).toFixed(1)} s: ${name}\n`);
  return page.screenshot({ path: join(SHOTS, `${name}.png`), fullPage });
};

async function uploadFile(file: string, kind: string, how: 'picker' | 'drop') {
  await page.selectOption('select[name=kind]', kind);
  if (how === 'picker') await page.setInputFiles('input[type=file]', file);
  else {
    const content = readFileSync(file, 'utf8');
    const name = file.split('/').pop()!;
    await page.evaluate(([content, name]) => {
      const dt = new DataTransfer();
      dt.items.add(new File([content], name, { type: 'text/csv' }));
      document.querySelector('[data-testid=dropzone]')!.dispatchEvent(new DragEvent('drop', { dataTransfer: dt, bubbles: true, cancelable: true }));
    }, [content, name]);
  }
  await page.waitForSelector('[data-testid=mapping]');
}

test('a new user uploads, maps, ingests, harmonizes, trains and reads the insights', async () => {
  // An empty workspace opens on the overview's first-run state, which leads to the Data page.
  await page.goto(server.url);
  await page.click('[data-testid=first-run] >> text=Start on the Data page');
  await page.waitForSelector('h1:has-text("Data")');
  assert.match(await page.textContent('.empty') ?? '', /No datasets yet/);

  // Media by drag and drop: detected roles, a role changed by the user, the preview follows.
  await uploadFile(demo.files.media, 'summary', 'drop');
  assert.equal(await page.inputValue('select[aria-label="Role of column date"]'), 'date');
  assert.equal(await page.inputValue('select[aria-label="Role of column tv_spend"]'), 'tv_spend');
  await page.selectOption('select[aria-label="Role of column tv_impressions"]', 'ignore');
  await page.waitForFunction(() => document.querySelector('[data-testid=preview] th:nth-child(3) .role')?.textContent === 'ignore');
  await page.fill('input[name=currency]', 'USD');
  await shot('1-data-mapping');
  await page.click('button:has-text("Ingest")');
  await page.waitForSelector('text=Ingested \'media\'');

  for (const [file, kind] of [[demo.files.sales, 'conversions'], [demo.files.factors, 'factors']] as const) {
    await uploadFile(file, kind, 'picker');
    await page.click('button:has-text("Ingest")');
    await page.waitForSelector(`text=Ingested '${kind === 'conversions' ? 'sales' : 'factors'}'`);
  }
  await page.waitForFunction(() => document.querySelectorAll('[data-testid=datasets] tbody tr').length === 3);

  // A bad file: the message names the row and the column.
  const badFile = join(demo.dir, 'bad-media.csv');
  (await import('node:fs')).writeFileSync(badFile, 'date,tv_spend,search_spend\n2024-01-01,100,50\n2024-01-08,eleven,60\n');
  await uploadFile(badFile, 'summary', 'picker');
  await page.click('button:has-text("Ingest")');
  const alert = page.locator('[role=alert]');
  await alert.waitFor();
  const text = await alert.textContent();
  assert.match(text ?? '', /row 3/);
  assert.match(text ?? '', /tv_spend/);
  assert.match(text ?? '', /eleven/);
  await shot('2-data-bad-file');
  await page.click('button:has-text("Discard")');

  // Harmonize weekly: report with the coverage chart and the correlation heat-map.
  await page.selectOption('select[name=grain]', 'week');
  await page.click('button:has-text("Harmonize")');
  await page.waitForSelector('[data-testid=harmonize-report]');
  await page.waitForSelector('[data-testid=coverage-chart] svg');
  const bars = await page.locator('[data-testid=coverage-chart] svg path').count();
  assert.ok(bars >= 8, `coverage chart has ${bars} paths`);
  const cells = await page.locator('[data-testid=correlation-chart] svg text').allTextContents();
  assert.ok(cells.includes('1'), `heat-map labels: ${cells.slice(0, 12)}`);
  await shot('3-data-harmonized');

  // Models: Next, Next, …, Train with defaults; the progress bar finishes.
  await page.click('nav >> text=Models');
  await page.waitForSelector('[data-testid=step-0]');
  // A conversions target with a fixed revenue per conversion shows in the config; then back to revenue.
  await page.selectOption('select[name=target-kind]', 'conversions');
  await page.selectOption('select[name=revenue-per-conversion]', '#value');
  await page.fill('input[name=revenue-per-conversion-value]', '40');
  await page.getByRole('button', { name: '6. Train' }).click();
  await page.click('summary:has-text("Config (JSON)")');
  assert.deepEqual(JSON.parse((await page.locator('details pre').textContent()) ?? '{}').target, { column: 'revenue', kind: 'conversions', revenuePerConversion: 40 });
  await page.getByRole('button', { name: '1. Data' }).click();
  await page.selectOption('select[name=target-kind]', 'revenue');
  assert.equal(await page.locator('select[name=revenue-per-conversion]').count(), 0);
  await page.getByRole('button', { name: 'Next', exact: true }).click();
  // Channels: search carries over for longer, a lagged peak (Weibull PDF); the rest keep the model's.
  await page.selectOption('select[aria-label="Adstock for search"]', 'weibull-pdf');
  await page.getByRole('button', { name: 'Next', exact: true }).click();
  // Controls: the country's public holidays from the built-in calendar (the list comes from the API).
  await page.waitForSelector('select[name=holiday-country] option[value=US]', { state: 'attached' });
  await page.selectOption('select[name=holiday-country]', 'US');
  await shot('4-models-baseline');
  for (let i = 0; i < 2; i++) await page.getByRole('button', { name: 'Next', exact: true }).click();
  // Priors: "tv drives about 10% of revenue, high confidence" (Adobe's prior knowledge).
  await page.fill('input[aria-label="Share of the outcome for tv"]', '10');
  await page.selectOption('select[aria-label="Confidence in the share for tv"]', '0.9');
  // …and "the next dollar on social returns about 1.1" (a prior on its marginal ROI).
  await page.selectOption('select[aria-label="Prior on for social"]', 'mroi');
  await page.fill('input[aria-label="ROI prior mean for social"]', '1.1');
  await page.fill('input[aria-label="ROI prior sd for social"]', '0.3');
  // …and "tv's effect carries over, about 0.6 of it a week later" (a prior on its adstock decay); search's
  // Weibull adstock has no decay, so the form offers none for it.
  await page.fill('input[aria-label="Carry-over decay (0–1) prior mean for tv"]', '0.6');
  await page.fill('input[aria-label="Carry-over decay (0–1) prior sd for tv"]', '0.1');
  assert.equal(await page.locator('input[aria-label="Carry-over decay (0–1) prior mean for search"]').count(), 0);
  assert.equal(await page.locator('input[aria-label="Hill shape prior mean for search"]').count(), 1);
  // …and a lift test on tv over weeks 20–29 at its true incremental revenue ± 10%.
  const week = (t: number) => String(demo.sim.rows[t][0]);
  let tvLift = 0;
  for (let t = 20; t <= 29; t++) tvLift += demo.sim.contributionSeries[0][t];
  await page.click('button:has-text("Add a lift test")');
  const liftTest = page.locator('fieldset', { has: page.locator('legend', { hasText: 'Lift test 1' }) });
  await liftTest.locator('select').selectOption('tv');
  await liftTest.locator('input[type=date]').nth(0).fill(week(20));
  await liftTest.locator('input[type=date]').nth(1).fill(week(29));
  await liftTest.locator('input[type=number]').nth(0).fill(tvLift.toFixed(0));
  await liftTest.locator('input[type=number]').nth(1).fill((0.1 * tvLift).toFixed(0));
  // The prior predictive check follows the form: what these ROI priors alone say media explain.
  await page.waitForFunction(() => /put media at \d/.test(document.querySelector('[data-testid=prior-check]')?.textContent ?? ''));
  const priorNote = await page.textContent('[data-testid=prior-check]') ?? '';
  const median = Number(/put media at ([\d.]+)%/.exec(priorNote)![1]);
  assert.ok(median > 0 && median < 100, `prior check: ${priorNote}`);
  await page.getByRole('button', { name: 'Next', exact: true }).click();
  await page.click('summary:has-text("Config (JSON)")');
  const shown = JSON.parse((await page.locator('details pre').textContent()) ?? '{}');
  assert.deepEqual(shown.priors.contributionShare, { tv: { share: 0.1, confidence: 0.9 } });
  assert.deepEqual(shown.priors.mroi, { social: { mean: 1.1, sd: 0.3 } });
  assert.deepEqual(shown.priors.roi, {});
  assert.deepEqual(shown.priors.curves, { tv: { decay: { mean: 0.6, sd: 0.1 } } });
  assert.deepEqual(shown.experiments, [{ channel: 'tv', start: week(20), end: week(29), lift: Number(tvLift.toFixed(0)), liftSe: Number((0.1 * tvLift).toFixed(0)) }]);
  assert.deepEqual(shown.holidays, { country: 'US' });
  assert.deepEqual(Object.fromEntries(shown.channels.map((c: { name: string; adstock?: unknown }) => [c.name, c.adstock ?? null])), { search: { type: 'weibull-pdf', maxLag: 8 }, social: null, tv: null });
  assert.deepEqual(shown.seasonality, { yearly: 2 });
  await page.getByRole('button', { name: 'Train', exact: true }).click();
  await page.waitForSelector('[data-testid=fit-progress], [role=alert]');
  if (await page.locator('[role=alert]').count()) assert.fail(`training refused: ${await page.locator('[role=alert]').textContent()}`);
  await page.waitForSelector('[data-testid=fit-progress][data-status=succeeded]', { timeout: 60_000 });
  assert.equal(await page.getAttribute('[role=progressbar]', 'aria-valuenow'), '100');
  await page.waitForSelector('[data-testid=models] tbody tr');
  const stored = await (await page.request.get(new URL('/api/models/demo-1', page.url()).href)).json();
  assert.deepEqual(stored.config.holidays, { country: 'US', columns: [] });
  assert.deepEqual(stored.config.priors.contributionShare, { tv: { share: 0.1, confidence: 0.9 } });
  // The HTML report carries the lift test too.
  const reportHtml = await (await page.request.get(new URL('/api/models/demo-1/report', page.url()).href)).text();
  assert.match(reportHtml, /id="lift-test-table"[\s\S]*<td class="name">tv<\/td>/);
  await shot('4-models');
  // A refresh: the wizard fills its curve priors from demo-1's posterior (the server computes them).
  await page.getByRole('button', { name: '5. Priors & lift tests' }).click();
  await page.selectOption('select[name=refresh-from]', 'demo-1');
  await page.click('button:has-text("Fill curve priors")');
  await page.waitForSelector('[data-testid=refresh-note]');
  const tvDecay = stored.output.channels.find((c: { name: string }) => c.name === 'tv').curve.decay;
  assert.equal(Number(await page.inputValue('input[aria-label="Carry-over decay (0–1) prior mean for tv"]')), Number(tvDecay.mean.toPrecision(3)));
  assert.equal(Number(await page.inputValue('input[aria-label="Carry-over decay (0–1) prior sd for tv"]')), Number(Math.min(2 * tvDecay.sd, tvDecay.prior.sd).toPrecision(3)));
  assert.match(await page.textContent('[data-testid=refresh-note]') ?? '', /^Curve priors from demo-1: posterior means, sd × 2/);
  // search (Weibull adstock in demo-1 and here) gets its saturation's priors, and still no decay.
  const searchShape = stored.output.channels.find((c: { name: string }) => c.name === 'search').curve.shape;
  assert.equal(Number(await page.inputValue('input[aria-label="Hill shape prior mean for search"]')), Number(searchShape.mean.toPrecision(3)));

  // Insights: charts drawn with data, numbers in the currency.
  await page.click('text=open insights for demo-1');
  await page.waitForSelector('[data-testid=insights]', { timeout: 30_000 });
  for (const id of ['chart-contributions', 'chart-donut', 'chart-roi', 'chart-shares', 'chart-curves', 'chart-adstock', 'chart-fit']) {
    await page.waitForSelector(`[data-testid=${id}] svg path`, { state: 'attached' });
    const n = await page.locator(`[data-testid=${id}] svg path`).count();
    assert.ok(n >= 3, `${id}: ${n} paths`);
  }
  // Response curves carry their 90% bands: one filled polygon per channel.
  const bands = await page.locator('[data-testid=chart-curves] svg path[fill-opacity="0.14"]').count();
  assert.equal(bands, 3, `response-curve bands: ${bands}`);
  await page.locator('[data-testid=chart-curves]').screenshot({ path: join(SHOTS, '5-insights-curves.png') });
  // The ROI chart sets each channel's prior beside its posterior.
  assert.ok((await page.locator('[data-testid=chart-roi] svg text').allTextContents()).includes('prior 90%'), 'prior in the ROI chart legend');
  await page.locator('[data-testid=chart-roi]').screenshot({ path: join(SHOTS, '5-insights-roi.png') });
  // The model against the lift test: one row, within two standard errors (the test was the truth).
  const gap = Number(await page.locator('[data-testid=lift-tests] tbody tr td:last-child').textContent());
  assert.equal(await page.locator('[data-testid=lift-tests] tbody tr').count(), 1);
  assert.ok(Math.abs(gap) < 2, `lift test gap ${gap} standard errors`);
  await page.locator('[data-testid=lift-tests]').screenshot({ path: join(SHOTS, '5-insights-lift-tests.png') });
  // Curve parameters beside their priors: tv's decay prior is the one given; search (Weibull) has no decay.
  const curveRows = await page.locator('[data-testid=curve-parameters] tbody tr').allTextContents();
  assert.equal(curveRows.length, 8, curveRows.join(' | '));
  assert.ok(curveRows.some((r) => /^tvcarry-over decay.*0\.60 ± 0\.10 yours/.test(r)), curveRows.join(' | '));
  assert.ok(!curveRows.some((r) => /^searchcarry-over decay/.test(r)) && curveRows.some((r) => /^socialcarry-over decay.*0\.40 ± 0\.20 default/.test(r)), curveRows.join(' | '));
  // The wizard's default 8-period holdout is shaded and labelled in the fit chart.
  const fitLabels = await page.locator('[data-testid=chart-fit] svg text').allTextContents();
  assert.ok(fitLabels.includes('holdout'), 'holdout band in the fit chart');
  assert.ok(fitLabels.includes('90% predictive interval'), `fit chart legend: ${fitLabels.filter((t) => !/^\$|^20/.test(t))}`);
  assert.ok((await page.locator('[data-testid=health] li').allTextContents()).some((t) => /^predictive check: .*% of the fitted observations and \d+ of 8 held-out/.test(t)), 'predictive check in the health list');
  await page.locator('[data-testid=chart-fit]').screenshot({ path: join(SHOTS, '5-insights-fit.png') });
  // A fast fit has no sampler convergence to check, and says so instead of showing R-hat.
  await page.waitForSelector('[data-testid=diagnostics-approximate]');
  assert.equal(await page.locator('[data-testid=diagnostics]').count(), 0);
  const rows = page.locator('[data-testid=channel-table] tbody tr');
  assert.equal(await rows.count(), 3);
  const spend = await rows.first().locator('td').nth(1).textContent();
  assert.match(spend ?? '', /^\$[\d.,]+[KM]?$/, `spend cell '${spend}'`);
  const roi = Number((await rows.first().locator('td').nth(3).textContent())?.split(' ')[0]);
  assert.ok(Number.isFinite(roi) && roi > 0, `ROI ${roi}`);
  const donutLabels = await page.locator('[data-testid=chart-donut] svg text').allTextContents();
  assert.ok(donutLabels.some((t) => /%/.test(t)), `donut labels ${donutLabels}`);
  assert.ok((await page.locator('[data-testid=health] li').count()) > 0);
  await shot('5-insights');
  await page.setViewportSize({ width: 420, height: 800 });
  await shot('6-insights-narrow', false);
  await page.setViewportSize({ width: 1280, height: 800 });

  // Plans: two plans, optimized, then compared side by side.
  await page.click('nav >> text=Plans');
  await page.waitForFunction(() => Number((document.querySelector('input[name=budget]') as HTMLInputElement | null)?.value) > 0);
  const budget = Number(await page.inputValue('input[name=budget]'));
  // The default budget follows the periods until one is typed: a 26-period plan gets 26 periods' spend.
  const budgetIs = (want: number) => page.waitForFunction((w) => Math.abs(Number((document.querySelector('input[name=budget]') as HTMLInputElement).value) - w) <= 2, want);
  await page.fill('input[name=periods]', '26');
  await budgetIs(2 * budget);
  await page.fill('input[name=periods]', '13');
  await budgetIs(budget);
  for (const [name, b] of [['base', budget], ['more', Math.round(budget * 1.3)]] as const) {
    await page.fill('input[name=plan-name]', name);
    await page.fill('input[name=budget]', String(b));
    await page.getByRole('button', { name: 'Optimize', exact: true }).click();
    await page.waitForSelector(`[data-testid=plan-result] h2:has-text("Plan ${name}-1")`, { timeout: 30_000 });
    // Guardrailed by default: every channel within ±30% of its reference-mix spend, and the page says so.
    assert.match(await page.locator('[data-testid=guardrail]').textContent() ?? '', /3 channels kept within ±30% of the reference mix/);
    const moneyOf = (t: string) => { const m = /\$([\d.,]+)([KM]?)/.exec(t)!; return Number(m[1].replace(/,/g, '')) * (m[2] === 'M' ? 1e6 : m[2] === 'K' ? 1e3 : 1); };
    for (const row of await page.locator('[data-testid=allocation] tbody tr').all()) {
      const cells = await row.locator('td').allTextContents();
      const [spend, reference] = [moneyOf(cells[1]), moneyOf(cells[2])];
      assert.ok(spend >= 0.69 * reference && spend <= 1.31 * reference, `${cells[0]}: spend ${cells[1]} outside ±30% of ${cells[2]}`);
    }
  }
  const allocation = await page.locator('[data-testid=allocation] tbody tr').count();
  assert.equal(allocation, 3);
  await page.check('input[aria-label="Compare plan base-1"]');
  await page.check('input[aria-label="Compare plan more-1"]');
  await page.click('button:has-text("Compare selected")');
  await page.waitForSelector('[data-testid=comparison-table] tbody tr:nth-child(2)');
  const diff = await page.locator('[data-testid=comparison-table] tbody tr:nth-child(2) td:last-child').textContent();
  assert.match(diff ?? '', /^\+\$\S+ \[-?\$[\d.,]+K?M?, \$[\d.,]+[KM]?\]$/, `difference cell with its 90% interval (same model: paired draws): '${diff}'`);
  assert.ok(await page.locator('[data-testid=chart-compare] svg path').count() >= 6);
  await shot('7-plans');

  // Plan lifecycle: open (it survives a reload), duplicate (the builder takes its inputs), rename, delete.
  await page.click('button[aria-label="Open plan base-1"]');
  await page.waitForFunction(() => location.hash === '#/plans/base-1');
  await page.reload();
  await page.waitForSelector('[data-testid=plan-result] h2:has-text("Plan base-1")');
  await page.click('button[aria-label="Duplicate plan more-1"]');
  await page.waitForFunction(() => (document.querySelector('input[name=plan-name]') as HTMLInputElement).value === 'more-copy');
  assert.equal(Number(await page.inputValue('input[name=budget]')), Math.round(budget * 1.3), 'the duplicate keeps the budget');
  await page.getByRole('button', { name: 'Optimize', exact: true }).click();
  await page.waitForSelector('[data-testid=plan-result] h2:has-text("Plan more-copy-1")', { timeout: 30_000 });
  page.once('dialog', (d) => void d.accept('final'));
  await page.click('button[aria-label="Rename plan base-1"]');
  await page.waitForSelector('[data-testid=plans] tbody tr:has-text("base-1"):has-text("final")');
  page.once('dialog', (d) => void d.accept());
  await page.click('button[aria-label="Delete plan more-copy-1"]');
  await page.waitForFunction(() => ![...document.querySelectorAll('[data-testid=plans] tbody tr')].some((r) => r.textContent?.includes('more-copy-1')));
  assert.equal(await page.locator('[data-testid=plan-result]').count(), 0, 'the deleted plan is no longer shown');

  // Touchpoints: upload journeys, score by three methods calibrated to the model, export the scores.
  const journeys = join(demo.dir, 'journeys.csv');
  (await import('node:fs')).writeFileSync(journeys, await touchpointsCsv(['tv', 'search', 'social'], '2023-03-06'));
  await page.click('nav >> text=Data');
  await uploadFile(journeys, 'touchpoints', 'picker');
  await page.click('button:has-text("Ingest")');
  await page.waitForSelector("text=Ingested 'journeys'");
  await page.click('nav >> text=Touchpoints');
  await page.waitForSelector('select[name=tp-data]');
  await page.selectOption('select[name=tp-model]', 'demo-1');
  await page.getByRole('button', { name: 'Score', exact: true }).click();
  await page.waitForSelector('[data-testid=touchpoints-result]', { timeout: 30_000 });
  assert.equal(await page.locator('[data-testid=credit-table] thead th').count(), 4, 'channel + 3 methods');
  assert.equal(await page.locator('[data-testid=credit-table] tbody tr').count(), 3);
  const credit = Number(await page.locator('[data-testid=credit-table] tbody tr:first-child td:nth-child(2)').textContent());
  assert.ok(credit > 0, `credit ${credit}`);
  assert.equal(await page.locator('[data-testid=consistency] tbody tr').count(), 3);
  assert.ok(await page.locator('[data-testid=chart-credit] svg path').count() >= 9);
  const [dl] = await Promise.all([page.waitForEvent('download'), page.click('button:has-text("Export credit by channel (CSV)")')]);
  const saved = join(SHOTS, 'touchpoints-channels.csv');
  await dl.saveAs(saved);
  const lines = readFileSync(saved, 'utf8').trim().split('\n');
  assert.equal(lines[0], 'method,channel,conversions,value,share');
  assert.equal(lines.length, 1 + 3 * 3);
  // The scoring dataset: one row per touch, each method's credit side by side and the calibrated one.
  const [touchDl] = await Promise.all([page.waitForEvent('download'), page.getByRole('button', { name: 'Export per-touch scores' }).click()]);
  const touchRows = readFileSync(await touchDl.path(), 'utf8').trim().split('\n');
  assert.ok(touchRows[0].startsWith('journey_id,session,timestamp,channel,'), touchRows[0]);
  assert.ok(touchRows[0].endsWith('linear,linear_value,markov,markov_value,shapley,shapley_value,calibrated,calibrated_value'), touchRows[0]);
  const touches = Number((await page.locator('[data-testid=per-touch-export] .muted').textContent() ?? '').replace(/[^0-9]/g, ''));
  assert.equal(touchRows.length - 1, touches);
  await shot('8-touchpoints');

  // Models side by side: a ridge model of the same config (through the API), then Compare on the Models page.
  const api = (path: string) => new URL(path, page.url()).href;
  const demoConfig = (await (await page.request.get(api('/api/models/demo-1'))).json()).config;
  const started = await (await page.request.post(api('/api/models/demo-ridge/fit'), { data: { config: { ...demoConfig, name: 'demo-ridge', family: 'ridge', classic: { bootstrap: 5 } } } })).json();
  for (let i = 0; i < 120; i++) {
    const j = await (await page.request.get(api(`/api/jobs/${started.id}`))).json();
    if (j.status === 'succeeded') break;
    assert.ok(j.status === 'queued' || j.status === 'running', `ridge fit: ${JSON.stringify(j.error ?? j.status)}`);
    await page.waitForTimeout(500);
  }
  await page.click('nav >> text=Models');
  await page.waitForSelector('input[aria-label="Compare model demo-ridge-1"]');
  await page.check('input[aria-label="Compare model demo-1"]');
  await page.check('input[aria-label="Compare model demo-ridge-1"]');
  await page.click('button:has-text("Compare selected (2)")');
  await page.waitForSelector('[data-testid=model-comparison]');
  assert.deepEqual(await page.locator('[data-testid=model-comparison-fit] tbody tr td:first-child').allTextContents(), ['demo-1', 'demo-ridge-1']);
  assert.equal(await page.locator('[data-testid=model-comparison-roi] tbody tr').count(), 3);
  assert.ok(await page.locator('[data-testid=chart-model-compare] svg path').count() >= 6, 'two bars per channel');
  await shot('10-models-compare');
});

test('a server error is shown as a readable message, never a blank page', async () => {
  await page.goto(`${server.url}/#/insights/nope-1`);
  const alert = page.locator('[role=alert]');
  await alert.waitFor();
  assert.match(await alert.textContent() ?? '', /model 'nope-1' not found/);
  await page.goto(`${server.url}/#/nowhere`);
  await page.waitForSelector('text=No page');
});

test('a geo model (NUTS): the insights view switches to one geo (its contributions, response curves and predictive band); diagnostics in words', async () => {
  // A geo workspace built with the CLI: simulate, ingest, harmonize, fast fit.
  const dir = join(demo.dir, 'geo');
  const ws = join(dir, 'ws.duckdb');
  const cli = (...args: string[]) => {
    const r = spawnSync(process.execPath, ['bin/marginal', '--workspace', ws, ...args], { encoding: 'utf8' });
    assert.equal(r.status, 0, `marginal ${args.join(' ')}: ${r.stderr}`);
  };
  cli('simulate', '--out', dir, '--weeks', '60', '--channels', '2', '--geos', '3', '--seed', '5');
  cli('ingest', join(dir, 'media.csv'), '--kind', 'summary', '--currency', 'EUR');
  cli('ingest', join(dir, 'sales.csv'), '--kind', 'conversions');
  cli('ingest', join(dir, 'factors.csv'), '--kind', 'factors');
  cli('harmonize', '--grain', 'week', '--name', 'geo');
  const config = join(dir, 'geo-model.json');
  (await import('node:fs')).writeFileSync(config, JSON.stringify({
    name: 'geo', data: { harmonized: 'geo', geo: 'geo' }, target: { column: 'revenue' },
    channels: [{ name: 'tv', spend: 'tv_spend' }, { name: 'search', spend: 'search_spend' }], controls: [{ column: 'price', sign: 'negative' }], holdout: { periods: 4 },
  }));
  cli('fit', config, '--chains', '2', '--warmup', '150', '--draws', '150');
  const geoServer = await startServer({ workspace: ws, port: 0 });
  try {
    await page.goto(`${geoServer.url}/#/insights/geo-1`);
    // The insights job's worker starts cold here (a fresh server): on a loaded 2-core machine that has
    // taken over 30 s; an error on the page fails at once with its words.
    await page.waitForSelector('[data-testid=insights], [role=alert]', { timeout: 90_000 });
    if (await page.locator('[role=alert]').count()) assert.fail(`geo insights: ${await page.locator('[role=alert]').first().textContent()}`);
    const headings = async () => (await page.locator('.insights h2').allTextContents()).join(' | ');
    assert.match(await headings(), /Contribution over time \(all geos\)/);
    // All geos together: no predictive band (quantiles of geos do not add up).
    const legend = async () => page.locator('[data-testid=chart-fit] svg text').allTextContents();
    assert.ok(!(await legend()).includes('90% predictive interval'));
    await page.selectOption('select[name=geo-view]', 'G02');
    await page.waitForFunction(() => [...document.querySelectorAll('.insights h2')].some((h) => h.textContent === 'Actual vs. predicted (G02)'));
    assert.match(await headings(), /Contribution over time \(G02\).*Response curves \(G02\).*Actual vs\. predicted \(G02\)/);
    // The geo's figures come from the server when it is chosen: the chart redraws with them.
    await page.waitForFunction(() => [...document.querySelectorAll('[data-testid=chart-fit] svg text')].some((t) => t.textContent === '90% predictive interval'), undefined, { timeout: 10_000 }).catch(() => undefined);
    assert.ok((await legend()).includes('90% predictive interval'), 'one geo: the predictive band');
    assert.equal(await page.locator('[data-testid=chart-curves] svg path[fill-opacity="0.14"]').count(), 2, 'one band per channel for the geo');
    // A NUTS fit: its diagnostics in words, each with the value it should have.
    const diagnostics = await page.locator('[data-testid=diagnostics] tbody tr td:first-child').allTextContents();
    assert.ok(diagnostics.includes('Largest R-hat (chains agree)') && diagnostics.includes('Divergent transitions'), `diagnostics rows: ${diagnostics}`);
    await shot('9-insights-geo');
  } finally {
    await geoServer.close();
  }

  // The same geo data as a conversions target with a revenue per conversion: contributions in
  // conversions, ROI in revenue per EUR, cost per conversion in EUR with its digits; without a revenue
  // per conversion, ROI becomes conversions per EUR and is titled so.
  const channels = [{ name: 'tv', spend: 'tv_spend' }, { name: 'search', spend: 'search_spend' }];
  for (const [name, target] of [['conv', { column: 'revenue', kind: 'conversions', revenuePerConversion: 2.5 }], ['bare', { column: 'revenue', kind: 'conversions' }]] as const) {
    const path = join(dir, `${name}.json`);
    (await import('node:fs')).writeFileSync(path, JSON.stringify({ name, data: { harmonized: 'geo', geo: 'geo' }, target, channels, controls: [{ column: 'price', sign: 'negative' }] }));
    cli('fit', path, '--fast');
  }
  const convServer = await startServer({ workspace: ws, port: 0 });
  try {
    const headers = async () => page.locator('[data-testid=channel-table] th').allTextContents();
    await page.goto(`${convServer.url}/#/insights/conv-1`);
    await page.waitForSelector('[data-testid=channel-table]', { timeout: 30_000 });
    const h = await headers();
    assert.ok(h.includes('Contribution (conversions)'), `headers: ${h.join(' | ')}`);
    assert.ok(h.includes('Spend (EUR)') && h.includes('ROI') && h.includes('Cost per conversion (EUR per conversion)'), `headers: ${h.join(' | ')}`);
    const cells = await page.locator('[data-testid=channel-table] tbody tr:first-child td').allTextContents();
    assert.doesNotMatch(cells[2], /€/, `a contribution in conversions is not money: ${cells[2]}`);
    assert.match(cells[cells.length - 4] ?? '', /^€\d/, `cost per conversion in euros: ${cells.join(' | ')}`);
    assert.doesNotMatch(cells.join(' '), /€0 \[€0, €0\]/);
    assert.ok((await page.locator('.insights h2').allTextContents()).includes('ROI with 90% intervals'));
    await shot('10-insights-conversions');
    await page.goto(`${convServer.url}/#/insights/bare-1`);
    await page.waitForFunction(() => [...document.querySelectorAll('.insights h2')].some((x) => x.textContent === 'Conversions per EUR of spend with 90% intervals'), undefined, { timeout: 30_000 });
    assert.ok((await headers()).includes('Conversions per EUR of spend'));
  } finally {
    await convServer.close();
  }
});

test('the wizard on a geo table: a column chosen as population (or target) is no control; a ridge model shows its own settings, not sampling, and its insights only the settings it has', async () => {
  // A geo workspace whose factors carry the geos' population beside the price.
  const dir = join(demo.dir, 'geo-ridge');
  const ws = join(dir, 'ws.duckdb');
  const cli = (...args: string[]) => {
    const r = spawnSync(process.execPath, ['bin/marginal', '--workspace', ws, ...args], { encoding: 'utf8' });
    assert.equal(r.status, 0, `marginal ${args.join(' ')}: ${r.stderr}`);
  };
  cli('simulate', '--out', dir, '--weeks', '60', '--channels', '2', '--geos', '3', '--seed', '5');
  const fs = await import('node:fs');
  const [header, ...lines] = fs.readFileSync(join(dir, 'data.csv'), 'utf8').trim().split('\n');
  const cols = header.split(',');
  const keep = ['date', 'geo', 'price', 'population'].map((c) => cols.indexOf(c));
  assert.ok(keep.every((j) => j >= 0), `data.csv columns: ${header}`);
  fs.writeFileSync(join(dir, 'factors-pop.csv'), [keep.map((j) => cols[j]).join(','), ...lines.map((l) => { const v = l.split(','); return keep.map((j) => v[j]).join(','); })].join('\n') + '\n');
  cli('ingest', join(dir, 'media.csv'), '--kind', 'summary');
  cli('ingest', join(dir, 'sales.csv'), '--kind', 'conversions');
  cli('ingest', join(dir, 'factors-pop.csv'), '--kind', 'factors');
  cli('harmonize', '--grain', 'week', '--name', 'geo');
  const geoServer = await startServer({ workspace: ws, port: 0 });
  try {
    await page.goto(`${geoServer.url}/#/models`);
    await page.waitForSelector('[data-testid=step-0] select[name=population]');
    const step = (name: string) => page.getByRole('button', { name, exact: true }).click();
    const shownConfig = async () => {
      await step('6. Train');
      await page.click('summary:has-text("Config (JSON)")');
      return JSON.parse((await page.locator('details pre').textContent()) ?? '{}');
    };
    // Before population is chosen it is a factor like any other, offered (and ticked) as a control.
    await step('3. Controls');
    assert.equal(await page.locator('[data-testid=control-population] input[type=checkbox]').isChecked(), true);
    // Chosen as the geo-scaling column, it is no longer offered nor in the config's controls.
    await step('1. Data');
    await page.selectOption('select[name=population]', 'population');
    await step('3. Controls');
    assert.equal(await page.locator('[data-testid=control-population]').count(), 0);
    assert.equal(await page.locator('[data-testid=control-price]').count(), 1);
    let config = await shownConfig();
    assert.deepEqual(config.data, { harmonized: 'geo', geo: 'geo', population: 'population' });
    assert.deepEqual(config.controls, [{ column: 'price', sign: 'negative' }]);
    // A factor chosen as the target is not a control either (and not offered as the population).
    await step('1. Data');
    await page.selectOption('select[name=target]', 'price');
    assert.ok(!(await page.locator('select[name=population] option').allTextContents()).includes('price'));
    config = await shownConfig();
    assert.deepEqual(config.controls, []);
    await step('1. Data');
    await page.selectOption('select[name=target]', 'revenue');
    // The Bayesian model offers its sampling; a ridge model does not, nor priors, but its bootstrap and search.
    assert.equal((await shownConfig()).family, 'bayesian');
    assert.equal(await page.locator('[data-testid=sampling] input[type=radio]').count(), 2);
    await step('4. Transforms');
    await page.selectOption('select[name=family]', 'ridge');
    await step('5. Priors & lift tests');
    await page.waitForSelector('[data-testid=no-priors]');
    assert.equal(await page.locator('input[aria-label^="ROI prior mean"]').count(), 0);
    assert.equal(await page.locator('[data-testid=prior-check]').count(), 0);
    await step('6. Train');
    assert.equal(await page.locator('[data-testid=sampling]').count(), 0);
    assert.equal(await page.locator('input[name=mode]').count(), 0);
    assert.doesNotMatch(await page.textContent('[data-testid=step-5]') ?? '', /Laplace|NUTS/);
    await page.fill('input[name=bootstrap]', '5');
    await page.check('input[name=search]');
    assert.equal(await page.inputValue('input[name=search-iterations]'), '2000');
    await page.uncheck('input[name=search]');
    config = await shownConfig();
    assert.equal(config.family, 'ridge');
    assert.deepEqual(config.classic, { bootstrap: 5 });
    assert.equal(config.priors, undefined);
    assert.equal(config.search, undefined);
    await page.fill('input[name=model-name]', 'geo-ridge');
    const fitBody = page.waitForRequest((r) => r.method() === 'POST' && r.url().endsWith('/api/models/geo-ridge/fit'));
    await page.getByRole('button', { name: 'Train', exact: true }).click();
    const body = (await fitBody).postDataJSON();
    assert.deepEqual(Object.keys(body), ['config'], 'no sampling options are sent for a ridge model');
    await page.waitForSelector('[data-testid=fit-progress][data-status=succeeded], [data-testid=fit-progress][data-status=failed], [role=alert]', { timeout: 60_000 });
    assert.equal(await page.getAttribute('[data-testid=fit-progress]', 'data-status'), 'succeeded', await page.textContent('[data-testid=fit-progress]') ?? '');
    await shot('11-models-ridge');
    // Its insights: the settings it has (bootstrap refits, the penalty), no empty rows, no sampler words.
    await page.click('text=open insights for geo-ridge-1');
    await page.waitForSelector('[data-testid=diagnostics]', { timeout: 30_000 });
    const rows = await page.locator('[data-testid=diagnostics] tbody tr').evaluateAll((trs) => trs.map((tr) => [...tr.querySelectorAll('td')].map((td) => td.textContent ?? '')));
    assert.ok(rows.length > 0);
    for (const r of rows) assert.ok(r[1] !== '' && !/–|-$|NaN|undefined/.test(r[1]), `diagnostics row ${r.join(' | ')}`);
    assert.deepEqual(rows.find((r) => r[0] === 'Bootstrap refits (90% intervals)'), ['Bootstrap refits (90% intervals)', '5']);
    assert.ok(rows.some((r) => r[0] === 'Ridge penalty (λ)'), rows.map((r) => r[0]).join(' | '));
    assert.ok(!rows.some((r) => /coefficients|R-hat/i.test(r[0])), rows.map((r) => r[0]).join(' | '));
    assert.equal(await page.locator('[data-testid=diagnostics] thead th').count(), 2, 'no "healthy when" column for fit settings');
    await page.locator('[data-testid=diagnostics]').screenshot({ path: join(SHOTS, '11-insights-ridge-settings.png') });
  } finally {
    await geoServer.close();
  }
});
