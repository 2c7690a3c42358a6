/**
 * Marginal's charts, one module for the web app and the HTML report: the palette, and the ECharts
 * options of the charts both draw (contributions and fit over time, ROI with intervals, share of
 * spend vs. effect, response curves). No DOM, no ECharts import: each caller renders the option.
 * The web imports it through vite; the report bundles it into its inlined client script
 * (src/analysis/report/assets.ts).
 */
export { PALETTE, COLORS, BAND_OPACITY, seriesColor } from './palette.ts';
export { escapeHtml, dot, percent, tick, type Format } from './html.ts';
export { contributionsOverTime, fitOverTime, type ChartOption, type ContributionsInput, type FitInput } from './overTime.ts';
export { roiBars, errorBar, priorBox, niceCeil, channelAxis, type RoiChannel, type RoiInput } from './roi.ts';
export { shareBars, type ShareInput } from './shares.ts';
export { responseCurves, responseCurvesHeight, curveColumns, CURRENT_SPEND, BREAK_EVEN, type CurveInput } from './curves.ts';
export { correlationHeatmap, type HeatmapInput } from './heatmap.ts';
export { segmentHeatmap, type SegmentHeatmapInput } from './segmentHeatmap.ts';
