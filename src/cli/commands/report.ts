import { writeFileSync } from 'node:fs';
import type { Command } from 'commander';
import { figureUnits, type FigureUnits } from '../../units.ts';
import { curveTables, parseFitSummary, renderReport, type ReportCurve } from '../../analysis/index.ts';
import { loadFittedModel } from '../../jobs/load.ts';
import { getModel, withWorkspace } from '../../data/index.ts';
import { badInput } from '../../errors.ts';
import type { ReportFit } from '../../analysis/report/index.ts';
import { workspacePath } from '../program.ts';
import type { LiftTest } from '../../analysis/liftTests.ts';

/**
 * Renders the self-contained HTML report of a stored model of any family (Bayesian, linear, ridge,
 * ridge search, forest, boosting). Response curves need the model rebuilt from its data (tree models
 * are refitted from their seed); when that fails the report is written without them and a warning
 * goes to stderr.
 */
export async function modelReport(workspace: string, id: string): Promise<string> {
  const stored = await withWorkspace(workspace, (ws) => getModel(ws, id));
  const config = stored.config as { target: { column: string; kind?: 'revenue' | 'conversions'; revenuePerConversion?: unknown }; experiments?: LiftTest[] };
  const target = { column: config.target.column, kind: config.target.kind ?? 'revenue', revenuePerConversion: config.target.revenuePerConversion };
  return renderReport({
    modelId: id, name: stored.name, createdAt: stored.createdAt,
    target: { column: config.target.column, kind: config.target.kind ?? 'revenue' },
    result: stored.result as ReportFit,
    experiments: config.experiments ?? [],
    units: (stored.output as { units?: FigureUnits }).units ?? figureUnits(target),
    responseCurves: await reportCurves(workspace, id).catch((e: unknown) => {
      // The curves need the model rebuilt from its data; the rest of the report does not.
      process.stderr.write(`WARNING: response curves left out of the report: ${e instanceof Error ? e.message : String(e)}\n`);
      return undefined;
    }),
  });
}

/** National response curves of a stored model for the report (0 to 4× the current spend). */
export async function reportCurves(workspace: string, id: string): Promise<ReportCurve[]> {
  const { stored, fitted } = await loadFittedModel(workspace, id, { maxDraws: 200 });
  const { rows, points } = curveTables(fitted, parseFitSummary(stored.output, `model '${id}'`), { range: [0.05, 4], points: 20, perGeo: false });
  return fitted.channels.filter((ch) => points.some((p) => p.channel === ch)).map((channel) => {
    const cur = points.find((p) => p.channel === channel && p.point === 'current')!;
    const be = points.find((p) => p.channel === channel && p.point === 'break-even');
    return {
      channel,
      points: rows.filter((r) => r.channel === channel).map((r) => ({ spend: r.spend, expected: r.expected, low: r.expectedLow, high: r.expectedHigh })),
      current: { spend: cur.spend, expected: cur.expected, mroi: cur.mroi },
      breakEven: be ? { spend: be.spend, expected: be.expected } : null,
    };
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
