/**
 * ROI per channel with its interval: the web's Insights page (ROI bars in the channels' colours, each
 * with its prior's interval beside it) and the HTML report (ROI and marginal ROI side by side, the
 * break-even line) draw it with this one builder.
 */
import { COLORS, seriesColor } from './palette.ts';
import { dot, escapeHtml as esc, type Format } from './html.ts';
import type { ChartOption } from './overTime.ts';

type N = number | null | undefined;

export interface RoiChannel {
  name: string;
  roi: number; roiLow?: N; roiHigh?: N;
  /** Marginal ROI and its interval: drawn as a second bar when `mroiName` is given. */
  mroi?: N; mroiLow?: N; mroiHigh?: N;
  /** The ROI prior's 90% interval and median (Bayesian fits): a grey box beside the bar, when drawn. */
  prior?: { low: N; median: N; high: N } | null;
}

export interface RoiInput {
  channels: readonly RoiChannel[];
  format: Format;
  /** What ROI is called in the model's units ("ROI", "Conv. per unit"), and marginal ROI (omit to draw ROI alone). */
  roiName: string;
  mroiName?: string;
  /** "90%", or "90% bootstrap" for classic fits. */
  intervalName: string;
  yName: string;
  /** A line to clear (break-even ROI 1, or the average), drawn dashed. */
  threshold?: { value: number; label: string } | null;
  /** Width of a category label in px (the report sizes it to its page); long lists rotate. */
  labelWidth?: number;
}

/** Geometry ECharts gives a custom series' renderItem. */
interface RenderApi { value(i: number): number; coord(p: [number, number]): [number, number]; size(p: [number, number]): [number, number] }

/** An interval whisker for a custom series: data [x index, low, high], `shift` bar widths right of the category's centre. */
export function errorBar(shift: number) {
  return (_: unknown, api: RenderApi) => {
    if (!Number.isFinite(api.value(1)) || !Number.isFinite(api.value(2))) return null;
    const band = api.size([1, 0])[0], cap = Math.max(3, band * 0.06);
    const lo = api.coord([api.value(0), api.value(1)]), hi = api.coord([api.value(0), api.value(2)]);
    const x = lo[0] + shift * band, style = { stroke: COLORS.ink, lineWidth: 1.5 };
    return { type: 'group', children: [
      { type: 'line', shape: { x1: x, y1: lo[1], x2: x, y2: hi[1] }, style },
      { type: 'line', shape: { x1: x - cap, y1: lo[1], x2: x + cap, y2: lo[1] }, style },
      { type: 'line', shape: { x1: x - cap, y1: hi[1], x2: x + cap, y2: hi[1] }, style },
    ] };
  };
}

/** A prior's 90% interval as a hollow grey box right of the category's bar, its median a tick: data [x index, low, median, high]. */
export function priorBox(_: unknown, api: RenderApi) {
  if (!Number.isFinite(api.value(1)) || !Number.isFinite(api.value(3))) return null; // a channel whose prior is on its mROI
  const xi = api.value(0), band = api.size([1, 0])[0];
  const lo = api.coord([xi, api.value(1)]), mid = api.coord([xi, api.value(2)]), hi = api.coord([xi, api.value(3)]);
  const x = lo[0] + band * 0.33, w = band * 0.1;
  return { type: 'group', children: [
    { type: 'rect', shape: { x: x - w / 2, y: hi[1], width: w, height: lo[1] - hi[1] }, style: { fill: COLORS.referenceFill, stroke: COLORS.reference, lineWidth: 1 } },
    { type: 'line', shape: { x1: x - w / 2, y1: mid[1], x2: x + w / 2, y2: mid[1] }, style: { stroke: COLORS.referenceMark, lineWidth: 2 } },
  ] };
}

/** The next round axis maximum: 5.73 → 6, 0.87 → 0.9, 23 → 25. */
export function niceCeil(v: number): number {
  if (!(v > 0)) return 1;
  const step = 10 ** Math.floor(Math.log10(v)) / 2;
  return Math.ceil((v * 1.02) / step) * step;
}

/** A category axis of channel names: every label shown, rotated when there are many, cut to a width. */
export function channelAxis(names: readonly string[], labelWidth?: number) {
  const many = names.length > 6;
  return { type: 'category', data: names, axisLabel: { interval: 0, rotate: many ? 30 : 0, width: many ? 90 : labelWidth, overflow: 'truncate' }, axisTick: { alignWithLabel: true } };
}

