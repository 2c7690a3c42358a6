/** The detail sections after the summary: charts over time, tables of ROI, fit metrics and parameters. */
import type { FitMetrics } from '../../models/metrics.ts';
import { escapeHtml as h } from './escape.ts';
import { essLimit, rhatLimit } from './facts.ts';
import { fmtAmount, fmtInt, fmtInterval, fmtNum, fmtPct, fmtRatio } from './format.ts';
import { isBayesian, type ReportInput } from './types.ts';
import { liftTestCheck } from '../liftTests.ts';

export function timeSections(input: ReportInput): string {
  const s = input.result.series;
  const geos = s.geos.length;
  const span = s.dates.length ? `${h(s.dates[0])} to ${h(s.dates[s.dates.length - 1])}` : 'no periods';
  const bayes = isBayesian(input.result);
  const national = geos > 1 ? (bayes ? ` Summed over ${geos} geos; the band of the total is approximated from the per-geo bands as if geos varied independently.` : ` Summed over ${geos} geos.`) : '';
  const trees = input.result.family === 'forest' || input.result.family === 'boosting';
  const how = bayes ? 'posterior means' : trees ? 'TreeSHAP values of the fitted model, each channel measured from zero spend' : 'estimates of the model fitted to all periods';
  const against = bayes
    ? `Observed ${h(input.target.column)} against the model's prediction with its 90% band.`
    : `Observed ${h(input.target.column)} against the model's prediction (no band: a ${trees ? 'tree' : 'regression'} fit has no predictive distribution, and its bootstrap refits give uncertainty for the channel estimates, not for each period).`;
  return `<section class="detail" id="contributions">
<h2>Contribution over time</h2>
<p>Predicted ${h(input.target.column)} per period, ${span}, split into the base (no media) and each channel's incremental contribution (${how}).${geos > 1 ? ` Summed over ${geos} geos.` : ''}</p>
<div class="chart tall" id="chart-contrib"></div>
</section>
<section class="detail" id="fit">
<h2>Actual vs predicted</h2>
<p>${against} The shaded region at the end, if any, is the holdout: periods the model did not see when it was fitted.${national}</p>
<div class="chart tall" id="chart-fit"></div>
${fitMetricsTable(input)}
</section>`;
}

export function channelSection(input: ReportInput): string {
  const fit = input.result;
  const conv = input.target.kind === 'conversions';
  const r = (x: number) => roi(x, conv);
  const withIv = (v: string, iv: readonly [number, number] | undefined, f: (x: number) => string) => `${v} <span class="iv">(${fmtInterval(iv, f)})</span>`;
  const rows = fit.channels.map((c) => `<tr><td class="name">${h(c.name)}</td><td>${fmtAmount(c.spend)}</td><td>${fmtPct(c.shareOfSpend)}</td>`
    + `<td>${withIv(fmtAmount(c.contribution), c.contributionInterval, fmtAmount)}</td><td>${fmtPct(c.shareOfEffect)}</td>`
    + `<td>${withIv(r(c.roi), c.roiInterval, r)}</td><td>${withIv(r(c.mroi), c.mroiInterval, r)}</td>`
    + (conv ? `<td>${withIv(fmtNum(c.cpa ?? NaN), c.cpaInterval, fmtNum)}</td>` : '') + '</tr>').join('\n');
  return `<section class="detail" id="channels">
<h2>Spend share vs effect share</h2>
<p>A channel whose share of effect is above its share of spend earns more than the media average per unit spent; below, less.</p>
<div class="chart" id="chart-share"></div>
<h3>ROI and marginal ROI</h3>
<div class="table-wrap"><table id="roi-table"><thead><tr><th class="name">Channel</th><th>Spend</th><th>Share of spend</th><th>Contribution (90%)</th><th>Share of effect</th>`
    + `<th>${conv ? 'Conv. per unit' : 'ROI'} (90%)</th><th>Marginal ${conv ? 'conv. per unit' : 'ROI'} (90%)</th>${conv ? '<th>Cost per conv. (90%)</th>' : ''}</tr></thead>
<tbody>
${rows}
</tbody></table></div>
<p class="caption">Totals over every period of the data, holdout included. ${conv ? 'Conversions per unit of spend' : 'ROI is incremental ' + h(input.target.column) + ' per unit of spend'}; marginal is the same for the next unit of spend at the current level. In brackets: ${intervalCaption(input)}.</p>
</section>`;
}

/** What the intervals in brackets are: credible (Bayesian) or bootstrap (classic), with the number of refits. */
export function intervalCaption(input: ReportInput): string {
  const fit = input.result;
  if (isBayesian(fit)) return '90% (5%–95%) credible intervals';
  const B = fit.diagnostics.bootstrap;
  const step = fit.family === 'forest' || fit.family === 'boosting' ? ' Marginal ROI of a tree model is measured over a 10% step in spend (its response is piecewise constant).' : '';
  return `90% (5%–95%) bootstrap intervals from ${B} moving-block refit${B === 1 ? '' : 's'} of the model${B === 0 ? ' (none were run: the ranges are points)' : ''}.${step}`.replace(/\.$/, '');
}

