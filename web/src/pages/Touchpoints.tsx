/** Touchpoints: scores by method, the MMM consistency table, top paths, export. */
import { useEffect, useState } from 'react';
import { api, download, followJob, type JobInfo, type Schema, jobError } from '../api.ts';
import { Chart, PALETTE } from '../chart.tsx';
import { formatValue, num, pct } from '../format.ts';
import { Empty, ErrorBox, Loading, Table, useApi } from '../ui.tsx';
import { WhyNot } from '../form.tsx';
import { handToWizard } from './prefill.ts';
import type { ModelConfig } from './modelPrefill.ts';
import { SegmentsView } from './touchpoints/Segments.tsx';

const METHODS = ['linear', 'first', 'last', 'position', 'decay', 'markov', 'shapley', 'incremental'];
/** Values an attribute may have to be modelled as segments (src/touchpoints/segments.ts MAX_SEGMENT_LEVELS). */
const MAX_SEGMENTS = 20;
const METHOD_HELP: Record<string, string> = { incremental: 'a fitted model of what each touch caused (slower)' };
type Result = Schema<'TouchpointsResult'>;

export function TouchpointsPage() {
  const datasets = useApi<Schema<'Dataset'>[]>('/api/datasets');
  const models = useApi<Schema<'ModelListing'>[]>('/api/models');
  const tp = (datasets.data ?? []).filter((d) => d.kind === 'touchpoints');
  const [data, setData] = useState('');
  const [methods, setMethods] = useState<string[]>(['linear', 'markov', 'shapley']);
  const [model, setModel] = useState('');
  // Touch channel → model channel, for calibration (names that match need no entry).
  const [channelMap, setChannelMap] = useState<Record<string, string>>({});
  // Campaign → model channel: a campaign's touches count there whatever their touch channel.
  const [campaignMap, setCampaignMap] = useState<Record<string, string>>({});
  const [job, setJob] = useState<Partial<JobInfo> | null>(null);
  const [error, setError] = useState<unknown>(null);
  const [segment, setSegment] = useState('');
  useEffect(() => { if (!data && tp.length) setData(tp[tp.length - 1].id); }, [tp, data]);
  // The customer attributes the chosen dataset was ingested with (columns given the role segment).
  const attributes = useApi<Schema<'SegmentAttributes'>>(data ? `/api/datasets/${encodeURIComponent(data)}/segments` : null);
  useEffect(() => { setSegment(''); }, [data]);
  const run = async (map: Record<string, string> = channelMap, campaigns: Record<string, string> = campaignMap) => {
    setError(null); setJob(null);
    try {
      const started = await api<JobInfo>('/api/touchpoints', { body: { data, methods, ...(segment ? { segment } : {}), ...(model ? { model, ...(Object.keys(map).length ? { channelMap: map } : {}), ...(Object.keys(campaigns).length ? { campaignMap: campaigns } : {}) } : {}) } });
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
            <label>Calibrate to model <select name="tp-model" value={model} onChange={(e) => { setModel(e.target.value); setChannelMap({}); setCampaignMap({}); }}><option value="">none</option>{(models.data ?? []).map((m) => <option key={m.id}>{m.id}</option>)}</select></label>
          </div>
          <fieldset className="row"><legend>Methods</legend>
            {METHODS.map((m) => <label key={m} title={METHOD_HELP[m]}><input type="checkbox" checked={methods.includes(m)} onChange={(e) => setMethods(e.target.checked ? [...methods, m] : methods.filter((x) => x !== m))} /> {m}</label>)}
          </fieldset>
          {(attributes.data ?? []).length > 0 && (
            <div className="row">
              <label>Segments by <select name="tp-segment" value={segment} onChange={(e) => setSegment(e.target.value)}>
                <option value="">none</option>{(attributes.data ?? []).map((a) => <option key={a.attribute} value={a.attribute} disabled={a.values > MAX_SEGMENTS}>{a.attribute} ({a.values} values{a.values > MAX_SEGMENTS ? ': too many to model, at most 20' : ''})</option>)}
              </select></label>
              <span className="muted">Incremental conversions per segment and per segment and channel, with 90% intervals.</span>
            </div>
          )}
          <button onClick={() => void run()} disabled={!!running || !data || !methods.length}>{running ? 'Scoring…' : 'Score'}</button>
          <WhyNot action="score" reasons={[...(!data ? ['choose a touchpoint dataset'] : []), ...(!methods.length ? ['tick at least one method'] : [])]} />
          {running && <div className="loading" role="status">Scoring journeys…</div>}
          <ErrorBox error={error} />
        </section>
      )}
      {result && job?.id && <ResultView r={result} jobId={job.id} data={data} campaignMap={campaignMap} onRemap={(map, campaigns) => { setChannelMap(map); setCampaignMap(campaigns); void run(map, campaigns); }} />}
    </div>
  );
}

