/** Touchpoints: scores by method, the MMM consistency table, top paths, export. */
import { useEffect, useState } from 'react';
import { api, download, followJob, type JobInfo, type Schema, jobError } from '../api.ts';
import { Chart, PALETTE } from '../chart.tsx';
import { formatValue, num, pct } from '../format.ts';
import { Empty, ErrorBox, Loading, Table, useApi } from '../ui.tsx';
import { WhyNot } from '../form.tsx';

const METHODS = ['linear', 'first', 'last', 'position', 'decay', 'markov', 'shapley'];
type Result = Schema<'TouchpointsResult'>;

export function TouchpointsPage() {
  const datasets = useApi<Schema<'Dataset'>[]>('/api/datasets');
  const models = useApi<Schema<'ModelListing'>[]>('/api/models');
  const tp = (datasets.data ?? []).filter((d) => d.kind === 'touchpoints');
  const [data, setData] = useState('');
  const [methods, setMethods] = useState<string[]>(['linear', 'markov', 'shapley']);
  const [model, setModel] = useState('');
  const [job, setJob] = useState<Partial<JobInfo> | null>(null);
  const [error, setError] = useState<unknown>(null);
  useEffect(() => { if (!data && tp.length) setData(tp[tp.length - 1].id); }, [tp, data]);
  const run = async () => {
    setError(null); setJob(null);
    try {
      const started = await api<JobInfo>('/api/touchpoints', { body: { data, methods, ...(model ? { model } : {}) } });
      setJob(started);
      const final = await followJob(started.id, (j) => setJob((p) => ({ ...p, ...j })));
      setJob(final);
      if (final.status === 'failed' && final.error) setError(jobError(final.error, 'scoring failed'));
    } catch (e) { setError(e); }
  };
  const result = job?.status === 'succeeded' ? (job.result as Result) : null;
  const running = job && (job.status === 'queued' || job.status === 'running');
  return (
    <div className="page">
      <h1>Touchpoints</h1>
      <p className="lead">Credit each touch of each customer journey by several methods, and — with a model — rescale the credit so each channel's total matches what the MMM says it added.</p>
      {datasets.loading && !datasets.data && <Loading what="datasets" />}
      <ErrorBox error={datasets.error} />
      {datasets.data && tp.length === 0 && <Empty>No touchpoint dataset yet: upload journeys on the <a href="#/data">Data</a> page as “touchpoints”.</Empty>}
      {tp.length > 0 && (
        <section className="card">
          <div className="row">
            <label>Journeys <select name="tp-data" value={data} onChange={(e) => setData(e.target.value)}>{tp.map((d) => <option key={d.id}>{d.id}</option>)}</select></label>
            <label>Calibrate to model <select name="tp-model" value={model} onChange={(e) => setModel(e.target.value)}><option value="">none</option>{(models.data ?? []).map((m) => <option key={m.id}>{m.id}</option>)}</select></label>
          </div>
          <fieldset className="row"><legend>Methods</legend>
            {METHODS.map((m) => <label key={m}><input type="checkbox" checked={methods.includes(m)} onChange={(e) => setMethods(e.target.checked ? [...methods, m] : methods.filter((x) => x !== m))} /> {m}</label>)}
          </fieldset>
          <button onClick={() => void run()} disabled={!!running || !data || !methods.length}>{running ? 'Scoring…' : 'Score'}</button>
          <WhyNot action="score" reasons={[...(!data ? ['choose a touchpoint dataset'] : []), ...(!methods.length ? ['tick at least one method'] : [])]} />
          {running && <div className="loading" role="status">Scoring journeys…</div>}
          <ErrorBox error={error} />
        </section>
      )}
      {result && job?.id && <ResultView r={result} jobId={job.id} />}
    </div>
  );
}