export function roiBars(x: RoiInput): ChartOption {
  const cs = x.channels;
  const f = x.format, num = (v: N) => f(v ?? null);
  const iv = (lo: N, hi: N) => ` (${esc(x.intervalName)}: ${num(lo)}–${num(hi)})`;
  const paired = x.mroiName !== undefined;
  // Priors are drawn beside a lone ROI bar; beside two bars they would cover the second.
  const priors = !paired && cs.some((c) => c.prior && c.prior.high !== null && c.prior.high !== undefined);
  const roiColor = (i: number) => (paired ? COLORS.predicted : seriesColor(i));
  const tooltip = {
    trigger: 'axis', axisPointer: { type: 'shadow' },
    formatter: (ps: { dataIndex: number }[]) => {
      const i = ps[0].dataIndex, c = cs[i];
      let out = `<b>${esc(c.name)}</b><br>${dot(roiColor(i))}${esc(x.roiName)} ${num(c.roi)}${iv(c.roiLow, c.roiHigh)}`;
      if (paired) out += `<br>${dot(COLORS.band)}${esc(x.mroiName)} ${num(c.mroi)}${iv(c.mroiLow, c.mroiHigh)}`;
      if (priors && c.prior && Number.isFinite(c.prior.high ?? NaN)) out += `<br>${dot(COLORS.reference)}prior ${num(c.prior.median)} (90%: ${num(c.prior.low)}–${num(c.prior.high)})`;
      return out;
    },
  };
  const threshold = x.threshold && Number.isFinite(x.threshold.value)
    ? { silent: true, symbol: 'none', lineStyle: { color: COLORS.threshold, type: 'dashed', width: 1.5 }, label: { formatter: x.threshold.label, position: 'end', color: COLORS.threshold }, data: [{ yAxis: x.threshold.value }] }
    : undefined;
  // The axis stops at twice the highest posterior bound, so a very wide prior is cut off at the top rather than squashing the bars.
  const top = Math.max(...cs.map((c) => Number(c.roiHigh ?? c.roi ?? 0)));
  const yAxis = {
    type: 'value', name: x.yName, nameTextStyle: { align: 'left' }, splitLine: { lineStyle: { color: COLORS.grid } },
    // (The cut-off top is not a round tick: its label would crowd the tick below it.)
    ...(priors ? { max: (v: { max: number }) => niceCeil(Math.min(Math.max(v.max, top), 2 * top)), axisLabel: { showMaxLabel: false } } : {}),
  };
  const whisker = (key: 'roi' | 'mroi', shift: number, name: string) => ({
    type: 'custom', name, z: 10, tooltip: { show: false }, itemStyle: { color: COLORS.ink }, renderItem: errorBar(shift), encode: { x: 0, y: [1, 2] },
    data: cs.map((c, i) => [i, c[`${key}Low`] ?? NaN, c[`${key}High`] ?? NaN]),
  });
  if (paired) {
    // Two bars of 30% of the band with a gap of 20% of a bar: each whisker sits on its bar's centre.
    const w = 0.3, shift = (w + 0.2 * w) / 2;
    return {
      grid: { left: 8, right: 84, top: 36, bottom: 8, containLabel: true },
      legend: { top: 0, right: 0, data: [x.roiName, x.mroiName] },
      tooltip, xAxis: channelAxis(cs.map((c) => c.name), x.labelWidth), yAxis,
      series: [
        { type: 'bar', name: x.roiName, barWidth: `${w * 100}%`, barGap: '20%', itemStyle: { color: COLORS.predicted }, data: cs.map((c) => c.roi), ...(threshold ? { markLine: threshold } : {}) },
        { type: 'bar', name: x.mroiName, barWidth: `${w * 100}%`, itemStyle: { color: COLORS.band }, data: cs.map((c) => c.mroi ?? null) },
        whisker('roi', -shift, x.roiName), whisker('mroi', shift, x.mroiName!),
      ],
    };
  }
  // Each bar's value under its channel's name (inside the bar its interval's whisker would cross it).
  const axis = channelAxis(cs.map((c) => c.name), x.labelWidth);
  const xAxis = { ...axis, axisLabel: { ...axis.axisLabel, formatter: (name: string, i: number) => `${name}\n{value|${num(cs[i]?.roi)}}`, lineHeight: 17, rich: { value: { fontWeight: 600, color: COLORS.ink, lineHeight: 17 } } } };
  return {
    grid: { left: 8, right: 20, top: 36, bottom: 8, containLabel: true },
    ...(priors ? { legend: { top: 0, right: 0, data: ['posterior 90%', 'prior 90%'] } } : {}),
    tooltip, xAxis, yAxis,
    series: [
      { type: 'bar', name: x.roiName, barWidth: priors ? '40%' : undefined, data: cs.map((c, i) => ({ value: c.roi, itemStyle: { color: seriesColor(i) } })), ...(threshold ? { markLine: threshold } : {}) },
      whisker('roi', 0, 'posterior 90%'),
      ...(priors ? [{ type: 'custom', name: 'prior 90%', z: 9, itemStyle: { color: COLORS.reference }, renderItem: priorBox, clip: true, data: cs.map((c, i) => [i, c.prior?.low ?? NaN, c.prior?.median ?? NaN, c.prior?.high ?? NaN]) }] : []),
    ],
  };
}