type Remap = (map: Record<string, string>, campaigns: Record<string, string>) => void;

function ResultView({ r, jobId, data, campaignMap, onRemap }: { r: Result; jobId: string; data: string; campaignMap: Record<string, string>; onRemap: Remap }) {
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
      {r.notes.map((n) => <p key={n} className="warn" role="note">{n}</p>)}
      <section className="card">
        <h2>Credit by method</h2>
        <p><a href={`/api/touchpoints/${jobId}/report`} target="_blank" rel="noopener">Open the touchpoints report</a> (one page to print or share: credit, journeys at a glance, top paths{r.segments ? ', segments' : ''}).</p>
        <p className="muted">{num(r.journeys, 0)} journeys, {num(r.touches, 0)} touches, {num(r.summaries[0].totalConversions, 0)} conversions.</p>
        <Chart label="Conversions credited to each channel by method" testId="chart-credit" option={chart} />
        <Table testId="credit-table" rows={rows} columns={[{ key: 'channel', label: 'Channel' }, ...r.summaries.map((s) => ({ key: s.method, label: s.method, format: (v: unknown) => num(v as number, 1) }))]} />
        <button className="secondary" onClick={() => void download(`/api/touchpoints/${jobId}/export/channels`, 'touchpoints-channels.csv')}>Export credit by channel (CSV)</button>
        {r.perTouch && <PerTouchExport jobId={jobId} rows={r.perTouch.rows} methods={r.perTouch.methods} />}
        <AudienceExport r={r} jobId={jobId} />
      </section>
      {r.calibration && (
        <section className="card">
          <h2>Consistency with model {r.calibration.model}</h2>
          <p className="muted">{r.calibration.method} scores rescaled per channel and period to the model's incremental outcome. Totals below: the model's contribution over all periods vs. the calibrated touch scores (periods without journeys cannot be matched).</p>
          {r.calibration.unmatchedChannels.length > 0 && <p className="warn">Touch channels with no model channel: {r.calibration.unmatchedChannels.join(', ')}.</p>}
          <Table testId="consistency" rows={totals as unknown as Record<string, unknown>[]} columns={[
            { key: 'channel', label: 'Channel' }, { key: 'touchChannels', label: 'Touch channels', format: (v, row) => [...(v as string[]), ...((row.campaigns as string[] | undefined) ?? []).map((c) => `campaign ${c}`)].join(', ') || '—' },
            { key: 'mmm', label: `Model (${unit})`, format: (v) => amount(v as number) },
            // Before calibration the touches' credit is in conversions, whatever the model's unit.
            { key: 'raw', label: 'Touch credit before calibration (conversions)', format: (v) => num(v as number, 1) },
            { key: 'touchpoints', label: `Calibrated (${unit})`, format: (v) => amount(v as number) },
            { key: 'difference', label: 'Difference', format: (v, row) => `${amount(v as number)} (${pct((v as number) / ((row.mmm as number) || 1))})` },
          ]} />
          <button className="secondary" onClick={() => void download(`/api/touchpoints/${jobId}/export/consistency`, 'touchpoints-consistency.csv')}>Export consistency (CSV)</button>
          <PeriodView r={r} amount={amount} unit={unit} />
          <ChannelMapping r={r} campaignMap={campaignMap} onRemap={onRemap} />
          <JourneyPriorsForm r={r} jobId={jobId} />
        </section>
      )}
      {r.segments && <SegmentsView s={r.segments} data={data} />}
      <JourneysAtAGlance r={r} />
      <section className="card">
        <h2>Top paths</h2>
        <Table testId="paths" rows={r.topPaths.slice(0, 15) as unknown as Record<string, unknown>[]} columns={[
          { key: 'path', label: 'Path' }, { key: 'journeys', label: 'Journeys', format: (v) => num(v as number, 0) }, { key: 'conversions', label: 'Conversions', format: (v) => num(v as number, 0) },
          { key: 'conversionRate', label: 'Conversion rate', format: (v) => pct(v as number) },
          // With the incremental method: what the path's touches caused, in all and per journey.
          ...(r.topPaths.some((p) => p.incremental !== undefined) ? [
            { key: 'incremental', label: 'Caused by the touches', format: (v: unknown) => num(v as number, 1) },
            { key: 'incrementalPerJourney', label: 'Caused per 1,000 journeys', format: (v: unknown) => num(1000 * (v as number), 1) },
          ] : []),
        ]} />
        <button className="secondary" onClick={() => void download(`/api/touchpoints/${jobId}/export/paths`, 'touchpoints-paths.csv')}>Export paths (CSV)</button>
      </section>
    </div>
  );
}

