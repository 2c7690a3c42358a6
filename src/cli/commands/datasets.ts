import type { Command } from 'commander';
import { existingWorkspace, printJson } from '../program.ts';
import { listDatasets, listHarmonized, withWorkspace } from '../../data/index.ts';

export function register(program: Command): void {
  program
    .command('datasets')
    .description('List the datasets and harmonized tables in the workspace')
    .option('--json', 'print as JSON')
    .action(async (opts, cmd: Command) => {
      const { datasets, harmonized } = await withWorkspace(existingWorkspace(cmd.optsWithGlobals()), async (ws) => ({ datasets: await listDatasets(ws), harmonized: await listHarmonized(ws) }));
      if (opts.json) return printJson({ datasets, harmonized });
      const lines = datasets.map((d) => `${d.id.padEnd(24)} ${d.kind.padEnd(12)} ${d.layout.padEnd(7)} ${String(d.rows).padStart(9)} rows  ${d.source}`);
      lines.push(...harmonized.map((h) => `${h.id.padEnd(24)} ${'harmonized'.padEnd(12)} ${h.grain.padEnd(7)} ${String(h.rows).padStart(9)} rows  ${h.columns.length} columns from ${h.datasets.join(', ')}`));
      process.stdout.write(lines.length ? `${lines.join('\n')}\n` : 'the workspace is empty; add data with `marginal ingest FILE --kind mixed` (each column given a role) or --kind summary|conversions|factors\n');
    });
}
