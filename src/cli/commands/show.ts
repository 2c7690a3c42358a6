import type { Command } from 'commander';
import { existingWorkspace, printJson } from '../program.ts';
import { renderTable } from '../table.ts';
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
      const out = await withWorkspace(existingWorkspace(cmd.optsWithGlobals()), async (ws) => {
        if ((await listHarmonized(ws)).some((h) => h.id === id)) return { type: 'harmonized', info: await getHarmonized(ws, id), rows: await previewHarmonized(ws, id, limit) };
        return { type: 'dataset', info: await getDataset(ws, id), rows: await previewDataset(ws, id, limit) };
      });
      if (opts.json) return printJson(out);
      const { rows, info } = out;
      // Metadata one field a line (nested values as compact JSON); the rows as an aligned table.
      const meta = Object.entries(info as unknown as Record<string, unknown>).filter(([k, v]) => !['report', 'warnings', 'mapping'].includes(k) && v !== undefined && v !== null);
      const width = Math.max(...meta.map(([k]) => k.length));
      process.stdout.write(`${out.type} ${id}\n${meta.map(([k, v]) => `  ${k.padEnd(width)}  ${typeof v === 'object' ? JSON.stringify(v) : typeof v === 'number' ? fmt(v) : String(v)}`).join('\n')}\n\n`);
      if (rows.length) {
        const cols = Object.keys(rows[0]);
        const numeric = cols.map((c) => rows.every((r) => r[c] === null || typeof r[c] === 'number'));
        process.stdout.write(`${renderTable(cols.map((c, j) => ({ header: c, align: numeric[j] ? 'right' as const : 'left' as const })), rows.map((r) => cols.map((c) => fmt(r[c])))).join('\n')}\n`);
      }
    });
}

/** Plain numbers with grouping and up to 4 decimals (2754370 → "2,754,370"; 0.12345 → "0.1235"), never an exponent. */
function fmt(v: unknown): string {
  if (v === null || v === undefined) return '';
  if (typeof v === 'number') return Number.isFinite(v) ? new Intl.NumberFormat('en-US', { maximumFractionDigits: Math.abs(v) >= 1000 ? 0 : 4 }).format(v) : String(v);
  if (v instanceof Date) return v.toISOString().slice(0, 10);
  return String(v);
}
