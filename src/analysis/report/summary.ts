/** The one-page summary: warnings, key numbers, drivers, ROI, what to do next, model health. */
import { escapeHtml as h } from './escape.ts';
import { budgetAdvice, health, nonMonotoneChannels, overallLevel, totals, type Level } from './facts.ts';
import { isBayesian, type ReportInput } from './types.ts';
import { reportUnits } from './detail.ts';
import { formatPercent, formatValue } from '../../units.ts';

const severe = /^(NOT CONVERGED|TOO FEW EFFECTIVE DRAWS|DIVERGENCES)/;

/** The warnings box: red when convergence failed, amber for other warnings, green when there are none. */
export function warningsBox(input: ReportInput): string {
  const fit = input.result;
  const level: Level = overallLevel(fit);
  if (!fit.warnings.length && level === 'good') {
    return `<div class="box good" id="warnings"><h3>No warnings</h3>${isBayesian(fit) ? 'The fit converged and passed its checks.' : 'The fit passed its checks.'}</div>`;
  }
  const title = level === 'bad'
    ? 'Do not act on these numbers yet: the fit did not converge'
    : `Read this first: ${fit.warnings.length} warning${fit.warnings.length === 1 ? '' : 's'}`;
  const items = fit.warnings.map((w) => `<li${severe.test(w) ? ' class="bad"' : ''}>${h(w)}</li>`).join('');
  return `<div class="box ${level}" id="warnings" role="alert"><h3>${h(title)}</h3><ul>${items}</ul></div>`;
}

