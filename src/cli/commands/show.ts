import type { Command } from 'commander';
import { printJson, workspacePath } from '../program.ts';
import { getDataset, getHarmonized, listHarmonized, previewDataset, previewHarmonized, withWorkspace } from '../../data/index.ts';

export function register(program: Command): void {
  program
    .command('show')
    .description('Describe a dataset or harmonized table and preview its first rows')
    .argument('<id>', 'dataset or harmonized table id')
    .option('--rows <n>', 'rows to preview', '10')
    .option('--json', 'print as JSON')
    .action(async (id: string, opts, cmd: Command) => {
      const limit = Number(opts.rows) || 10;
      const out = await withWorkspace(workspacePath(cmd.optsWithGlobals()), async (ws) => {
        if ((await listHarmonized(ws)).some((h) => h.id === id)) return { type: 'harmonized', info: await getHarmonized(ws, id), rows: await previewHarmonized(ws, id, limit) };
        return { type: 'dataset', info: await getDataset(ws, id), rows: await previewDataset(ws, id, limit) };
      });
      if (opts.json) return printJson(out);
      const { rows, info } = out;
      process.stdout.write(`${out.type} ${id}: ${JSON.stringify({ ...info, report: undefined, warnings: undefined, mapping: undefined })}\n`);
      if (rows.length) {
        const cols = Object.keys(rows[0]);
        process.stdout.write(`${cols.join('\t')}\n${rows.map((r) => cols.map((c) => fmt(r[c])).join('\t')).join('\n')}\n`);
      }
    });
}

function fmt(v: unknown): string {
  if (v === null || v === undefined) return '';
  if (typeof v === 'number') return Number.isInteger(v) ? String(v) : v.toPrecision(6);
  return String(v);
}
