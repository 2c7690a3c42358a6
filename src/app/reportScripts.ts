/**
 * The two scripts the HTML report inlines, read from disk: the report must open with no network, so
 * the ECharts UMD bundle (~1.1 MB, from the `echarts` package) and the report's client script
 * (src/analysis/report/client.js) are embedded in the page. Read here and handed to `renderReport`,
 * because the analysis code does no I/O. Both are read once and cached. Throws a MarginalError
 * (INTERNAL) if the echarts package is not installed.
 */
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { MarginalError } from '../errors.ts';
import type { ReportScripts } from '../analysis/report/types.ts';

let cache: ReportScripts | undefined;

export function reportScripts(): ReportScripts {
  if (cache) return cache;
  let echarts: string;
  try {
    const require = createRequire(import.meta.url);
    echarts = readFileSync(require.resolve('echarts/dist/echarts.min.js'), 'utf8');
  } catch (e) {
    throw new MarginalError('INTERNAL', `report: cannot read the ECharts bundle (is the echarts package installed?): ${(e as Error).message}`);
  }
  const client = readFileSync(new URL('../analysis/report/client.js', import.meta.url), 'utf8');
  cache = { echarts, client };
  return cache;
}
