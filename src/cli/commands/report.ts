import { writeOutput } from '../writeOutput.ts';
import type { Command } from 'commander';
import { modelReport } from '../../app/report.ts';
import { existingWorkspace } from '../program.ts';

export function register(program: Command): void {
  program
    .command('report')
    .description('Write a self-contained HTML report of a fitted model (opens offline in any browser)')
    .argument('<model>', 'model id (see `marginal models`)')
    .requiredOption('--out <file>', 'output HTML file, e.g. report.html')
    .action(async (id: string, flags: { out: string }, cmd: Command) => {
      const html = await modelReport(existingWorkspace(cmd.optsWithGlobals()), id);
      writeOutput('--out', flags.out, html);
      process.stdout.write(`wrote ${flags.out} (${(html.length / 1e6).toFixed(1)} MB)\n`);
    });
}