function ResultView({ r, jobId }: { r: Result; jobId: string }) {
  const channels = r.summaries[0].channels.map((c) => c.channel);
  const rows = channels.map((ch) => Object.fromEntries([['channel', ch], ...r.summaries.map((s) => [s.method, s.channels.find((c) => c.channel === ch)?.conversions ?? 0])]));
  const chart = {
    tooltip: { trigger: 'axis' }, legend: { bottom: 0 }, grid: { left: 60, right: 20, top: 20, bottom: 50 },
    xAxis: { type: 'category', data: channels }, yAxis: { type: 'value', name: 'conversions' },
    series: r.summaries.map((s, i) => ({ type: 'bar', name: s.method, color: PALETTE[i % PALETTE.length], data: channels.map((ch) => +(s.channels.find((c) => c.channel === ch)?.conversions ?? 0).toFixed(2)) })),
  };
  const totals = r.calibration?.consistency.filter((c) => c.period === undefined) ?? [];
  // The model's figures in its own unit: money in its currency (none: no symbol), or conversions.
  const u = r.calibration?.units ?? { outcome: 'currency' as const, currency: null };
  const amount = (v: number) => formatValue(v, u.outcome, u.currency);
  const unit = u.outcome === 'conversions' ? 'conversions' : u.currency ?? 'currency not given';
  return (
    <div data-testid="touchpoints-result">
      <section className="card">
        <h2>Credit by method</h2>
        <p className="muted">{num(r.journeys, 0)} journeys, {num(r.touches, 0)} touches, {num(r.summaries[0].totalConversions, 0)} conversions.</p>
        <Chart label="Conversions credited to each channel by method" testId="chart-credit" option={chart} />
        <Table testId="credit-table" rows={rows} columns={[{ key: 'channel', label: 'Channel' }, ...r.summaries.map((s) => ({ key: s.method, label: s.method, format: (v: unknown) => num(v as number, 1) }))]} />
        <button className="secondary" onClick={() => void download(`/api/touchpoints/${jobId}/export/channels`, 'touchpoints-channels.csv')}>Export scores (CSV)</button>
      </section>
      {r.calibration && (
        <section className="card">
          <h2>Consistency with model {r.calibration.model}</h2>
          <p className="muted">{r.calibration.method} scores rescaled per channel and period to the model's incremental outcome. Totals below: the model's contribution over all periods vs. the calibrated touch scores (periods without journeys cannot be matched).</p>
          {r.calibration.unmatchedChannels.length > 0 && <p className="warn">Touch channels with no model channel: {r.calibration.unmatchedChannels.join(', ')}.</p>}
          <Table testId="consistency" rows={totals as unknown as Record<string, unknown>[]} columns={[
            { key: 'channel', label: 'Channel' }, { key: 'mmm', label: `Model (${unit})`, format: (v) => amount(v as number) }, { key: 'touchpoints', label: `Touchpoints (${unit})`, format: (v) => amount(v as number) },
            { key: 'difference', label: 'Difference', format: (v, row) => `${amount(v as number)} (${pct((v as number) / ((row.mmm as number) || 1))})` },
          ]} />
          <button className="secondary" onClick={() => void download(`/api/touchpoints/${jobId}/export/consistency`, 'touchpoints-consistency.csv')}>Export consistency (CSV)</button>
        </section>
      )}
      <section className="card">
        <h2>Top paths</h2>
        <Table testId="paths" rows={r.topPaths.slice(0, 15) as unknown as Record<string, unknown>[]} columns={[
          { key: 'path', label: 'Path' }, { key: 'journeys', label: 'Journeys', format: (v) => num(v as number, 0) }, { key: 'conversions', label: 'Conversions', format: (v) => num(v as number, 0) },
          { key: 'conversionRate', label: 'Conversion rate', format: (v) => pct(v as number) },
        ]} />
        <button className="secondary" onClick={() => void download(`/api/touchpoints/${jobId}/export/paths`, 'touchpoints-paths.csv')}>Export paths (CSV)</button>
      </section>
    </div>
  );
}