function roi(x: number, conv: boolean): string {
  return conv ? fmtNum(x) : fmtRatio(x);
}

function fitMetricsTable(input: ReportInput): string {
  const f = input.result.fit;
  const row = (label: string, m: FitMetrics | null | undefined) => m
    ? `<tr><td>${label}</td><td>${fmtInt(m.n)}</td><td>${fmtRatio(m.r2)}</td><td>${fmtPct(m.mape)}</td><td>${fmtPct(m.smape)}</td><td>${fmtAmount(m.rmse)}</td><td>${fmtPct(m.nrmse)}</td></tr>`
    : `<tr><td>${label}</td><td colspan="6" style="text-align:left">no holdout (set holdout.periods in the config)</td></tr>`;
  return `<h3>Fit metrics</h3>
<div class="table-wrap"><table id="fit-table"><thead><tr><th>Sample</th><th>Observations</th><th>R²</th><th>MAPE</th><th>sMAPE</th><th>RMSE</th><th>NRMSE</th></tr></thead>
<tbody>${row('In-sample', f)}${row('Holdout', f.holdout)}</tbody></table></div>`;
}

/** Parameter names indexed by channel (`roi[c]`, `geo_sd[c]`) get the channel's name appended. */
export function parameterLabel(name: string, channels: readonly string[]): string {
  const m = /^(roi|geo_sd)\[(\d+)\]$/.exec(name);
  if (m && Number(m[2]) < channels.length) return `${name} · ${channels[Number(m[2])]}`;
  if (name === 'roi' && channels.length === 1) return `roi · ${channels[0]}`;
  return name;
}

export function parameterSection(input: ReportInput): string {
  const fit = input.result;
  if (!isBayesian(fit)) return '';
  const d = fit.diagnostics;
  const names = fit.channels.map((c) => c.name);
  let flagged = 0;
  const rows = fit.parameters.map((p) => {
    const badR = p.rhat > rhatLimit, badE = p.essBulk < essLimit;
    if (badR || badE) flagged++;
    return `<tr${badR || badE ? ' class="flag"' : ''}><td class="name">${h(parameterLabel(p.name, names))}</td><td>${fmtNum(p.mean)}</td><td>${fmtNum(p.sd)}</td><td>${fmtNum(p.q5)}</td><td>${fmtNum(p.q50)}</td><td>${fmtNum(p.q95)}</td>`
      + `<td${badE ? ' class="flag"' : ''}>${fmtInt(p.essBulk)}</td><td>${fmtInt(p.essTail)}</td><td${badR ? ' class="flag"' : ''}>${Number.isFinite(p.rhat) ? p.rhat.toFixed(3) : '–'}</td></tr>`;
  }).join('\n');
  const sampler = [
    `method ${fit.approximate ? 'Laplace approximation (approximate)' : 'NUTS'}`,
    `largest R-hat ${d.rhatMax.toFixed(3)}`, `smallest bulk ESS ${fmtInt(d.essBulkMin)}`, `smallest tail ESS ${fmtInt(d.essTailMin)}`,
    `${d.divergences} divergences`, `${d.seconds.toFixed(1)} s`,
    ...(d.leapfrogPerIteration !== undefined ? [`${d.leapfrogPerIteration.toFixed(0)} leapfrog steps per iteration`] : []),
    ...(d.maxTreeDepthShare !== undefined ? [`${fmtPct(d.maxTreeDepthShare)} of iterations at max tree depth`] : []),
    ...(d.ebfmiMin !== undefined ? [`lowest E-BFMI ${d.ebfmiMin.toFixed(2)}`] : []),
  ];
  return `<section class="detail" id="parameters">
<h2>Parameters and diagnostics</h2>
<p>Sampler: ${h(sampler.join(', '))}.</p>
<p>${flagged ? `<b class="flag-note">${flagged} parameter${flagged === 1 ? '' : 's'} flagged</b> (highlighted): R-hat above ${rhatLimit} or bulk ESS below ${essLimit}.` : `No parameter has R-hat above ${rhatLimit} or bulk ESS below ${essLimit}.`}
Media parameters are on the model's internal scale (spend scaled per channel); roi is in target units per unit of spend.</p>
<div class="table-wrap"><table id="param-table"><thead><tr><th class="name">Parameter</th><th>Mean</th><th>SD</th><th>5%</th><th>50%</th><th>95%</th><th>Bulk ESS</th><th>Tail ESS</th><th>R-hat</th></tr></thead>
<tbody>
${rows}
</tbody></table></div>
</section>`;
}

