/**
 * Files the code opens by location rather than imports — worker entry points, the target factory a
 * chain worker loads, the report's client script, the built web app — named relative to `src/`. From
 * the sources, that is this file's folder; from the CLI's compiled bundle (`dist/cli/`, built by
 * scripts/build-cli.mjs at install), the sources beside it, which those files are still read from.
 */
// The compiled bundle is built with the path from its folder to src/ (scripts/build-cli.mjs `define`).
declare const __SOURCE_FROM_BUNDLE__: string | undefined;
const SOURCE_ROOT = typeof __SOURCE_FROM_BUNDLE__ === 'string' ? new URL(__SOURCE_FROM_BUNDLE__, import.meta.url) : new URL('.', import.meta.url);

/** A file under `src/` (or, with `../`, beside it) as a file URL. Example: sourceUrl('jobs/worker-bootstrap.mjs'). */
export function sourceUrl(relative: string): URL {
  return new URL(relative, SOURCE_ROOT);
}
