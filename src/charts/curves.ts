/**
 * Response curves: expected incremental outcome against spend per channel, each with its 90% band (one
 * shaded polygon), the current spend (●) and the break-even point (◆, where the next unit of spend
 * returns one). The web's Insights page and the HTML report draw them with this builder.
 */
import { BAND_OPACITY, COLORS, seriesColor } from './palette.ts';
import { escapeHtml as esc, type Format } from './html.ts';
import type { ChartOption } from './overTime.ts';

export interface CurvePoint { spend: number; expected: number }

export interface CurveInput {
  curves: readonly {
    name: string;
    /** Along the curve: spend, expected outcome and its 90% interval. */
    points: readonly (CurvePoint & { low: number; high: number })[];
    current?: CurvePoint | null;
    breakEven?: CurvePoint | null;
    /** Default: the series colour of the curve's place in the list. */
    color?: string;
  }[];
  format: { spend: Format; outcome: Format };
  xName?: string;
  yName?: string;
}

interface PolygonApi { coord(p: [number, number]): [number, number] }

export function responseCurves(x: CurveInput): ChartOption {
  const series = x.curves.flatMap((c, i) => {
    const color = c.color ?? seriesColor(i);
    const pts = c.points;
    const marks = [
      ...(c.current ? [{ value: [c.current.spend, c.current.expected], name: `${c.name} current`, symbol: 'circle', itemStyle: {} }] : []),
      ...(c.breakEven ? [{ value: [c.breakEven.spend, c.breakEven.expected], name: `${c.name} break-even`, symbol: 'diamond', itemStyle: { color: '#fff', borderColor: color, borderWidth: 2 } }] : []),
    ];
    return [
      // The 90% interval as one shaded polygon (upper edge out, lower edge back), drawn once.
      {
        name: c.name, type: 'custom', color, silent: true, z: 1, tooltip: { show: false }, encode: { x: 0, y: [1, 2] },
        data: pts.map((p) => [p.spend, p.low, p.high]),
        renderItem: (params: { dataIndex: number }, api: PolygonApi) => (params.dataIndex !== 0 ? null : {
          type: 'polygon', shape: { points: [...pts.map((p) => api.coord([p.spend, p.high])), ...[...pts].reverse().map((p) => api.coord([p.spend, p.low]))] },
          style: { fill: color, opacity: BAND_OPACITY },
        }),
      },
      { name: c.name, type: 'line', symbol: 'none', color, z: 2, lineStyle: { width: 2 }, data: pts.map((p) => [p.spend, p.expected]) },
      ...(marks.length ? [{ name: c.name, type: 'scatter', color, symbolSize: 11, z: 3, data: marks }] : []),
    ];
  });
  return {
    grid: { left: 8, right: 24, top: 36, bottom: 30, containLabel: true },
    legend: { top: 0, type: 'scroll', data: x.curves.map((c) => c.name) },
    tooltip: {
      trigger: 'item',
      formatter: (p: { seriesType: string; name: string; seriesName: string; value: number[] }) => (p.seriesType === 'scatter'
        ? `${esc(p.name)}: spend ${x.format.spend(p.value[0])}, outcome ${x.format.outcome(p.value[1])}`
        : `${esc(p.seriesName)}: spend ${x.format.spend(p.value[0])} → ${x.format.outcome(p.value[1])}`),
    },
    xAxis: { type: 'value', name: x.xName ?? 'spend', nameLocation: 'middle', nameGap: 24, axisLabel: { formatter: x.format.spend }, splitLine: { lineStyle: { color: COLORS.grid } } },
    yAxis: { type: 'value', name: x.yName, nameTextStyle: { align: 'left' }, axisLabel: { formatter: x.format.outcome }, splitLine: { lineStyle: { color: COLORS.grid } } },
    series,
  };
}
