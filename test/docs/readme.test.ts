/**
 * The README's "A session with the command line" runs as written. Its ```sh blocks are read from
 * README.md, and each line is run in order — `cd DIR` moves, `marginal …` runs `bin/marginal` with a
 * temporary workspace — from a temporary copy of the repo root holding a copy of `examples/` (and
 * `data/`, linked), so every file the session names must be in the repo, and what it writes lands in
 * the copy. Each command must exit 0 and leave what the README says it does: datasets ingested, the
 * harmonized table and its report, a fitted model whose id is the one the later commands use, the
 * insights tables, the report, saved plans that `plans compare` finds; `serve` is started on a free
 * port, asked for the models and plans, and stopped. Any other line is an error: the README may not
 * show what this test does not run.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import { cpSync, existsSync, mkdtempSync, readFileSync, readdirSync, rmSync, statSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const repo = fileURLToPath(new URL('../../', import.meta.url));
const bin = join(repo, 'bin/marginal');
const SECTION = '## A session with the command line';

/** The command lines of the section's ```sh blocks, comments dropped. */
function sessionCommands(readme: string): string[] {
  const start = readme.indexOf(`\n${SECTION}\n`);
  assert.ok(start >= 0, `README.md has no section '${SECTION}'`);
  const rest = readme.slice(start + SECTION.length + 2);
  const end = rest.search(/^## /m);
  const section = end >= 0 ? rest.slice(0, end) : rest;
  const lines: string[] = [];
  for (const block of section.matchAll(/^```sh\n([\s\S]*?)^```$/gm)) {
    for (const raw of block[1].split('\n')) {
      const line = raw.replace(/(^|\s)#.*$/, '').trim();
      if (line) lines.push(line);
    }
  }
  return lines;
}

/** Whitespace-separated words; anything a shell would read differently (quotes, pipes, variables, globs …) is refused. */
function words(line: string): string[] {
  assert.doesNotMatch(line, /["'`$|&;<>*?\\(){}]/, `README line needs a shell to run: ${line}`);
  return line.split(/\s+/);
}

test('README "A session with the command line" runs as written', { timeout: 600_000 }, async () => {
  const readme = readFileSync(join(repo, 'README.md'), 'utf8');
  const commands = sessionCommands(readme);
  assert.ok(commands.length >= 10, `the session has ${commands.length} command lines`);
  const root = mkdtempSync(join(tmpdir(), 'marginal-readme-'));
  const timings: string[] = [];
  try {
    cpSync(join(repo, 'examples'), join(root, 'examples'), { recursive: true });
    symlinkSync(join(repo, 'data'), join(root, 'data'));
    const workspace = join(root, 'ws.duckdb');
    let cwd = root;
    const models = new Set<string>(), plans = new Set<string>(), datasets = new Set<string>();
    let harmonized: string | null = null;
    for (const line of commands) {
      const [cmd, ...args] = words(line);
      if (cmd === 'cd') {
        assert.equal(args.length, 1, line);
        cwd = resolve(cwd, args[0]);
        assert.ok(existsSync(cwd) && statSync(cwd).isDirectory(), `${line}: no such folder in the repo`);
        continue;
      }
      assert.equal(cmd, 'marginal', `README line is not a marginal command: ${line}`);
      const sub = args[0];
      const t0 = Date.now();
      if (sub === 'serve') {
        await serve(args, workspace, cwd, models, plans);
        timings.push(`${line}: ${Date.now() - t0} ms`);
        continue;
      }
      const r = spawnSync(process.execPath, [bin, '--workspace', workspace, ...args], { cwd, encoding: 'utf8', timeout: 300_000 });
      timings.push(`${line}: ${Date.now() - t0} ms`);
      assert.equal(r.status, 0, `${line}: exit ${r.status}${r.signal ? ` (${r.signal})` : ''}\n${r.stderr}`);
      const opt = (name: string) => { const i = args.indexOf(name); return i >= 0 ? args[i + 1] : undefined; };
      const at = (p: string) => resolve(cwd, p);
      switch (sub) {
        case 'ingest': {
          const m = /^ingested (\S+) as '([^']+)'.*?: ([\d,]+) rows/m.exec(r.stdout);
          assert.ok(m, `${line}: ${r.stdout}`);
          assert.equal(m[1], args[1]);
          assert.ok(Number(m[3].replaceAll(',', '')) > 0, line);
          datasets.add(m[2]);
          break;
        }
        case 'harmonize': {
          const m = /^harmonized '([^']+)': ([\d,]+) rows/m.exec(r.stdout);
          assert.ok(m, `${line}: ${r.stdout}`);
          assert.equal(m[1], opt('--name'));
          harmonized = m[1];
          const report = opt('--report');
          if (report) assert.equal(JSON.parse(readFileSync(at(report), 'utf8')).rows, Number(m[2].replaceAll(',', '')), `${line}: the report`);
          break;
        }
        case 'fit': {
          const m = /^model (\S+) \(/m.exec(r.stdout);
          assert.ok(m, `${line}: no model id in\n${r.stdout}`);
          models.add(m[1]);
          const config = JSON.parse(readFileSync(at(args[1]), 'utf8'));
          if (config.data.harmonized) assert.equal(config.data.harmonized, harmonized, `${line}: the config's harmonized table is the one the session harmonized`);
          // the fit table has a row for every channel of the config
          for (const ch of config.channels as { name: string }[]) assert.match(r.stdout, new RegExp(`^${ch.name}\\b`, 'm'), `${line}: channel ${ch.name}`);
          break;
        }
        case 'insights': {
          assert.ok(models.has(args[1]), `${line}: '${args[1]}' is not a model this session fitted (${[...models].join(', ')})`);
          const files = readdirSync(at(opt('--out')!));
          for (const f of ['channels.csv', 'channels.parquet', 'decomposition.csv', 'response_curves.csv']) assert.ok(files.includes(f), `${line}: no ${f}`);
          break;
        }
        case 'report': {
          assert.ok(models.has(args[1]), `${line}: '${args[1]}' is not a model this session fitted (${[...models].join(', ')})`);
          const html = readFileSync(at(opt('--out')!), 'utf8');
          assert.match(html, /^<!doctype html>/i, line);
          assert.ok(html.includes(args[1]), `${line}: the report names the model`);
          break;
        }
        case 'optimize': {
          const m = /\bplan (\S+) on model (\S+?):/.exec(r.stdout);
          assert.ok(m, `${line}: ${r.stdout}`);
          assert.ok(models.has(m[2]), `${line}: the plan's model '${m[2]}' is not one this session fitted`);
          plans.add(m[1]);
          break;
        }
        case 'plans': {
          assert.equal(args[1], 'compare', line);
          for (const id of args.slice(2, 4)) {
            assert.ok(plans.has(id), `${line}: '${id}' is not a plan this session saved (${[...plans].join(', ')})`);
            assert.ok(r.stdout.includes(id), `${line}: ${id} not in the comparison`);
          }
          assert.match(r.stdout, /B − A/, line);
          break;
        }
        default:
          // A command this test has no particular check for still has to succeed (above).
          break;
      }
    }
    for (const expected of ['ingest', 'harmonize', 'fit', 'report', 'optimize', 'serve']) {
      assert.ok(commands.some((l) => l.startsWith(`marginal ${expected} `) || l === `marginal ${expected}`), `the session no longer runs \`marginal ${expected}\``);
    }
    assert.ok(datasets.size >= 3 && models.size >= 1 && plans.size >= 2, `datasets ${[...datasets]}, models ${[...models]}, plans ${[...plans]}`);
  } finally {
    console.error(timings.join('\n'));
    rmSync(root, { recursive: true, force: true });
  }
});

/** `marginal serve …` on a free port: up within 60 s, answers with the session's models and plans, stops on SIGTERM within 20 s. */
async function serve(args: string[], workspace: string, cwd: string, models: Set<string>, plans: Set<string>): Promise<void> {
  assert.ok(!args.includes('--port'), 'the test picks the port');
  const child = spawn(process.execPath, [bin, '--workspace', workspace, ...args, '--port', '0'], { cwd, stdio: ['ignore', 'pipe', 'pipe'] });
  let stdout = '', stderr = '';
  child.stdout.setEncoding('utf8').on('data', (s: string) => { stdout += s; });
  child.stderr.setEncoding('utf8').on('data', (s: string) => { stderr += s; });
  const exited = new Promise<number | null>((done) => child.once('exit', (code) => done(code)));
  const within = <T>(p: Promise<T>, ms: number, what: string) => Promise.race([p, new Promise<never>((_, fail) => setTimeout(() => fail(new Error(`${what} within ${ms / 1000} s\nstdout: ${stdout}\nstderr: ${stderr}`)), ms).unref())]);
  try {
    const url = await within(new Promise<string>((found, fail) => {
      const look = () => { const m = /running at (http:\/\/\S+)/.exec(stdout); if (m) found(m[1]); };
      child.stdout.on('data', look);
      void exited.then((code) => fail(new Error(`serve exited (${code}) before listening\n${stderr}`)));
    }), 60_000, 'serve did not start listening');
    const listed = await (await fetch(`${url}/api/models`)).text();
    for (const id of models) assert.ok(listed.includes(id), `GET /api/models does not list ${id}: ${listed.slice(0, 300)}`);
    const savedPlans = await (await fetch(`${url}/api/plans`)).text();
    for (const id of plans) assert.ok(savedPlans.includes(id), `GET /api/plans does not list ${id}: ${savedPlans.slice(0, 300)}`);
    child.kill('SIGTERM');
    assert.equal(await within(exited, 20_000, 'serve did not stop on SIGTERM'), 0, `serve exit code\n${stderr}`);
  } finally {
    if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
  }
}
