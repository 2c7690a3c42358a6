/**
 * The two scripts the report inlines. This is the one place in analysis that reads files: the report
 * must open with no network, so the ECharts UMD bundle (~1.1 MB, from the `echarts` package) and our
 * client script are embedded in the page. The client (client.ts) is bundled with the chart module it
 * shares with the web app (src/charts) into one plain ES2017 script by esbuild — the compiler tsx
 * already runs this code with — at the first render. Both are cached. Throws a MarginalError
 * (INTERNAL) if the echarts package is not installed or the client does not build.
 */
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';
import { buildSync } from 'esbuild';
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
  cache = { echarts, client: clientScript() };
  return cache;
}

/** client.ts and what it imports as one self-running script (an IIFE), no imports, no source map. */
function clientScript(): string {
  try {
    const out = buildSync({
      entryPoints: [fileURLToPath(new URL('./client.ts', import.meta.url))],
      bundle: true, write: false, format: 'iife', platform: 'browser', target: 'es2017', charset: 'utf8', legalComments: 'none', logLevel: 'silent',
    });
    return out.outputFiles[0].text;
  } catch (e) {
    throw new MarginalError('INTERNAL', `report: cannot build the report's chart script: ${(e as Error).message}`);
  }
}
