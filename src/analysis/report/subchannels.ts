/** The report's sub-channel table: under each channel with sub-channels, its parts as the insights table gives them. */
import { escapeHtml as h } from './escape.ts';
import { reportUnits } from './detail.ts';
import type { ReportInput } from './types.ts';
import { formatPercent, formatRange, formatValue, unitLabel, type Unit } from '../../units.ts';
import { SUBCHANNEL_NOTE } from '../subchannelRule.ts';

export function subchannelSection(input: ReportInput): string {
  const rows = input.subchannels ?? [];
  if (!rows.length) return '';
  const u = reportUnits(input), cur = u.currency;
  const fv = (unit: Unit) => (x: number) => formatValue(x, unit, cur);
  const withIv = (v: number | null, lo: number | null, hi: number | null, unit: Unit) => (v === null ? '—'
    : `${fv(unit)(v)}${lo === null || hi === null ? '' : ` <span class="iv">(${formatRange([lo, hi], fv(unit))})</span>`}`);
  const pct = (v: number | null, lo: number | null, hi: number | null) => (v === null ? '—'
    : `${formatPercent(v)}${lo === null || hi === null ? '' : ` <span class="iv">(${formatPercent(lo)}–${formatPercent(hi)})</span>`}`);
  const roiHead = u.roi === 'revenue-per-spend' ? 'ROI' : 'Conv. per unit';
  const body = rows.map((r) => `<tr><td class="name">${h(r.channel)} › ${h(r.subchannel)}</td><td>${fv('currency')(r.spend)}</td><td>${r.shareOfSpend === null ? '—' : formatPercent(r.shareOfSpend)}</td>`
    + `<td>${withIv(r.contribution, r.contributionLow, r.contributionHigh, u.outcome)}</td><td>${pct(r.share, r.shareLow, r.shareHigh)}</td><td>${withIv(r.roi, r.roiLow, r.roiHigh, u.roi)}</td></tr>`).join('\n');
  return `<section class="detail" id="subchannels">
<h2>Sub-channels</h2>
<div class="table-wrap"><table id="subchannel-table"><thead><tr><th class="name">Channel › sub-channel</th><th>Spend (${h(unitLabel('currency', cur))})</th><th>Share of the channel's spend</th>`
    + `<th>Contribution, ${h(unitLabel(u.outcome, cur))} (90%)</th><th>Share of the channel's contribution (90%)</th><th>${roiHead} (90%)</th></tr></thead>
<tbody>
${body}
</tbody></table></div>
<p class="caption">${h(SUBCHANNEL_NOTE)}</p>
</section>`;
}
