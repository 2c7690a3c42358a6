/**
 * The HTML report in a real browser: a fast (Laplace) fit and a classic fit (ridge chosen by the
 * Robyn-style search, bootstrap intervals) on simulated data with hostile channel names, rendered to
 * files, opened from file:// in Chromium with every http(s) request aborted. One browser launch.
 * Set REPORT_SCREENSHOT=path.png to also save a screenshot of the Bayesian summary, and
 * REPORT_CLASSIC_SCREENSHOT=path.png for the classic report (REPORT_FULLPAGE=1 for whole pages).
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { launchChromium } from './browser.ts';
import { chromium } from 'playwright-core';
import { simulate } from '../../src/models/simulate/index.ts';
import { parseModelConfig } from '../../src/models/config.ts';
import { buildModelData } from '../../src/models/design.ts';
import { fitBayesian } from '../../src/models/bayesian/fit.ts';
import { fitClassic } from '../../src/models/linear/families.ts';
import { renderReport } from '../../src/analysis/index.ts';
import { reportScripts } from '../../src/app/reportScripts.ts';

const chromiumPath = '/usr/bin/chromium';
const hostile = '<img src=x onerror="window.__pwned=1">';
const closer = '=cmd|"/c calc"!A1 </script><script>window.__pwned=2</script><!--';

function simulated(extra: object = {}) {
  const sim = simulate({ weeks: 104, channels: 4, seed: 1 });
  const columns = Object.fromEntries(sim.columns.map((c, j) => [c, sim.rows.map((r) => r[j])]));
  const names = sim.truth.channels.map((c, i) => (i === 1 ? hostile : i === 2 ? closer : c.name));
  const config = parseModelConfig({
    data: { file: 'x.csv' }, target: { column: 'revenue' },
    channels: sim.truth.channels.map((c, i) => ({ name: names[i], spend: `${c.name}_spend` })),
    controls: [{ column: 'price', sign: 'negative' }], holdout: { periods: 8 }, ...extra,
  });
  return { names, config, data: buildModelData(config, { source: 'x.csv', rowCount: sim.rows.length, columns }) };
}

async function fastFit() {
  const { names, config, data } = simulated();
  return { names, result: await fitBayesian(config, data, { fast: true, chains: 1, draws: 500 }) };
}

function searchFit() {
  const { names, config, data } = simulated({ family: 'ridge', search: { iterations: 200, trials: 1 }, classic: { bootstrap: 5 } });
  return { names, result: fitClassic(config, data) };
}

/** Each .chart element: whether it has an ECharts instance, its canvas size and a sample of painted pixels. */
function chartStates() {
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
}

