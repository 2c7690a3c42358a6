/**
 * Experiments (issue 27): design lift tests for the channels a Bayesian model leaves open — geo splits
 * or on/off weeks, each with its expected lift and standard error, power, the ROI interval it should
 * leave, and its cost — download a test's plan for the media team, and see the lift tests a refit
 * already carries beside the ROI interval before, as predicted and now.
 */
import { useEffect, useState } from 'react';
import { api, download, followJob, jobError, type JobInfo, type Schema } from '../api.ts';
import { money, num, pct, formatValue, type FigureUnits } from '../format.ts';
import { Empty, ErrorBox, Loading, Table, useApi } from '../ui.tsx';
import { FieldNote, invalid, problemsOf } from '../form.tsx';
import { ABBA_NOTE, testKindText } from '../../../src/analysis/design/testKind.ts';

type Design = Schema<'DesignOutput'>;
type Test = Schema<'DesignedTest'>;

const range = (x: readonly number[] | null | undefined) => (x ? `${num(x[0])}–${num(x[1])}` : '–');
const change = (s: number) => (s === -1 ? 'dark' : `${s > 0 ? '+' : ''}${Math.round(100 * s)}%`);

export function ExperimentsPage() {
  const models = useApi<Schema<'ModelListing'>[]>('/api/models');
  const bayesian = (models.data ?? []).filter((m) => m.family === 'bayesian');
  const [model, setModel] = useState('');
  useEffect(() => { if (!model && bayesian.length) setModel(bayesian[bayesian.length - 1].id); }, [bayesian, model]);
  const detail = useApi<{ config: { channels: { name: string }[] }; output?: { units?: FigureUnits } }>(model ? `/api/models/${encodeURIComponent(model)}` : null);
  const units = detail.data?.output?.units ?? null;
  const channels = detail.data?.config.channels.map((c) => c.name) ?? [];
  const [chosen, setChosen] = useState<string[]>([]);
  const [weeks, setWeeks] = useState('');
  const [maxCost, setMaxCost] = useState('');
  const [job, setJob] = useState<Partial<JobInfo> | null>(null);
  const [error, setError] = useState<unknown>(null);
  useEffect(() => { setChosen([]); setJob(null); setError(null); }, [model]);
  const problems = problemsOf(error);
  const run = async () => {
    setError(null); setJob(null);
    try {
      const body = { ...(chosen.length ? { channels: chosen } : {}), ...(weeks ? { weeks: Number(weeks) } : {}), ...(maxCost ? { maxCost: Number(maxCost) } : {}) };
      const started = await api<JobInfo>(`/api/models/${encodeURIComponent(model)}/design`, { body });
      setJob(started);
      const final = await followJob(started.id, (j) => setJob((p) => ({ ...p, ...j })));
      const full = final.status === 'succeeded' ? await api<JobInfo>(`/api/jobs/${final.id}`) : final;
      setJob(full);
      if (full.status === 'failed' && full.error) setError(jobError(full.error, 'the design failed'));
    } catch (e) { setError(e); }
  };
  const design = job?.status === 'succeeded' ? (job.result as Design) : null;
  const running = job && (job.status === 'queued' || job.status === 'running');
  return (
    <div className="page">
      <h1>Experiments</h1>
      <p className="lead">Channels that never go dark leave their ROI to the response curve's shape. A lift test pins it: design one here, run it, and enter its result as an experiment in the model's config.</p>
      {models.loading && !models.data && <Loading what="models" />}
      <ErrorBox error={models.error} />
      {models.data && bayesian.length === 0 && <Empty>No Bayesian model yet: train one on the <a href="#/models">Models</a> page.</Empty>}
      {bayesian.length > 0 && (
        <section className="card">
          <div className="row">
            <label>Model <select name="design-model" value={model} onChange={(e) => setModel(e.target.value)}>{bayesian.map((m) => <option key={m.id}>{m.id}</option>)}</select></label>
            <label>Weeks <input name="design-weeks" type="number" min={1} max={52} placeholder="4 to 16" style={{ width: '8em' }} value={weeks} onChange={(e) => setWeeks(e.target.value)} {...invalid(problems, 'weeks')} /></label>
            <label>Most it may cost{units?.currency ? ` (${units.currency})` : ''} <input name="design-max-cost" type="number" min={0} placeholder="no limit" value={maxCost} onChange={(e) => setMaxCost(e.target.value)} {...invalid(problems, 'maxCost')} /></label>
          </div>
          <FieldNote problems={problems} field="weeks" />
          <FieldNote problems={problems} field="maxCost" />
          {channels.length > 0 && (
            <fieldset className="row"><legend>Channels (none ticked: those the fit flagged as always on or weakly identified)</legend>
              {channels.map((c) => <label key={c}><input type="checkbox" name={`design-channel-${c}`} checked={chosen.includes(c)} onChange={(e) => setChosen(e.target.checked ? [...chosen, c] : chosen.filter((x) => x !== c))} /> {c}</label>)}
            </fieldset>
          )}
          <FieldNote problems={problems} field="channels" />
          <button onClick={() => void run()} disabled={!!running || !model}>{running ? 'Designing…' : 'Design tests'}</button>
          {running && <div className="loading" role="status">Designing tests: simulating what each would teach…</div>}
          <ErrorBox error={error} />
        </section>
      )}
      {design && job?.id && <DesignView d={design} jobId={job.id} units={units} />}
      {model && <LiftTestsOf model={model} units={units} />}
    </div>
  );
}