export function summarySection(input: ReportInput): string {
  const fit = input.result;
  const t = totals(fit);
  const u = reportUnits(input), cur = u.currency;
  // Revenue ROI (break-even at 1) when the target is revenue or converts to it; else conversions per spend.
  const revenue = u.roi === 'revenue-per-spend';
  const outcomeAmount = (v: number) => formatValue(v, u.outcome, cur);
  const bayes = isBayesian(fit);
  // Classic fits' intervals come from bootstrap refits; say so wherever an interval is shown.
  const ivName = bayes ? '90% intervals' : '90% bootstrap intervals';
  const byEffect = [...fit.channels].sort((a, b) => b.contribution - a.contribution);
  const top = byEffect.slice(0, 3).map((c) => `<b>${h(c.name)}</b> (${formatPercent(t.predicted ? c.contribution / t.predicted : NaN)})`);
  const drivers = `Media drove <b>${formatPercent(t.mediaShare)}</b> of ${h(input.target.column)} (${outcomeAmount(t.media)}); the base — what would have happened without media: trend, season, controls — drove <b>${formatPercent(t.baseShare)}</b>.`
    + (top.length ? ` Largest channel${top.length > 1 ? 's' : ''}: ${top.join(', ')}.` : '');
  const roiText = revenue
    ? `Every unit spent on media returned <b>${formatValue(t.mediaRoi, 'revenue-per-spend')}</b> in ${u.outcome === 'conversions' ? 'revenue (conversions × revenue per conversion)' : h(input.target.column)} on average. Bars show each channel's ROI (return per unit spent) and marginal ROI (return on the next unit), with ${ivName}; the dashed line is break-even.`
    : `Media brought <b>${formatValue(t.mediaRoi, 'conversions-per-spend')}</b> incremental conversions per unit spent on average. Bars show conversions per unit spent and per next unit, with ${ivName}; the dashed line is the average marginal return.`;
  const advice = budgetAdvice(fit.channels, revenue ? 'revenue' : 'conversions', bayes ? '90%' : '90% bootstrap');
  const adviceItems = advice.map((a) => `<li class="${a.direction}"><b>${h(a.channel)}</b>: ${h(a.text)}</li>`).join('');
  const caveats: string[] = [];
  if (fit.approximate) caveats.push('this is an approximate fit; refit with MCMC before moving real budget');
  const bent = nonMonotoneChannels(fit);
  if (bent.length) caveats.push(`the tree model's response to spend is not monotone for ${bent.join(', ')}, so ${bent.length === 1 ? 'its' : 'their'} advice may point the wrong way`);
  if (fit.warnings.some((w) => w.startsWith('EXTRAPOLATION'))) caveats.push('a tree model gives no credit for spend above the largest seen in training, so it cannot judge budgets beyond that');
  if (!bayes) caveats.push('the intervals come from bootstrap refits of one model specification and do not include the uncertainty of that specification');
  if (overallLevel(fit) === 'bad') caveats.push('the fit did not converge, so none of this advice is reliable yet');
  if (fit.warnings.some((w) => w.startsWith('WEAKLY IDENTIFIED'))) caveats.push('some channels are weakly identified by the data (see the warnings); a lift test would pin them down');
  if (advice.some((a) => !a.confident)) caveats.push('where the advice is uncertain, shift budget in small steps and measure the result');
  caveats.push('marginal ROI holds for small shifts: large moves change it, so re-plan with the optimizer and move budget step by step');
  const kpi = (label: string, value: string, sub: string) => `<div class="kpi"><div class="label">${label}</div><div class="value">${value}</div><div class="sub">${sub}</div></div>`;
  const healthItems = health(fit).map((i) => `<li><span class="badge ${i.level}">${i.level === 'good' ? 'OK' : i.level === 'warn' ? 'Caution' : 'Problem'}</span><b>${h(i.label)}.</b> ${h(i.text)}</li>`).join('');
  return `<section class="summary" id="summary">
<h2>Summary</h2>
${warningsBox(input)}
<div class="kpis">
${kpi(`Total ${h(input.target.column)}`, h(outcomeAmount(t.outcome)), `${fit.series.dates.length} periods${fit.series.geos.length > 1 ? `, ${fit.series.geos.length} geos` : ''}`)}
${kpi('Driven by media', formatPercent(t.mediaShare), `${h(outcomeAmount(t.media))} incremental`)}
${kpi('Base', formatPercent(t.baseShare), `${h(outcomeAmount(t.base))} without media`)}
${kpi('Media spend', h(formatValue(t.spend, 'currency', cur)), `${fit.channels.length} channel${fit.channels.length === 1 ? '' : 's'}`)}
${kpi(revenue ? 'Media ROI' : 'Conversions per unit spent', formatValue(t.mediaRoi, revenue ? 'revenue-per-spend' : 'conversions-per-spend'), revenue ? 'return per unit spent' : 'incremental, all media')}
</div>
<div class="cols">
<div><h3>What drove the outcome</h3><p>${drivers}</p><div class="chart small" id="chart-drivers" role="img" aria-label="What drove the outcome: base and each channel as a share of the prediction"></div></div>
<div><h3>Return on investment</h3><p>${roiText}</p>${priorCheckText(input)}<div class="chart small" id="chart-roi" role="img" aria-label="ROI and marginal ROI per channel with intervals"></div></div>
</div>
<div class="cols">
<div><h3>What to do next</h3><ul class="advice">${adviceItems}</ul><p class="caption">Caveats: ${h(caveats.join('; '))}.</p></div>
<div><h3>Model health</h3><ul class="health">${healthItems}</ul></div>
</div>
</section>`;
}

/** The prior predictive check beside what the fit found: media's share of the outcome before and after the data. */
function priorCheckText(input: ReportInput): string {
  const fit = input.result;
  const p = isBayesian(fit) ? fit.priorCheck : undefined;
  if (!p) return '';
  const t = totals(fit);
  const share = (x: number) => formatPercent(x, x < 0.1 ? 1 : 0); // one decimal below 10%
  const rule = p.defaultRule === 'media-share' ? ' (the default ROI prior was centred on a 20% share: Meridian\'s would have put media above half of it with this spend)' : '';
  return `<p class="caption" id="prior-check">Prior check: before seeing the outcome, the ROI priors alone put media at ${share(p.mediaShare.median)} of it (90% ${share(p.mediaShare.interval[0])}–${share(p.mediaShare.interval[1])})${rule}; with the data, ${share(t.mediaShare)}.</p>`;
}
