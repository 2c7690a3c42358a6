import { Command, CommanderError } from 'commander';
import { MarginalError, formatProblem } from '../errors.ts';
import { commandLoaders } from './commands/index.ts';
import { manifest } from './commands/manifest.ts';

// A reader that stops early (`marginal insights M --json | head -c 200`) closes the pipe: that is the
// reader's choice, not an error, so the command ends quietly with the usual status of a closed pipe.
for (const stream of [process.stdout, process.stderr]) {
  stream.on('error', (err: NodeJS.ErrnoException) => {
    if (err.code === 'EPIPE' || err.code === 'ERR_STREAM_DESTROYED') process.exit(0);
    throw err;
  });
}

// A command that finds the workspace held by another process (another command, or `serve` mid-request)
// waits in line and says so, rather than failing or throwing away finished work.
let lastWaitLine = 0;
const reportWaits = (Workspace: typeof import('../data/workspace.ts').Workspace) => Workspace.reportWaits(({ path, waitedMs, done }) => {
  if (done) { if (lastWaitLine) process.stderr.write(`workspace ${path} is free again after ${(waitedMs / 1000).toFixed(1)} s\n`); lastWaitLine = 0; return; }
  if (waitedMs < 500 || Date.now() - lastWaitLine < 5000) return;
  lastWaitLine = Date.now();
  process.stderr.write(`waiting for workspace ${path}: another process is using it (${Math.round(waitedMs / 1000)} s so far; MARGINAL_WORKSPACE_WAIT_S sets the limit)\n`);
});

const program = new Command();
program
  .name('marginal')
  .description('Marketing mix modeling: ingest, fit, analyze, plan.')
  .option('--workspace <file>', 'DuckDB workspace file (default: $MARGINAL_WORKSPACE or ./marginal.duckdb)')
  .option('--create', 'start a new, empty workspace if none is at that path (commands that only read refuse a missing one otherwise)')
  .exitOverride()
  .configureOutput({ outputError: (str, write) => write(str) });

// Only the command that runs is loaded (commands/index.ts); without one (`--help`, a typo) the list
// comes from the manifest, with each command's usage term and description.
const name = invokedCommand(process.argv.slice(2));
const load = name !== null ? commandLoaders[name] : undefined;
if (load) {
  (await load()).register(program);
  reportWaits((await import('../data/workspace.ts')).Workspace);
} else {
  for (const c of manifest) program.command(c.name).description(c.description);
  const terms = new Map(manifest.map((c) => [c.name, c.term]));
  program.configureHelp({ subcommandTerm: (cmd) => terms.get(cmd.name()) ?? cmd.name() });
}

try {
  await program.parseAsync(process.argv);
} catch (err) {
  process.exitCode = reportError(err);
}

function reportError(err: unknown): number {
  if (err instanceof CommanderError) {
    // --help and --version exit with 0; usage errors are bad input.
    return err.exitCode === 0 ? 0 : 2;
  }
  if (err instanceof MarginalError) {
    process.stderr.write(`error: ${err.message}\n`);
    // With --json the error is JSON on stdout too, with or without problems listed (a missing file
    // has none): a script reading stdout always gets an object.
    if (process.argv.includes('--json')) {
      process.stdout.write(`${JSON.stringify({ error: err.code, detail: err.message, problems: err.problems.map((p) => ({ ...p, text: formatProblem(p) })) }, null, 2)}\n`);
    } else if (err.problems.length > 1) {
      // The message names the first problem; the next few follow, and --json has them all.
      const more = err.problems.slice(1, 11);
      for (const p of more) process.stderr.write(`  ${formatProblem(p)}\n`);
      if (err.problems.length > more.length + 1) process.stderr.write(`  … ${err.problems.length - more.length - 1} more (--json lists every one)\n`);
    }
    return err.exitCode;
  }
  process.stderr.write(`internal error: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`);
  return 1;
}

/**
 * The command the arguments name: the first one that is not a global option (`--workspace FILE`,
 * `--create`); for `help COMMAND`, that command. Null when there is none.
 */
function invokedCommand(args: string[]): string | null {
  for (let i = 0; i < args.length; i++) {
    const a = args[i];
    if (a === '--workspace') { i++; continue; }
    if (a.startsWith('-')) continue;
    return a === 'help' && args[i + 1] && !args[i + 1].startsWith('-') ? args[i + 1] : a;
  }
  return null;
}