test('the Bayesian and a classic report render their charts offline in Chromium, with no console errors and hostile names inert', async () => {
  assert.ok(existsSync(chromiumPath), `${chromiumPath} is missing: apt-get install -y chromium (listed in .ci/apt-packages)`);
  const { names, result } = await fastFit();
  const html = renderReport({ modelId: 'sim-1', name: `Simulated ${hostile}`, createdAt: '2026-11-23T10:00:00Z', target: { column: 'revenue', kind: 'revenue' }, result }, reportScripts());
  const dir = mkdtempSync(join(tmpdir(), 'marginal-report-'));
  const file = join(dir, 'report.html');
  writeFileSync(file, html);

  const browser = await launchChromium();
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

    const charts = await page.evaluate(chartStates);
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
      breaks: [...document.querySelectorAll('section.detail')].map((s) => `${s.id}:${getComputedStyle(s).breakBefore}`),
      chartHeight: (document.querySelector('#chart-fit') as HTMLElement).clientHeight,
    }));
    assert.deepEqual(print.breaks, ['contributions:page', 'fit:page', 'decomposition:page', 'channels:page', 'curve-parameters:page', 'parameters:page']);
    // The decomposition waterfall: a bar per part, then the prediction; labels name the baseline and each channel.
    const waterfall = await page.evaluate(() => ({ bars: document.querySelectorAll('#waterfall rect').length, text: document.querySelector('#waterfall')?.textContent ?? '' }));
    assert.ok(waterfall.bars >= 3, `${waterfall.bars} waterfall bars`);
    assert.match(waterfall.text, /baseline.*prediction/s);
    assert.ok(print.chartHeight > 200 && print.chartHeight < 360, `print chart height ${print.chartHeight}`);
    await page.emulateMedia({ media: 'screen' });

    if (process.env.REPORT_SCREENSHOT) await page.screenshot({ path: process.env.REPORT_SCREENSHOT, fullPage: process.env.REPORT_FULLPAGE === '1' });

    // The classic report (search fit) in a second page of the same browser: bootstrap wording, no
    // band, the Pareto chart, the search and coefficient tables with the hostile names as text.
    const classic = searchFit();
    const classicFile = join(dir, 'classic.html');
    writeFileSync(classicFile, renderReport({ modelId: 'sim-2', name: `Search ${hostile}`, createdAt: '2026-11-23T10:00:00Z', target: { column: 'revenue', kind: 'revenue' }, result: classic.result }, reportScripts()));
    const page2 = await context.newPage();
    page2.on('console', (m) => { if (m.type() === 'error' || m.type() === 'warning') errors.push(`classic ${m.type()}: ${m.text()}`); });
    page2.on('pageerror', (e) => errors.push(`classic pageerror: ${e.message}`));
    page2.on('request', (r) => requested.push(r.url()));
    await page2.goto(pathToFileURL(classicFile).href);
    await page2.waitForFunction(() => document.documentElement.getAttribute('data-charts') !== null, null, { timeout: 10_000 });
    const charts2 = await page2.evaluate(chartStates);
    assert.equal(charts2.instances, 6);
    assert.deepEqual(charts2.list.map((c) => c.id), ['chart-drivers', 'chart-roi', 'chart-contrib', 'chart-fit', 'chart-share', 'chart-pareto']);
    for (const c of charts2.list) {
      assert.ok(c.instance, `classic ${c.id}: echarts instance`);
      assert.ok(c.width > 200 && c.height > 150, `classic ${c.id}: canvas ${c.width}×${c.height}`);
      assert.ok(c.painted > 500, `classic ${c.id}: only ${c.painted} painted pixels sampled`);
    }
    const classicDom = await page2.evaluate(() => {
      const w = window as unknown as { __marginalCharts: { getOption(): { series: { name: string }[]; legend: { data: string[] }[] } ; dispatchAction(a: object): void }[] };
      const fitChart = w.__marginalCharts[3].getOption();
      return {
        pwned: (window as unknown as { __pwned?: number }).__pwned ?? 0,
        imgs: document.querySelectorAll('img').length,
        scripts: document.querySelectorAll('script').length,
        fitSeries: fitChart.series.map((x) => x.name),
        fitLegend: fitChart.legend[0].data,
        intervals: document.querySelector('#summary ul.health')!.textContent ?? '',
        footer: document.querySelector('footer')!.textContent ?? '',
        roiNames: [...document.querySelectorAll('#roi-table tbody td.name')].map((td) => td.textContent),
        coefNames: [...document.querySelectorAll('#coef-table tbody td.name')].map((td) => td.textContent),
        searchHeader: [...document.querySelectorAll('#search-table th')].map((th) => th.textContent),
        searchRows: document.querySelectorAll('#search-table tbody tr').length,
        breaks: [...document.querySelectorAll('section.detail')].map((s) => s.id),
      };
    });
    assert.equal(classicDom.pwned, 0);
    assert.equal(classicDom.imgs, 0);
    assert.equal(classicDom.scripts, 3);
    assert.deepEqual(classicDom.fitSeries, ['Predicted', 'Actual'], 'no band series on a classic fit');
    assert.deepEqual(classicDom.fitLegend, ['Actual', 'Predicted']);
    assert.match(classicDom.intervals, /The 90% intervals are bootstrap intervals, not Bayesian credible intervals/);
    assert.doesNotMatch(classicDom.intervals, /Convergence|R-hat/);
    assert.match(classicDom.footer, /Intervals are 90% bootstrap intervals \(5 refits\)/);
    assert.deepEqual(classicDom.roiNames, classic.names);
    assert.deepEqual(classicDom.coefNames.slice(1, 1 + classic.names.length), classic.names);
    assert.deepEqual(classicDom.searchHeader.slice(-classic.names.length), classic.names.map((n) => `ROI · ${n}`));
    assert.equal(classicDom.searchRows, classic.result.diagnostics.search!.clusters);
    assert.deepEqual(classicDom.breaks, ['contributions', 'fit', 'channels', 'model-details']);
    // Tooltips: the Pareto point of the refitted recommendation, and the ROI bars with bootstrap wording.
    const rec = classic.result.diagnostics.search!.recommended.find((r) => r.chosen)!;
    await page2.evaluate(() => {
      const w = window as unknown as { __marginalCharts: { dispatchAction(a: object): void }[] };
      w.__marginalCharts[1].dispatchAction({ type: 'showTip', seriesIndex: 0, dataIndex: 1 });
    });
    await page2.waitForFunction(() => [...document.querySelectorAll('#chart-roi div')].some((d) => d.textContent?.includes('Marginal ROI')), null, { timeout: 5000 });
    const roiTip = await page2.evaluate(() => [...document.querySelectorAll('#chart-roi div')].map((d) => d.textContent ?? '').find((t) => t.includes('Marginal ROI')) ?? '');
    assert.ok(roiTip.startsWith(hostile), roiTip);
    assert.match(roiTip, /\(90% bootstrap: /);
    const paretoTip = await page2.evaluate((cluster) => {
      const w = window as unknown as { __marginalCharts: { getOption(): { series: { name: string; data: { p: { chosen: boolean } }[] }[] }; dispatchAction(a: object): void }[] };
      const chart = w.__marginalCharts[5];
      const series = chart.getOption().series;
      const s = series.findIndex((x) => x.name === `Cluster ${cluster}`);
      const d = series[s].data.findIndex((x) => x.p.chosen);
      chart.dispatchAction({ type: 'showTip', seriesIndex: s, dataIndex: d });
      return [s, d];
    }, rec.cluster);
    assert.ok(paretoTip[0] >= 0 && paretoTip[1] >= 0, 'the refitted recommendation is a point of its cluster');
    await page2.waitForFunction(() => [...document.querySelectorAll('#chart-pareto div')].some((d) => d.textContent?.includes('recommended (this report)')), null, { timeout: 5000 });
    if (process.env.REPORT_CLASSIC_SCREENSHOT) await page2.screenshot({ path: process.env.REPORT_CLASSIC_SCREENSHOT, fullPage: process.env.REPORT_FULLPAGE === '1' });

    assert.deepEqual(attempted, [], 'no http(s) request was attempted');
    assert.deepEqual(requested.filter((u) => !u.startsWith('file:')), []);
    assert.deepEqual(errors, []);
  } finally {
    await browser.close();
    rmSync(dir, { recursive: true, force: true });
  }
});
