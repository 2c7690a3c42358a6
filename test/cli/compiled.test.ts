/**
 * The compiled CLI (scripts/build-cli.mjs, what `npm install` builds into dist/cli): built here into a
 * folder of its own, it lists its commands, fits a model with NUTS in worker threads (their entry
 * points and the target factory are found from the bundle), writes a report (the client script is
 * built from the sources) and serves the web app — the paths src/paths.ts names from a bundle.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('../../', import.meta.url));

test('the compiled CLI runs its commands: help, a NUTS fit in workers, a report and the web app', async () => {
  // Inside the repo, so the bundle's packages resolve from node_modules (out/ is ignored by git).
  const out = join(root, 'out', `cli-compiled-${process.pid}`);
  const build = spawnSync(process.execPath, [join(root, 'scripts', 'build-cli.mjs'), '--out', out], { encoding: 'utf8' });
  assert.equal(build.status, 0, build.stderr);
  const dir = mkdtempSync(join(tmpdir(), 'compiled-cli-'));
  const workspace = join(dir, 'ws.duckdb');
  const run = (...args: string[]) => spawnSync(process.execPath, [join(out, 'main.js'), '--workspace', workspace, ...args], { encoding: 'utf8', cwd: dir });
  try {
    const help = run('--help');
    assert.equal(help.status, 0, help.stderr);
    assert.match(help.stdout, /fit \[options\] <config>/);
    assert.equal(run('simulate', '--out', join(dir, 'sim'), '--weeks', '60', '--channels', '2').status, 0);
    const fit = run('--create', 'fit', join(dir, 'sim', 'model.json'), '--chains', '2', '--warmup', '100', '--draws', '100', '--json');
    assert.equal(fit.status, 0, fit.stderr);
    const output = JSON.parse(fit.stdout) as { modelId: string; approximate: boolean; diagnostics: { rhatMax: number } };
    assert.equal(output.approximate, false, 'sampled by NUTS, in worker threads');
    const report = run('report', output.modelId, '--out', join(dir, 'report.html'));
    assert.equal(report.status, 0, report.stderr);
    assert.match(readFileSync(join(dir, 'report.html'), 'utf8'), /<script>[\s\S]{1000,}<\/script>/, 'the report inlines its client script');

    const server = spawn(process.execPath, [join(out, 'main.js'), '--workspace', workspace, 'serve', '--port', '0'], { cwd: dir });
    try {
      const url = await new Promise<string>((resolve, reject) => {
        let text = '';
        server.stdout.on('data', (b: Buffer) => { text += b.toString(); const m = /running at (http:\/\/\S+)/.exec(text); if (m) resolve(m[1]); });
        server.on('exit', (code) => reject(new Error(`serve exited with ${code}`)));
      });
      const page = await fetch(url);
      assert.equal(page.status, 200);
      const html = await page.text();
      assert.match(html, /<div id="root"|<script type="module"/, 'the built web app (serve builds it when missing), found from the bundle');
    } finally { server.kill('SIGTERM'); }
  } finally {
    rmSync(out, { recursive: true, force: true });
    rmSync(dir, { recursive: true, force: true });
  }
});
