import { test } from 'node:test';
import assert from 'node:assert/strict';
import { BAND_OPACITY, BREAK_EVEN, CURRENT_SPEND, PALETTE, contributionsOverTime, correlationHeatmap, curveColumns, fitOverTime, responseCurves, responseCurvesHeight, roiBars, seriesColor, shareBars } from './index.ts';

const hostile = '<img src=x onerror="alert(1)">';
const fmt = (v: number | null | undefined) => (v === null || v === undefined ? '–' : v.toFixed(1));
type Tip = { tooltip: { formatter: (p: unknown) => string }; series: { name: string; type: string }[]; legend: { data: string[] } };

test('series colours cycle through the one palette', () => {
  assert.equal(seriesColor(0), PALETTE[0]);
  assert.equal(seriesColor(PALETTE.length + 2), PALETTE[2]);
});

test('tooltips escape names from data', () => {
  const contrib = contributionsOverTime({ dates: ['2024-01-01'], base: [1], channels: [{ name: hostile, values: [2] }], predicted: [3], format: fmt }) as Tip;
  const roi = roiBars({ channels: [{ name: hostile, roi: 1.5, roiLow: 1, roiHigh: 2, mroi: 1.1, mroiLow: 0.9, mroiHigh: 1.3 }], format: fmt, roiName: 'ROI', mroiName: 'Marginal ROI', intervalName: '90%', yName: 'ROI' }) as Tip;
  const shares = shareBars({ channels: [{ name: hostile, shareOfSpend: 0.5, shareOfEffect: 0.4 }] }) as Tip;
  for (const html of [contrib.tooltip.formatter([{ dataIndex: 0 }]), roi.tooltip.formatter([{ dataIndex: 0 }]), shares.tooltip.formatter([{ dataIndex: 0 }])]) {
    assert.ok(!html.includes('<img'), html);
    assert.ok(html.includes('&lt;img src=x onerror=&quot;alert(1)&quot;&gt;'), html);
  }
  assert.match(roi.tooltip.formatter([{ dataIndex: 0 }]), /ROI 1\.5 \(90%: 1\.0–2\.0\)<br>.*Marginal ROI 1\.1 \(90%: 0\.9–1\.3\)/);
});

test('the fit chart: a band when there is one, the holdout shaded, the legend in reading order', () => {
  const plain = fitOverTime({ dates: ['a', 'b'], actual: [1, 2], predicted: [1, 2], format: fmt }) as Tip;
  assert.deepEqual(plain.series.map((s) => s.name), ['Predicted', 'Actual']);
  assert.deepEqual(plain.legend.data, ['Actual', 'Predicted']);
  const banded = fitOverTime({ dates: ['a', 'b'], actual: [1, 2], predicted: [1, 2], band: { low: [0, 1], high: [2, 3], name: '90% band' }, holdoutStart: 'b', format: fmt }) as Tip & { series: { markArea?: { data: { name?: string }[][] }; data: unknown[] }[] };
  assert.deepEqual(banded.series.map((s) => s.name), ['90% band', '90% band', 'Predicted', 'Actual']);
  assert.deepEqual(banded.series[1].data, [2, 2], 'the band\'s width is stacked on its lower edge');
  assert.equal(banded.series[2].markArea?.data[0][0].name, 'holdout');
  assert.match(banded.tooltip.formatter([{ dataIndex: 1 }]), /^b \(holdout\)/);
});

test('ROI alone: bars in the channels\' colours with priors beside them; with marginal ROI: two bars and the line to clear', () => {
  const prior = { low: 0.5, median: 1, high: 3 };
  const alone = roiBars({ channels: [{ name: 'tv', roi: 2, roiLow: 1, roiHigh: 3, prior }, { name: 'search', roi: 1, prior }], format: fmt, roiName: 'ROI', intervalName: '90%', yName: 'ROI' }) as Tip;
  assert.deepEqual(alone.series.map((s) => s.name), ['ROI', 'posterior 90%', 'prior 90%']);
  assert.deepEqual(alone.legend.data, ['posterior 90%', 'prior 90%']);
  const paired = roiBars({ channels: [{ name: 'tv', roi: 2, mroi: 1 }], format: fmt, roiName: 'ROI', mroiName: 'Marginal ROI', intervalName: '90% bootstrap', yName: 'ROI', threshold: { value: 1, label: 'break-even' } }) as Tip & { series: { markLine?: unknown }[] };
  assert.deepEqual(paired.series.map((s) => s.name), ['ROI', 'Marginal ROI', 'ROI', 'Marginal ROI']);
  assert.ok(paired.series[0].markLine, 'the break-even line');
});

