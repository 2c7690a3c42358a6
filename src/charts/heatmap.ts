/**
 * The correlation heat-map of a harmonized table's channels (the web's Data page). The colour scale
 * stands on the right in a margin of its own, and the grid keeps its axis labels inside it, so the
 * scale never sits on the channel names whatever the width.
 */
import { COLORS } from './palette.ts';
import { escapeHtml as esc } from './html.ts';
import type { ChartOption } from './overTime.ts';

export interface HeatmapInput {
  channels: readonly string[];
  /** Row i, column j: the correlation of channels i and j, or null when undefined. */
  matrix: readonly (readonly (number | null)[])[];
}

/** Room on the right for the colour scale, in px. */
const SCALE_WIDTH = 72;

export function correlationHeatmap(x: HeatmapInput): ChartOption {
  const ch = x.channels;
  // White figures on the dark ends of the scale, ink on the light middle: readable on every cell.
  const data = x.matrix.flatMap((row, i) => row.map((v, j) => ({ value: [j, i, v === null ? null : Number(v.toFixed(2))], label: { color: v !== null && Math.abs(v) > 0.6 ? '#fff' : COLORS.ink } })));
  return {
    tooltip: {
      position: 'top',
      formatter: (p: { value: [number, number, number | null] }) => `${esc(ch[p.value[1]])} and ${esc(ch[p.value[0]])}: ${p.value[2] === null ? 'undefined' : p.value[2].toFixed(2)}`,
    },
    grid: { left: 8, right: SCALE_WIDTH + 12, top: 10, bottom: 8, containLabel: true },
    xAxis: { type: 'category', data: ch, axisLabel: { rotate: ch.length > 4 ? 30 : 0, interval: 0, color: COLORS.ink } },
    yAxis: { type: 'category', data: ch, inverse: true, axisLabel: { interval: 0, color: COLORS.ink } },
    visualMap: {
      min: -1, max: 1, calculable: false, orient: 'vertical', right: 8, top: 'middle', itemWidth: 14, itemHeight: 120,
      text: ['+1', '-1'], textGap: 6, textStyle: { color: COLORS.ink },
      inRange: { color: ['#2166ac', '#f7f7f7', '#b2182b'] },
    },
    series: [{ type: 'heatmap', data, label: { show: true } }],
  };
}
