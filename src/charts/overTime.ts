/**
 * The two charts over time that the web's Insights page and the HTML report both draw: what each part
 * contributed per period (stacked areas), and actual against predicted with the model's band and the
 * held-out periods shaded. Each returns an ECharts option; the caller picks the renderer (SVG in the
 * web, canvas in the report) and passes its own number formats.
 */
import { COLORS, seriesColor } from './palette.ts';
import { dot, escapeHtml as esc, tick, type Format } from './html.ts';

export type ChartOption = Record<string, unknown>;
type Values = readonly (number | null)[];
interface AxisParams { dataIndex: number }

// The first and last dates align inward, so the first never sits under the value axis's lowest label.
const timeAxis = (dates: readonly string[]) => ({ type: 'category', data: dates, boundaryGap: false, axisLabel: { hideOverlap: true, alignMinLabel: 'left', alignMaxLabel: 'right' } });
const valueAxis = (format: Format, name?: string) => ({ type: 'value', name, nameTextStyle: { align: 'left' }, axisLabel: { formatter: tick(format) }, splitLine: { lineStyle: { color: COLORS.grid } } });

export interface ContributionsInput {
  dates: readonly string[];
  /** What media do not explain, per period. */
  base: Values;
  /** Each channel's contribution per period; channel i takes `seriesColor(i)`. */
  channels: readonly { name: string; values: Values }[];
  /** The prediction per period, for the tooltip's total (optional). */
  predicted?: Values;
  format: Format;
  yName?: string;
}

/** Base and each channel, stacked per period. */
export function contributionsOverTime(x: ContributionsInput): ChartOption {
  const layers = [{ name: 'Base (no media)', values: x.base, color: COLORS.base }, ...x.channels.map((c, i) => ({ name: c.name, values: c.values, color: seriesColor(i) }))];
  return {
    grid: { left: 8, right: 16, top: 52, bottom: 8, containLabel: true },
    legend: { top: 0, type: 'scroll', data: layers.map((l) => l.name) },
    tooltip: {
      trigger: 'axis',
      formatter: (ps: AxisParams[]) => {
        const t = ps[0].dataIndex;
        let out = esc(x.dates[t]);
        for (let i = layers.length - 1; i >= 0; i--) out += `<br>${dot(layers[i].color)}${esc(layers[i].name)}: ${x.format(layers[i].values[t])}`;
        return x.predicted ? `${out}<br>Predicted total: ${x.format(x.predicted[t])}` : out;
      },
    },
    xAxis: timeAxis(x.dates),
    yAxis: valueAxis(x.format, x.yName),
    series: layers.map((l) => ({ type: 'line', name: l.name, stack: 'total', symbol: 'none', lineStyle: { width: 0.5 }, areaStyle: { opacity: 0.85 }, itemStyle: { color: l.color }, data: l.values })),
  };
}

export interface FitInput {
  dates: readonly string[];
  actual: Values;
  predicted: Values;
  /** The model's interval per period, and what it is (the report's 90% band of the expected outcome, the web's predictive interval). */
  band?: { low: Values; high: Values; name: string } | null;
  /** The first held-out period, shaded to the end. */
  holdoutStart?: string | null;
  format: Format;
  yName?: string;
}

/** Actual against predicted: the band (a transparent lower edge with the width stacked on it), the prediction, the observations. */
export function fitOverTime(x: FitInput): ChartOption {
  const band = x.band ?? null;
  const last = x.dates[x.dates.length - 1];
  const holdoutArea = x.holdoutStart
    ? { silent: true, itemStyle: { color: COLORS.holdout }, label: { position: 'insideTop', color: COLORS.holdoutText }, data: [[{ name: 'holdout', xAxis: x.holdoutStart }, { xAxis: last }]] }
    : undefined;
  const heldOut = (t: number) => !!x.holdoutStart && x.dates[t] >= x.holdoutStart;
  return {
    grid: { left: 8, right: 16, top: 52, bottom: 8, containLabel: true },
    legend: { top: 0, data: band ? ['Actual', 'Predicted', band.name] : ['Actual', 'Predicted'] },
    tooltip: {
      trigger: 'axis',
      formatter: (ps: AxisParams[]) => {
        const t = ps[0].dataIndex;
        return `${esc(x.dates[t])}${heldOut(t) ? ' (holdout)' : ''}<br>${dot(COLORS.ink)}Actual: ${x.format(x.actual[t])}<br>${dot(COLORS.predicted)}Predicted: ${x.format(x.predicted[t])}`
          + (band ? ` (90%: ${x.format(band.low[t])}–${x.format(band.high[t])})` : '');
      },
    },
    xAxis: timeAxis(x.dates),
    yAxis: { ...valueAxis(x.format, x.yName), scale: true },
    series: [
      ...(band ? [
        { type: 'line', name: band.name, stack: 'band', symbol: 'none', lineStyle: { opacity: 0 }, itemStyle: { color: COLORS.band }, data: band.low },
        { type: 'line', name: band.name, stack: 'band', symbol: 'none', lineStyle: { opacity: 0 }, itemStyle: { color: COLORS.band }, areaStyle: { color: COLORS.bandFill }, data: band.high.map((h, t) => (h === null || band.low[t] === null ? null : h - band.low[t]!)) },
      ] : []),
      { type: 'line', name: 'Predicted', symbol: 'none', itemStyle: { color: COLORS.predicted }, lineStyle: { width: 2 }, data: x.predicted, ...(holdoutArea ? { markArea: holdoutArea } : {}) },
      { type: 'line', name: 'Actual', symbol: 'circle', symbolSize: 4, itemStyle: { color: COLORS.ink }, lineStyle: { width: 1, color: COLORS.ink }, data: x.actual },
    ],
  };
}
