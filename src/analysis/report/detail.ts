/** The detail sections after the summary: charts over time, tables of ROI, fit metrics and parameters. */
import type { FitMetrics } from '../../models/metrics.ts';
import { escapeHtml as h } from './escape.ts';
import { essLimit, rhatLimit } from './facts.ts';
import { isBayesian, type ReportInput } from './types.ts';
import { figureUnits, formatCount, formatDecimals, formatParameter, formatPercent, formatRange, formatValue, unitLabel, type FigureUnits, type Unit } from '../../units.ts';
import { liftTestCheck, type LiftTestRow } from '../liftTests.ts';

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
<div class="chart tall" id="chart-contrib" role="img" aria-label="Contribution over time, stacked: base and each channel"></div>
</section>
<section class="detail" id="fit">
<h2>Actual vs predicted</h2>
<p>${against} The shaded region at the end, if any, is the holdout: periods the model did not see when it was fitted.${national}</p>
<div class="chart tall" id="chart-fit" role="img" aria-label="Actual versus predicted over time"></div>
${fitMetricsTable(input)}
</section>`;
}

/** The units the report formats with: the stored ones, else those of the target. */
export function reportUnits(input: ReportInput): FigureUnits {
  return input.units ?? figureUnits(input.target);
}

export function channelSection(input: ReportInput): string {
  const fit = input.result;
  const u = reportUnits(input), cur = u.currency;
  const conv = u.cpa !== null;
  const fv = (unit: Unit) => (x: number) => formatValue(x, unit, cur);
  const withIv = (v: string, iv: readonly [number, number] | undefined, f: (x: number) => string) => `${v} <span class="iv">(${formatRange(iv, f)})</span>`;
  const rows = fit.channels.map((c) => `<tr><td class="name">${h(c.name)}</td><td>${fv('currency')(c.spend)}</td><td>${formatPercent(c.shareOfSpend)}</td>`
    + `<td>${withIv(fv(u.outcome)(c.contribution), c.contributionInterval, fv(u.outcome))}</td><td>${formatPercent(c.shareOfEffect)}</td>`
    + `<td>${withIv(fv(u.roi)(c.roi), c.roiInterval, fv(u.roi))}</td><td>${withIv(fv(u.mroi)(c.mroi), c.mroiInterval, fv(u.mroi))}</td>`
    + (conv ? `<td>${withIv(fv('currency-per-conversion')(c.cpa ?? NaN), c.cpaInterval, fv('currency-per-conversion'))}</td>` : '') + '</tr>').join('\n');
  const roiHead = u.roi === 'revenue-per-spend' ? 'ROI' : 'Conv. per unit';
  return `<section class="detail" id="channels">
<h2>Spend share vs effect share</h2>
<p>A channel whose share of effect is above its share of spend earns more than the media average per unit spent; below, less.</p>
<div class="chart" id="chart-share" role="img" aria-label="Share of spend versus share of effect per channel"></div>
<h3>${u.roi === 'revenue-per-spend' ? 'ROI' : 'Conversions per unit of spend'} and marginal ${u.roi === 'revenue-per-spend' ? 'ROI' : 'conversions per unit'}</h3>
<div class="table-wrap"><table id="roi-table"><thead><tr><th class="name">Channel</th><th>Spend (${h(unitLabel('currency', cur))})</th><th>Share of spend</th><th>Contribution, ${h(unitLabel(u.outcome, cur))} (90%)</th><th>Share of effect</th>`
    + `<th>${roiHead} (90%)</th><th>Marginal ${roiHead === 'ROI' ? 'ROI' : 'conv. per unit'} (90%)</th>${conv ? `<th>Cost per conv., ${h(unitLabel('currency-per-conversion', cur))} (90%)</th>` : ''}</tr></thead>
