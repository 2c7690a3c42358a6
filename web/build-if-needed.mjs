#!/usr/bin/env node
// Builds the web app (vite) into web/dist unless the build is newer than every source file.
import { existsSync, readdirSync, statSync } from 'node:fs';
import { join, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { spawnSync } from 'node:child_process';

const web = dirname(fileURLToPath(import.meta.url));
const built = join(web, 'dist', 'index.html');
const newest = (p) => statSync(p).isDirectory() ? Math.max(0, ...readdirSync(p).map((n) => newest(join(p, n)))) : statSync(p).mtimeMs;
// The app also bundles modules of src/ (the formatter it shares with the CLI and the report, the charts,
// the sub-channel rule): any change there rebuilds it too.
const sources = ['src', 'index.html', 'vite.config.ts', '../src'].map((p) => join(web, p));
if (existsSync(built) && statSync(built).mtimeMs >= Math.max(...sources.map(newest))) process.exit(0);
process.stderr.write('building the web app …\n');
const r = spawnSync(process.execPath, [join(web, '..', 'node_modules', 'vite', 'bin', 'vite.js'), 'build', web, '--config', join(web, 'vite.config.ts'), '--logLevel', 'warn'], { stdio: 'inherit' });
process.exit(r.status ?? 1);
