import { Command, CommanderError } from 'commander';
import { MarginalError, formatProblem } from '../errors.ts';
import { commands } from './commands/index.ts';

// A reader that stops early (`marginal insights M --json | head -c 200`) closes the pipe: that is the
// reader's choice, not an error, so the command ends quietly with the usual status of a closed pipe.
for (const stream of [process.stdout, process.stderr]) {
  stream.on('error', (err: NodeJS.ErrnoException) => {
    if (err.code === 'EPIPE' || err.code === 'ERR_STREAM_DESTROYED') process.exit(0);
    throw err;
  });
}

const program = new Command();
program
  .name('marginal')
  .description('Marketing mix modeling: ingest, fit, analyze, plan.')
  .option('--workspace <file>', 'DuckDB workspace file (default: $MARGINAL_WORKSPACE or ./marginal.duckdb)')
  .exitOverride()
  .configureOutput({ outputError: (str, write) => write(str) });

for (const register of commands) register(program);

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
    if (process.argv.includes('--json') && err.problems.length) {
      process.stdout.write(`${JSON.stringify({ error: err.code, detail: err.message, problems: err.problems.map((p) => ({ ...p, text: formatProblem(p) })) }, null, 2)}\n`);
    }
    return err.exitCode;
  }
  process.stderr.write(`internal error: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`);
  return 1;
}
