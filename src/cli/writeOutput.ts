/**
 * Files a command writes where the user said (`--out`, `--csv`, `--report`): a path that cannot be
 * written is the user's input, so it is a one-line BAD_INPUT naming the flag and the path, never an
 * internal error with a stack; `assertWritable` checks before work that would be stored anyway.
 */
import { accessSync, constants, existsSync, statSync, writeFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { badInput } from '../errors.ts';

export function writeOutput(flag: string, path: string, body: string | Uint8Array): void {
  try { writeFileSync(path, body); } catch (e) { throw badInput(`${flag}: cannot write '${path}': ${(e as Error).message}`); }
}

/** Throws BAD_INPUT unless `path` could be written: its folder exists and is writable, and it is not a folder itself. */
export function assertWritable(flag: string, path: string): void {
  const full = resolve(path), folder = dirname(full);
  const why = !existsSync(folder) ? `the folder '${folder}' does not exist`
    : existsSync(full) && statSync(full).isDirectory() ? 'it is a folder'
    : (() => { try { accessSync(existsSync(full) ? full : folder, constants.W_OK); return null; } catch { return 'permission denied'; } })();
  if (why) throw badInput(`${flag}: cannot write '${path}': ${why}`);
}