/** Response curves (only when the input carries them): one line per channel with its band and markers. */
/** The model against each lift test of the config, in standard errors of the test. */
export function liftTestSection(input: ReportInput): string {
  const tests = input.experiments ?? [];
  if (!tests.length) return '';
  const s = input.result.series;
  const rows = liftTestCheck(tests, s.dates, s.geos, s.contributions);
  const body = rows.map((r) => `<tr${Math.abs(r.z) > 2 ? ' class="flag"' : ''}><td class="name">${h(r.channel)}</td><td>${h(r.geo ?? 'all')}</td><td>${h(r.start)} – ${h(r.end)}</td>`
    + `<td>${fmtAmount(r.measured)} ± ${fmtAmount(r.measuredSe)}</td><td>${fmtAmount(r.model)}</td><td>${Math.abs(r.z) < 0.05 ? '0.0' : r.z.toFixed(1)}</td></tr>`).join('\n');
  const off = rows.filter((r) => Math.abs(r.z) > 2).length;
  return `<section class="detail" id="lift-tests">
<h2>Lift tests</h2>
<p>Each experiment's measured incremental ${h(input.target.column)} beside what the model says for the same channel, window and geo (the channel's contribution summed over the window). ${off ? `The model is more than two standard errors away from ${off} of ${rows.length}: the data pull the other way, so check those tests' windows, geos and standard errors.` : 'The model is within two standard errors of every test.'}</p>
<div class="table-wrap"><table id="lift-test-table"><thead><tr><th class="name">Channel</th><th>Geo</th><th>Window</th><th>Measured</th><th>Model</th><th>Gap (standard errors)</th></tr></thead>
<tbody>
${body}
</tbody></table></div>
</section>`;
}

/** Bayesian fits: each channel's curve parameters (decay, half-saturation, shape), posterior beside prior. */
export function curveParameterSection(input: ReportInput): string {
  const fit = input.result;
  if (!isBayesian(fit)) return '';
  const label: Record<string, string> = { decay: 'carry-over decay', halfSaturation: 'half-saturation', shape: 'Hill shape' };
  const rows = fit.channels.flatMap((c) => Object.entries(c.curve ?? {}).map(([key, p]) => {
    // 90% posterior width over the prior's (≈ 3.29 sd): near 1, the data said little about it.
    const width = (p.interval[1] - p.interval[0]) / (3.29 * p.prior.sd);
    return `<tr${width > 0.8 ? ' class="flag"' : ''}><td class="name">${h(c.name)}</td><td>${h(label[key] ?? key)}</td><td>${fmtRatio(p.mean)} <span class="iv">(${fmtInterval(p.interval, fmtRatio)})</span></td>`
      + `<td>${fmtRatio(p.prior.mean)} ± ${fmtRatio(p.prior.sd)} <span class="iv">${p.prior.given ? 'given' : 'default'}</span></td><td>${fmtPct(width)}</td></tr>`;
  }));
  if (!rows.length) return '';
  return `<section class="detail" id="curve-parameters">
<h2>Response-curve parameters</h2>
<p>Each channel's carry-over decay, half-saturation (in multiples of its typical activity per period: spend, or the exposure the model reads) and Hill shape, with the prior the model started from (given in the config, or the default). A posterior about as wide as its prior (highlighted: over 80% of the prior's width) was not learned from the data; for a channel that is always on, its ROI then rests on that prior.</p>
<div class="table-wrap"><table id="curve-parameter-table"><thead><tr><th class="name">Channel</th><th>Parameter</th><th>Posterior (90%)</th><th>Prior (mean ± sd)</th><th>Width vs prior</th></tr></thead>
<tbody>
${rows.join('\n')}
</tbody></table></div>
</section>`;
}

export function curveSection(input: ReportInput): string {
  const curves = input.responseCurves;
  if (!curves || !curves.length) return '';
  const conv = input.target.kind === 'conversions';
  const rows = curves.map((c) => `<tr><td class="name">${h(c.channel)}</td><td>${fmtAmount(c.current.spend)}</td><td>${fmtAmount(c.current.expected)}</td><td>${roi(c.current.mroi, conv)}</td>`
    + `<td>${c.breakEven ? fmtAmount(c.breakEven.spend) : '–'}</td><td>${c.breakEven ? fmtPct(c.breakEven.spend / c.current.spend - 1) : '–'}</td></tr>`).join('\n');
  return `<section class="detail" id="curves">
<h2>Response curves</h2>
<p>Expected incremental ${h(input.target.column)} over the data period if each channel's spend had been scaled up or down (same timing), with the 90% ${isBayesian(input.result) ? '' : 'bootstrap '}band${input.result.family === 'forest' || input.result.family === 'boosting' ? ' (partial dependence of the tree model: flat beyond the largest spend seen in training)' : ''}. Circles mark the current spend${conv ? '' : '; diamonds the break-even point, where the next unit of spend returns exactly one (marginal ROI = 1): beyond it, more spend loses money'}.</p>
<div class="chart tall" id="chart-curves"></div>
<div class="table-wrap"><table id="curve-table"><thead><tr><th class="name">Channel</th><th>Current spend</th><th>Contribution</th><th>Marginal ${conv ? 'conv. per unit' : 'ROI'}</th><th>Break-even spend</th><th>vs current</th></tr></thead>
<tbody>
${rows}
</tbody></table></div>
<p class="caption">Break-even is where marginal ROI falls through 1 on the ${isBayesian(input.result) ? 'posterior-mean' : 'point-estimate'} curve; "–" when it stays above 1 up to 4× the current spend, stays below 1 everywhere, or the target is conversions without a value per conversion.</p>
</section>`;
}
