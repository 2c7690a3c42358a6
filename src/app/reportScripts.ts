/**
 * The two scripts the HTML report inlines: the report must open with no network, so the ECharts UMD
 * bundle (~1.1 MB, from the `echarts` package) and the report's client script are embedded in the
 * page. The client (src/analysis/report/client.ts) is bundled with the chart module it shares with the
 * web app (src/charts) into one plain ES2017 script by esbuild — the compiler tsx already runs this
 * code with. Made here and handed to `renderReport`, because the analysis code does no I/O. Both are
 * made once and cached. Throws a MarginalError (INTERNAL) if the echarts package is not installed or
 * the client does not build.
 */
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';
import { buildSync } from 'esbuild';
import { MarginalError } from '../errors.ts';
import type { ReportScripts } from '../analysis/report/types.ts';
import { sourceUrl } from '../paths.ts';

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
  cache = { echarts, client: clientScript() };
  return cache;
}

/** client.ts and what it imports as one self-running script (an IIFE): no imports, no source map. */
function clientScript(): string {
  try {
    const out = buildSync({
      entryPoints: [fileURLToPath(sourceUrl('analysis/report/client.ts'))],
      bundle: true, write: false, format: 'iife', platform: 'browser', target: 'es2017', charset: 'utf8', legalComments: 'none', logLevel: 'silent',
    });
    return out.outputFiles[0].text;
  } catch (e) {
    throw new MarginalError('INTERNAL', `report: cannot build the report's chart script: ${(e as Error).message}`);
  }
}
