// Client-side chart rendering for the Marginal HTML report. Bundled with the shared chart module
// (src/charts) into one script and inlined into the report after the ECharts bundle (assets.ts); it
// reads the JSON blob in #report-data. The charts the web app draws too come from src/charts; the
// report's own (what drove the outcome, the Pareto front) are here. Every string that comes from data
// is escaped before it is put into tooltip HTML; canvas text needs none.
import { COLORS, contributionsOverTime, dot, escapeHtml as esc, fitOverTime, percent as pct, responseCurves, responseCurvesHeight, roiBars, seriesColor as color, shareBars, type ChartOption } from '../../charts/index.ts';
import { formatValue } from '../../units.ts';
import type { chartData } from './index.ts';

interface Chart { resize(): void; setOption(o: ChartOption): void }
declare const echarts: { init(el: HTMLElement, theme: null, opts: { renderer: 'canvas'; devicePixelRatio: number }): Chart };

(function () {
  const data = JSON.parse(document.getElementById('report-data')!.textContent!) as ReturnType<typeof chartData>;
  // Every number in the model's own units and currency, by the one formatter the tables use (src/units.ts).
  const u = data.units;
  const amt = (x: number | null | undefined) => formatValue(x, u.outcome, u.currency);
  const money = (x: number | null | undefined) => formatValue(x, 'currency', u.currency);
  const ratio = (x: number | null | undefined) => formatValue(x, u.roi);

  const text = { color: COLORS.ink, fontFamily: 'system-ui, -apple-system, "Segoe UI", Roboto, sans-serif' };
  const charts: Chart[] = [];
  function make(id: string, option: ChartOption) {
    const el = document.getElementById(id);
    if (!el) return;
    const chart = echarts.init(el, null, { renderer: 'canvas', devicePixelRatio: Math.max(2, window.devicePixelRatio || 1) });
    chart.setOption({ ...option, animation: false, textStyle: text });
    charts.push(chart);
  }
  const names = data.channels.map((c) => c.name);
  const roiEl = document.getElementById('chart-roi');
  const labelWidth = Math.max(40, ((roiEl ? roiEl.clientWidth : 500) - 80) / Math.max(1, names.length) - 10);

  // What drove the outcome: base and each channel as a share of the predicted outcome.
  (function () {
    type Driver = { name: string; value: number; share: number; color: string };
    const channels: Driver[] = data.channels.map((c, i) => ({ name: c.name, value: c.contribution, share: c.shareOfPredicted ?? NaN, color: color(i) }));
    const rows: Driver[] = [{ name: 'Base (no media)', value: data.base, share: data.baseShare, color: COLORS.base }, ...channels.sort((a, b) => b.value - a.value)];
    rows.reverse();
    make('chart-drivers', {
      grid: { left: 136, right: 56, top: 4, bottom: 4 },
      tooltip: { trigger: 'item', formatter: (p: { dataIndex: number }) => { const r = rows[p.dataIndex]; return `${dot(r.color)}${esc(r.name)}: ${amt(r.value)} (${pct(r.share)})`; } },
      xAxis: { type: 'value', axisLabel: { show: false }, splitLine: { show: false } },
      yAxis: { type: 'category', data: rows.map((r) => r.name), axisLabel: { width: 124, overflow: 'truncate' }, axisTick: { show: false } },
      series: [{ type: 'bar', barWidth: '60%', data: rows.map((r) => ({ value: r.value, itemStyle: { color: r.color } })),
        label: { show: true, position: 'right', formatter: (p: { dataIndex: number }) => pct(rows[p.dataIndex].share) } }],
    });
  })();

  // ROI and marginal ROI per channel, bars with their intervals, and the line to clear.
  const revenue = data.kind === 'revenue';
  make('chart-roi', roiBars({
    channels: data.channels.map((c) => ({ name: c.name, roi: c.roi, roiLow: c.roiLo, roiHigh: c.roiHi, mroi: c.mroi, mroiLow: c.mroiLo, mroiHigh: c.mroiHi })),
    format: ratio, roiName: revenue ? 'ROI' : 'Conv. per unit', mroiName: revenue ? 'Marginal ROI' : 'Marginal conv. per unit',
    intervalName: data.intervalName || '90%', yName: revenue ? 'return per unit spent' : 'conversions per unit spent',
    threshold: data.threshold === null || !isFinite(data.threshold) ? null : { value: data.threshold, label: revenue ? 'break-even' : 'average' },
    labelWidth,
  }));

  const s = data.series;
  const holdoutStart = s.holdoutPeriods > 0 ? s.dates[s.dates.length - s.holdoutPeriods] : null;
  make('chart-contrib', contributionsOverTime({ dates: s.dates, base: s.base, channels: s.contributions, predicted: s.predicted, format: amt }));
  make('chart-fit', fitOverTime({ dates: s.dates, actual: s.actual, predicted: s.predicted, band: s.low && s.high ? { low: s.low, high: s.high, name: '90% band' } : null, holdoutStart, format: amt }));
  make('chart-share', shareBars({ channels: data.channels.map((c) => ({ name: c.name, shareOfSpend: c.shareOfSpend, shareOfEffect: c.shareOfEffect })), labelWidth }));

  if (data.curves && data.curves.length) {
    const el = document.getElementById('chart-curves');
    if (el) el.style.height = `${responseCurvesHeight(data.curves.length)}px`;
    make('chart-curves', responseCurves({
      curves: data.curves.map((c) => ({ name: c.channel, points: c.points, current: c.current, breakEven: c.breakEven })),
      format: { spend: money, outcome: amt },
    }));
  }

  // Search fits: the Pareto front (NRMSE vs DECOMP.RSSD), coloured by cluster, recommended models marked.
  (function () {
    const pts = data.pareto;
    if (!pts || !pts.length) return;
    const clusters: number[] = [];
    pts.forEach((p) => { if (clusters.indexOf(p.cluster) < 0) clusters.push(p.cluster); });
    clusters.sort((a, b) => a - b);
    const tip = (p: (typeof pts)[number]) => `Cluster ${p.cluster}${p.chosen ? ' · recommended (this report)' : p.recommended ? ' · recommended for its cluster' : ''}`
      + `<br>NRMSE ${p.nrmse.toFixed(4)}<br>DECOMP.RSSD ${p.decompRssd.toFixed(4)}<br>front ${p.front}, λ ${p.lambda.toPrecision(3)}`;
    make('chart-pareto', {
      grid: { left: 8, right: 24, top: 36, bottom: 30, containLabel: true },
      legend: { top: 0, data: clusters.map((c) => `Cluster ${c}`) },
      tooltip: { trigger: 'item', formatter: (p: { data: { p: (typeof pts)[number] } }) => tip(p.data.p) },
      xAxis: { type: 'value', name: 'NRMSE (prediction error)', nameLocation: 'middle', nameGap: 24, scale: true, splitLine: { lineStyle: { color: COLORS.grid } } },
      yAxis: { type: 'value', name: 'DECOMP.RSSD (effect vs spend share)', nameTextStyle: { align: 'left' }, scale: true, splitLine: { lineStyle: { color: COLORS.grid } } },
      series: clusters.map((c, i) => ({
        type: 'scatter', name: `Cluster ${c}`, itemStyle: { color: color(i) },
        data: pts.filter((p) => p.cluster === c).map((p) => ({
          value: [p.nrmse, p.decompRssd], p, symbol: p.recommended ? 'diamond' : 'circle', symbolSize: p.chosen ? 18 : p.recommended ? 13 : 8,
          itemStyle: p.recommended ? { color: color(i), borderColor: COLORS.ink, borderWidth: p.chosen ? 2 : 1 } : { color: color(i), opacity: 0.75 },
        })),
      })),
    });
  })();

  function resizeAll() { charts.forEach((c) => c.resize()); }
  window.addEventListener('resize', resizeAll);
  window.addEventListener('beforeprint', resizeAll);
  window.addEventListener('afterprint', resizeAll);
  if (window.matchMedia) {
    const mq = window.matchMedia('print');
    if (mq.addEventListener) mq.addEventListener('change', resizeAll); else if ((mq as { addListener?: (f: () => void) => void }).addListener) (mq as unknown as { addListener(f: () => void): void }).addListener(resizeAll);
  }
  (window as unknown as { __marginalCharts: Chart[] }).__marginalCharts = charts;
  document.documentElement.setAttribute('data-charts', String(charts.length));
})();
