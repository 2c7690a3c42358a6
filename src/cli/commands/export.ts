import type { Command } from 'commander';
import { badInput } from '../../errors.ts';
import { existingWorkspace, printJson } from '../program.ts';
import { assertWritable } from '../writeOutput.ts';
import { exportDataset, exportHarmonized, withWorkspace } from '../../data/index.ts';

export function register(program: Command): void {
  program
    .command('export')
    .description('Write a harmonized table (wide) or a dataset (stored rows) to CSV or Parquet')
    .argument('<what>', 'harmonized or dataset')
    .argument('<id>', 'its id')
    .requiredOption('--out <file>', 'FILE.csv or FILE.parquet')
    .option('--json', 'print the result as JSON')
    .action(async (what: string, id: string, opts, cmd: Command) => {
      if (what !== 'harmonized' && what !== 'dataset') throw badInput(`export what must be one of harmonized, dataset; got '${what}'`);
      assertWritable('--out', opts.out);
      const r = await withWorkspace(existingWorkspace(cmd.optsWithGlobals()), (ws) => (what === 'harmonized' ? exportHarmonized(ws, id, opts.out) : exportDataset(ws, id, opts.out)));
      if (opts.json) printJson({ out: opts.out, ...r });
      else process.stdout.write(`wrote ${r.rows} rows to ${opts.out}\n`);
    });
}
