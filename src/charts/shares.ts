/** Share of spend beside share of effect per channel: where the money goes against where the outcome comes from. */
import { COLORS } from './palette.ts';
import { dot, escapeHtml as esc, percent } from './html.ts';
import { channelAxis } from './roi.ts';
import type { ChartOption } from './overTime.ts';

export interface ShareInput {
  channels: readonly { name: string; shareOfSpend: number | null; shareOfEffect: number | null }[];
  labelWidth?: number;
}

export function shareBars(x: ShareInput): ChartOption {
  const cs = x.channels;
  return {
    grid: { left: 8, right: 16, top: 36, bottom: 8, containLabel: true },
    legend: { top: 0, data: ['Share of spend', 'Share of effect'] },
    tooltip: {
      trigger: 'axis', axisPointer: { type: 'shadow' },
      formatter: (ps: { dataIndex: number }[]) => {
        const c = cs[ps[0].dataIndex];
        return `<b>${esc(c.name)}</b><br>${dot(COLORS.reference)}Share of spend: ${percent(c.shareOfSpend)}<br>${dot(COLORS.predicted)}Share of effect: ${percent(c.shareOfEffect)}`;
      },
    },
    xAxis: channelAxis(cs.map((c) => c.name), x.labelWidth),
    yAxis: { type: 'value', axisLabel: { formatter: (v: number) => `${Math.round(v * 100)}%` }, splitLine: { lineStyle: { color: COLORS.grid } } },
    series: [
      { type: 'bar', name: 'Share of spend', itemStyle: { color: COLORS.reference }, data: cs.map((c) => c.shareOfSpend) },
      { type: 'bar', name: 'Share of effect', itemStyle: { color: COLORS.predicted }, data: cs.map((c) => c.shareOfEffect) },
    ],
  };
}
