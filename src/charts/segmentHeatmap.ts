/**
 * Segment × channel heat-map (the web's Touchpoints page): incremental conversions per 1,000 exposed
 * customers of each segment, from the segment model, with each cell's 90% interval in its tooltip.
 * One colour ramp from zero (what a channel with no effect reads) to the largest cell.
 */
import { COLORS } from './palette.ts';
import { escapeHtml as esc } from './html.ts';
import type { ChartOption } from './overTime.ts';

export interface SegmentHeatmapInput {
  segments: readonly string[];
  channels: readonly string[];
  /** Per cell: incremental conversions per exposed customer with its interval; null when no customer of the segment saw the channel. */
  cell: (segment: string, channel: string) => { estimate: number; lower: number; upper: number; exposed: number } | null;
  /** The formatter of the figures (the web's shared one). */
  format: (v: number) => string;
}

const SCALE_WIDTH = 72;
const PER = 1000;

export function segmentHeatmap(x: SegmentHeatmapInput): ChartOption {
  let max = 0;
  const data = x.segments.flatMap((s, i) => x.channels.map((c, j) => {
    const v = x.cell(s, c);
    if (v) max = Math.max(max, PER * v.estimate);
    return { value: [j, i, v ? PER * v.estimate : null], cell: v };
  }));
  // White figures on the dark end of the ramp, ink on the light one.
  for (const d of data) (d as Record<string, unknown>).label = { color: d.value[2] !== null && max > 0 && (d.value[2] as number) > 0.6 * max ? '#fff' : COLORS.ink };
  return {
    tooltip: {
      position: 'top',
      formatter: (p: { value: [number, number, number | null]; data: { cell: { estimate: number; lower: number; upper: number; exposed: number } | null } }) => {
        const c = p.data.cell, where = `${esc(x.segments[p.value[1]])}, ${esc(x.channels[p.value[0]])}`;
        return c ? `${where}: ${x.format(PER * c.estimate)} incremental conversions per 1,000 exposed customers (90%: ${x.format(PER * c.lower)} to ${x.format(PER * c.upper)}); ${x.format(c.exposed)} exposed` : `${where}: no customer of the segment saw the channel`;
      },
    },
    grid: { left: 8, right: SCALE_WIDTH + 12, top: 10, bottom: 8, containLabel: true },
    xAxis: { type: 'category', data: x.channels, axisLabel: { rotate: x.channels.length > 5 ? 30 : 0, interval: 0, color: COLORS.ink } },
    yAxis: { type: 'category', data: x.segments, inverse: true, axisLabel: { interval: 0, color: COLORS.ink } },
    visualMap: {
      min: 0, max: max > 0 ? max : 1, calculable: false, orient: 'vertical', right: 8, top: 'middle', itemWidth: 14, itemHeight: 120,
      text: [x.format(max), '0'], textGap: 6, textStyle: { color: COLORS.ink },
      inRange: { color: ['#f7fbff', '#6baed6', '#08306b'] },
    },
    // Each cell shows its interval under the estimate: a bright cell whose interval reaches 0 is not told apart from no effect.
    series: [{
      type: 'heatmap', data,
      label: {
        show: true, lineHeight: 16,
        formatter: (p: { value: [number, number, number | null]; data: { cell: { lower: number; upper: number } | null } }) => (p.value[2] === null || !p.data.cell ? '' : `${x.format(p.value[2])}\n{small|${x.format(PER * p.data.cell.lower)} to ${x.format(PER * p.data.cell.upper)}}`),
        rich: { small: { fontSize: 10 } },
      },
    }],
  };
}
