/** A saved plan in flight: actual against forecast per period, spend against plan, and the rest re-optimized (GET /api/plans/:id/track). */
import { useState } from 'react';
import { api, followJob, type JobInfo, type Schema, jobError } from '../api.ts';
import { COLORS, Chart } from '../chart.tsx';
import { interval, money as moneyIn, trimZeros } from '../format.ts';
import { Empty, ErrorBox, Table, useApi } from '../ui.tsx';
import { WhyNot } from '../form.tsx';

type TrackResult = Schema<'PlanTrack'>;

/** `currency`: the plan's (its model's), for every amount here; null shows them without a symbol. */
export function PlanTrack({ planId, currency }: { planId: string; currency: string | null }) {
  const money = (v: number | null | undefined) => moneyIn(v, currency);
  const tables = useApi<Schema<'Harmonized'>[]>('/api/harmonized');
  const [data, setData] = useState('');
  const [t, setT] = useState<TrackResult | null>(null);
  const [error, setError] = useState<unknown>(null);
  const [busy, setBusy] = useState(false);
  const run = async () => {
    setError(null); setT(null); setBusy(true);
    try {
      // A job: the rest of the plan is re-optimized in a worker, so the server stays responsive.
      const started = await api<JobInfo>(`/api/plans/${encodeURIComponent(planId)}/track`, { body: { data } });
      const done = await followJob(started.id, () => undefined);
      if (done.status === 'succeeded') setT(done.result as TrackResult);
      else setError(jobError(done.error, `tracking ${done.status}`));
    } catch (e) { setError(e); } finally { setBusy(false); }
  };
  const chart = t && {
    tooltip: { trigger: 'axis', valueFormatter: (v: number) => money(v) }, legend: { bottom: 0, data: ['90% forecast interval', 'forecast', 'actual'] }, grid: { left: 70, right: 20, top: 20, bottom: 50 },
    xAxis: { type: 'category', data: t.weeks.map((w) => w.period), axisLabel: { hideOverlap: true, margin: 12 } }, yAxis: { type: 'value', scale: true, axisLabel: { formatter: (v: number) => trimZeros(money(v)) } },
    series: [
      { name: 'low', type: 'line', stack: 'band', symbol: 'none', lineStyle: { opacity: 0 }, data: t.weeks.map((w) => w.low), tooltip: { show: false } },
      { name: '90% forecast interval', type: 'line', stack: 'band', symbol: 'none', lineStyle: { opacity: 0 }, areaStyle: { color: COLORS.bandFill }, color: COLORS.band, data: t.weeks.map((w) => w.high - w.low) },
      { name: 'forecast', type: 'line', color: COLORS.predicted, data: t.weeks.map((w) => w.expected) },
      { name: 'actual', type: 'line', color: COLORS.ink, symbol: 'circle', symbolSize: 7, data: t.weeks.map((w) => ({ value: w.actual, itemStyle: { color: w.inside ? COLORS.ink : COLORS.threshold } })) },
    ],
  };
  return (
    <section className="card" aria-labelledby="track-h" data-testid="plan-track">
      <h3 id="track-h">Track this plan against new data</h3>
      <ErrorBox error={tables.error} />
      {tables.data && tables.data.length === 0 && <Empty>No harmonized table yet: ingest the new weeks on the Data page and harmonize them.</Empty>}
      {tables.data && tables.data.length > 0 && (
        <div className="row">
          <label>New data <select name="track-data" value={data} onChange={(e) => setData(e.target.value)}>
            <option value="">choose a harmonized table…</option>
            {tables.data.map((h) => <option key={h.id} value={h.id}>{h.id} (to {h.to})</option>)}
          </select></label>
          <button onClick={() => void run()} disabled={!data || busy}>{busy ? 'Tracking…' : 'Track'}</button>
          <WhyNot action="track" reasons={!data ? ['choose the harmonized table with the new weeks'] : []} />
        </div>
      )}
      <ErrorBox error={error} />
      {t && chart && <>
        <p>{t.covered} of {t.periods} periods covered by {t.data}: actual <strong>{money(t.total.actual)}</strong> against <strong>{money(t.total.expected)}</strong> forecast;
          {' '}<strong>{t.outside}</strong> period{t.outside === 1 ? '' : 's'} outside the 90% interval (about {(0.1 * t.covered).toFixed(1)} expected by chance).</p>
        <Chart label="Actual outcome against the plan's forecast with its 90% interval" testId="chart-track" option={chart} />
        <Table testId="track-channels" rows={t.channels as unknown as Record<string, unknown>[]} columns={[
          { key: 'channel', label: 'Channel' }, { key: 'planned', label: 'Planned spend', format: (v) => money(v as number) },
          { key: 'actual', label: 'Actual spend', format: (v) => money(v as number) },
          { key: 'difference', label: 'Difference', format: (v) => `${(v as number) >= 0 ? '+' : ''}${money(v as number)}` },
        ]} />
        {t.remainder && <p data-testid="track-remainder">The rest ({t.remainder.periods} periods from {t.remainder.start}) re-optimized on the <strong>{money(t.remainder.budgetLeft)}</strong> left:
          {' '}{t.remainder.allocation.map((a) => `${a.key} ${money(a.spend)}`).join(', ')}; expected {money(t.remainder.total.expected)} <span className="muted">{interval(t.remainder.total.expectedInterval?.[0], t.remainder.total.expectedInterval?.[1], (n) => money(n))}</span>.</p>}
        {t.notes.map((n, i) => <p key={i} className="muted">{n}</p>)}
      </>}
    </section>
  );
}