<tbody>
${rows}
</tbody></table></div>
<p class="caption">Totals over every period of the data, holdout included. ${u.roi === 'revenue-per-spend' ? `ROI is incremental revenue per unit of spend${conv ? ' (conversions × revenue per conversion)' : ''}` : 'Conversions per unit of spend'}; marginal is the same for the next unit of spend at the current level. In brackets: ${intervalCaption(input)}.</p>
</section>`;
}

/**
 * The decomposition as a waterfall: from the baseline, each part (trend, seasonality, each control,
 * each channel) steps up or down to the total prediction, every part measured against its stated
 * reference. Drawn as inline SVG (the report has no network and needs no script for it).
 */
export function decompositionSection(input: ReportInput): string {
  const s = input.result.series as typeof input.result.series & { components?: Record<string, number[]>; references?: { control: string; level: number; rule: string }[] };
  if (!s.components) return '';
  const u = reportUnits(input), cur = u.currency;
  const total = (x: readonly number[]) => x.reduce((a, b) => a + b, 0);
  const label = (k: string) => (k === 'intercept' ? 'baseline' : k.startsWith('control:') ? k.slice(8) : k.startsWith('organic:') ? `${k.slice(8)} (organic)` : k);
  const parts = [
    ...Object.entries(s.components).map(([k, v]) => ({ name: label(k), value: total(v), kind: k === 'intercept' ? 'base' : k.startsWith('organic:') ? 'channel' : 'factor' })),
    ...input.result.channels.map((c) => ({ name: c.name, value: total(s.contributions[c.name] ?? []), kind: 'channel' })),
  ];
  const predicted = total(s.predicted);
  const W = 760, rowH = 24, left = 150, right = 110, H = (parts.length + 1) * rowH + 10;
  let lo = 0, hi = 0, run = 0;
  for (const p of parts) { run += p.value; lo = Math.min(lo, run, run - p.value); hi = Math.max(hi, run, run - p.value); }
  const x = (v: number) => left + ((v - lo) / (hi - lo || 1)) * (W - left - right);
  const f = (v: number) => formatValue(v, u.outcome, cur);
  run = 0;
  const bars = parts.map((p, i) => {
    const from = run, to = run + p.value;
    run = to;
    const color = p.kind === 'base' ? '#9aa5b1' : p.kind === 'channel' ? '#2f6fb0' : p.value >= 0 ? '#3a8f5c' : '#c0504d';
    const y = i * rowH + 4;
    return `<text x="${left - 8}" y="${y + 15}" text-anchor="end">${h(p.name)}</text><rect x="${Math.min(x(from), x(to)).toFixed(1)}" y="${y}" width="${Math.max(1, Math.abs(x(to) - x(from))).toFixed(1)}" height="${rowH - 8}" fill="${color}"><title>${h(p.name)}: ${h(f(p.value))}</title></rect><text x="${(Math.max(x(from), x(to)) + 6).toFixed(1)}" y="${y + 15}">${h(f(p.value))}</text>`;
  }).join('');
  const yT = parts.length * rowH + 4;
  const totalBar = `<text x="${left - 8}" y="${yT + 15}" text-anchor="end" font-weight="bold">prediction</text><rect x="${x(Math.min(0, predicted)).toFixed(1)}" y="${yT}" width="${Math.abs(x(predicted) - x(0)).toFixed(1)}" height="${rowH - 8}" fill="#333"></rect><text x="${(Math.max(x(predicted), x(0)) + 6).toFixed(1)}" y="${yT + 15}" font-weight="bold">${h(f(predicted))}</text>`;
  const refs = (s.references ?? []).map((r) => `${h(r.control)} against ${h(String(r.level))} (${r.rule === 'given' ? 'as configured' : `its ${r.rule}`})`);
  return `<section class="detail" id="decomposition">
<h2>What explains the outcome</h2>
<p>The predicted ${h(input.target.column)} over every period (${h(unitLabel(u.outcome, cur))}), built up from the baseline: each bar is what a part added (or took away) against its reference. Trend is measured against the first period, seasonality against the yearly average${refs.length ? `, ${refs.join(', ')}` : ''}; each channel against no spend on it. The parts add up to the prediction.</p>
<svg id="waterfall" role="img" aria-label="Decomposition waterfall" viewBox="0 0 ${W} ${H}" width="100%" font-size="12" font-family="inherit">${bars}${totalBar}</svg>
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

