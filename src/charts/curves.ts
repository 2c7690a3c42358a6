/**
 * Response curves as small multiples: one panel per channel, each on its own scales, so a small
 * channel is as readable as a large one. Each panel has the channel's expected incremental outcome
 * against its spend with the 90% band (one shaded polygon), the current spend (filled circle) and the
 * break-even point (hollow diamond: where the next unit of spend returns exactly one unit, marginal
 * ROI = 1). The markers are drawn by ECharts (no font glyphs), and named in one legend above the
 * panels. The web's Insights page and the HTML report draw them with this builder, in one chart.
 */
import { BAND_OPACITY, COLORS, seriesColor } from './palette.ts';
import { escapeHtml as esc, tick, type Format } from './html.ts';
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
  /** Panels per row (default: 1 for one curve, 2 for two or four, else 3). */
  columns?: number;
  /** The current point's name in the legend (default 'current spend'; organic media: their activity). */
  currentName?: string;
  /** What the horizontal axis is, in the tooltip (default 'spend'; organic media: 'activity'). */
  xName?: string;
}

/** The legend's names of the two markers (also the scatter series' names). */
export const CURRENT_SPEND = 'current spend';
export const BREAK_EVEN = 'break-even (marginal ROI = 1)';

/** Height of one panel in px, its title included, and of the legend above the panels. */
export const PANEL_HEIGHT = 210;
export const LEGEND_HEIGHT = 34;

interface PolygonApi { coord(p: [number, number]): [number, number] }

/** Panels per row for `n` curves. */
export function curveColumns(n: number, columns?: number): number {
  if (columns && columns > 0) return Math.min(columns, Math.max(1, n));
  return n <= 1 ? 1 : n === 2 || n === 4 ? 2 : 3;
}

/** The height in px a chart of `n` panels needs (the caller sizes its element with it). */
export function responseCurvesHeight(n: number, columns?: number): number {
  return LEGEND_HEIGHT + Math.max(1, Math.ceil(n / curveColumns(n, columns))) * PANEL_HEIGHT;
}

export function responseCurves(x: CurveInput): ChartOption {
  const n = x.curves.length;
  const cols = curveColumns(n, x.columns);
  const w = 100 / cols;
  // Panels in percent across (the chart follows its element's width) and in px down (the height is set from them).
  const cell = (i: number) => ({ col: i % cols, row: Math.floor(i / cols) });
  const titleTop = (i: number) => LEGEND_HEIGHT + cell(i).row * PANEL_HEIGHT;
  const grid = x.curves.map((_, i) => ({
    left: `${(cell(i).col * w + 0.5).toFixed(2)}%`, width: `${(w - 3).toFixed(2)}%`,
    top: titleTop(i) + 26, height: PANEL_HEIGHT - 26 - 34, containLabel: true,
  }));
  const title = x.curves.map((c, i) => ({
    text: c.name, left: `${(cell(i).col * w + 0.5).toFixed(2)}%`, top: titleTop(i) + 2,
    textStyle: { fontSize: 13, fontWeight: 600, color: COLORS.ink },
  }));
  const axis = (format: Format) => ({ type: 'value', min: 0, splitNumber: 4, axisLabel: { formatter: tick(format), hideOverlap: true, fontSize: 11 }, splitLine: { lineStyle: { color: COLORS.grid } } });
  const xAxis = x.curves.map((_, i) => ({ ...axis(x.format.spend), gridIndex: i }));
  const yAxis = x.curves.map((_, i) => ({ ...axis(x.format.outcome), gridIndex: i }));
  const series = x.curves.flatMap((c, i) => {
    const color = c.color ?? seriesColor(i);
    const pts = c.points;
    const at = { xAxisIndex: i, yAxisIndex: i };
    return [
      // The 90% interval as one shaded polygon (upper edge out, lower edge back), drawn once.
      {
        name: c.name, type: 'custom', color, silent: true, z: 1, tooltip: { show: false }, encode: { x: 0, y: [1, 2] }, ...at,
        data: pts.map((p) => [p.spend, p.low, p.high]),
        renderItem: (params: { dataIndex: number }, api: PolygonApi) => (params.dataIndex !== 0 ? null : {
          type: 'polygon', shape: { points: [...pts.map((p) => api.coord([p.spend, p.high])), ...[...pts].reverse().map((p) => api.coord([p.spend, p.low]))] },
          style: { fill: color, opacity: BAND_OPACITY },
        }),
      },
      { name: c.name, type: 'line', symbol: 'none', color, z: 2, lineStyle: { width: 2 }, data: pts.map((p) => [p.spend, p.expected]), ...at },
      ...(c.current ? [{ name: x.currentName ?? CURRENT_SPEND, type: 'scatter', symbol: 'circle', symbolSize: 10, z: 4, itemStyle: { color: COLORS.ink }, data: [{ value: [c.current.spend, c.current.expected], channel: c.name }], ...at }] : []),
      ...(c.breakEven ? [{ name: BREAK_EVEN, type: 'scatter', symbol: 'diamond', symbolSize: 13, z: 3, itemStyle: { color: '#fff', borderColor: COLORS.ink, borderWidth: 2 }, data: [{ value: [c.breakEven.spend, c.breakEven.expected], channel: c.name }], ...at }] : []),
    ];
  });
  const markers = [...(x.curves.some((c) => c.current) ? [x.currentName ?? CURRENT_SPEND] : []), ...(x.curves.some((c) => c.breakEven) ? [BREAK_EVEN] : [])];
  return {
    title, grid, xAxis, yAxis, series,
    legend: { top: 4, left: 'center', data: markers, selectedMode: false },
    tooltip: {
      trigger: 'item',
      formatter: (p: { seriesType: string; seriesName: string; value: number[]; data: { channel?: string } }) => (p.seriesType === 'scatter'
        ? `${esc(p.data.channel ?? '')}, ${esc(p.seriesName)}: ${x.xName ?? 'spend'} ${x.format.spend(p.value[0])}, outcome ${x.format.outcome(p.value[1])}`
        : `${esc(p.seriesName)}: ${x.xName ?? 'spend'} ${x.format.spend(p.value[0])}, outcome ${x.format.outcome(p.value[1])}`),
    },
  };
}