/** One model channel's consistency period by period: the model's incremental outcome, the touch credit before and after calibration. */
function PeriodView({ r, amount, unit }: { r: Result; amount: (v: number) => string; unit: string }) {
  const cal = r.calibration!;
  const channels = [...new Set(cal.consistency.filter((c) => c.period !== undefined).map((c) => c.channel))];
  const [channel, setChannel] = useState(channels[0] ?? '');
  if (!channels.length) return null;
  const all = cal.consistency.filter((c) => c.channel === channel && c.period !== undefined);
  // Periods the journeys cover; the others have the model's outcome and no touch to match it to.
  const rows = all.filter((c) => c.raw > 0 || c.touchpoints > 0);
  const without = all.filter((c) => !(c.raw > 0 || c.touchpoints > 0));
  return (
    <div className="table-wrap">
      <h3>By period</h3>
      <label>Channel <select name="consistency-channel" value={channel} onChange={(e) => setChannel(e.target.value)}>{channels.map((c) => <option key={c}>{c}</option>)}</select></label>
      <Table testId="consistency-periods" rows={rows as unknown as Record<string, unknown>[]} columns={[
        { key: 'period', label: 'Period' }, { key: 'mmm', label: `Model (${unit})`, format: (v) => amount(v as number) },
        { key: 'raw', label: 'Before calibration (conversions)', format: (v) => num(v as number, 1) }, { key: 'touchpoints', label: `Calibrated (${unit})`, format: (v) => amount(v as number) },
      ]} />
      {without.length > 0 && <p className="muted">{without.length} other period{without.length === 1 ? '' : 's'} of the model have no journeys to match: {amount(without.reduce((t, c) => t + c.mmm, 0))} of the model's outcome for {channel} there.</p>}
    </div>
  );
}

/**
 * Which model channel each journey channel is ("Paid Search" → search): names that match need no
 * entry; a touch channel mapped to none is scored 0 after calibration. Scoring again applies it.
 */
function ChannelMapping({ r, campaignMap, onRemap }: { r: Result; campaignMap: Record<string, string>; onRemap: Remap }) {
  const cal = r.calibration!;
  const model = useApi<{ config: { channels: { name: string; spend?: string; organic?: boolean }[] } }>(`/api/models/${encodeURIComponent(cal.model)}`);
  const touch = r.summaries[0].channels.map((c) => c.channel);
  const [map, setMap] = useState<Record<string, string>>(calibrationMap(cal));
  const [campaigns, setCampaigns] = useState<Record<string, string>>(campaignMap);
  const modelChannels = (model.data?.config.channels ?? []).filter((c) => c.organic !== true && (c.spend !== undefined || 'subchannels' in c)).map((c) => c.name);
  if (!modelChannels.length) return null;
  const chosen = (m: Record<string, string>) => Object.fromEntries(Object.entries(m).filter(([, v]) => v));
  return (
    <fieldset className="mapping" data-testid="channel-mapping"><legend>Which model channel each journey channel is</legend>
      {touch.map((t) => (
        <label key={t}>{t} <select name={`map-${t}`} value={map[t] ?? ''} onChange={(e) => setMap({ ...map, [t]: e.target.value })}>
          <option value="">none (not in the model)</option>{modelChannels.map((m) => <option key={m} value={m}>{m}</option>)}
        </select></label>
      ))}
      {r.campaigns.length > 0 && (
        <details data-testid="campaign-mapping">
          <summary>Campaigns ({r.campaigns.length}): a campaign can count for a model channel whatever its journey channel</summary>
          {r.campaigns.map((c) => (
            <label key={c}>{c} <select name={`campaign-${c}`} value={campaigns[c] ?? ''} onChange={(e) => setCampaigns({ ...campaigns, [c]: e.target.value })}>
              <option value="">by its journey channel</option>{modelChannels.map((m) => <option key={m} value={m}>{m}</option>)}
            </select></label>
          ))}
        </details>
      )}
      <button className="secondary" onClick={() => onRemap(chosen(map), chosen(campaigns))}>Score again with this mapping</button>
    </fieldset>
  );
}

/**
 * Contribution-share priors from these journeys (the CLI's `--priors-for`): the media share — blank
 * takes the model's own, its channels' share of its prediction — split by the journeys' credit per model
 * channel, written into a copy of the model's config that opens in the Models wizard.
 */
function JourneyPriorsForm({ r, jobId }: { r: Result; jobId: string }) {
  const cal = r.calibration!;
  const [mediaShare, setMediaShare] = useState('');
  const [confidence, setConfidence] = useState('0.6');
  const [error, setError] = useState<unknown>(null);
  const [busy, setBusy] = useState(false);
  const share = mediaShare.trim() === '' ? undefined : Number(mediaShare) / 100;
  const bad = share !== undefined && !(share > 0 && share <= 1) ? 'the media share is a percent above 0 and at most 100' : !(Number(confidence) > 0 && Number(confidence) < 1) ? 'the confidence is between 0 and 1' : null;
  const go = async () => {
    setError(null); setBusy(true);
    try {
      const channelMap = calibrationMap(cal);
      const out = await api<{ config: ModelConfig }>(`/api/touchpoints/${jobId}/priors`, { body: { model: cal.model, method: cal.method, channelMap, ...(share !== undefined ? { mediaShare: share } : {}), confidence: Number(confidence) } });
      handToWizard(out.config);
    } catch (e) { setError(e); } finally { setBusy(false); }
  };
  return (
    <fieldset className="row" data-testid="journey-priors"><legend>Priors for the model from these journeys</legend>
      <label>Media share of the outcome (%) <input name="media-share" type="number" min={0} max={100} step={1} size={5} placeholder="the model's" value={mediaShare} onChange={(e) => setMediaShare(e.target.value)} /></label>
      <label>Confidence <input name="prior-confidence" type="number" min={0.05} max={0.95} step={0.05} size={4} value={confidence} onChange={(e) => setConfidence(e.target.value)} /></label>
      <button className="secondary" disabled={busy || bad !== null} onClick={() => void go()}>Open a copy of {cal.model} with these priors</button>
      <WhyNot action="write the priors" reasons={bad ? [bad] : []} />
      <span className="muted">Each model channel's prior share of the outcome: the media share times its part of the {cal.method} credit. The copy opens in the Models wizard to be trained.</span>
      <ErrorBox error={error} />
    </fieldset>
  );
}

/** How many touches journeys take (with each length's conversion rate) and how long converting ones take from first touch to conversion. */
function JourneysAtAGlance({ r }: { r: Result }) {
  const s = r.shape;
  const bars = (name: string, labels: string[], values: number[], yName: string, format: (v: number) => string) => ({
    tooltip: { trigger: 'axis', valueFormatter: (v: number) => format(v) }, grid: { left: 60, right: 20, top: 30, bottom: 40 },
    xAxis: { type: 'category', data: labels, name }, yAxis: { type: 'value', name: yName, axisLabel: { formatter: (v: number) => format(v) } },
    series: [{ type: 'bar', name: yName, color: PALETTE[0], data: values }],
  });
  return (
    <section className="card" data-testid="journey-shape">
      <h2>Journeys at a glance</h2>
      <div className="grid2">
        <div>
          <h3>Touches per journey</h3>
          <Chart label="Journeys by number of touches" testId="chart-path-length" height={240} option={bars('touches', s.pathLength.map((p) => p.touches), s.pathLength.map((p) => p.journeys), 'journeys', (v) => num(v, 0))} />
          <Table testId="path-length" rows={s.pathLength as unknown as Record<string, unknown>[]} columns={[
            { key: 'touches', label: 'Touches' }, { key: 'journeys', label: 'Journeys', format: (v) => num(v as number, 0) },
            { key: 'conversions', label: 'Conversions', format: (v) => num(v as number, 0) }, { key: 'conversionRate', label: 'Conversion rate', format: (v) => pct(v as number) },
          ]} />
        </div>
        <div>
          <h3>Days from first touch to conversion</h3>
          {s.timeToConvert.length === 0 ? <p className="muted">Aggregated paths carry no times.</p> : <>
            <Chart label="Conversions by days from first touch" testId="chart-time-to-convert" height={240} option={bars('days', s.timeToConvert.map((t) => t.days), s.timeToConvert.map((t) => t.conversions), 'conversions', (v) => num(v, 0))} />
            <p className="muted">Median {num(s.medianDays ?? 0, 1)} days; 90% of conversions within {num(s.p90Days ?? 0, 1)} days of the journey's first touch.</p>
          </>}
        </div>
      </div>
    </section>
  );
}

/** The per-touch scoring dataset (contracts/touchpoint-scores.schema.json) for Customer Journey Analytics or a BI tool. */
function PerTouchExport({ jobId, rows, methods }: { jobId: string; rows: number; methods: string[] }) {
  const [format, setFormat] = useState<'csv' | 'parquet'>('csv');
  const [shape, setShape] = useState<'wide' | 'long'>('wide');
  return (
    <fieldset className="row" data-testid="per-touch-export"><legend>Scoring dataset, one row per touch</legend>
      <label>Format <select name="scores-format" value={format} onChange={(e) => setFormat(e.target.value as 'csv' | 'parquet')}><option value="csv">CSV</option><option value="parquet">Parquet</option></select></label>
      <label>Shape <select name="scores-shape" value={shape} onChange={(e) => setShape(e.target.value as 'wide' | 'long')}><option value="wide">a column per method</option><option value="long">a row per touch and method (BI tools)</option></select></label>
      <button className="secondary" onClick={() => void download(`/api/touchpoints/${jobId}/scores?format=${format}&shape=${shape}`, `touchpoints-${jobId}${shape === 'long' ? '.long' : ''}.${format}`)}>Export per-touch scores</button>
      <span className="muted">{num(rows, 0)} touches; methods: {methods.join(', ')}.</span>
    </fieldset>
  );
}

/** An audience to seed lookalikes: the customers a channel's touches moved most (by the first method), as ids or SHA-256 hashes. */
function AudienceExport({ r, jobId }: { r: Result; jobId: string }) {
  const channels = Object.keys(r.audiences ?? {}).filter((c) => (r.audiences[c] ?? []).length > 0);
  const [channel, setChannel] = useState(channels[0] ?? '');
  const [hash, setHash] = useState(true);
  if (!channels.length) return null;
  const n = r.audiences[channel]?.length ?? 0;
  return (
    <fieldset className="row" data-testid="audience-export"><legend>Audience for lookalikes</legend>
      <label>Customers moved most by <select name="audience-channel" value={channel} onChange={(e) => setChannel(e.target.value)}>{channels.map((c) => <option key={c}>{c}</option>)}</select></label>
      <label><input type="checkbox" name="audience-hash" checked={hash} onChange={(e) => setHash(e.target.checked)} /> SHA-256-hashed ids (as ad platforms match them)</label>
      <button className="secondary" onClick={() => void download(`/api/touchpoints/${jobId}/audience/${encodeURIComponent(channel)}${hash ? '?hash=sha256' : ''}`, `audience-${channel}.csv`)}>Export audience (CSV)</button>
      <span className="muted">{n} customers, ranked by the {r.summaries[0].method} credit {channel}'s touches earned them.</span>
    </fieldset>
  );
}

/** The mapping a calibration used: each touch channel to the model channel it was matched with. */
function calibrationMap(cal: NonNullable<Result['calibration']>): Record<string, string> {
  return Object.fromEntries(cal.consistency.filter((c) => c.period === undefined).flatMap((c) => c.touchChannels.map((t) => [t, c.channel])));
}
