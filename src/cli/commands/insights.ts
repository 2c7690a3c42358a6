import type { Command } from 'commander';
import { computeInsights, insightTables, parseFitSummary, type Insights, type Row } from '../../analysis/index.ts';
import { writeTables } from '../../data/tables.ts';
import { loadFittedModel } from '../../jobs/load.ts';
import { printJson, workspacePath } from '../program.ts';

/** Loads a stored model and computes its insights (parameter table included where the family has one). */
export async function modelInsights(workspace: string, id: string, opts: { perGeo?: boolean } = {}): Promise<Insights> {
  const { stored, fitted } = await loadFittedModel(workspace, id);
  const summary = parseFitSummary(stored.output, `model '${id}'`);
  const result = stored.result as { parameters?: Row[] } | null;
  const parameters = Array.isArray(result?.parameters) ? result.parameters.map((p) => ({ ...p })) : [];
  return computeInsights(id, fitted, summary, { parameters, perGeo: opts.perGeo });
}

export function register(program: Command): void {
  program
    .command('insights')
    .description('What a fitted model says: decomposition, ROI and marginal ROI, response curves, adstock, fit, health')
    .argument('<model>', 'model id (see `marginal models`)')
    .option('--json', 'print every table as JSON on stdout')
    .option('--out <dir>', 'write every table as CSV and Parquet into this folder')
    .option('--no-geo-curves', 'national response curves only (geo models)')
    .action(async (id: string, flags: { json?: boolean; out?: string; geoCurves?: boolean }, cmd: Command) => {
      const x = await modelInsights(workspacePath(cmd.optsWithGlobals()), id, { perGeo: flags.geoCurves });
      if (flags.out) {
        const written = await writeTables(flags.out, insightTables(x));
        process.stderr.write(`wrote ${written.length} tables (CSV${written.some((w) => w.parquet) ? ' and Parquet' : ''}) to ${flags.out}: ${written.map((w) => `${w.name} (${w.rows})`).join(', ')}\n`);
      }
      if (flags.json) printJson(x);
      else if (!flags.out) process.stdout.write(formatInsights(x));
    });
}

function formatInsights(x: Insights): string {
  const n = (v: unknown, d = 2) => (typeof v === 'number' && Number.isFinite(v) ? v.toFixed(d) : '-');
  const money = (v: unknown) => (typeof v === 'number' && Number.isFinite(v) ? Math.round(v).toLocaleString('en-US') : '-');
  const conv = x.target.kind === 'conversions';
  const lines = [
    `model ${x.modelId} (${x.family}), target ${x.target.column} (${x.target.kind})`, '',
    'health:', ...x.health.map((h) => `  [${h.level.toUpperCase()}] ${h.topic}: ${h.text}`), '',
    'fit:', ...x.fit.map((r) => `  ${String(r.sample).padEnd(10)} n ${r.n}  R² ${n(r.r2, 3)}  MAPE ${n(100 * (r.mape as number), 1)}%  sMAPE ${n(100 * (r.smape as number), 1)}%  RMSE ${money(r.rmse)}  NRMSE ${n(r.nrmse, 3)}`), '',
    `channel          spend   share   effect  ${conv ? 'CPA' : 'ROI'} [90%]             mROI [90%]           break-even spend`,
    ...x.channels.map((c) => `  ${String(c.channel).padEnd(12)} ${money(c.spend).padStart(12)} ${n(100 * (c.shareOfSpend as number), 1).padStart(5)}% ${n(100 * (c.shareOfEffect as number), 1).padStart(5)}%  ` +
      `${(conv ? `${n(c.cpa)} [${n(c.cpaLow)}, ${n(c.cpaHigh)}]` : `${n(c.roi)} [${n(c.roiLow)}, ${n(c.roiHigh)}]`).padEnd(21)} ` +
      `${`${n(c.mroi)} [${n(c.mroiLow)}, ${n(c.mroiHigh)}]`.padEnd(20)} ${c.breakEvenSpend === null ? '-' : money(c.breakEvenSpend)}`),
    '', 'contributions (share of the prediction):', ...x.contributions.map((r) => `  ${String(r.kind).padEnd(8)} ${String(r.name).padEnd(20)} ${money(r.total).padStart(14)} ${n(100 * (r.share as number), 1).padStart(6)}%`),
    '', 'Every table: --json, or --out DIR for CSV and Parquet.', '',
  ];
  return lines.join('\n');
}
