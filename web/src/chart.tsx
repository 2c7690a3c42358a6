/** One ECharts chart (SVG renderer: crisp, printable, and its marks are DOM elements tests can count). */
import { useEffect, useRef } from 'react';
import * as echarts from 'echarts/core';
import { BarChart, HeatmapChart, LineChart, PieChart, ScatterChart, CustomChart } from 'echarts/charts';
import { GridComponent, LegendComponent, TooltipComponent, VisualMapComponent, MarkPointComponent, MarkLineComponent, MarkAreaComponent, TitleComponent, DataZoomComponent } from 'echarts/components';
import { SVGRenderer } from 'echarts/renderers';

/** Series colours, in order: the one palette of the web app and the HTML report (src/charts/palette.ts). */
export { PALETTE, COLORS } from '../../src/charts/palette.ts';

echarts.use([BarChart, HeatmapChart, LineChart, PieChart, ScatterChart, CustomChart, GridComponent, LegendComponent, TooltipComponent, VisualMapComponent, MarkPointComponent, MarkLineComponent, MarkAreaComponent, TitleComponent, DataZoomComponent, SVGRenderer]);

export function Chart({ option, height = 320, label, testId }: { option: Record<string, unknown>; height?: number; label: string; testId?: string }) {
  const ref = useRef<HTMLDivElement>(null);
  const chart = useRef<echarts.ECharts | null>(null);
  useEffect(() => {
    if (!ref.current) return;
    chart.current = echarts.init(ref.current, undefined, { renderer: 'svg' });
    // The instance on its element, for the browser tests that measure legends against labels.
    (ref.current as HTMLDivElement & { echarts?: echarts.ECharts }).echarts = chart.current;
    const resize = () => chart.current?.resize();
    const obs = new ResizeObserver(resize);
    obs.observe(ref.current);
    return () => { obs.disconnect(); chart.current?.dispose(); chart.current = null; };
  }, []);
  useEffect(() => { chart.current?.setOption({ animation: false, ...option }, true); }, [option]);
  return <div className="chart" role="img" aria-label={label} data-testid={testId} ref={ref} style={{ height }} />;
}
