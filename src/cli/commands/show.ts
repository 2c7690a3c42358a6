import type { Command } from 'commander';
import { existingWorkspace, printJson } from '../program.ts';
import { renderTable } from '../table.ts';
import { getDataset, getHarmonized, listDatasets, listHarmonized, listModels, previewDataset, previewHarmonized, withWorkspace, type VersionInfo } from '../../data/index.ts';
import { modelWithStatus } from '../../app/modelStatus.ts';
import { describeModel } from './models.ts';

export function register(program: Command): void {
  program
    .command('show')
    .description('Describe a dataset or harmonized table (with its versions) and preview its first rows; or a model (`models show`)')
    .argument('<id>', 'dataset, harmonized table or model id')
    .option('--rows <n>', 'rows to preview', '10')
    .option('--json', 'print as JSON')
    .action(async (id: string, opts, cmd: Command) => {
      const limit = Number(opts.rows) || 10;
      const out = await withWorkspace(existingWorkspace(cmd.optsWithGlobals()), async (ws) => {
        if ((await listHarmonized(ws)).some((h) => h.id === id)) return { type: 'harmonized', info: await getHarmonized(ws, id), rows: await previewHarmonized(ws, id, limit) };
        if (!(await listDatasets(ws)).some((d) => d.id === id) && (await listModels(ws)).some((m) => m.id === id)) return { type: 'model', info: await modelWithStatus(ws, id), rows: [] };
        return { type: 'dataset', info: await getDataset(ws, id), rows: await previewDataset(ws, id, limit) };
      });
      if (opts.json) return printJson(out);
      if (out.type === 'model') { process.stdout.write(`${describeModel(out.info as Awaited<ReturnType<typeof modelWithStatus>>).join('\n')}\n`); return; }
      const { rows, info } = out;
      // Metadata one field a line (nested values as compact JSON); the rows as an aligned table.
      const meta = Object.entries(info as unknown as Record<string, unknown>).filter(([k, v]) => !['report', 'warnings', 'mapping', 'versions'].includes(k) && v !== undefined && v !== null);
      const width = Math.max(...meta.map(([k]) => k.length));
      process.stdout.write(`${out.type} ${id}\n${meta.map(([k, v]) => `  ${k.padEnd(width)}  ${typeof v === 'object' ? JSON.stringify(v) : typeof v === 'number' ? fmt(v) : String(v)}`).join('\n')}\n\n`);
      // A harmonized table's versions: when, which dates, rows, from which datasets (with their checksums), kept or not.
      const versions = (info as { versions?: VersionInfo[] }).versions;
      if (versions?.length) {
        process.stdout.write(`versions\n${renderTable([{ header: 'version', align: 'right' }, { header: 'harmonized' }, { header: 'from' }, { header: 'to' }, { header: 'rows', align: 'right' }, { header: 'datasets (sha256)' }, { header: 'rows kept' }],
          versions.map((v) => [String(v.version), v.createdAt.replace('T', ' '), v.from, v.to, fmt(v.rows), v.datasets.map((d) => `${d.id} ${d.checksum?.slice(0, 12) ?? '?'}`).join(', '),
            v.current ? 'current' : v.stored ? 'yes (a model was fitted on it)' : 'no']), '  ').join('\n')}\n\n`);
      }
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