function DesignView({ d, jobId, units }: { d: Design; jobId: string; units: FigureUnits | null }) {
  const { outcome, spent } = formatters(units);
  const [open, setOpen] = useState<number | null>(d.tests[0]?.rank ?? null);
  const [error, setError] = useState<unknown>(null);
  const t = d.tests.find((x) => x.rank === open) ?? null;
  return (
    <div data-testid="design-result">
      <section className="card">
        <h2>Proposed tests</h2>
        <ul>{d.channels.map((c) => <li key={c.channel}><strong>{c.channel}</strong>: {c.reason}; ROI now {range(c.roiIntervalNow)} (90%)</li>)}</ul>
        {d.notes.map((n, i) => <p key={i} className="muted">{n}</p>)}
        {d.tests.length === 0 ? <Empty>No test to propose.</Empty> : (
          <Table testId="design-tests" rows={d.tests as unknown as Record<string, unknown>[]} columns={[
            { key: 'rank', label: '#' }, { key: 'channel', label: 'Channel' },
            { key: 'kind', label: 'Test', format: (_, r) => testKindText(r as unknown as Test) },
            { key: 'start', label: 'Window', format: (_, r) => `${r.start} – ${r.end}` },
            { key: 'spendChange', label: 'Change', format: (v) => change(v as number) },
            { key: 'expectedLift', label: 'Expected lift ± se', format: (v, r) => `${outcome(v as number)} ± ${outcome(r.expectedLiftSe as number)}` },
            { key: 'power', label: 'Power', format: (v) => pct(v as number) },
            { key: 'roiIntervalNow', label: 'ROI now, then after', format: (v, r) => `${range(v as number[])}, then ${range(r.expectedRoiInterval as number[])}` },
            { key: 'cost', label: 'Cost', format: (v) => spent(v as number) },
            { key: 'rank', label: '', format: (v) => <button className="secondary" aria-label={`Show test ${v}`} onClick={() => setOpen(v as number)}>Details</button> },
          ]} />
        )}
        {d && d.tests.some((x) => x.kind === 'time') && <p className="muted">{ABBA_NOTE}</p>}
      </section>
      {t && (
        <section className="card" data-testid="design-detail">
          <h2>Test {t.rank}: {t.channel}, {change(t.spendChange)} {t.start} – {t.end}</h2>
          {t.kind === 'geo'
            ? <p>Treatment geos: {t.treatment?.geos.join(', ')}. Control geos: {t.control?.geos.join(', ')}. Matched on the pre-period's size and trend{t.balance ? ` (groups ${num(t.balance.distance)} standardized units apart; control tracks treatment within ${pct(t.balance.trackingError)} a week)` : ''}.</p>
            : <p>Changed periods: {t.weeks?.join(', ')}; the others run as usual.</p>}
          <p>Expected lift {outcome(t.expectedLift)} (the model's 90%: {outcome(t.liftInterval[0])} – {outcome(t.liftInterval[1])}), measured to ± {outcome(t.expectedLiftSe)}; the result should fall in {outcome(t.resultInterval[0])} – {outcome(t.resultInterval[1])}. Smallest lift it detects: {outcome(t.minimumDetectableLift)} (power {pct(t.power)}).</p>
          <p>{t.channel}'s ROI (90%): {range(t.roiIntervalNow)} now, {range(t.expectedRoiInterval)} expected after — {pct(t.information)} of the interval removed. Spend moved {spent(t.spendMoved)}, expected outcome {t.outcomeChange >= 0 ? 'gained' : 'lost'} {outcome(Math.abs(t.outcomeChange))}{t.netCost === null ? '' : `, net cost ${spent(t.netCost)}`}.</p>
          {t.warnings.map((w, i) => <p key={i} className="warn">{w}</p>)}
          <button className="secondary" onClick={() => { setError(null); download(`/api/designs/${jobId}/plan?rank=${t.rank}`, `${d.model}-test-${t.rank}.csv`).catch(setError); }}>Download plan (CSV)</button>
          <ErrorBox error={error} />
          <p className="muted">Once the result is in, add this to the config's <code>experiments</code> with the measured <code>lift</code> and <code>liftSe</code>, and refit:</p>
          <pre data-testid="design-experiment">{JSON.stringify(t.experiment, null, 2)}</pre>
        </section>
      )}
    </div>
  );
}

/** The model's own lift tests: each beside the ROI interval before the test, as the design predicted, and now. */
function LiftTestsOf({ model, units }: { model: string; units: FigureUnits | null }) {
  const { outcome } = formatters(units);
  const x = useApi<Schema<'InsightsView'>>(`/api/models/${encodeURIComponent(model)}/insights`);
  const rows = x.data?.liftTests ?? [];
  if (!rows.length) return null;
  return (
    <section className="card">
      <h2>Lift tests in {model}</h2>
      <Table testId="model-lift-tests" rows={rows as unknown as Record<string, unknown>[]} columns={[
        { key: 'channel', label: 'Channel' }, { key: 'geo', label: 'Geos', format: (v) => (v as string | null) ?? 'all' },
        { key: 'start', label: 'Window', format: (_, r) => `${r.start} – ${r.end}` },
        { key: 'measured', label: 'Measured', format: (v, r) => `${outcome(v as number)} ± ${outcome(r.measuredSe as number)}` },
        // The 95% range the design expected the result in: outside it, the model before the test was off.
        { key: 'expectedResultLow', label: 'Expected before (95%)', format: (v, r) => {
          if (v === null) return '–';
          const lo = v as number, hi = r.expectedResultHigh as number, m = r.measured as number;
          const text = `${outcome(lo)}–${outcome(hi)}`;
          return m < lo || m > hi ? <span className="bad">{text} (outside)</span> : text;
        } },
        { key: 'model', label: 'Model', format: (v) => outcome(v as number) },
        { key: 'roiBeforeLow', label: 'ROI before', format: (v, r) => (v === null ? '–' : range([v as number, r.roiBeforeHigh as number])) },
        { key: 'roiPredictedLow', label: 'Predicted', format: (v, r) => (v === null ? '–' : range([v as number, r.roiPredictedHigh as number])) },
        { key: 'roiLow', label: 'ROI now', format: (v, r) => (v === null ? '–' : range([v as number, r.roiHigh as number])) },
      ]} />
    </section>
  );
}

/** Lifts in the model's outcome (money or conversions); spend and costs in its currency. */
function formatters(units: FigureUnits | null) {
  const cur = units?.currency ?? null;
  return { outcome: (v: number) => formatValue(v, units?.outcome ?? 'currency', cur), spent: (v: number) => money(v, cur) };
}
