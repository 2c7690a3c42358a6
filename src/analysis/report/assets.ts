/**
 * The two scripts the report inlines. This is the one place in analysis that reads files: the report
 * must open with no network, so the ECharts UMD bundle (~1.1 MB, from the `echarts` package) and our
 * client script are read from disk at render time and embedded in the page. Both are read once and
 * cached. Throws a MarginalError (INTERNAL) if the echarts package is not installed.
 */
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { MarginalError } from '../../errors.ts';

let cache: { echarts: string; client: string } | undefined;

export function reportScripts(): { echarts: string; client: string } {
  if (cache) return cache;
  let echarts: string;
  try {
    const require = createRequire(import.meta.url);
    echarts = readFileSync(require.resolve('echarts/dist/echarts.min.js'), 'utf8');
  } catch (e) {
    throw new MarginalError('INTERNAL', `report: cannot read the ECharts bundle (is the echarts package installed?): ${(e as Error).message}`);
  }
  const client = readFileSync(new URL('./client.js', import.meta.url), 'utf8');
  cache = { echarts, client };
  return cache;
}
