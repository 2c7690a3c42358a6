import type { Command } from 'commander';
import { existingWorkspace, printJson } from '../program.ts';
import { dropEntry, withWorkspace } from '../../data/index.ts';

export function register(program: Command): void {
  program
    .command('drop')
    .description('Remove a dataset or harmonized table from the workspace')
    .argument('<id>', 'dataset or harmonized table id')
    .option('--json', 'print as JSON')
    .action(async (id: string, opts, cmd: Command) => {
      const what = await withWorkspace(existingWorkspace(cmd.optsWithGlobals()), (ws) => dropEntry(ws, id));
      if (opts.json) printJson({ dropped: id, type: what });
      else process.stdout.write(`dropped ${what} '${id}'\n`);
    });
}
