#!/usr/bin/env node
/**
 * Compiles the CLI into dist/cli/ (run at `npm install` by the `prepare` script, and by hand after a
 * pull): one ES-module bundle with a chunk per command, so `marginal --help` starts without
 * transpiling TypeScript and a command loads only its own code. Packages stay in node_modules.
 * bin/marginal runs the bundle while it is newer than every file of src/ (dist/cli/.stamp), and the
 * sources through tsx otherwise, so an edit never runs stale code.
 *
 * Two packages every command loads are bundled in, `@duckdb/node-api` and `commander`: loaded from
 * node_modules, Node parses each of their CommonJS files for its exports at every start (about 0.13 s of
 * CPU of a `marginal models`, measured); bundled, they are one file. DuckDB's native addon stays a
 * package (`require`d through the banner's createRequire).
 */
import { readFileSync, readdirSync, statSync, writeFileSync, rmSync } from 'node:fs';
import { join, dirname, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
// `--out DIR` (a folder inside the repo, so packages resolve from node_modules) for tests; default dist/cli.
const at = process.argv.indexOf('--out');
const out = at > 0 ? resolve(process.argv[at + 1]) : join(root, 'dist', 'cli');
const newest = (p) => (statSync(p).isDirectory() ? Math.max(0, ...readdirSync(p).map((n) => newest(join(p, n)))) : statSync(p).mtimeMs);
const started = Date.now();
const sourcesAt = newest(join(root, 'src'));
rmSync(out, { recursive: true, force: true });
const pkg = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8'));
const bundled = new Set(['@duckdb/node-api', 'commander']);
const external = [...Object.keys(pkg.dependencies ?? {}), ...Object.keys(pkg.devDependencies ?? {}), '@duckdb/node-bindings']
  .filter((d) => !bundled.has(d)).flatMap((d) => [d, `${d}/*`]);
await build({
  entryPoints: [join(root, 'src', 'cli', 'main.ts')],
  bundle: true, splitting: true, format: 'esm', platform: 'node', target: 'node20', external,
  banner: { js: "import { createRequire as __createRequire } from 'node:module'; const require = __createRequire(import.meta.url);" },
  outdir: out, logLevel: 'warning', legalComments: 'none',
  // Where src/ is from the bundle's folder: src/paths.ts names worker entries and assets from it.
  define: { __SOURCE_FROM_BUNDLE__: JSON.stringify(`${relative(out, join(root, 'src')).split('\\').join('/')}/`) },
});
// The newest source the bundle was built from: bin/marginal compares src/ against it.
writeFileSync(join(out, '.stamp'), String(sourcesAt));
process.stderr.write(`built the CLI into ${relative(root, out)} in ${((Date.now() - started) / 1000).toFixed(1)} s\n`);
