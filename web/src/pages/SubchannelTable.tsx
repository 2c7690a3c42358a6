/**
 * Sub-channels under their channel (Insights page): each channel that has them as a row, its
 * sub-channels nested below with spend, contribution, share of the channel's contribution and ROI,
 * each with its 90% interval — the insights' stored figures, formatted in their units.
 */
import type { Schema } from '../api.ts';
import { formatInterval, formatValue, pct, roiName, unitLabel, type Unit } from '../format.ts';
import { SUBCHANNEL_NOTE } from '../../../src/analysis/subchannelRule.ts';

type Insights = Schema<'InsightsView'>;

export function SubchannelTable({ x }: { x: Insights }) {
  const rows = x.subchannels ?? [];
  if (!rows.length) return null;
  const u = x.units, cur = u.currency;
  const f = (unit: Unit) => (v: number | null | undefined) => formatValue(typeof v === 'number' ? v : null, unit, cur);
  const iv = (lo: number | null | undefined, hi: number | null | undefined, unit: Unit) => (typeof lo === 'number' && typeof hi === 'number' ? formatInterval([lo, hi], unit, cur) : '');
  const parents = [...new Set(rows.map((r) => r.channel))];
  return (
    <div className="table-wrap">
      <h3>Sub-channels</h3>
      <table data-testid="subchannel-table">
        <thead><tr>
          <th scope="col">Channel › sub-channel</th><th scope="col">Spend ({unitLabel('currency', cur)})</th>
          <th scope="col">Contribution ({unitLabel(u.outcome, cur)})</th><th scope="col">Share of the channel's contribution</th><th scope="col">{roiName(u)}</th>
        </tr></thead>
        <tbody>{parents.flatMap((name) => {
          const c = x.channels.find((ch) => ch.channel === name);
          return [
            <tr key={name} className="parent">
              <th scope="row">{name}</th><td>{f('currency')(c?.spend)}</td>
              <td>{f(u.outcome)(c?.contribution)} <span className="muted">{iv(c?.contributionLow, c?.contributionHigh, u.outcome)}</span></td>
              <td>{pct(1)}</td>
              <td>{f(u.roi)(c?.roi)} <span className="muted">{iv(c?.roiLow, c?.roiHigh, u.roi)}</span></td>
            </tr>,
            ...rows.filter((r) => r.channel === name).map((r) => (
              <tr key={`${name}/${r.subchannel}`} data-subchannel={r.subchannel}>
                <th scope="row" style={{ paddingLeft: '1.5em', fontWeight: 'normal' }}>{r.subchannel}</th><td>{f('currency')(r.spend)}</td>
                <td>{f(u.outcome)(r.contribution)} <span className="muted">{iv(r.contributionLow, r.contributionHigh, u.outcome)}</span></td>
                <td>{typeof r.share === 'number' ? pct(r.share) : '—'} <span className="muted">{iv(r.shareLow, r.shareHigh, 'share')}</span></td>
                <td>{f(u.roi)(r.roi)} <span className="muted">{iv(r.roiLow, r.roiHigh, u.roi)}</span></td>
              </tr>
            )),
          ];
        })}</tbody>
      </table>
      <p className="muted">{SUBCHANNEL_NOTE}</p>
    </div>
  );
}
