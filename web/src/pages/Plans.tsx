/** Plans: build a plan (budget or target, period, bounds, locks), optimize, see allocation and forecast, compare plans side by side. */
import { useEffect, useMemo, useState } from 'react';
import { api, download, followJob, type JobInfo, type Schema, jobError } from '../api.ts';
import { COLORS, Chart, PALETTE } from '../chart.tsx';
import { commonCurrency, formatAmount, formatValue, interval, money as moneyIn, num, pct, trimZeros, type Unit } from '../format.ts';
import { Empty, ErrorBox, Loading, Table, useApi } from '../ui.tsx';
import { FieldNote, WhyNot, invalid, problemsOf, type Problems } from '../form.tsx';
import { fieldKey, fieldLabel } from '../fields.ts';
import { boundField, planProblems } from './planChecks.ts';
import { PlanTrack } from './PlanTrack.tsx';

type ModelRow = Schema<'ModelListing'>;
type Total = Schema<'PlanTotal'>;
type PlanResult = Schema<'PlanOutput'>;
type PlanListing = Schema<'PlanListing'>;
type Comparison = Schema<'PlansCompared'>;
interface Bound { min: string; max: string; locked: boolean; lockedValue: string }
/** The plan file fields the builder fills in (a saved plan's spec, to edit or duplicate). */
/** A date `n` days after `d` (YYYY-MM-DD), for a new flight's default start. */
const addDays = (d: string, n: number) => new Date(Date.parse(`${d}T00:00:00Z`) + n * 864e5).toISOString().slice(0, 10);
interface FlightSpec { name?: string; start: string; periods: number; budget?: number }
interface PlanSpec { flights?: FlightSpec[]; name?: string; model?: string; models?: { model: string; weight: number }[]; geos?: boolean; budget?: number; periods?: number; objective?: string; band?: number | 'none'; target?: { outcome?: number; roi?: number; cpa?: number }; constraints?: Record<string, { min?: number; max?: number; locked?: number }>; organic?: Record<string, number>; frequency?: Record<string, number> }
type StoredPlan = Schema<'StoredPlan'>;


export function PlansPage({ id }: { id: string | null }) {
  const models = useApi<ModelRow[]>('/api/models');
  const plans = useApi<PlanListing[]>('/api/plans');
  const [result, setResult] = useState<PlanResult | null>(null);
  const [preset, setPreset] = useState<PlanSpec | null>(null);
  const [openError, setOpenError] = useState<unknown>(null);
  // A plan named in the address (#/plans/ID) is opened, so a plan stays on screen across a reload.
  useEffect(() => {
    if (!id) return;
    setOpenError(null);
    api<StoredPlan>(`/api/plans/${encodeURIComponent(id)}`).then((p) => setResult({ ...p.result, planId: p.id }), setOpenError);
  }, [id]);
  const show = (r: PlanResult) => { setResult(r); plans.reload(); if (r.planId) location.hash = `#/plans/${encodeURIComponent(r.planId)}`; };
  return (
    <div className="page">
      <h1>Plans</h1>
      <ErrorBox error={models.error} />
      {models.loading && !models.data && <Loading what="models" />}
      {models.data && models.data.length === 0 && <Empty>No models yet: train one on the <a href="#/models">Models</a> page, then plan its budget here.</Empty>}
      {models.data && models.data.length > 0 && <Builder key={JSON.stringify(preset)} models={models.data} preset={preset} onDone={show} />}
      <ErrorBox error={openError} />
      {result && <PlanView plan={result} />}
      <Compare plans={plans} onOpen={(p) => { location.hash = `#/plans/${encodeURIComponent(p)}`; }} onEdit={(spec) => { setPreset(spec); window.scrollTo(0, 0); }}
        onDeleted={(p) => { if (result?.planId === p) { setResult(null); location.hash = '#/plans'; } }} />
    </div>
  );
}

