import { Command } from 'commander';

/**
 * Each CLI command lives in its own file under `commands/` and exports `register(program)`.
 * Commands throw MarginalError for anything the user can fix; `main.ts` turns that into a one-line
 * reason on stderr and the catalogue's exit code.
 */
export type Register = (program: Command) => void;

/** The workspace path: `--workspace` beats `MARGINAL_WORKSPACE` beats `./marginal.duckdb`. */
export function workspacePath(opts: { workspace?: string }): string {
  return opts.workspace ?? process.env.MARGINAL_WORKSPACE ?? './marginal.duckdb';
}

/** Prints a value as JSON on stdout (the only thing that goes to stdout in --json mode). */
export function printJson(value: unknown): void {
  process.stdout.write(`${JSON.stringify(value, null, 2)}\n`);
}
