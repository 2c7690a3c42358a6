/**
 * `marginal --help` lists the commands from a manifest (so no command's modules load for it): the
 * manifest is what the command modules say, and the help lists every command with its usage term.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { manifestSource } from '../../scripts/gen-cli-manifest.ts';
import { commandLoaders } from '../../src/cli/commands/index.ts';
import { manifest } from '../../src/cli/commands/manifest.ts';

const bin = fileURLToPath(new URL('../../bin/marginal', import.meta.url));

test('the CLI manifest is what the command modules say (npm run gen:cli writes it)', async () => {
  const stored = readFileSync(new URL('../../src/cli/commands/manifest.ts', import.meta.url), 'utf8');
  assert.equal(stored, await manifestSource(), 'src/cli/commands/manifest.ts is out of date: run `npm run gen:cli`');
  assert.deepEqual(manifest.map((c) => c.name), Object.keys(commandLoaders), 'one entry per command, in help order');
});

test('--help lists every command with its usage term, and a mistyped command is refused with a suggestion', () => {
  const help = spawnSync(process.execPath, [bin, '--help'], { encoding: 'utf8' });
  assert.equal(help.status, 0, help.stderr);
  for (const c of manifest) assert.ok(help.stdout.includes(c.term), `--help lists ${c.term}`);
  const typo = spawnSync(process.execPath, [bin, 'fti'], { encoding: 'utf8' });
  assert.equal(typo.status, 2);
  assert.match(typo.stderr, /unknown command 'fti'[\s\S]*Did you mean fit\?/);
  // `help COMMAND` and `COMMAND --help` load that command: its own options are listed.
  for (const args of [['help', 'fit'], ['fit', '--help'], ['--workspace', 'x.duckdb', 'fit', '--help']]) {
    const r = spawnSync(process.execPath, [bin, ...args], { encoding: 'utf8' });
    assert.equal(r.status, 0, `${args.join(' ')}: ${r.stderr}`);
    assert.match(r.stdout, /Usage: marginal fit \[options\] <config>[\s\S]*--fast/, args.join(' '));
  }
});