function Builder({ models, preset, onDone }: { models: ModelRow[]; preset: PlanSpec | null; onDone: (r: PlanResult) => void }) {
  const presetModel = preset?.model ?? preset?.models?.[0]?.model;
  const [model, setModel] = useState(presetModel && models.some((m) => m.id === presetModel) ? presetModel : models[models.length - 1].id);
  const ins = useApi<Schema<'InsightsView'>>(`/api/models/${encodeURIComponent(model)}/insights`);
  // Lines of business: more models, each with a weight; one budget line per channel is judged by all of them.
  const [extra, setExtra] = useState<{ model: string; weight: string }[]>((preset?.models ?? []).slice(1).map((m) => ({ model: m.model, weight: String(m.weight) })));
  const geoCount = new Set(ins.data?.series?.geos ?? []).size;
  const [byGeo, setByGeo] = useState(!!preset?.geos);
  // Flights: date ranges, each with an optional budget (none: the plan's budget is split across them).
  const [flights, setFlights] = useState<{ name: string; start: string; periods: string; budget: string }[]>((preset?.flights ?? []).map((f, i) => ({ name: f.name ?? `flight${i + 1}`, start: f.start, periods: String(f.periods), budget: f.budget === undefined ? '' : String(f.budget) })));
  const nextPeriod = ins.data?.series?.dates.length ? addDays(ins.data.series.dates[ins.data.series.dates.length - 1], 7) : '';
  const [name, setName] = useState(preset?.name ?? 'plan');
  const [goal, setGoal] = useState<'budget' | 'target' | 'roi' | 'cpa'>(preset?.target?.outcome !== undefined ? 'target' : preset?.target?.roi !== undefined ? 'roi' : preset?.target?.cpa !== undefined ? 'cpa' : 'budget');
  // An efficiency goal: the most outcome whose plan keeps total ROI at least this (or cost per conversion at most), within the budget.
  const [floor, setFloor] = useState(preset?.target?.roi !== undefined ? String(preset.target.roi) : preset?.target?.cpa !== undefined ? String(preset.target.cpa) : '');
  const [budget, setBudget] = useState(preset?.budget !== undefined ? String(preset.budget) : '');
  const [target, setTarget] = useState(preset?.target?.outcome !== undefined ? String(preset.target.outcome) : '');
  const [periods, setPeriods] = useState(preset?.periods ?? 13);
  const [objective, setObjective] = useState(preset?.objective ?? 'outcome');
  const [bounds, setBounds] = useState<Record<string, Bound>>({});
  // Bounds for one geo (`geo:G01`, geo plans) or one flight (`flight:0`), beside those for every geo and flight.
  const [scope, setScope] = useState('all');
  const [scoped, setScoped] = useState<Record<string, Record<string, Bound>>>({});
  // The guardrail: each channel without bounds of its own stays within ± this percent of its recent mix.
  const [band, setBand] = useState(typeof preset?.band === 'number' ? String(preset.band) : '30');
  const [noBand, setNoBand] = useState(preset?.band === 'none');
  // A budget the user typed (or a saved plan's) is theirs; until then it follows the data's average spend over the chosen periods.
  const [budgetTyped, setBudgetTyped] = useState(preset?.budget !== undefined);
  const [job, setJob] = useState<Partial<JobInfo> | null>(null);
  const [error, setError] = useState<unknown>(null);
  const channels = ins.data?.channels.map((c) => c.channel) ?? [];
  // Organic channels: a volume scenario in percent of their last year's (100: held as it was).
  const organicNames = ins.data?.organic?.map((o) => o.channel) ?? [];
  // Reach & frequency channels: hold them at their optimal frequency in the plan period (or run as they did).
  const rfChannels = ins.data?.channels.filter((c) => typeof c.optimalFrequency === 'number') ?? [];
  const [holdFrequency, setHoldFrequency] = useState<string[]>(Object.keys(preset?.frequency ?? {}));
  const [organicVolume, setOrganicVolume] = useState<Record<string, string>>(Object.fromEntries(Object.entries(preset?.organic ?? {}).map(([k, v]) => [k, String(Math.round(v * 1000) / 10)])));
  // The chosen model's currency (stored with its figures): the inputs' labels say it, and the budget is echoed in it.
  const cur = ins.data?.units?.currency ?? null;
  const inCur = cur ? ` (${cur})` : '';
  const periodsInData = ins.data ? new Set((ins.data.decomposition as { date: string }[]).map((r) => r.date)).size : 0;
  useEffect(() => {
    if (!ins.data || !periodsInData) return;
    // A saved plan's bounds and budget stay while its (first) model is the one chosen.
    const mine = !!preset && presetModel === model;
    const given = Object.fromEntries(Object.entries(mine ? preset.constraints ?? {} : {}).map(([k, v]) => [k.toLowerCase(), v]));
    if (!mine) { setBudgetTyped(false); setScoped({}); setScope('all'); }
    const text = (v: number | undefined) => (v === undefined ? '' : String(v));
    setBounds(Object.fromEntries(ins.data.channels.map((c) => { const g = given[c.channel.toLowerCase()] ?? {}; return [c.channel, { min: text(g.min), max: text(g.max), locked: g.locked !== undefined, lockedValue: text(g.locked) }]; })));
  }, [ins.data]); // eslint-disable-line react-hooks/exhaustive-deps
  useEffect(() => {
    if (!ins.data || !periodsInData || budgetTyped) return;
    const total = ins.data.channels.reduce((s, c) => s + c.spend, 0);
    setBudget(String(Math.round((total / periodsInData) * periods)));
  }, [ins.data, periods, budgetTyped]); // eslint-disable-line react-hooks/exhaustive-deps

  // The form's own checks, on every change; what the server refuses joins them by field.
  const [serverProblems, setServerProblems] = useState<Problems>({});
  const checks = useMemo(() => planProblems({
    name, goal, budget, target, floor, periods, flights, band, noBand, weights: extra.map((e) => e.weight),
    bounds: { '': bounds, ...(byGeo && geoCount > 1 ? Object.fromEntries(Object.entries(scoped).filter(([k]) => k.startsWith('geo:'))) : {}), ...Object.fromEntries(Object.entries(scoped).filter(([k]) => k.startsWith('flight:') && Number(k.slice(7)) < flights.length)) },
  }), [name, goal, budget, target, floor, periods, flights, band, noBand, extra, bounds, scoped, byGeo, geoCount]);
  useEffect(() => { setServerProblems({}); }, [checks]);
  const problems: Problems = { ...serverProblems, ...Object.fromEntries(checks.map((p) => [fieldKey(p.field), p.message])) };

  const run = async () => {
    setError(null); setJob(null); setServerProblems({});
    if (checks.length) return;
    const toConstraints = (record: Record<string, Bound>, key: (ch: string) => string) => Object.fromEntries(Object.entries(record).flatMap(([ch, b]) => {
      if (b.locked && b.lockedValue !== '') return [[key(ch), { locked: Number(b.lockedValue) }]];
      const c: Record<string, number> = {};
      if (b.min !== '') c.min = Number(b.min);
      if (b.max !== '') c.max = Number(b.max);
      return Object.keys(c).length ? [[key(ch), c]] : [];
    }));
    const constraints = {
      ...toConstraints(bounds, (ch) => ch),
      ...(byGeo && geoCount > 1 ? Object.assign({}, ...Object.entries(scoped).filter(([k]) => k.startsWith('geo:')).map(([k, r]) => toConstraints(r, (ch) => `${ch}@${k.slice(4)}`))) : {}),
    };
    const flightConstraints = (i: number) => { const own = toConstraints(scoped[`flight:${i}`] ?? {}, (ch) => ch); return Object.keys(own).length ? { constraints: { ...constraints, ...own } } : {}; };
    const refs = extra.length ? { models: [{ model, weight: 1 }, ...extra.map((e) => ({ model: e.model, weight: Number(e.weight) }))] } : { model };
    const flighted = flights.length > 0;
    const flightBody = flighted ? { flights: flights.map((f, i) => ({ name: f.name, start: f.start, periods: Number(f.periods), ...(f.budget !== '' ? { budget: Number(f.budget) } : {}), ...flightConstraints(i) })) } : { periods };
    const organic = Object.fromEntries(organicNames.flatMap((o) => (organicVolume[o] !== undefined && organicVolume[o] !== '' && Number(organicVolume[o]) !== 100 ? [[o, Number(organicVolume[o]) / 100]] : [])));
    const frequency = Object.fromEntries(rfChannels.filter((c) => holdFrequency.includes(c.channel)).map((c) => [c.channel, c.optimalFrequency!]));
    const body = { name, ...refs, ...(byGeo && geoCount > 1 ? { geos: true } : {}), ...flightBody, ...(Object.keys(organic).length ? { organic } : {}), ...(Object.keys(frequency).length ? { frequency } : {}), objective, draws: 100, band: noBand ? 'none' : Number(band), ...(goal === 'budget' ? (flighted && flights.every((f) => f.budget !== '') ? {} : { budget: Number(budget) })
      : goal === 'target' ? { target: { outcome: Number(target) } }
      : { budget: Number(budget), target: goal === 'roi' ? { roi: Number(floor) } : { cpa: Number(floor) } }), ...(Object.keys(constraints).length ? { constraints } : {}) };
    try {
      const started = await api<JobInfo>('/api/plans', { body });
      setJob(started);
      const final = await followJob(started.id, (j) => setJob((p) => ({ ...p, ...j })));
      setJob(final);
      if (final.status === 'succeeded') onDone(final.result as PlanResult);
      else if (final.error) { setError(jobError(final.error, 'the plan failed')); setServerProblems(problemsOf(jobError(final.error, ''))); }
    } catch (e) { setError(e); setServerProblems(problemsOf(e)); }
  };
  const running = job && (job.status === 'queued' || job.status === 'running');
  return (
    <section className="card" aria-labelledby="build-h">
      <h2 id="build-h">Build a plan</h2>
      <div className="row">
        <label>Model <select name="plan-model" value={model} onChange={(e) => setModel(e.target.value)}>{models.map((m) => <option key={m.id}>{m.id}</option>)}</select></label>
        <label>Plan name <input name="plan-name" value={name} onChange={(e) => setName(e.target.value)} {...invalid(problems, 'name')} /><FieldNote problems={problems} field="name" /></label>
        <label>Periods <input name="periods" type="number" min={1} value={periods} onChange={(e) => setPeriods(Number(e.target.value))} size={4} disabled={flights.length > 0} title={flights.length ? 'the flights set the periods' : undefined} /></label>
        <label>Maximize <select name="objective" value={objective} onChange={(e) => setObjective(e.target.value)}><option value="outcome">outcome</option><option value="profit">profit</option></select></label>
      </div>
      <fieldset className="row"><legend>Goal</legend>
        <label><input type="radio" name="goal" checked={goal === 'budget'} onChange={() => setGoal('budget')} /> Spend a budget</label>
        <label>Budget{inCur} <input name="budget" type="number" min={0} value={budget} onChange={(e) => { setBudget(e.target.value); setBudgetTyped(true); }} disabled={goal === 'target'} {...invalid(problems, 'budget')} aria-describedby={problems.budget ? 'note-budget budget-echo' : 'budget-echo'} /><FieldNote problems={problems} field="budget" /></label>
        <span className="muted" id="budget-echo" data-testid="budget-echo">{budget !== '' && Number.isFinite(Number(budget)) ? `${moneyIn(Number(budget), cur, false)}${!budgetTyped && goal === 'budget' ? `: the data's average spend per ${periods} periods` : ''}` : ''}</span>
        <label><input type="radio" name="goal" checked={goal === 'target'} onChange={() => setGoal('target')} /> Reach an outcome at least cost</label>
        <label>Target outcome <input name="target" type="number" min={0} value={target} onChange={(e) => setTarget(e.target.value)} disabled={goal !== 'target'} {...invalid(problems, 'target.outcome')} /><FieldNote problems={problems} field="target.outcome" /></label>
        <label><input type="radio" name="goal" checked={goal === 'roi'} onChange={() => setGoal('roi')} disabled={flights.length > 0} /> Most outcome keeping total ROI at least</label>
        <label><input type="radio" name="goal" checked={goal === 'cpa'} onChange={() => setGoal('cpa')} disabled={flights.length > 0} /> Most conversions keeping cost per conversion at most</label>
        <label>{goal === 'cpa' ? 'Cost per conversion' : 'ROI'} <input name="floor" type="number" min={0} step={0.1} value={floor} onChange={(e) => setFloor(e.target.value)} disabled={goal !== 'roi' && goal !== 'cpa'} {...invalid(problems, goal === 'cpa' ? 'target.cpa' : 'target.roi')} /><FieldNote problems={problems} field={goal === 'cpa' ? 'target.cpa' : 'target.roi'} /></label>
        {(goal === 'roi' || goal === 'cpa') && <span className="muted">within the budget above, which is then a cap</span>}
      </fieldset>
      {(geoCount > 1 || models.length > 1 || extra.length > 0) && <fieldset className="row"><legend>Scope</legend>
        {geoCount > 1 && <label><input type="checkbox" name="by-geo" checked={byGeo} onChange={(e) => setByGeo(e.target.checked)} /> Allocate per geo ({geoCount} geos; bounds below for every geo, or for one)</label>}
        {extra.map((e, i) => (
          <span key={i} className="row tight">
            <label>Line of business {i + 2} <select aria-label={`Model of line ${i + 2}`} value={e.model} onChange={(ev) => setExtra(extra.map((x, j) => (j === i ? { ...x, model: ev.target.value } : x)))}>{models.filter((m) => m.id !== model).map((m) => <option key={m.id}>{m.id}</option>)}</select></label>
            <label>weight <input aria-label={`Weight of line ${i + 2}`} type="number" min={0} step={0.1} size={4} value={e.weight} onChange={(ev) => setExtra(extra.map((x, j) => (j === i ? { ...x, weight: ev.target.value } : x)))} {...invalid(problems, `models[${i + 1}].weight`)} /><FieldNote problems={problems} field={`models[${i + 1}].weight`} /></label>
            <button className="small secondary" onClick={() => setExtra(extra.filter((_, j) => j !== i))}>Remove</button>
          </span>))}
        {models.length > 1 && <button className="small secondary" name="add-line" onClick={() => setExtra([...extra, { model: models.find((m) => m.id !== model)!.id, weight: '1' }])}>Add a line of business (another model)</button>}
        {extra.length > 0 && <span className="muted">Each channel's spend is judged by every line: its outcome in the first model plus, weighted, in the others (e.g. revenue and conversions).</span>}
      </fieldset>}
      <fieldset className="row" data-testid="flights"><legend>Flights</legend>
        {flights.map((f, i) => { const set = (p: Partial<typeof f>) => setFlights(flights.map((x, j) => (j === i ? { ...x, ...p } : x))); return (
          <span key={i} className="row tight">
            <label>Flight <input aria-label={`Name of flight ${i + 1}`} value={f.name} size={10} onChange={(e) => set({ name: e.target.value })} {...invalid(problems, `flights[${i}].name`)} /><FieldNote problems={problems} field={`flights[${i}].name`} /></label>
            <label>from <input aria-label={`Start of flight ${i + 1}`} type="date" value={f.start} onChange={(e) => set({ start: e.target.value })} /></label>
            <label>periods <input aria-label={`Periods of flight ${i + 1}`} type="number" min={1} size={4} value={f.periods} onChange={(e) => set({ periods: e.target.value })} {...invalid(problems, `flights[${i}].periods`)} /><FieldNote problems={problems} field={`flights[${i}].periods`} /></label>
            <label>budget{inCur} <input aria-label={`Budget of flight ${i + 1}`} type="number" min={0} placeholder="shared" value={f.budget} onChange={(e) => set({ budget: e.target.value })} {...invalid(problems, `flights[${i}].budget`)} /><FieldNote problems={problems} field={`flights[${i}].budget`} /></label>
            <button className="small secondary" onClick={() => setFlights(flights.filter((_, j) => j !== i))}>Remove</button>
          </span>); })}
        <button className="small secondary" name="add-flight" disabled={!nextPeriod} onClick={() => {
          const prev = flights[flights.length - 1];
          const start = prev ? addDays(prev.start, 7 * (Number(prev.periods) + 4)) : nextPeriod;
          setFlights([...flights, { name: `flight${flights.length + 1}`, start, periods: '6', budget: '' }]);
        }}>Add a flight</button>
        <span className="muted">{flights.length ? 'A budget on every flight: each spends its own. None: the budget above is split across flights and channels together.' : 'One period from the next date on; add flights for date ranges with budgets of their own.'}</span>
      </fieldset>
      <fieldset className="row"><legend>Guardrail</legend>
        <label>Keep each channel within ± <input name="band" type="number" min={0} step={5} size={4} value={band} onChange={(e) => setBand(e.target.value)} disabled={noBand} {...invalid(problems, 'band')} />% of its recent mix<FieldNote problems={problems} field="band" /></label>
        <label><input type="checkbox" name="no-band" checked={noBand} onChange={(e) => setNoBand(e.target.checked)} /> no guardrail (channels may move anywhere the bounds allow)</label>
        <span className="muted">30% is Meridian's default: response curves are known near the spend the data saw. A channel with its own bounds below follows them instead.</span>
      </fieldset>
      <ErrorBox error={ins.error} />
      {channels.length > 0 && ((byGeo && geoCount > 1) || flights.length > 0) && (
        <label>Bounds for <select name="bounds-scope" value={scope} onChange={(e) => setScope(e.target.value)}>
          <option value="all">every {byGeo && geoCount > 1 ? 'geo' : ''}{byGeo && geoCount > 1 && flights.length ? ' and ' : ''}{flights.length ? 'flight' : ''}</option>
          {byGeo && geoCount > 1 && [...new Set(ins.data?.series?.geos ?? [])].map((g) => <option key={g} value={`geo:${g}`}>geo {g}</option>)}
          {flights.map((f, i) => <option key={i} value={`flight:${i}`}>flight {f.name}</option>)}
        </select></label>
      )}
      {channels.length > 0 && (
        <table aria-label="Bounds per channel"><thead><tr><th scope="col">Channel</th><th scope="col">Min spend{inCur}</th><th scope="col">Max spend{inCur}</th><th scope="col">Lock at{inCur}</th></tr></thead><tbody>
          {channels.map((ch) => {
            const record = scope === 'all' ? bounds : scoped[scope] ?? {};
            const b = record[ch] ?? { min: '', max: '', locked: false, lockedValue: '' };
            const set = (p: Partial<Bound>) => (scope === 'all' ? setBounds({ ...bounds, [ch]: { ...b, ...p } }) : setScoped({ ...scoped, [scope]: { ...record, [ch]: { ...b, ...p } } }));
            const field = boundField(scope === 'all' ? '' : scope, ch);
            return (
            <tr key={ch}><td>{ch}<FieldNote problems={problems} field={field} /></td>
              <td><input aria-label={`Minimum spend for ${ch}`} type="number" min={0} value={b.min} onChange={(e) => set({ min: e.target.value })} disabled={b.locked} {...invalid(problems, field)} /></td>
              <td><input aria-label={`Maximum spend for ${ch}`} type="number" min={0} value={b.max} onChange={(e) => set({ max: e.target.value })} disabled={b.locked} {...invalid(problems, field)} /></td>
              <td><label><input type="checkbox" aria-label={`Lock ${ch}`} checked={b.locked} onChange={(e) => set({ locked: e.target.checked })} /> <input aria-label={`Locked spend for ${ch}`} type="number" min={0} value={b.lockedValue} onChange={(e) => set({ lockedValue: e.target.value })} disabled={!b.locked} /></label></td>
            </tr>); })}
        </tbody></table>
      )}
      {rfChannels.length > 0 && (
        <fieldset className="row"><legend>Reach and frequency</legend>
          {rfChannels.map((c) => (
            <label key={c.channel}><input type="checkbox" name={`frequency-${c.channel}`} checked={holdFrequency.includes(c.channel)} onChange={(e) => setHoldFrequency(e.target.checked ? [...holdFrequency, c.channel] : holdFrequency.filter((x) => x !== c.channel))} /> hold {c.channel} at its optimal frequency, {formatAmount(c.optimalFrequency)} per person per period (it ran at {formatAmount(c.observedFrequency)})</label>
          ))}
          <span className="muted">The same spend buys the same impressions, spread over more people at a lower frequency or fewer people more often.</span>
        </fieldset>
      )}
      {organicNames.length > 0 && (
        <fieldset className="row"><legend>Organic media (not in the budget)</legend>
          {organicNames.map((o) => (
            <label key={o}>{o} at <input name={`organic-${o}`} aria-label={`Volume of ${o}, percent of last year's`} type="number" min={0} max={10000} step={5} size={5} value={organicVolume[o] ?? '100'} onChange={(e) => setOrganicVolume({ ...organicVolume, [o]: e.target.value })} {...invalid(problems, `organic.${o}`)} />% of last year's volume<FieldNote problems={problems} field={`organic.${o}`} /></label>
          ))}
          <span className="muted">A scenario, not a decision: the forecast counts what this volume adds (e.g. 120 for 20% more sends); the budget is for paid channels.</span>
        </fieldset>
      )}
      <div className="row nav"><button onClick={() => void run()} disabled={!!running || checks.length > 0}>{running ? 'Optimizing…' : 'Optimize'}</button></div>
      <WhyNot action="optimize" testId="why-not-optimize" reasons={checks.map((p) => `${fieldLabel(p.field, { name: 'Plan name' })}: ${p.message}`)} />
      {running && <div className="loading" role="status">Optimizing the allocation and its forecast…</div>}
      <ErrorBox error={error} />
    </section>
  );
}

function PlanView({ plan }: { plan: PlanResult }) {
  // The plan's amounts in its own currency (its model's; none for a plan stored before it was kept).
  const cur = plan.units?.currency ?? null;
  const money = (v: number | null | undefined) => moneyIn(v, cur);
  // One bar per channel (a geo plan's rows summed over geos; the geo split has its own chart below).
  const channels = [...new Set(plan.allocation.map((a) => a.channel))];
  const byChannel = (rows: { channel: string; spend: number }[]) => channels.map((c) => rows.filter((r) => r.channel === c).reduce((t, r) => t + r.spend, 0));
  const bars = {
    tooltip: { trigger: 'axis', valueFormatter: (v: number) => money(v) }, legend: { bottom: 0 }, grid: { left: 70, right: 20, top: 20, bottom: 50 },
    xAxis: { type: 'category', data: channels }, yAxis: { type: 'value', axisLabel: { formatter: (v: number) => trimZeros(money(v)) } },
    series: [
      { type: 'bar', name: 'reference (recent mix)', color: COLORS.reference, data: byChannel(plan.baseline.allocation) },
      { type: 'bar', name: 'plan', color: COLORS.predicted, data: byChannel(plan.allocation) },
    ],
  };
  const f = plan.forecast[0];
  // Several lines of business: each model's forecast as its own line (their bands would overlap).
  const forecast = plan.forecast.length > 1 ? {
    tooltip: { trigger: 'axis', valueFormatter: (v: number) => money(v) }, legend: { bottom: 0 }, grid: { left: 70, right: 20, top: 20, bottom: 50 },
    xAxis: { type: 'category', data: f.periods.map((p) => p.period), axisLabel: { hideOverlap: true, margin: 12 } }, yAxis: { type: 'value', axisLabel: { formatter: (v: number) => trimZeros(money(v)) } },
    series: plan.forecast.map((m, i) => ({ name: `${m.model} (expected)`, type: 'line', color: PALETTE[i % PALETTE.length], data: m.periods.map((p) => p.expected) })),
  } : f && {
    tooltip: { trigger: 'axis', valueFormatter: (v: number) => money(v) }, legend: { bottom: 0, data: ['90% interval', 'expected total (base + media)', 'of which media'] }, grid: { left: 70, right: 20, top: 20, bottom: 50 },
    xAxis: { type: 'category', data: f.periods.map((p) => p.period), axisLabel: { hideOverlap: true, margin: 12 } }, yAxis: { type: 'value', axisLabel: { formatter: (v: number) => trimZeros(money(v)) } },
    series: [
      { name: 'low', type: 'line', stack: 'band', symbol: 'none', lineStyle: { opacity: 0 }, data: f.periods.map((p) => p.expectedInterval[0]), tooltip: { show: false } },
      { name: '90% interval', type: 'line', stack: 'band', symbol: 'none', lineStyle: { opacity: 0 }, areaStyle: { color: COLORS.bandFill }, color: COLORS.bandFill, data: f.periods.map((p) => p.expectedInterval[1] - p.expectedInterval[0]) },
      // The total per period, as the forecast is: the headline's figure is the media part (incremental).
      { name: 'expected total (base + media)', type: 'line', color: COLORS.predicted, data: f.periods.map((p) => p.expected) },
      { name: 'of which media', type: 'line', color: PALETTE[0], lineStyle: { type: 'dashed' }, data: f.periods.map((p) => p.media) },
    ],
  };
  // The plan's figures in the model's units: conversions models count conversions, and their ROI is
  // conversions per unit of spend, with revenue ROI beside it where a revenue per conversion gives one.
  const conv = plan.units?.expected === 'conversions';
  const outcomeName = conv ? 'conversions' : 'outcome';
  const outcome = (v: number) => (conv ? formatValue(v, 'conversions') : money(v));
  const ratio = (v: number | null | undefined) => formatValue(v, conv ? 'conversions-per-spend' : 'revenue-per-spend');
  const extrapolated = plan.allocation.filter((a) => a.extrapolated).map((a) => a.key);
  const geoView = useMemo(() => {
    if (!plan.allocation.some((a) => a.geo !== undefined)) return null;
    const geos = [...new Set(plan.allocation.map((a) => a.geo ?? ''))].sort();
    const channels = [...new Set(plan.allocation.map((a) => a.channel))];
    const cell = (g: string, c: string) => plan.allocation.find((a) => (a.geo ?? '') === g && a.channel === c);
    const rows = geos.map((g) => ({ geo: g, ...Object.fromEntries(channels.map((c) => [c, cell(g, c)?.spend ?? 0])), total: channels.reduce((t, c) => t + (cell(g, c)?.spend ?? 0), 0), expected: channels.reduce((t, c) => t + (cell(g, c)?.expected ?? 0), 0) }));
    const chart = {
      tooltip: { trigger: 'axis', axisPointer: { type: 'shadow' }, valueFormatter: (v: number) => money(v) }, legend: { bottom: 0 }, grid: { left: 90, right: 20, top: 10, bottom: 40 },
      yAxis: { type: 'category', data: geos, inverse: true }, xAxis: { type: 'value', axisLabel: { formatter: (v: number) => trimZeros(money(v)) } },
      series: channels.map((c, i) => ({ type: 'bar', stack: 'spend', name: c, color: PALETTE[i % PALETTE.length], data: geos.map((g) => cell(g, c)?.spend ?? 0) })),
    };
    return { geos, channels, rows, chart };
  }, [plan]);
  const roiText = (t: Total) => `${conv ? 'conversions per unit of spend' : 'ROI'} ${ratio(t.roi)}${t.revenueRoi !== undefined ? `, revenue ROI ${ratio(t.revenueRoi)}` : ''}`;
  return (
    <section className="card" aria-labelledby="plan-h" data-testid="plan-result">
      <h2 id="plan-h">Plan {plan.planId} <span className="muted">({plan.start} – {plan.end}, {plan.periods} periods, model {plan.model})</span></h2>
      <p>Spend <strong>{money(plan.total.spend)}</strong> gives an expected incremental {outcomeName} (from media) of <strong>{outcome(plan.total.expected)}</strong> <span className="muted">{interval(plan.total.expectedInterval?.[0], plan.total.expectedInterval?.[1], outcome)}</span>, {roiText(plan.total)};
        {' '}reference mix: {outcome(plan.baseline.expected)} ({roiText(plan.baseline)}). Gain <strong>{outcome(plan.total.expected - plan.baseline.expected)}</strong> ({pct(plan.total.expected / plan.baseline.expected - 1)}){extrapolated.length > 0 && <strong className="flag"> — partly from extrapolated spend on {extrapolated.join(', ')}</strong>}.
        {plan.equalMroi !== null && <> Marginal {conv ? 'conversions per unit of spend' : 'ROI'} at the optimum: {ratio(plan.equalMroi)} on every channel not at a bound.</>}</p>
      <p data-testid="guardrail">{plan.band
        ? <>Guardrail: {plan.band.curves} channel{plan.band.curves === 1 ? '' : 's'} kept within ±{plan.band.applied}% of the reference mix{plan.band.applied > plan.band.requested ? <> (widened from ±{plan.band.requested}% so the budget can be spent)</> : null}.</>
        : <>No guardrail: channels moved anywhere the bounds allow.</>}</p>
      {plan.warnings.length > 0 && <ul className="warnings">{plan.warnings.map((w, i) => <li key={i}>{w}</li>)}</ul>}
      {plan.notes.map((n, i) => <p key={`note-${i}`} className="muted" data-testid="plan-note">{n}</p>)}
      <div className="grid2">
        <div><h3>Spend per channel</h3><Chart label="Plan versus reference spend per channel" testId="chart-plan" option={bars} /></div>
        <div><h3>Forecast</h3>{forecast ? <Chart label="Forecast of the plan with 90% intervals" testId="chart-forecast" option={forecast} /> : <Empty>No forecast.</Empty>}</div>
      </div>
      {plan.flights && <div data-testid="plan-flights"><h3>Flights</h3>
        <Table testId="flights-table" rows={plan.flights as unknown as Record<string, unknown>[]} columns={[
          { key: 'name', label: 'Flight' }, { key: 'start', label: 'From' }, { key: 'end', label: 'To' }, { key: 'periods', label: 'Periods' },
          { key: 'budget', label: `Budget${cur ? ` (${cur})` : ''}`, format: (v) => money(v as number) },
          { key: 'expected', label: `Expected ${outcomeName}`, format: (v, r) => <>{outcome(v as number)} <span className="muted">{interval((r.expectedInterval as number[] | undefined)?.[0], (r.expectedInterval as number[] | undefined)?.[1], outcome)}</span></> },
          { key: 'equalMroi', label: conv ? 'Marginal (conv. per unit)' : 'Marginal ROI', format: (v) => (typeof v === 'number' ? ratio(v) : '–') },
        ]} />
      </div>}
      {geoView && <div data-testid="plan-geos">
        <h3>Spend per geo</h3>
        <Chart label="Planned spend per geo, by channel" testId="chart-plan-geos" height={Math.max(260, 22 * geoView.geos.length)} option={geoView.chart} />
        <Table testId="geo-allocation" rows={geoView.rows} columns={[{ key: 'geo', label: 'Geo' }, ...geoView.channels.map((c) => ({ key: c, label: c, format: (v: unknown) => money(v as number) })), { key: 'total', label: 'Total', format: (v) => money(v as number) }, { key: 'expected', label: `Expected ${outcomeName}`, format: (v) => outcome(v as number) }]} />
      </div>}
      <Table testId="allocation" rows={plan.allocation.map((a, i) => ({ ...a, reference: plan.baseline.allocation[i]?.spend })) as unknown as Record<string, unknown>[]} columns={[
        { key: 'key', label: 'Channel', format: (v, r) => <>{String(v)}{r.extrapolated ? <strong className="flag"> (extrapolated)</strong> : null}</> }, { key: 'spend', label: 'Spend', format: (v) => money(v as number) }, { key: 'reference', label: 'Reference', format: (v) => money(v as number) },
        { key: 'observedMax', label: `Most spent in ${plan.periods} periods of data`, format: (v) => (typeof v === 'number' ? money(v) : '–') },
        { key: 'expected', label: `Expected ${outcomeName}`, format: (v, r) => <>{outcome(v as number)} <span className="muted">{interval((r.expectedInterval as number[] | undefined)?.[0], (r.expectedInterval as number[] | undefined)?.[1], outcome)}</span></> },
        { key: 'mroi', label: conv ? 'Marginal (conv. per unit)' : 'Marginal ROI', format: (v) => ratio(v as number) },
      ]} />
      {plan.planId && <div className="row">
        <button className="secondary" onClick={() => void download(`/api/plans/${plan.planId}/export`, `${plan.planId}.csv`)}>Export CSV</button>
        <button className="secondary" onClick={() => void download(`/api/plans/${plan.planId}/export?format=xlsx`, `${plan.planId}.xlsx`)}>Export Excel (allocation, weekly and monthly forecast)</button>
      </div>}
      {plan.planId && <PlanTrack key={plan.planId} planId={plan.planId} currency={cur} />}
    </section>
  );
}

function Compare({ plans, onOpen, onEdit, onDeleted }: { plans: ReturnType<typeof useApi<PlanListing[]>>; onOpen: (id: string) => void; onEdit: (spec: PlanSpec) => void; onDeleted: (id: string) => void }) {
  const [chosen, setChosen] = useState<string[]>([]);
  const [cmp, setCmp] = useState<Comparison | null>(null);
  const [error, setError] = useState<unknown>(null);
  const act = async (what: 'edit' | 'duplicate' | 'rename' | 'delete', id: string) => {
    setError(null);
    try {
      if (what === 'edit' || what === 'duplicate') {
        const p = await api<StoredPlan>(`/api/plans/${encodeURIComponent(id)}`);
        onEdit({ ...p.spec, name: what === 'duplicate' ? `${p.name}-copy` : p.name });
      } else if (what === 'rename') {
        const name = window.prompt(`New name for plan ${id} (letters, digits, _ . -)`);
        if (!name) return;
        await api(`/api/plans/${encodeURIComponent(id)}`, { method: 'PATCH', body: { name } });
        plans.reload();
      } else {
        if (!window.confirm(`Delete plan ${id}? This cannot be undone.`)) return;
        await api(`/api/plans/${encodeURIComponent(id)}`, { method: 'DELETE' });
        setChosen((c) => c.filter((x) => x !== id));
        onDeleted(id);
        plans.reload();
      }
    } catch (e) { setError(e); }
  };
  const run = async () => { setError(null); try { setCmp(await api<Comparison>(`/api/plans/compare?ids=${chosen.map(encodeURIComponent).join(',')}`)); } catch (e) { setError(e); } };
  // Each plan in its own currency; the chart and the differences in the plans' common one (none when they differ).
  const common = cmp ? commonOf(cmp.plans.map((p) => p.units?.currency ?? null)) : null;
  const money = (v: number | null | undefined) => moneyIn(v, common);
  const chart = useMemo(() => cmp && {
    tooltip: { trigger: 'axis', valueFormatter: (v: number) => money(v) }, legend: { bottom: 0 }, grid: { left: 70, right: 20, top: 20, bottom: 50 },
    xAxis: { type: 'category', data: cmp.plans[0].allocation.map((a) => a.key) }, yAxis: { type: 'value', axisLabel: { formatter: (v: number) => trimZeros(money(v)) } },
    series: cmp.plans.map((p, i) => ({ type: 'bar', name: p.id, color: PALETTE[i % PALETTE.length], data: cmp.plans[0].allocation.map((a) => p.allocation.find((b) => b.key === a.key)?.spend ?? 0) })),
  }, [cmp]); // eslint-disable-line react-hooks/exhaustive-deps
  return (
    <section className="card" aria-labelledby="cmp-h">
      <h2 id="cmp-h">Saved plans</h2>
      <ErrorBox error={plans.error} />
      {plans.data && plans.data.length === 0 && <Empty>No saved plans yet.</Empty>}
      {plans.data && plans.data.length > 0 && <>
        <Table testId="plans" rows={plans.data as unknown as Record<string, unknown>[]} columns={[
          { key: 'pick', label: 'Compare', format: (_, r) => <input type="checkbox" aria-label={`Compare plan ${r.id}`} checked={chosen.includes(String(r.id))} onChange={(e) => setChosen(e.target.checked ? [...chosen, String(r.id)] : chosen.filter((c) => c !== r.id))} /> },
          { key: 'id', label: 'Plan' }, { key: 'name', label: 'Name' }, { key: 'model', label: 'Model' }, { key: 'budget', label: 'Budget', format: (v, r) => moneyIn(v as number, listed(r).currency ?? null) },
          { key: 'expected', label: 'Expected outcome', format: (v, r) => (listed(r).expected === 'conversions' ? formatValue(v as number, 'conversions', null, { withUnit: true }) : moneyIn(v as number, listed(r).currency ?? null)) }, { key: 'roi', label: 'ROI', format: (v, r) => formatValue(v as number, listed(r).roi ?? 'revenue-per-spend') },
          { key: 'export', label: 'Export', format: (_, r) => <button className="small secondary" onClick={() => void download(`/api/plans/${r.id}/export`, `${r.id}.csv`)}>CSV</button> },
          { key: 'actions', label: 'Manage', format: (_, r) => { const id = String(r.id); return <span className="row tight">
            <button className="small secondary" aria-label={`Open plan ${id}`} onClick={() => onOpen(id)}>Open</button>
            <button className="small secondary" aria-label={`Edit plan ${id}`} onClick={() => void act('edit', id)}>Edit</button>
            <button className="small secondary" aria-label={`Duplicate plan ${id}`} onClick={() => void act('duplicate', id)}>Duplicate</button>
            <button className="small secondary" aria-label={`Rename plan ${id}`} onClick={() => void act('rename', id)}>Rename</button>
            <button className="small secondary" aria-label={`Delete plan ${id}`} onClick={() => void act('delete', id)}>Delete</button></span>; } },
        ]} />
        <button onClick={() => void run()} disabled={chosen.length < 2}>Compare selected ({chosen.length})</button>
        <WhyNot action="compare" reasons={chosen.length < 2 ? [`tick ${chosen.length ? 'one more plan' : 'two or more plans'} above`] : []} />
      </>}
      <ErrorBox error={error} />
      {cmp && chart && (
        <div data-testid="comparison">
          <h3>Side by side</h3>
          <Chart label="Spend per channel in each plan" testId="chart-compare" option={chart} />
          <Table testId="comparison-table" rows={cmp.plans.map((p, i) => ({ id: p.id, cur: p.units?.currency ?? null, roiUnit: p.units?.roi, budget: p.budget, expected: p.total.expected, lo: p.total.expectedInterval?.[0], hi: p.total.expectedInterval?.[1], roi: p.total.roi, cpa: (i === 0 ? cmp.comparisons[0]?.a : cmp.comparisons[i - 1].b)?.total.cpa, cpaIv: (i === 0 ? cmp.comparisons[0]?.a : cmp.comparisons[i - 1].b)?.total.cpaInterval, diff: i === 0 ? null : cmp.comparisons[i - 1].difference.expected, diffIv: i === 0 ? null : cmp.comparisons[i - 1].difference.expectedInterval ?? null }))} columns={[
            { key: 'id', label: 'Plan' }, { key: 'budget', label: 'Budget', format: (v, r) => moneyIn(v as number, r.cur as string | null) },
            { key: 'expected', label: 'Expected outcome', format: (v, r) => <>{moneyIn(v as number, r.cur as string | null)} <span className="muted">{interval(r.lo, r.hi, (n) => moneyIn(n, r.cur as string | null))}</span></> },
            { key: 'roi', label: 'ROI', format: (v, r) => formatValue(v as number, (r.roiUnit as Unit | undefined) ?? 'revenue-per-spend') },
            ...(cmp.comparisons.some((c) => c.a.total.cpa !== undefined) ? [{ key: 'cpa', label: 'Cost per conversion (90%)', format: (v: unknown, r: Record<string, unknown>) => (typeof v === 'number' ? <>{moneyIn(v, r.cur as string | null)} <span className="muted">{interval((r.cpaIv as number[] | undefined)?.[0], (r.cpaIv as number[] | undefined)?.[1], (n) => moneyIn(n, r.cur as string | null))}</span></> : '–') }] : []),
            { key: 'diff', label: `vs. ${cmp.plans[0].id} (90%)`, format: (v, r) => (v === null ? '–' : <>{`${(v as number) >= 0 ? '+' : ''}${money(v as number)}`} <span className="muted">{interval((r.diffIv as number[] | null)?.[0], (r.diffIv as number[] | null)?.[1], (n) => money(n))}</span></>) },
          ]} />
          {cmp.comparisons.map((c) => (
            <div key={c.b.id}>
              <h4>{c.b.id} against {c.a.id}, per channel</h4>
              <Table testId="comparison-rows" rows={c.rows as unknown as Record<string, unknown>[]} columns={[
                { key: 'key', label: 'Channel' }, { key: 'spendA', label: `Spend ${c.a.id}`, format: (v) => moneyIn(v as number, c.a.currency ?? null) }, { key: 'spendB', label: `Spend ${c.b.id}`, format: (v) => moneyIn(v as number, c.b.currency ?? null) },
                { key: 'expectedDiff', label: 'Expected B − A (90%)', format: (v, r) => <>{`${(v as number) >= 0 ? '+' : ''}${moneyIn(v as number, c.currency ?? null)}`} <span className="muted">{interval((r.expectedDiffInterval as number[] | undefined)?.[0], (r.expectedDiffInterval as number[] | undefined)?.[1], (n) => moneyIn(n, c.currency ?? null))}</span></> },
              ]} />
            </div>))}
          {cmp.comparisons.flatMap((c) => c.notes).map((n, i) => <p key={i} className="muted">{n}</p>)}
        </div>
      )}
    </section>
  );
}

/** A saved plan's units from its list row (null for a plan stored before they were kept). */
function listed(r: Record<string, unknown>): Partial<NonNullable<PlanListing['units']>> {
  return (r.units as PlanListing['units']) ?? {};
}

/** The one currency of the plans compared, or null (no symbol) when they differ or none is known. */
function commonOf(codes: (string | null)[]): string | null {
  return commonCurrency(codes);
}
