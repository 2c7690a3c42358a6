/**
 * The self-contained HTML report of a fitted MMM of any family (Bayesian or classic: linear, ridge,
 * Robyn-style search, forest, boosting): one file with the ECharts bundle, the
 * chart data (JSON) and the client script inlined, so it opens with no network access. A one-page
 * summary (warnings, what drove the outcome, ROI, what to do next, model health) comes first, then
 * the detail (contribution over time, actual vs predicted, spend vs effect share, ROI table, fit
 * metrics, then the Bayesian parameters or the classic fit's coefficients, search and tree details).
 * Classic fits' intervals are labelled as bootstrap intervals and make no convergence claim. All text from data is HTML-escaped; embedded JSON cannot close its script.
 *
 * Example: `writeFileSync('report.html', renderReport({ modelId, name, createdAt, target, result }, reportScripts()))`
 * (`reportScripts` from src/app/reportScripts.ts reads the scripts the page inlines).
 */
import { checkReportInput } from './check.ts';
import { classicSection, paretoPoints } from './classic.ts';
import { subchannelSection } from './subchannels.ts';
import { frequencySection, organicSection } from './organic.ts';
import { channelSection, decompositionSection, reportUnits, curveParameterSection, curveSection, liftTestSection, parameterSection, timeSections } from './detail.ts';
import { escapeHtml as h, inlineScript, jsonForScript } from './escape.ts';
import { adviceThreshold, methodName, nationalSeries, totals } from './facts.ts';
import { styles } from './styles.ts';
import { summarySection } from './summary.ts';
import { isBayesian, type ReportInput, type ReportScripts } from './types.ts';
import { formatTimestamp } from '../../units.ts';

export type { ReportInput, ReportCurve, ReportFit, ReportScripts } from './types.ts';
export { isBayesian } from './types.ts';
export { coefficientRows, paretoPoints, synergyReading, type CoefficientRow } from './classic.ts';
export { escapeHtml, jsonForScript, inlineScript } from './escape.ts';
export { budgetAdvice, health, methodName, nationalSeries, overallLevel, totals, type Advice, type HealthItem } from './facts.ts';

/** The page's Content-Security-Policy: inline scripts and styles only, nothing fetched from anywhere. */
export const reportCsp = "default-src 'none'; script-src 'unsafe-inline'; style-src 'unsafe-inline'; img-src data:; base-uri 'none'; form-action 'none'";

/** The data the client script draws the charts from (embedded as JSON in #report-data). */
export function chartData(input: ReportInput) {
  const fit = input.result;
  const t = totals(fit);
  const units = reportUnits(input);
  return {
    // The charts' ROI axis: revenue per spend (break-even 1) or conversions per spend.
    kind: units.roi === 'revenue-per-spend' ? 'revenue' : 'conversions',
    // The model's own units (its currency, or none): the charts format with them as the tables do.
    units,
    threshold: adviceThreshold(fit.channels, reportUnits(input).roi === 'revenue-per-spend' ? 'revenue' : 'conversions'),
    base: t.base, baseShare: t.baseShare,
    channels: fit.channels.map((c) => ({
      name: c.name, contribution: c.contribution, shareOfPredicted: t.predicted ? c.contribution / t.predicted : null,
      roi: c.roi, roiLo: c.roiInterval[0], roiHi: c.roiInterval[1],
      mroi: c.mroi, mroiLo: c.mroiInterval[0], mroiHi: c.mroiInterval[1],
      shareOfSpend: c.shareOfSpend, shareOfEffect: c.shareOfEffect,
    })),
    series: nationalSeries(fit),
    curves: input.responseCurves ?? null,
    intervalName: isBayesian(fit) ? '90%' : '90% bootstrap',
    pareto: isBayesian(fit) ? null : paretoPoints(fit),
  };
}

/**
 * Renders the report, inlining `scripts`. Throws a MarginalError (BAD_INPUT) naming the field when the
 * input is malformed.
 */
export function renderReport(input: ReportInput, scripts: ReportScripts): string {
  checkReportInput(input);
  const fit = input.result;
  const { echarts, client } = scripts;
  const s = fit.series;
  const span = s.dates.length ? `${s.dates[0]} to ${s.dates[s.dates.length - 1]}` : '';
  const meta = [
    `model ${input.modelId}`, `fitted ${formatTimestamp(input.createdAt)}`, `target ${input.target.column} (${input.target.kind})`,
    span, reportUnits(input).currency ? `amounts in ${reportUnits(input).currency}` : 'currency not given',
    s.geos.length > 1 ? `${s.geos.length} geos` : 'national',
    methodName(fit),
  ].filter(Boolean);
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta http-equiv="Content-Security-Policy" content="${h(reportCsp)}">
<meta name="generator" content="Marginal">
<title>${h(input.name)} — Marginal model report</title>
<style>${styles}</style>
</head>
<body>
<main>
<header class="top">
<div class="brand">Marginal · marketing mix model report</div>
<h1>${h(input.name)}</h1>
<div class="meta">${meta.map(h).join(' · ')}</div>
</header>
${summarySection(input)}
${timeSections(input)}
${decompositionSection(input)}
${channelSection(input)}
${subchannelSection(input)}
${frequencySection(input)}
${organicSection(input)}
${curveSection(input)}
${curveParameterSection(input)}
${liftTestSection(input)}
${parameterSection(input)}${classicSection(input)}
<footer>Generated by Marginal from model ${h(input.modelId)}. Intervals are 90% ${isBayesian(fit) ? 'credible intervals' : `bootstrap intervals (${fit.diagnostics.bootstrap} refits)`}. Open this file in any browser; it needs no network.</footer>
</main>
<script type="application/json" id="report-data">${jsonForScript(chartData(input))}</script>
<script>${inlineScript(echarts)}</script>
<script>${inlineScript(client)}</script>
</body>
</html>
`;
}
