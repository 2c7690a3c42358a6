/**
 * The HTML report in a real browser: a fast (Laplace) fit on simulated data with hostile channel
 * names, rendered to a file, opened from file:// in Chromium with every http(s) request aborted.
 * One browser launch. Set REPORT_SCREENSHOT=path.png to also save a screenshot of the summary.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { chromium } from 'playwright-core';
import { simulate } from '../../src/models/simulate/index.ts';
import { parseModelConfig } from '../../src/models/config.ts';
import { buildModelData } from '../../src/models/design.ts';
import { fitBayesian } from '../../src/models/bayesian/fit.ts';
import { renderReport } from '../../src/analysis/index.ts';

const chromiumPath = '/usr/bin/chromium';
const hostile = '<img src=x onerror="window.__pwned=1">';
const closer = '=cmd|"/c calc"!A1 </script><script>window.__pwned=2</script><!--';

async function fastFit() {
  const sim = simulate({ weeks: 104, channels: 4, seed: 1 });
  const columns = Object.fromEntries(sim.columns.map((c, j) => [c, sim.rows.map((r) => r[j])]));
  const names = sim.truth.channels.map((c, i) => (i === 1 ? hostile : i === 2 ? closer : c.name));
  const config = parseModelConfig({
    data: { file: 'x.csv' }, target: { column: 'revenue' },
    channels: sim.truth.channels.map((c, i) => ({ name: names[i], spend: `${c.name}_spend` })),
    controls: [{ column: 'price', sign: 'negative' }], holdout: { periods: 8 },
  });
  const data = buildModelData(config, { source: 'x.csv', rowCount: sim.rows.length, columns });
  return { names, result: await fitBayesian(config, data, { fast: true, chains: 1, draws: 500 }) };
}

test('the report renders its charts offline in Chromium, with no console errors and hostile names inert', async () => {
  assert.ok(existsSync(chromiumPath), `${chromiumPath} is missing: apt-get install -y chromium (listed in .ci/apt-packages)`);
  const { names, result } = await fastFit();
  const html = renderReport({ modelId: 'sim-1', name: `Simulated ${hostile}`, createdAt: '2026-11-23T10:00:00Z', target: { column: 'revenue', kind: 'revenue' }, result });
  const dir = mkdtempSync(join(tmpdir(), 'marginal-report-'));
  const file = join(dir, 'report.html');
  writeFileSync(file, html);

  const browser = await chromium.launch({
    executablePath: chromiumPath,
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'],
  });
  try {
    const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
    const attempted: string[] = [];
    const requested: string[] = [];
    await context.route(/^https?:/, (route) => { attempted.push(route.request().url()); return route.abort(); });
    const page = await context.newPage();
    const errors: string[] = [];
    page.on('console', (m) => { if (m.type() === 'error' || m.type() === 'warning') errors.push(`${m.type()}: ${m.text()}`); });
    page.on('pageerror', (e) => errors.push(`pageerror: ${e.message}`));
    page.on('request', (r) => requested.push(r.url()));
    await page.goto(pathToFileURL(file).href);
    await page.waitForFunction(() => document.documentElement.getAttribute('data-charts') !== null, null, { timeout: 10_000 });

    const charts = await page.evaluate(() => {
      const w = window as unknown as { echarts: { getInstanceByDom(el: Element): unknown }; __marginalCharts: unknown[] };
      const list = [...document.querySelectorAll('.chart')].map((el) => {
        const canvas = el.querySelector('canvas');
        let painted = 0;
        if (canvas && canvas.width && canvas.height) {
          const px = canvas.getContext('2d')!.getImageData(0, 0, canvas.width, canvas.height).data;
          for (let i = 3; i < px.length; i += 4 * 7) if (px[i] > 0) painted++;
        }
        return { id: el.id, instance: !!w.echarts.getInstanceByDom(el), width: canvas?.clientWidth ?? 0, height: canvas?.clientHeight ?? 0, painted };
      });
      return { list, instances: w.__marginalCharts.length };
    });
    assert.equal(charts.instances, 5);
    assert.deepEqual(charts.list.map((c) => c.id), ['chart-drivers', 'chart-roi', 'chart-contrib', 'chart-fit', 'chart-share']);
    for (const c of charts.list) {
      assert.ok(c.instance, `${c.id}: echarts instance`);
      assert.ok(c.width > 200 && c.height > 150, `${c.id}: canvas ${c.width}×${c.height}`);
      assert.ok(c.painted > 500, `${c.id}: only ${c.painted} painted pixels sampled`);
    }

    // Hostile names: shown as text in the page, the tables and a tooltip; never run as markup.
    await page.evaluate(() => {
      const w = window as unknown as { __marginalCharts: { dispatchAction(a: object): void }[] };
      w.__marginalCharts[1].dispatchAction({ type: 'showTip', seriesIndex: 0, dataIndex: 1 });
    });
    await page.waitForFunction(() => [...document.querySelectorAll('#chart-roi div')].some((d) => d.textContent?.includes('Marginal ROI 1')), null, { timeout: 5000 });
    const dom = await page.evaluate(() => ({
      pwned: (window as unknown as { __pwned?: number }).__pwned ?? 0,
      imgs: document.querySelectorAll('img').length,
      scripts: document.querySelectorAll('script').length,
      title: document.title,
      tableNames: [...document.querySelectorAll('#roi-table tbody td.name')].map((td) => td.textContent),
      tooltip: [...document.querySelectorAll('#chart-roi div')].map((d) => d.textContent ?? '').find((t) => t.includes('Marginal ROI 1')) ?? '',
    }));
    assert.equal(dom.pwned, 0);
    assert.equal(dom.imgs, 0);
    assert.equal(dom.scripts, 3);
    assert.equal(dom.title, `Simulated ${hostile} — Marginal model report`);
    assert.deepEqual(dom.tableNames, names);
    assert.ok(dom.tooltip.startsWith(hostile), dom.tooltip);

    // Print: a page break before each detail section, charts sized for the page.
    await page.emulateMedia({ media: 'print' });
    const print = await page.evaluate(() => ({
      breaks: [...document.querySelectorAll('section.detail')].map((s) => getComputedStyle(s).breakBefore),
      chartHeight: (document.querySelector('#chart-fit') as HTMLElement).clientHeight,
    }));
    assert.deepEqual(print.breaks, ['page', 'page', 'page', 'page']);
    assert.ok(print.chartHeight > 200 && print.chartHeight < 360, `print chart height ${print.chartHeight}`);
    await page.emulateMedia({ media: 'screen' });

    if (process.env.REPORT_SCREENSHOT) await page.screenshot({ path: process.env.REPORT_SCREENSHOT, fullPage: process.env.REPORT_FULLPAGE === '1' });

    assert.deepEqual(attempted, [], 'no http(s) request was attempted');
    assert.deepEqual(requested.filter((u) => !u.startsWith('file:')), []);
    assert.deepEqual(errors, []);
  } finally {
    await browser.close();
    rmSync(dir, { recursive: true, force: true });
  }
});
