/**
 * Organic channels (Insights page): what each channel without spend added — its contribution, share of
 * the outcome and contribution per unit of activity, each with its 90% interval — and, for reach &
 * frequency channels, the optimal frequency beside the one they ran at. The insights' stored figures,
 * formatted in their units; organic channels have no ROI, so none is shown.
 */
import type { Schema } from '../api.ts';
import { formatAmount, formatAmountInterval, formatInterval, formatValue, pct, unitLabel, type Unit } from '../format.ts';
import { responseCurves, responseCurvesHeight } from '../../../src/charts/index.ts';
import { Chart } from '../chart.tsx';

type Insights = Schema<'InsightsView'>;

export function OrganicTable({ x }: { x: Insights }) {
  const rows = x.organic ?? [];
  if (!rows.length) return null;
  const u = x.units, cur = u.currency;
  const f = (unit: Unit) => (v: number) => formatValue(v, unit, cur);
  return (
    <div className="table-wrap">
      <h3>Organic media (no spend, so no ROI)</h3>
      <table data-testid="organic-table">
        <thead><tr>
          <th scope="col">Channel</th><th scope="col">Activity</th><th scope="col">Contribution ({unitLabel(u.outcome, cur)})</th>
          <th scope="col">Share of the outcome</th><th scope="col">Per unit of activity ({unitLabel(u.outcome, cur)})</th>
        </tr></thead>
        <tbody>{rows.map((r) => (
          <tr key={r.channel} data-organic={r.channel}>
            <th scope="row">{r.channel}</th><td>{formatAmount(r.activity)}</td>
            <td>{f(u.outcome)(r.contribution)} <span className="muted">{formatInterval([r.contributionLow, r.contributionHigh], u.outcome, cur)}</span></td>
            <td>{pct(r.share)} <span className="muted">{formatInterval([r.shareLow, r.shareHigh], 'share')}</span></td>
            <td>{formatValue(r.perUnit, u.outcome, cur, { compact: false })} <span className="muted">{formatInterval([r.perUnitLow, r.perUnitHigh], u.outcome, cur, { compact: false })}</span></td>
          </tr>
        ))}</tbody>
      </table>
      <p className="muted">Measured against no activity on the channel. Plans keep organic volume as it was over the last year; a plan's scenario can change it.</p>
      <OrganicCurves x={x} />
    </div>
  );
}

/** Reach & frequency channels: the frequency that gets the most outcome per unit of spend (90% interval), beside the one they ran at. */
export function FrequencyTable({ x }: { x: Insights }) {
  const rows = x.channels.filter((c) => typeof c.optimalFrequency === 'number');
  if (!rows.length) return null;
  return (
    <div className="table-wrap">
      <h3>Reach and frequency</h3>
      <table data-testid="frequency-table">
        <thead><tr><th scope="col">Channel</th><th scope="col">Optimal frequency (per person reached, per period)</th><th scope="col">Frequency it ran at</th></tr></thead>
        <tbody>{rows.map((c) => (
          <tr key={c.channel}>
            <th scope="row">{c.channel}</th>
            <td>{formatAmount(c.optimalFrequency)} <span className="muted">{formatAmountInterval([c.optimalFrequencyLow!, c.optimalFrequencyHigh!])}</span></td>
            <td>{formatAmount(c.observedFrequency)}</td>
          </tr>
        ))}</tbody>
      </table>
      <p className="muted">At a fixed spend a channel buys a fixed number of impressions: spread over more people at a lower frequency, or fewer people more often. The optimum is searched between 1 and the highest frequency in the data.</p>
    </div>
  );
}

/** Organic channels' response curves: expected outcome against activity (0 to twice the volume), with the 90% band; the dot is the volume it ran at. */
function OrganicCurves({ x }: { x: Insights }) {
  const rows = x.organicCurves ?? [];
  if (!rows.length) return null;
  const u = x.units, cur = u.currency;
  const names = [...new Set(rows.map((r) => r.channel))];
  const option = responseCurves({
    format: { spend: (v) => formatValue(v, 'count', null), outcome: (v) => formatValue(v, u.outcome, cur) }, currentName: 'current activity', xName: 'activity',
    curves: names.map((name) => {
      const mine = rows.filter((r) => r.channel === name);
      const now = mine.find((r) => r.multiplier === 1) ?? null;
      return {
        name,
        points: mine.map((r) => ({ spend: r.activity, expected: r.expected, low: r.expectedLow, high: r.expectedHigh })),
        current: now ? { spend: now.activity, expected: now.expected } : null,
        breakEven: null,
      };
    }),
  });
  return <><h3>Organic response (activity across, {unitLabel(u.outcome, cur)} up)</h3><Chart label="Organic media response curves" testId="chart-organic-curves" option={option} height={responseCurvesHeight(names.length)} /></>;
}
