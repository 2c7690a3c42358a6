import { existsSync } from 'node:fs';
import { badInput } from '../errors.ts';
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

/**
 * The workspace of a command that reads what is already there (datasets, models, plans): a path with
 * no workspace is refused instead of silently becoming a new, empty one — a mistyped `--workspace`
 * would otherwise answer "no models yet" and exit 0.
 */
export function existingWorkspace(opts: { workspace?: string; create?: boolean }): string {
  const path = workspacePath(opts);
  // A mistyped path must not quietly become a new, empty workspace; `--create` says it is meant.
  if (!existsSync(path) && !opts.create) {
    throw badInput(`no workspace at '${path}': nothing has been ingested or fitted there. Check --workspace (or MARGINAL_WORKSPACE), start one with \`marginal ingest\` or \`marginal demo\`, or pass --create to start an empty one`);
  }
  return path;
}

/** Prints a value as JSON on stdout (the only thing that goes to stdout in --json mode). */
export function printJson(value: unknown): void {
  process.stdout.write(`${JSON.stringify(value, null, 2)}\n`);
}