test('response curves: small multiples, one panel per channel on its own axes, with the band, the line and the two markers', () => {
  const pts = (k: number) => [{ spend: 0, expected: 0, low: 0, high: 0 }, { spend: k, expected: 2 * k, low: k, high: 3 * k }];
  const o = responseCurves({
    curves: [
      { name: 'tv', points: pts(1e6), current: { spend: 1e6, expected: 2e6 }, breakEven: { spend: 8e5, expected: 1.9e6 } },
      { name: hostile, points: pts(10), current: { spend: 10, expected: 20 }, breakEven: null },
    ],
    format: { spend: fmt, outcome: fmt },
  }) as unknown as Omit<Tip, 'series'> & { grid: unknown[]; xAxis: { gridIndex: number }[]; yAxis: { gridIndex: number }[]; title: { text: string }[]; series: { type: string; name: string; xAxisIndex: number; yAxisIndex: number; renderItem?: (p: { dataIndex: number }, api: { coord(p: [number, number]): [number, number] }) => { style: { opacity: number } } | null }[] };
  assert.equal(o.grid.length, 2, 'one panel per channel');
  assert.deepEqual(o.xAxis.map((a) => a.gridIndex), [0, 1], 'each panel its own spend axis');
  assert.deepEqual(o.yAxis.map((a) => a.gridIndex), [0, 1], 'and its own outcome axis');
  assert.deepEqual(o.title.map((t) => t.text), ['tv', hostile]);
  assert.deepEqual(o.series.map((s) => [s.type, s.xAxisIndex]), [['custom', 0], ['line', 0], ['scatter', 0], ['scatter', 0], ['custom', 1], ['line', 1], ['scatter', 1]]);
  assert.deepEqual(o.series.filter((s) => s.type === 'scatter').map((s) => s.name), [CURRENT_SPEND, BREAK_EVEN, CURRENT_SPEND]);
  assert.deepEqual(o.legend.data, [CURRENT_SPEND, BREAK_EVEN], 'the legend names the markers in words');
  assert.match(BREAK_EVEN, /marginal ROI = 1/);
  const polygon = o.series[0].renderItem!({ dataIndex: 0 }, { coord: (p) => p });
  assert.equal(polygon?.style.opacity, BAND_OPACITY);
  assert.equal(o.series[0].renderItem!({ dataIndex: 1 }, { coord: (p) => p }), null, 'the band is drawn once');
  const tip = o.tooltip.formatter({ seriesType: 'scatter', seriesName: CURRENT_SPEND, value: [10, 20], data: { channel: hostile } });
  assert.ok(!tip.includes('<img'), tip);
  // The height follows the rows: 5 channels in 3 columns are two rows.
  assert.equal(responseCurvesHeight(5), responseCurvesHeight(6));
  assert.ok(responseCurvesHeight(3) < responseCurvesHeight(4), 'three in a row; four in two rows of two');
  assert.equal(curveColumns(1), 1);
  assert.equal(curveColumns(7, 2), 2);
});

test('the correlation heat-map keeps its colour scale in a margin of its own, clear of the axis labels', () => {
  const o = correlationHeatmap({ channels: ['tv', 'search'], matrix: [[1, 0.4], [0.4, 1]] }) as { grid: { right: number; containLabel: boolean }; visualMap: { orient: string; right: number; itemWidth: number } };
  assert.equal(o.visualMap.orient, 'vertical');
  assert.ok(o.grid.right >= o.visualMap.right + o.visualMap.itemWidth + 40, 'the grid stops before the scale');
  assert.equal(o.grid.containLabel, true);
});