function fitMetricsTable(input: ReportInput): string {
  const f = input.result.fit;
  const row = (label: string, m: FitMetrics | null | undefined) => m
    ? `<tr><td>${label}</td><td>${formatCount(m.n)}</td><td>${formatDecimals(m.r2, 3)}</td><td>${formatPercent(m.mape)}</td><td>${formatPercent(m.smape)}</td><td>${formatValue(m.rmse, 'count')}</td><td>${formatDecimals(m.nrmse, 3)}</td></tr>`
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
    return `<tr${badR || badE ? ' class="flag"' : ''}><td class="name">${h(parameterLabel(p.name, names))}</td><td>${formatParameter(p.mean)}</td><td>${formatParameter(p.sd)}</td><td>${formatParameter(p.q5)}</td><td>${formatParameter(p.q50)}</td><td>${formatParameter(p.q95)}</td>`
      + `<td${badE ? ' class="flag"' : ''}>${formatCount(p.essBulk)}</td><td>${formatCount(p.essTail)}</td><td${badR ? ' class="flag"' : ''}>${Number.isFinite(p.rhat) ? p.rhat.toFixed(3) : '–'}</td></tr>`;
  }).join('\n');
  const sampler = [
    `method ${fit.approximate ? 'Laplace approximation (approximate)' : 'NUTS'}`,
    `largest R-hat ${d.rhatMax.toFixed(3)}`, `smallest bulk ESS ${formatCount(d.essBulkMin)}`, `smallest tail ESS ${formatCount(d.essTailMin)}`,
    `${d.divergences} divergences`, `${d.seconds.toFixed(1)} s${d.phases ? ` (start ${d.phases.startSeconds.toFixed(1)} s, ${fit.approximate ? 'draws' : 'sampling'} ${d.phases.drawSeconds.toFixed(1)} s, summaries ${d.phases.summarySeconds.toFixed(1)} s)` : ''}`,
    ...(d.leapfrogPerIteration !== undefined ? [`${d.leapfrogPerIteration.toFixed(0)} leapfrog steps per iteration`] : []),
    ...(d.maxTreeDepthShare !== undefined ? [`${formatPercent(d.maxTreeDepthShare)} of iterations at max tree depth`] : []),
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
  const rows = input.liftTests ?? liftTestCheck(tests, s.dates, s.geos, s.contributions);
  if (!rows.length) return '';
  const u = reportUnits(input);
  const out = (v: number) => formatValue(v, u.outcome, u.currency);
  const roi = (lo: number | null, hi: number | null) => (lo === null || hi === null ? '—' : formatRange([lo, hi], (v) => formatValue(v, u.roi, u.currency)));
  const change = (v: number | null) => (v === null ? 'contribution' : v === -1 ? 'dark' : `${v > 0 ? '+' : ''}${Math.round(100 * v)}%`);
  const designed = rows.some((r) => r.roiPredictedLow !== null);
  const expected = rows.some((r) => r.expectedResultLow !== null);
  const expectedCell = (r: LiftTestRow) => {
    if (r.expectedResultLow === null || r.expectedResultHigh === null) return '<td>—</td>';
    const outside = r.measured < r.expectedResultLow || r.measured > r.expectedResultHigh;
    return `<td${outside ? ' class="flag"' : ''}>${formatRange([r.expectedResultLow, r.expectedResultHigh], out)}${outside ? ' (outside)' : ''}</td>`;
  };
  const body = rows.map((r) => `<tr${Math.abs(r.z) > 2 ? ' class="flag"' : ''}><td class="name">${h(r.channel)}</td><td>${h(r.geo ?? 'all')}</td><td>${h(r.start)} – ${h(r.end)}</td><td>${h(change(r.spendChange))}</td>`
    + `<td>${out(r.measured)} ± ${out(r.measuredSe)}</td>${expected ? expectedCell(r) : ''}<td>${out(r.model)}</td><td>${Math.abs(r.z) < 0.05 ? '0.0' : r.z.toFixed(1)}</td>`
    + `${designed ? `<td>${roi(r.roiBeforeLow, r.roiBeforeHigh)}</td><td>${roi(r.roiPredictedLow, r.roiPredictedHigh)}</td>` : ''}<td>${roi(r.roiLow, r.roiHigh)}</td></tr>`).join('\n');
  const off = rows.filter((r) => Math.abs(r.z) > 2).length;
  return `<section class="detail" id="lift-tests">
<h2>Lift tests</h2>
<p>Each experiment's measured incremental ${h(input.target.column)} beside what the model says for the same channel, window and geos: for a test that changed spend (dark, −50%, +50%), the outcome that change makes in the model; for a contribution test, the channel's contribution over the window. ${off ? `The model is more than two standard errors away from ${off} of ${rows.length}: the data pull the other way, so check those tests' windows, geos and standard errors.` : 'The model is within two standard errors of every test.'} The channel's ROI interval (90%) now${designed ? ', beside the one before the test and the one its design predicted,' : ''} says what the tests taught.${expected ? ' A result outside the range the model expected before its test means that model was off for the channel.' : ''}</p>
<div class="table-wrap"><table id="lift-test-table"><thead><tr><th class="name">Channel</th><th>Geos</th><th>Window</th><th>Change</th><th>Measured</th>${expected ? '<th>Expected before (95%)</th>' : ''}<th>Model</th><th>Gap (standard errors)</th>${designed ? '<th>ROI before</th><th>ROI predicted</th>' : ''}<th>ROI now</th></tr></thead>
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
    return `<tr${width > 0.8 ? ' class="flag"' : ''}><td class="name">${h(c.name)}</td><td>${h(label[key] ?? key)}</td><td>${formatParameter(p.mean)} <span class="iv">(${formatRange(p.interval, formatParameter)})</span></td>`
      + `<td>${formatParameter(p.prior.mean)} ± ${formatParameter(p.prior.sd)} <span class="iv">${p.prior.given ? 'given' : 'default'}</span></td><td>${formatPercent(width)}</td></tr>`;
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
  const u = reportUnits(input), cur = u.currency;
  const revenue = u.roi === 'revenue-per-spend';
  const money = (v: number) => formatValue(v, 'currency', cur);
  const rows = curves.map((c) => `<tr><td class="name">${h(c.channel)}</td><td>${money(c.current.spend)}</td><td>${formatValue(c.current.expected, u.outcome, cur)}</td><td>${formatValue(c.current.mroi, u.mroi)}</td>`
    + `<td>${c.breakEven ? money(c.breakEven.spend) : '–'}</td><td>${c.breakEven ? formatPercent(c.breakEven.spend / c.current.spend - 1) : '–'}</td></tr>`).join('\n');
  const n = curves.length;
  return `<section class="detail" id="curves">
<h2>Response curves</h2>
<p>Expected incremental ${h(input.target.column)} (${h(unitLabel(u.outcome, cur))}, up) over the data period if each channel's spend (${h(unitLabel('currency', cur))}, across) had been scaled up or down with the same timing, with the 90% ${isBayesian(input.result) ? '' : 'bootstrap '}band${input.result.family === 'forest' || input.result.family === 'boosting' ? ' (partial dependence of the tree model: flat beyond the largest spend seen in training)' : ''}. One panel per channel, each on its own scales, so a small channel reads as clearly as a large one. The filled circle marks the current spend${revenue ? '; the hollow diamond the break-even point: the spend where the next unit of spend returns exactly one unit (marginal ROI = 1), beyond which more spend returns less than it costs' : ''}.</p>
<div class="chart curves" id="chart-curves" role="img" aria-label="Response curves, one panel per channel: ${n} channel${n === 1 ? '' : 's'}"></div>
<div class="table-wrap"><table id="curve-table"><thead><tr><th class="name">Channel</th><th>Current spend</th><th>Expected at current spend</th><th>Marginal ${revenue ? 'ROI' : 'conv. per unit'}</th><th>Break-even spend</th><th>vs current</th></tr></thead>
<tbody>
${rows}
</tbody></table></div>
<p class="caption">Break-even is where marginal ROI falls through 1 on the ${isBayesian(input.result) ? 'posterior-mean' : 'point-estimate'} curve; "–" when it stays above 1 up to 4× the current spend, stays below 1 everywhere, or the target is conversions without a value per conversion.</p>
</section>`;
}
