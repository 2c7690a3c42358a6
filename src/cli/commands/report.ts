import { writeFileSync } from 'node:fs';
import type { Command } from 'commander';
import { renderReport } from '../../analysis/index.ts';
import { getModel, withWorkspace } from '../../data/index.ts';
import { badInput } from '../../errors.ts';
import type { BayesianFit } from '../../models/bayesian/fit.ts';
import { workspacePath } from '../program.ts';

/** Renders the self-contained HTML report of a stored model. Bayesian fits only in this version. */
export async function modelReport(workspace: string, id: string): Promise<string> {
  const stored = await withWorkspace(workspace, (ws) => getModel(ws, id));
  if (stored.family !== 'bayesian') throw badInput(`model '${id}' is of family '${stored.family}'; the HTML report covers Bayesian fits in this version (use \`marginal insights ${id}\`)`);
  const config = stored.config as { target: { column: string; kind?: 'revenue' | 'conversions' } };
  return renderReport({
    modelId: id, name: stored.name, createdAt: stored.createdAt,
    target: { column: config.target.column, kind: config.target.kind ?? 'revenue' },
    result: stored.result as BayesianFit,
  });
}

export function register(program: Command): void {
  program
    .command('report')
    .description('Write a self-contained HTML report of a fitted model (opens offline in any browser)')
    .argument('<model>', 'model id (see `marginal models`)')
    .requiredOption('--out <file>', 'output HTML file, e.g. report.html')
    .action(async (id: string, flags: { out: string }, cmd: Command) => {
      const html = await modelReport(workspacePath(cmd.optsWithGlobals()), id);
      try { writeFileSync(flags.out, html); } catch (e) { throw badInput(`--out: cannot write '${flags.out}': ${(e as Error).message}`); }
      process.stderr.write(`wrote ${flags.out} (${(html.length / 1e6).toFixed(1)} MB)\n`);
    });
}
