/**
 * The report's organic media table (channels with activity and no spend: contribution, share of the
 * prediction and contribution per unit of activity, each with its 90% interval, and no ROI) and its
 * reach & frequency table (the optimal frequency with its interval beside the one the channel ran at).
 * Both read the fit result the report is rendered from, so they show the stored figures.
 */
import { escapeHtml as h } from './escape.ts';
import { reportUnits } from './detail.ts';
import type { ReportInput } from './types.ts';
import { formatAmount, formatPercent, formatRange, formatValue, unitLabel, type Unit } from '../../units.ts';

export function organicSection(input: ReportInput): string {
  const rows = input.result.organic ?? [];
  if (!rows.length) return '';
  const u = reportUnits(input), cur = u.currency;
  const withIv = (v: number, iv: [number, number], unit: Unit, compact = true) => {
    const f = (x: number) => formatValue(x, unit, cur, { compact });
    return `${f(v)} <span class="iv">(${formatRange(iv, f)})</span>`;
  };
  const body = rows.map((o) => `<tr><td class="name">${h(o.name)}</td><td>${formatAmount(o.activity)}</td><td>${withIv(o.contribution, o.contributionInterval, u.outcome)}</td>`
    + `<td>${formatPercent(o.share)} <span class="iv">(${formatPercent(o.shareInterval[0])}–${formatPercent(o.shareInterval[1])})</span></td><td>${withIv(o.perUnit, o.perUnitInterval, u.outcome, false)}</td></tr>`).join('\n');
  return `<section class="detail" id="organic">
<h2>Organic media</h2>
<p>Channels with activity and no spend (sends, posts): what each added against no activity on it, with its 90% interval. They have no ROI; plans keep their volume as it was.</p>
<div class="table-wrap"><table id="organic-table"><thead><tr><th class="name">Channel</th><th>Activity</th><th>Contribution, ${h(unitLabel(u.outcome, cur))} (90%)</th><th>Share of the outcome (90%)</th><th>Per unit of activity, ${h(unitLabel(u.outcome, cur))} (90%)</th></tr></thead>
<tbody>
${body}
</tbody></table></div>
</section>`;
}

export function frequencySection(input: ReportInput): string {
  const rows = input.result.channels.flatMap((c) => ('rf' in c && c.rf ? [{ name: c.name, rf: c.rf }] : []));
  if (!rows.length) return '';
  const body = rows.map((r) => `<tr><td class="name">${h(r.name)}</td><td>${formatAmount(r.rf.optimalFrequency)} <span class="iv">(${formatRange(r.rf.optimalFrequencyInterval, formatAmount)})</span></td><td>${formatAmount(r.rf.observedFrequency)}</td><td>${formatAmount(r.rf.maxFrequency)}</td></tr>`).join('\n');
  return `<section class="detail" id="frequency">
<h2>Reach and frequency</h2>
<p>At a fixed spend a channel buys a fixed number of impressions; the optimal frequency (exposures per person reached per period) gets the most outcome from them. It is searched between 1 and the highest frequency in the data.</p>
<div class="table-wrap"><table id="frequency-table"><thead><tr><th class="name">Channel</th><th>Optimal frequency (90%)</th><th>Frequency it ran at</th><th>Highest in the data</th></tr></thead>
<tbody>
${body}
</tbody></table></div>
</section>`;
}
