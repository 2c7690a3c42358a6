/**
 * Type-checks a few files with the repo's own TypeScript (node_modules/.bin/tsc) and a tsconfig
 * written for them in a temp folder: the repo's settings (`extends`) or, for files that stand alone
 * (a generated client), the given options only.
 */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { spawnSync } from 'node:child_process';

const ROOT = resolve(import.meta.dirname, '../..');
export const TSC = join(ROOT, 'node_modules', '.bin', 'tsc');

export interface TypeCheck { status: number | null; output: string }

/** `files` (absolute) checked with the repo's tsconfig.json. */
export function typeCheckInRepo(files: string[]): TypeCheck {
  const dir = mkdtempSync(join(tmpdir(), 'marginal-tsc-'));
  writeFileSync(join(dir, 'tsconfig.json'), JSON.stringify({ extends: join(ROOT, 'tsconfig.json'), compilerOptions: { typeRoots: [join(ROOT, 'node_modules', '@types')] }, files, include: [] }));
  return run(dir);
}

/** The files of `dir` checked with these compiler options alone (a tsconfig.json is written there). */
export function typeCheckAlone(dir: string, files: string[], compilerOptions: Record<string, unknown>): TypeCheck {
  writeFileSync(join(dir, 'tsconfig.json'), JSON.stringify({ compilerOptions, files }));
  return run(dir);
}

function run(dir: string): TypeCheck {
  const r = spawnSync(TSC, ['-p', join(dir, 'tsconfig.json')], { encoding: 'utf8', timeout: 180_000 });
  return { status: r.status, output: `${r.stdout ?? ''}${r.stderr ?? ''}${r.error ? String(r.error) : ''}` };
}
