/**
 * The report use case, written once for the CLI (`marginal report`) and the API
 * (`GET /api/models/:id/report`): a stored model rendered with its response curves.
 */
import { figureUnits } from '../units.ts';
import { renderReport, type CurvePointRow, type CurveRow, type ReportCurve } from '../analysis/index.ts';
import type { SubchannelRow } from '../analysis/report/types.ts';
import type { LiftTestRow } from '../analysis/liftTests.ts';
import { getModel, withWorkspace, type StoredModel } from '../data/index.ts';
import { storedInsights } from './insights.ts';
import { readStoredModel } from './load.ts';
import { reportScripts } from './reportScripts.ts';
import { parseFitSummary } from '../analysis/summary.ts';
import { parseModelConfig } from '../models/config.ts';
import { familyOf } from '../models/families.ts';

/**
 * Renders the self-contained HTML report of a stored model of any family (Bayesian, linear, ridge,
 * ridge search, forest, boosting). Response curves need the model rebuilt from its data (tree models
 * are refitted from their seed); when that fails the report is written without them and a warning
 * goes to stderr.
 */
export async function modelReport(workspace: string, id: string): Promise<string> {
  const stored = await withWorkspace(workspace, (ws) => getModel(ws, id));
  const extras = await readStoredModel(workspace, id).then(({ input }) => reportInsightsFrom(storedInsights(input, { perGeo: false }).insights), (e: unknown) => {
    // The curves need the model rebuilt from its data; the rest of the report does not.
    process.stderr.write(`WARNING: response curves left out of the report: ${e instanceof Error ? e.message : String(e)}\n`);
    return undefined;
  });
  return storedModelReport(stored, extras?.curves, extras?.subchannels, extras?.liftTests);
}

/**
 * What the report takes from a model's insights (CLI and API alike): the national curves, the
 * sub-channel rows and the model against each lift test (tests that changed spend need the model
 * rebuilt to say what it implies, which the insights did).
 */
export function reportInsightsFrom(x: Parameters<typeof reportCurvesFrom>[0] & { subchannels?: readonly unknown[]; liftTests?: readonly unknown[] }): { curves: ReportCurve[]; subchannels: SubchannelRow[]; liftTests: LiftTestRow[] } {
  return { curves: reportCurvesFrom(x), subchannels: (x.subchannels ?? []) as SubchannelRow[], liftTests: (x.liftTests ?? []) as LiftTestRow[] };
}

/**
 * The report of a stored model with its response curves (`reportCurvesFrom`; none leaves the section
 * out). The one rendering behind `marginal report` and `GET /api/models/:id/report`.
 */
export function storedModelReport(stored: Pick<StoredModel, 'id' | 'name' | 'family' | 'createdAt' | 'config' | 'output' | 'result'>, responseCurves?: ReportCurve[], subchannels?: SubchannelRow[], liftTests?: LiftTestRow[]): string {
  const what = `model '${stored.id}'`;
  const config = parseModelConfig(stored.config, what);
  return renderReport({
    modelId: stored.id, name: stored.name, createdAt: stored.createdAt,
    target: { column: config.target.column, kind: config.target.kind },
    result: familyOf(stored.family, what).checkResult(stored.result, what),
    experiments: config.experiments,
    units: parseFitSummary(stored.output, what).units ?? figureUnits(config.target),
    responseCurves, subchannels, ...(liftTests ? { liftTests } : {}),
  }, reportScripts());
}

/**
 * National response curves of a stored model for the report: its insights' curves (0.05 to 4× the
 * current spend, the same 200 draws), so the report draws what the web page and `marginal insights` show.
 */
export async function reportCurves(workspace: string, id: string): Promise<ReportCurve[]> {
  const { insights } = storedInsights((await readStoredModel(workspace, id)).input, { perGeo: false });
  return reportCurvesFrom(insights);
}

/**
 * The report's curves from insights' curve tables (`responseCurves`, `curvePoints`): per channel with
 * a national curve, its points with the 90% band, the current spend and the break-even point. Geo
 * rows are left out. Used by the CLI (insights computed here) and the API (the cached insights).
 */
export function reportCurvesFrom(x: { responseCurves: readonly CurveRow[]; curvePoints: readonly CurvePointRow[] }): ReportCurve[] {
  const rows = x.responseCurves.filter((r) => r.geo === null);
  const points = x.curvePoints.filter((p) => p.geo === null);
  const channels = [...new Set(points.filter((p) => p.point === 'current').map((p) => p.channel))];
  return channels.map((channel) => {
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
