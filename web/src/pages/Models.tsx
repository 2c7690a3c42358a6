/** Models: a wizard with defaults ("Next, Next, Train"), live training progress, and the list of models with their lifecycle (ModelList.tsx). */
import { useEffect, useMemo, useRef, useState } from 'react';
import { api, followJob, type Catalog, type JobInfo, type Progress, type Schema } from '../api.ts';
import { num, pct } from '../format.ts';
import { Empty, ErrorBox, Loading, useApi } from '../ui.tsx';
import { FieldNote, WhyNot, invalid, problemsOf, type Problems } from '../form.tsx';
import { fieldKey, fieldLabel } from '../fields.ts';
import { wizardProblems } from './modelChecks.ts';
import { ModelCompare } from './ModelCompare.tsx';
import { ModelList } from './ModelList.tsx';
import { wizardAnswers, type ModelConfig } from './modelPrefill.ts';
import type { ChannelChoice, ControlChoice, Experiment } from './modelTypes.ts';
import { takeWizardPrefill } from './prefill.ts';

type Harmonized = Schema<'Harmonized'>;
type ModelRow = Schema<'ModelListing'>;
type CurveKey = string;
/** Words for the catalog's curve parameters (a parameter the web app has no words for shows its name). */
const CURVE_LABELS: Record<CurveKey, string> = { decay: 'Carry-over decay (0–1)', halfSaturation: 'Half-saturation (× typical activity)', shape: 'Hill shape' };
const curveLabel = (k: CurveKey) => CURVE_LABELS[k] ?? k;
const TARGET_KIND_LABELS: Record<string, string> = { revenue: 'revenue (ROI in currency per currency)', conversions: 'conversions (cost per conversion)' };
/** Which curve parameters a channel's adstock and saturation have (as the config checks): the roles of their parameters in the catalog. */
function curveKeysFor(catalog: Catalog, adstock: string, saturation: string): CurveKey[] {
  const roles = new Set(catalog.transforms
    .filter((t) => (t.kind === 'adstock' && t.name === adstock) || (t.kind === 'saturation' && t.name === saturation))
    .flatMap((t) => t.parameters.flatMap((p) => (p.role ? [p.role] : []))));
  return catalog.curveParameters.map((p) => p.name).filter((k) => roles.has(k));
}
/** The transforms of a kind a family can fit, then 'none'. */
function transformChoices(catalog: Catalog, kind: 'adstock' | 'saturation', family: string): string[] {
  return [...catalog.transforms.filter((t) => t.kind === kind && t.families.includes(family)).map((t) => t.name), 'none'];
}

/** The exposure choice that reads a channel's reach and frequency columns. */
const RF = '#rf';

const STEPS = ['Data', 'Channels', 'Controls', 'Transforms', 'Priors & lift tests', 'Train'];

export function ModelsPage() {
  const tables = useApi<Harmonized[]>('/api/harmonized');
  const models = useApi<ModelRow[]>('/api/models');
  // Transforms, families, curve parameters and signs: the server's lists (GET /api/catalog).
  const catalog = useApi<Catalog>('/api/catalog');
  const [chosen, setChosen] = useState<string[]>([]);
  // A duplicated model's config opens the wizard with its answers (a new key starts it afresh).
  // A config handed over by another page (prefill.ts) opens the wizard as a duplicate does.
  const [prefill, setPrefill] = useState<{ config: ModelConfig; key: number } | null>(() => { const c = takeWizardPrefill(); return c ? { config: c, key: Date.now() } : null; });
  const duplicate = (config: ModelConfig) => {
    setPrefill({ config, key: Date.now() });
    requestAnimationFrame(() => document.getElementById('wizard-h')?.scrollIntoView({ block: 'start' }));
  };
  return (
    <div className="page">
      <h1>Models</h1>
      {tables.loading && !tables.data && <Loading what="tables" />}
      <ErrorBox error={tables.error} />
      {tables.data && tables.data.length === 0 && <Empty>No harmonized table yet: upload and harmonize data on the <a href="#/data">Data</a> page first.</Empty>}
      <ErrorBox error={catalog.error} />
      {tables.data && tables.data.length > 0 && !catalog.data && catalog.loading && <Loading what="model choices" />}
      {tables.data && tables.data.length > 0 && catalog.data && <Wizard key={prefill?.key ?? 0} prefill={prefill?.config ?? null} tables={tables.data} models={models.data ?? []} catalog={catalog.data} onTrained={models.reload} />}
      <section aria-labelledby="models-h">
        <h2 id="models-h">Fitted models</h2>
        <ErrorBox error={models.error} />
        {models.data && models.data.length === 0 && <Empty>No models yet.</Empty>}
        {models.data && models.data.length > 0 && <ModelList models={models} chosen={chosen} setChosen={setChosen} onDuplicate={duplicate} />}
        {models.data && models.data.length > 1 && <ModelCompare chosen={chosen} />}
      </section>
    </div>
  );
}

function Wizard({ tables, models, catalog, onTrained, prefill }: { tables: Harmonized[]; models: ModelRow[]; catalog: Catalog; onTrained: () => void; prefill: ModelConfig | null }) {
  const [step, setStep] = useState(0);
  const prefillTable = prefill?.data.harmonized && tables.some((t) => t.id === prefill.data.harmonized) ? prefill.data.harmonized : null;
  const [tableId, setTableId] = useState(prefillTable ?? tables[tables.length - 1].id);
  // The duplicated config waiting to fill the form once its table's columns are known.
  const pending = useRef(prefillTable ? prefill : null);
  const [prefillNote, setPrefillNote] = useState<string | null>(null);
  const table = tables.find((t) => t.id === tableId)!;
  const outcomes = table.columns.filter((c) => c.role === 'outcome').map((c) => c.name);
  const media = table.columns.filter((c) => c.role === 'media').map((c) => c.name);
  const factors = table.columns.filter((c) => c.role === 'factor').map((c) => c.name);
  const isGeo = table.geoLevel !== 'national' && (table.report?.geos ?? 0) > 1;
  const [population, setPopulation] = useState('');
  const [target, setTarget] = useState(outcomes[0] ?? '');
  const [kind, setKind] = useState<'revenue' | 'conversions'>('revenue');
  // Conversions: revenue per conversion from a column, a fixed value, or none (then cost per conversion only).
  const [rpc, setRpc] = useState('');
  const [channels, setChannels] = useState<ChannelChoice[]>([]);
  const [controls, setControls] = useState<ControlChoice[]>([]);
  // Organic media (no spend): columns modeled with carry-over and saturation, reported without ROI.
  const [organic, setOrganic] = useState<string[]>([]);
  // Geo tables: an empty media cell in a row that is there — refused (default) or read as no activity.
  const [missingMedia, setMissingMedia] = useState<'refuse' | 'zero'>('refuse');
  const [holidayCountry, setHolidayCountry] = useState('');
  const [yearly, setYearly] = useState(2);
  const [trend, setTrend] = useState<'linear' | 'none' | 'piecewise'>('linear');
  const countries = useApi<Schema<'HolidayCountries'>>('/api/holidays/countries');
  const [adstock, setAdstock] = useState('geometric');
  const [maxLag, setMaxLag] = useState(8);
  const [saturation, setSaturation] = useState('hill');
  const [family, setFamily] = useState('bayesian');
  const [holdout, setHoldout] = useState(8);
  const [experiments, setExperiments] = useState<Experiment[]>([]);
  const [name, setName] = useState(tableId);
  const [mode, setMode] = useState<'fast' | 'full'>('fast');
  // Classic families: bootstrap refits for the intervals ('' = the family's default) and, for ridge, the Robyn-style search.
  const [bootstrap, setBootstrap] = useState('');
  const [search, setSearch] = useState<{ on: boolean; iterations: number; trials: number }>({ on: false, iterations: 2000, trials: 5 });
  const bayesian = family === 'bayesian';
  const adstocks = transformChoices(catalog, 'adstock', family), saturations = transformChoices(catalog, 'saturation', family);
  const curveParameters = catalog.curveParameters;
  const [job, setJob] = useState<Partial<JobInfo> | null>(null);
  const [error, setError] = useState<unknown>(null);
  // What the server refused, by field (cleared as soon as the form changes).
  const [serverProblems, setServerProblems] = useState<Problems>({});
  // A model refresh: curve priors from a fitted Bayesian model's posterior (POST /api/models/:id/curve-priors).
  const bayesModels = models.filter((m) => m.family === 'bayesian');
  const [refreshFrom, setRefreshFrom] = useState('');
  const [refreshNote, setRefreshNote] = useState<string | null>(null);

  useEffect(() => {
    const p = pending.current;
    pending.current = null;
    if (p) {
      const a = wizardAnswers(p, media, factors, catalog.curveParameters.map((x) => x.name));
      setTarget(a.target); setKind(a.kind); setRpc(a.rpc); setPopulation(a.population); setChannels(a.channels); setControls(a.controls); setOrganic(a.organic); setMissingMedia(a.missingMedia);
      setHolidayCountry(a.holidayCountry); setYearly(a.yearly); setTrend(a.trend); setAdstock(a.adstock); setMaxLag(a.maxLag); setSaturation(a.saturation);
      setFamily(a.family); setHoldout(a.holdout); setExperiments(a.experiments); setBootstrap(a.bootstrap); setSearch(a.search); setName(p.name ?? tableId);
      setPrefillNote(`A copy of a model's config, named ${p.name}: change what you like, then train it.${a.lost.length ? ` Not carried over: ${a.lost.join('; ')}.` : ''}`);
      return;
    }
    setPrefillNote(null);
    setTarget(outcomes.includes('revenue') ? 'revenue' : outcomes[0] ?? '');
    // Sub-channel columns (`search__brand_spend`) are parts of their channel's `search_spend`: not channels of their own.
    setChannels(media.filter((m) => /_spend$/.test(m) && !m.includes('__')).map((m) => {
      const ch = m.replace(/_spend$/, '');
      const curve = Object.fromEntries(catalog.curveParameters.map((p) => [p.name, { mean: '', sd: '' }]));
      return { name: ch, spend: m, exposure: '', on: true, roiMean: '', roiSd: '', priorOn: 'roi', share: '', confidence: '0.75', adstock: '', saturation: '', curve };
    }));
    setControls(factors.map((f) => ({ column: f, on: true, sign: /price/i.test(f) ? 'negative' : 'auto' })));
    setOrganic([]); setMissingMedia('refuse');
    setName(tableId);
    // Everything chosen from the old table's columns starts over: nothing hidden outlives a switch.
    setKind('revenue'); setRpc(''); setPopulation(''); setExperiments([]); setRefreshFrom(''); setRefreshNote(null);
    setServerProblems({}); setError(null);
  }, [tableId]); // eslint-disable-line react-hooks/exhaustive-deps

  // A choice the menus no longer offer is reset, so the config never holds what the form does not show.
  const rpcColumns = [...outcomes, ...factors].filter((c) => c !== target);
  useEffect(() => { if (rpc && !(Number(rpc) > 0) && !/^[0-9.]+$/.test(rpc) && !rpcColumns.includes(rpc)) setRpc(''); }, [rpc, rpcColumns.join()]); // eslint-disable-line react-hooks/exhaustive-deps
  useEffect(() => { if (population && (!factors.includes(population) || population === target)) setPopulation(''); }, [population, target, factors.join()]); // eslint-disable-line react-hooks/exhaustive-deps
  useEffect(() => {
    if (!adstocks.includes(adstock)) setAdstock(adstocks[0]);
    if (!saturations.includes(saturation)) setSaturation(saturations[0]);
    if (channels.some((c) => (c.adstock && !adstocks.includes(c.adstock)) || (c.saturation && !saturations.includes(c.saturation)))) {
      setChannels(channels.map((c) => ({ ...c, adstock: c.adstock && !adstocks.includes(c.adstock) ? '' : c.adstock, saturation: c.saturation && !saturations.includes(c.saturation) ? '' : c.saturation })));
    }
  }, [family]); // eslint-disable-line react-hooks/exhaustive-deps

  // A column that plays another part in this model — the target, the geos' population, the revenue per
  // conversion — is not offered as a control (the date and geo columns are never factors).
  const offeredControls = useMemo(() => {
    const taken = new Set([target, isGeo ? population : '', kind === 'conversions' && !(Number(rpc) > 0) ? rpc : '', ...organic].filter(Boolean));
    return controls.filter((c) => !taken.has(c.column));
  }, [controls, target, isGeo, population, kind, rpc, organic]);
  // Columns that can be organic media: factors, and media columns that are not a channel's spend, exposure, reach or frequency.
  const organicCandidates = useMemo(() => {
    const channelColumn = (m: string) => /_(spend|reach|frequency)$/.test(m) || channels.some((c) => m.startsWith(`${c.name}_`));
    return [...media.filter((m) => !channelColumn(m) && !m.includes('__')), ...factors].filter((c) => c !== target && c !== population);
  }, [media.join(), factors.join(), channels, target, population]); // eslint-disable-line react-hooks/exhaustive-deps
  const hasRf = (name: string) => media.includes(`${name}_reach`) && media.includes(`${name}_frequency`);
  // A channel's sub-channels in the table (long data with a `subchannel` column): `<name>__<sub>_spend`.
  const subchannelsOf = (name: string) => media.filter((m) => m.startsWith(`${name}__`) && m.endsWith('_spend')).map((m) => ({ name: m.slice(name.length + 2, -'_spend'.length), spend: m }));

  const config = useMemo(() => {
    const on = channels.filter((c) => c.on);
    const given = on.filter((c) => Number(c.roiMean) > 0 && Number(c.roiSd) > 0);
    const roi = Object.fromEntries(given.filter((c) => c.priorOn === 'roi').map((c) => [c.name, { mean: Number(c.roiMean), sd: Number(c.roiSd) }]));
    const mroi = Object.fromEntries(given.filter((c) => c.priorOn === 'mroi').map((c) => [c.name, { mean: Number(c.roiMean), sd: Number(c.roiSd) }]));
    // "Prior knowledge" of a channel's share of the outcome (percent in the form, a fraction in the config).
    const contributionShare = Object.fromEntries(on.filter((c) => Number(c.share) > 0 && Number(c.share) < 100).map((c) => [c.name, { share: Number(c.share) / 100, confidence: Number(c.confidence) }]));
    // Curve priors where both mean and sd are given, for the parameters the channel's transforms have.
    const curves = Object.fromEntries(on.map((c) => [c.name, Object.fromEntries(curveKeysFor(catalog, c.adstock || adstock, c.saturation || saturation)
      .filter((k) => Number(c.curve[k].mean) > 0 && Number(c.curve[k].sd) > 0)
      .map((k) => [k, { mean: Number(c.curve[k].mean), sd: Number(c.curve[k].sd) }]))]).filter(([, v]) => Object.keys(v).length > 0));
    return {
      data: { harmonized: tableId, ...(isGeo ? { geo: 'geo', ...(population ? { population } : {}), ...(missingMedia === 'zero' ? { missingMedia } : {}) } : {}) },
      target: { column: target, kind, ...(kind === 'conversions' && rpc ? { revenuePerConversion: Number(rpc) > 0 ? Number(rpc) : rpc } : {}) },
      channels: [...on.map((c) => ({
        name: c.name, spend: c.spend,
        // Split: the model is fitted on the channel (its spend is their sum); insights report each sub-channel.
        ...(c.split && subchannelsOf(c.name).length >= 2 ? { subchannels: subchannelsOf(c.name) } : {}),
        // Reach & frequency: the channel's `<name>_reach` and `<name>_frequency` columns instead of an exposure.
        ...(c.exposure === RF ? { reach: `${c.name}_reach`, frequency: `${c.name}_frequency` } : c.exposure ? { exposure: c.exposure } : {}),
        // Per-channel transforms override the model's (Transforms step) where set.
        ...(c.adstock ? { adstock: { type: c.adstock, ...(c.adstock === 'none' ? {} : { maxLag }) } } : {}),
        ...(c.saturation ? { saturation: { type: c.saturation } } : {}),
      })), ...organicCandidates.filter((col) => organic.includes(col)).map((col) => ({ name: col, exposure: col, organic: true }))],
      controls: offeredControls.filter((c) => c.on).map((c) => ({ column: c.column, sign: c.sign })),
      seasonality: { yearly },
      trend: trend === 'piecewise' ? { type: 'piecewise' } : trend,
      ...(holidayCountry ? { holidays: { country: holidayCountry } } : {}),
      adstock: { type: adstock, ...(adstock === 'none' ? {} : { maxLag }) },
      saturation: { type: saturation },
      // Priors are the Bayesian model's; classic families take bootstrap (and, for ridge, search) settings instead.
      ...(family === 'bayesian' ? { priors: { roi, ...(Object.keys(mroi).length ? { mroi } : {}), contributionShare, ...(Object.keys(curves).length ? { curves } : {}) } } : {}),
      ...(family !== 'bayesian' && Number(bootstrap) >= 0 && bootstrap !== '' ? { classic: { bootstrap: Number(bootstrap) } } : {}),
      ...(family === 'ridge' && search.on ? { search: { iterations: search.iterations, trials: search.trials } } : {}),
      experiments: experiments.map((e) => ({ channel: e.channel, start: e.start, end: e.end, lift: Number(e.lift), liftSe: Number(e.liftSe) })),
      family,
      holdout: { periods: holdout },
    };
  }, [catalog, tableId, isGeo, population, missingMedia, target, kind, rpc, channels, organic, organicCandidates, offeredControls, yearly, trend, holidayCountry, adstock, maxLag, saturation, family, holdout, experiments, bootstrap, search]);

  // The form's own checks, on every change: shown next to their fields, and training waits for them.
  const fractionKeys = catalog.curveParameters.filter((p) => p.prior === 'beta').map((p) => p.name);
  const checks = useMemo(() => wizardProblems({
    table: { from: table.from, to: table.to, periods: table.report?.periods ?? 0 },
    target, kind, rpc, channels, curveKeys: (ch) => { const c = channels.find((x) => x.name === ch); return c ? curveKeysFor(catalog, c.adstock || adstock, c.saturation || saturation) : []; },
    fractionKeys, yearly, maxLag, holdout, experiments, name, family, bootstrap, search,
  }), [table, target, kind, rpc, channels, catalog, adstock, saturation, fractionKeys.join(), yearly, maxLag, holdout, experiments, name, family, bootstrap, search]); // eslint-disable-line react-hooks/exhaustive-deps
  useEffect(() => { setServerProblems({}); }, [config, name]);
  const problems: Problems = { ...serverProblems, ...Object.fromEntries(checks.map((p) => [fieldKey(p.field), p.message])) };
  const stepsWithProblems = new Set([...checks.map((p) => p.step), ...Object.keys(serverProblems).map(stepOfField)]);

  // The prior predictive check on the priors step: what these ROI priors alone say media explain,
  // recomputed (debounced) whenever the config changes while the step is open.
  const [priorCheck, setPriorCheck] = useState<PriorCheckResult | null>(null);
  const [priorCheckError, setPriorCheckError] = useState<string | null>(null);
  useEffect(() => {
    if (step !== 4 || !tableId || family !== 'bayesian') return;
    // Half-typed priors are not checked: the notes beside them say what is missing.
    if (checks.some((p) => p.field.startsWith('priors.'))) { setPriorCheck(null); setPriorCheckError('waiting for the priors above to be complete'); return; }
    let live = true;
    const t = setTimeout(() => {
      api<PriorCheckResult>('/api/models/prior-check', { body: { config } })
        .then((r) => { if (live) { setPriorCheck(r); setPriorCheckError(null); } }, (e: unknown) => { if (live) { setPriorCheck(null); setPriorCheckError(describeError(e)); } });
    }, 400);
    return () => { live = false; clearTimeout(t); };
  }, [step, config, tableId, family]); // eslint-disable-line react-hooks/exhaustive-deps

  const train = async () => {
    setError(null); setJob(null); setServerProblems({});
    if (checks.length) { setStep(checks[0].step); return; }
    try {
      // Sampling options are the Bayesian model's; a classic family's settings are in its config.
      const sampling = !bayesian ? {} : mode === 'fast' ? { fast: true } : { chains: 4, warmup: 500, draws: 500 };
      const started = await api<JobInfo>(`/api/models/${encodeURIComponent(name)}/fit`, { body: { config, ...sampling } });
      setJob(started);
      const final = await followJob(started.id, (j) => setJob((prev) => ({ ...prev, ...j })));
      setJob(final);
      if (final.status === 'succeeded') onTrained();
    } catch (e) {
      setError(e);
      // A refusal that names fields: each message goes next to its field, and the wizard opens that step.
      const byField = problemsOf(e);
      if (Object.keys(byField).length) { setServerProblems(byField); setStep(stepOfField(Object.keys(byField)[0])); }
    }
  };
  const fillCurvesFrom = async (modelId: string) => {
    setError(null); setRefreshNote(null);
    try {
      const r = await api<Schema<'CurvePriors'>>(`/api/models/${encodeURIComponent(modelId)}/curve-priors`, { body: { config } });
      const show = (v: number) => String(Number(v.toPrecision(3)));
      setChannels(channels.map((c) => {
        const got = r.curves[c.name];
        if (!got) return c;
        const curve = { ...c.curve };
        for (const { name: k } of curveParameters) { const p = got[k]; if (p) curve[k] = { mean: show(p.mean), sd: show(p.sd) }; }
        return { ...c, curve };
      }));
      setRefreshNote(`Curve priors from ${modelId}: posterior means, sd × 2 (never wider than that model's prior).${r.skipped.length ? ` Not carried: ${r.skipped.join('; ')}.` : ''}`);
    } catch (e) { setError(e); }
  };
  const cancel = async () => { if (job?.id) { try { await api(`/api/jobs/${job.id}`, { method: 'DELETE' }); } catch (e) { setError(e); } } };
  const running = job && (job.status === 'queued' || job.status === 'running');

  return (
    <section className="card wizard" aria-labelledby="wizard-h">
      <h2 id="wizard-h">New model</h2>
      {prefillNote && <p className="note" data-testid="prefill-note">{prefillNote}</p>}
      <ol className="steps" aria-label="Steps">{STEPS.map((s, i) => <li key={s} aria-current={i === step ? 'step' : undefined}><button className="link" onClick={() => setStep(i)}>{i + 1}. {s}{stepsWithProblems.has(i) && <span className="step-flag"> (check)</span>}</button></li>)}</ol>
      <div className="step" data-testid={`step-${step}`}>
        {step === 0 && <>
          <label>Harmonized table <select value={tableId} onChange={(e) => setTableId(e.target.value)} name="table">{tables.map((t) => <option key={t.id} value={t.id}>{t.id} ({t.rows} rows, {t.grain}ly)</option>)}</select></label>
          <label>Target (what marketing should move) <select value={target} onChange={(e) => setTarget(e.target.value)} name="target" {...invalid(problems, 'target.column')}>{[...outcomes, ...factors].map((c) => <option key={c}>{c}</option>)}</select></label>
          <FieldNote problems={problems} field="target.column" />
          {isGeo && <>
            <p className="muted">This table has {table.report?.geos} geos: the model is geo-hierarchical (each geo its own effects, pooled toward the national ones).</p>
            <label>Population column to scale geos (optional) <select value={population} onChange={(e) => setPopulation(e.target.value)} name="population"><option value="">none (scale by each geo's mean)</option>{factors.filter((f) => f !== target).map((f) => <option key={f}>{f}</option>)}</select></label>
            <label>An empty media cell in a geo's row <select value={missingMedia} onChange={(e) => setMissingMedia(e.target.value as 'refuse' | 'zero')} name="missing-media">
              <option value="refuse">is an error (say which geo, date and column)</option><option value="zero">means no activity (0)</option>
            </select></label>
            <p className="muted">Geos may start and end on different dates: a period a geo has no row for is left out of its fit, not read as zero sales.</p>
          </>}
          <label>Target kind <select value={kind} onChange={(e) => setKind(e.target.value as 'revenue' | 'conversions')} name="target-kind">{catalog.targetKinds.map((k) => <option key={k} value={k}>{TARGET_KIND_LABELS[k] ?? k}</option>)}</select></label>
          {kind === 'conversions' && <>
            <label>Revenue per conversion (for ROI in currency) <select value={/^[0-9.]+$/.test(rpc) ? '#value' : rpc} onChange={(e) => setRpc(e.target.value === '#value' ? '1' : e.target.value)} name="revenue-per-conversion">
              <option value="">none (cost per conversion only)</option>
              <option value="#value">a fixed value…</option>
              {rpcColumns.map((c) => <option key={c} value={c}>column {c}</option>)}
            </select></label>
            {/^[0-9.]+$/.test(rpc) && <label>Value of one conversion <input type="number" min={0} step="0.01" value={rpc} onChange={(e) => setRpc(e.target.value)} name="revenue-per-conversion-value" {...invalid(problems, 'target.revenuePerConversion')} /></label>}
            <FieldNote problems={problems} field="target.revenuePerConversion" />
          </>}
        </>}
        {step === 1 && <>
          <p className="muted">Each channel's spend column; optionally an exposure (impressions, clicks) the model reads instead of spend.</p>
          {channels.length === 0 && <Empty>No spend columns (named like tv_spend) in this table.</Empty>}
          <FieldNote problems={problems} field="channels" />
          {channels.map((c, i) => (
            <fieldset key={c.name} className="row"><legend className="visually-hidden">{c.name}</legend>
              <label><input type="checkbox" checked={c.on} onChange={(e) => setChannels(channels.map((x, j) => j === i ? { ...x, on: e.target.checked } : x))} /> {c.name}</label>
              <label>Exposure <select value={c.exposure} onChange={(e) => setChannels(channels.map((x, j) => j === i ? { ...x, exposure: e.target.value } : x))}>
                <option value="">none (spend)</option>
                {hasRf(c.name) && <option value={RF}>reach × frequency ({c.name}_reach, {c.name}_frequency)</option>}
                {media.filter((m) => m.startsWith(`${c.name}_`) && m !== c.spend && !(hasRf(c.name) && /_(reach|frequency)$/.test(m))).map((m) => <option key={m}>{m}</option>)}
              </select></label>
              {subchannelsOf(c.name).length >= 2 && <label><input type="checkbox" name={`split-${c.name}`} checked={!!c.split} onChange={(e) => setChannels(channels.map((x, j) => j === i ? { ...x, split: e.target.checked } : x))} /> report by sub-channel ({subchannelsOf(c.name).map((x) => x.name).join(', ')})</label>}
              <label>Adstock <select aria-label={`Adstock for ${c.name}`} value={c.adstock} onChange={(e) => setChannels(channels.map((x, j) => j === i ? { ...x, adstock: e.target.value } : x))}>
                <option value="">model's (Transforms step)</option>{adstocks.map((a) => <option key={a}>{a}</option>)}
              </select></label>
              <label>Saturation <select aria-label={`Saturation for ${c.name}`} value={c.saturation} onChange={(e) => setChannels(channels.map((x, j) => j === i ? { ...x, saturation: e.target.value } : x))}>
                <option value="">model's (Transforms step)</option>{saturations.map((a) => <option key={a}>{a}</option>)}
              </select></label>
            </fieldset>
          ))}
          {organicCandidates.length > 0 && <fieldset className="organic"><legend>Organic media (no spend)</legend>
            <p className="muted">Activity you do not pay for per unit — newsletter sends, posts, visits — with carry-over and saturation like paid media. The model reports what each added and its share of the outcome; there is no ROI, and plans keep its volume as it was.</p>
            {organicCandidates.map((col) => (
              <label key={col}><input type="checkbox" checked={organic.includes(col)} onChange={(e) => setOrganic(e.target.checked ? [...organic, col] : organic.filter((x) => x !== col))} /> {col}</label>
            ))}
          </fieldset>}
        </>}
        {step === 2 && <>
          <p className="muted">Other drivers of the target. A sign constrains the effect (price usually lowers sales).</p>
          {offeredControls.length === 0 && <Empty>No other factor columns in this table.</Empty>}
          {offeredControls.map((c) => (
            <fieldset key={c.column} className="row" data-testid={`control-${c.column}`}><legend className="visually-hidden">{c.column}</legend>
              <label><input type="checkbox" checked={c.on} onChange={(e) => setControls(controls.map((x) => x.column === c.column ? { ...x, on: e.target.checked } : x))} /> {c.column}</label>
              <label>Sign <select value={c.sign} onChange={(e) => setControls(controls.map((x) => x.column === c.column ? { ...x, sign: e.target.value } : x))}>{catalog.controlSigns.map((sign) => <option key={sign}>{sign}</option>)}</select></label>
            </fieldset>
          ))}
          <h3>Baseline</h3>
          <p className="muted">What moves the target without marketing: public holidays, the yearly cycle and the long-run trend.</p>
          <label>Public holidays of <select value={holidayCountry} onChange={(e) => setHolidayCountry(e.target.value)} name="holiday-country">
            <option value="">none</option>
            {Object.entries(countries.data ?? {}).map(([code, label]) => <option key={code} value={code}>{label} ({code})</option>)}
          </select></label>
          <label>Yearly seasonality (Fourier pairs, 0 for none) <input type="number" min={0} max={10} value={yearly} onChange={(e) => setYearly(Number(e.target.value))} name="yearly" {...invalid(problems, 'seasonality.yearly')} /></label>
          <FieldNote problems={problems} field="seasonality.yearly" />
          <label>Trend <select value={trend} onChange={(e) => setTrend(e.target.value as typeof trend)} name="trend">
            <option value="linear">linear</option><option value="piecewise">piecewise linear (4 changepoints)</option><option value="none">none</option>
          </select></label>
          <ErrorBox error={countries.error} />
        </>}
        {step === 3 && <>
          <label>Adstock (carry-over) <select value={adstock} onChange={(e) => setAdstock(e.target.value)} name="adstock">{adstocks.map((a) => <option key={a}>{a}</option>)}</select></label>
          <label>Longest carry-over (periods) <input type="number" min={1} max={104} value={maxLag} onChange={(e) => setMaxLag(Number(e.target.value))} name="max-lag" {...invalid(problems, 'adstock.maxLag')} /></label>
          <FieldNote problems={problems} field="adstock.maxLag" />
          <label>Saturation <select value={saturation} onChange={(e) => setSaturation(e.target.value)} name="saturation">{saturations.map((a) => <option key={a}>{a}</option>)}</select></label>
          <label>Model family <select value={family} onChange={(e) => setFamily(e.target.value)} name="family">{catalog.families.map((f) => <option key={f}>{f}</option>)}</select></label>
          <label>Holdout (last periods kept out of the fit) <input type="number" min={0} value={holdout} onChange={(e) => setHoldout(Number(e.target.value))} name="holdout" {...invalid(problems, 'holdout.periods')} /></label>
          <FieldNote problems={problems} field="holdout.periods" />
        </>}
        {step === 4 && <>
          {!bayesian && <p className="muted" data-testid="no-priors">Priors on ROI, shares and response curves are the Bayesian model's; a {family} model takes none. Lift tests are set beside what the model says{family === 'ridge' ? ', and a search also scores its models against them' : ''}.</p>}
          {bayesian && <>
          <p className="muted">Optional. What you already know pulls the model toward it: a channel's ROI, or its marginal ROI — what the next unit of spend returns, e.g. from a test that raised spend a little — (mean and spread), or the share of the total {target || 'outcome'} it drives (with how sure you are), and lift tests.</p>
          <table><thead><tr><th scope="col">Channel</th><th scope="col">Prior on</th><th scope="col">Prior mean</th><th scope="col">Prior sd</th><th scope="col">Share of {target || 'outcome'} (%)</th><th scope="col">Confidence</th></tr></thead><tbody>
            {channels.filter((c) => c.on).map((c) => (
              <tr key={c.name}><td>{c.name}</td>
                <td><select aria-label={`Prior on for ${c.name}`} value={c.priorOn} onChange={(e) => setChannels(channels.map((x) => x.name === c.name ? { ...x, priorOn: e.target.value as ChannelChoice['priorOn'] } : x))}>
                  <option value="roi">ROI</option><option value="mroi">marginal ROI</option>
                </select></td>
                <td><input aria-label={`ROI prior mean for ${c.name}`} type="number" step="0.1" value={c.roiMean} onChange={(e) => setChannels(channels.map((x) => x.name === c.name ? { ...x, roiMean: e.target.value } : x))} {...invalid(problems, `priors.${c.priorOn}.${c.name}.mean`)} /><FieldNote problems={problems} field={`priors.${c.priorOn}.${c.name}.mean`} /></td>
                <td><input aria-label={`ROI prior sd for ${c.name}`} type="number" step="0.1" value={c.roiSd} onChange={(e) => setChannels(channels.map((x) => x.name === c.name ? { ...x, roiSd: e.target.value } : x))} {...invalid(problems, `priors.${c.priorOn}.${c.name}.sd`)} /><FieldNote problems={problems} field={`priors.${c.priorOn}.${c.name}.sd`} /></td>
                <td><input aria-label={`Share of the outcome for ${c.name}`} type="number" min={0} max={100} step="0.5" value={c.share} onChange={(e) => setChannels(channels.map((x) => x.name === c.name ? { ...x, share: e.target.value } : x))} {...invalid(problems, `priors.contributionShare.${c.name}.share`)} /><FieldNote problems={problems} field={`priors.contributionShare.${c.name}.share`} /></td>
                <td><select aria-label={`Confidence in the share for ${c.name}`} value={c.confidence} onChange={(e) => setChannels(channels.map((x) => x.name === c.name ? { ...x, confidence: e.target.value } : x))}>
                  <option value="0.5">low</option><option value="0.75">medium</option><option value="0.9">high</option>
                </select></td></tr>
            ))}
          </tbody></table>
          {family === 'bayesian' && <PriorCheckNote check={priorCheck} error={priorCheckError} outcome={target || 'the outcome'} />}
          <h3>Response curves</h3>
          {bayesModels.length > 0 && (
            <div className="row">
              <label>Refresh: start from a fitted model's curves <select value={refreshFrom} onChange={(e) => setRefreshFrom(e.target.value)} name="refresh-from">
                <option value="">choose a Bayesian model…</option>{bayesModels.map((m) => <option key={m.id} value={m.id}>{m.id}</option>)}
              </select></label>
              <button className="secondary" disabled={!refreshFrom} onClick={() => void fillCurvesFrom(refreshFrom)}>Fill curve priors</button>
              <WhyNot action="fill curve priors" reasons={!refreshFrom ? ['choose the model to start from'] : []} />
            </div>
          )}
          {refreshNote && <p className="muted" data-testid="refresh-note">{refreshNote}</p>}
          <p className="muted">Optional. What you know of a channel's carry-over (the share of an effect that remains a period later) and where it saturates (the activity — spend, or the exposure the model reads — in multiples of its typical level per period, that buys half its maximum effect), e.g. from an earlier model or a test at two spend levels. For a channel that is always on, its curve decides its ROI. Mean and spread; blank keeps the default.</p>
          {/* Scrolls sideways inside the card on a narrow window rather than widening the page. */}
          <div className="table-wrap"><table><thead><tr><th scope="col">Channel</th>{curveParameters.map(({ name: k }) => <th key={k} scope="col" colSpan={2}>{curveLabel(k)}</th>)}</tr></thead><tbody>
            {channels.filter((c) => c.on).map((c) => {
              const has = curveKeysFor(catalog, c.adstock || adstock, c.saturation || saturation);
              const set = (k: CurveKey, part: 'mean' | 'sd', value: string) => setChannels(channels.map((x) => x.name === c.name ? { ...x, curve: { ...x.curve, [k]: { ...x.curve[k], [part]: value } } } : x));
              return (
                <tr key={c.name}><td>{c.name}</td>
                  {curveParameters.map(({ name: k, kind: owner, prior }) => has.includes(k)
                    ? (['mean', 'sd'] as const).map((part) => <td key={`${k}-${part}`}><input aria-label={`${curveLabel(k)} prior ${part} for ${c.name}`} type="number" min={0} style={{ width: '7em' }} step={prior === 'beta' ? '0.05' : '0.1'} placeholder={part} value={c.curve[k]?.[part] ?? ''} onChange={(e) => set(k, part, e.target.value)} {...invalid(problems, `priors.curves.${c.name}.${k}.${part}`)} /><FieldNote problems={problems} field={`priors.curves.${c.name}.${k}.${part}`} /></td>)
                    : <td key={k} colSpan={2} className="muted">not in {owner === 'adstock' ? c.adstock || adstock : c.saturation || saturation}</td>)}
                </tr>
              );
            })}
          </tbody></table></div>
          </>}
          <h3>Lift tests</h3>
          {experiments.map((x, i) => (
            <fieldset key={i} className="row"><legend className="visually-hidden">Lift test {i + 1}</legend>
              <label>Channel <select value={x.channel} onChange={(e) => setExperiments(experiments.map((y, j) => j === i ? { ...y, channel: e.target.value } : y))} {...invalid(problems, `experiments[${i}].channel`)}>{!channels.some((c) => c.on && c.name === x.channel) && <option value={x.channel}>choose…</option>}{channels.filter((c) => c.on).map((c) => <option key={c.name}>{c.name}</option>)}</select><FieldNote problems={problems} field={`experiments[${i}].channel`} /></label>
              {(['start', 'end'] as const).map((k) => <label key={k}>{k === 'start' ? 'Start date' : 'End date'} <input type="date" name={`experiment-${i}-${k}`} value={x[k]} min={table.from} max={table.to} onChange={(e) => setExperiments(experiments.map((y, j) => j === i ? { ...y, [k]: e.target.value } : y))} {...invalid(problems, `experiments[${i}].${k}`)} /><FieldNote problems={problems} field={`experiments[${i}].${k}`} /></label>)}
              {(['lift', 'liftSe'] as const).map((k) => <label key={k}>{k === 'lift' ? 'Lift' : 'Std. error'} <input type="number" name={`experiment-${i}-${k}`} value={x[k]} onChange={(e) => setExperiments(experiments.map((y, j) => j === i ? { ...y, [k]: e.target.value } : y))} {...invalid(problems, `experiments[${i}].${k}`)} /><FieldNote problems={problems} field={`experiments[${i}].${k}`} /></label>)}
              <button className="small secondary" onClick={() => setExperiments(experiments.filter((_, j) => j !== i))}>Remove</button>
            </fieldset>
          ))}
          <button className="secondary" onClick={() => setExperiments([...experiments, { channel: channels.find((c) => c.on)?.name ?? '', start: '', end: '', lift: '', liftSe: '' }])}>Add a lift test</button>
        </>}
        {step === 5 && <>
          <label>Model name <input value={name} onChange={(e) => setName(e.target.value)} name="model-name" {...invalid(problems, 'name')} /></label>
          <FieldNote problems={problems} field="name" />
          {bayesian ? <fieldset data-testid="sampling"><legend>Sampling</legend>
            <label><input type="radio" name="mode" checked={mode === 'fast'} onChange={() => setMode('fast')} /> Fast: Laplace approximation (seconds, approximate intervals)</label>
            <label><input type="radio" name="mode" checked={mode === 'full'} onChange={() => setMode('full')} /> Full: NUTS, 4 chains × 500 warm-up × 500 draws (minutes)</label>
          </fieldset> : <fieldset data-testid="classic-settings"><legend>Intervals{family === 'ridge' ? ' and search' : ''}</legend>
            <label>Bootstrap refits for the 90% intervals <input type="number" min={0} max={2000} step={1} placeholder={`${family === 'forest' || family === 'boosting' ? 20 : 200} (default)`} value={bootstrap} onChange={(e) => setBootstrap(e.target.value)} name="bootstrap" {...invalid(problems, 'classic.bootstrap')} /></label>
            <FieldNote problems={problems} field="classic.bootstrap" />
            {family === 'ridge' && <>
              <label><input type="checkbox" checked={search.on} onChange={(e) => setSearch({ ...search, on: e.target.checked })} name="search" /> Robyn-style search over the transforms and the penalty (otherwise each transform's default)</label>
              {search.on && <>
                <label>Iterations <input type="number" min={1} value={search.iterations} onChange={(e) => setSearch({ ...search, iterations: Number(e.target.value) })} name="search-iterations" /></label>
                <label>Trials <input type="number" min={1} value={search.trials} onChange={(e) => setSearch({ ...search, trials: Number(e.target.value) })} name="search-trials" /></label>
              </>}
            </>}
          </fieldset>}
          <details><summary>Config (JSON)</summary><pre>{JSON.stringify(config, null, 2)}</pre></details>
        </>}
      </div>
      <div className="row nav">
        <button className="secondary" disabled={step === 0} onClick={() => setStep(step - 1)}>Back</button>
        {step < STEPS.length - 1 && <button onClick={() => setStep(step + 1)}>Next</button>}
        {step === STEPS.length - 1 && <button onClick={() => void train()} disabled={!!running || checks.length > 0}>Train</button>}
        {running && <button className="danger" onClick={() => void cancel()}>Cancel</button>}
      </div>
      {step === STEPS.length - 1 && <WhyNot action="train" testId="why-not-train" reasons={checks.map((p) => <button key={p.field} className="link" onClick={() => setStep(p.step)}>Step {p.step + 1}, {fieldLabel(p.field, { name: 'Model name' })}: {p.message}</button>)} />}
      <ErrorBox error={error} />
      {job && <JobProgress job={job} />}
    </section>
  );
}

export function JobProgress({ job }: { job: Partial<JobInfo> }) {
  const chains = Object.values(job.chains ?? {}) as Progress[];
  const totalChains = Number(job.meta?.chains ?? chains.length) || 1;
  const done = chains.reduce((s, c) => s + c.iteration, 0);
  const total = chains.length ? chains[0].total * totalChains : 0;
  const finished = job.status === 'succeeded';
  const value = finished ? 1 : total ? done / total : 0;
  const phase = chains.some((c) => c.phase === 'warmup') ? 'warm-up' : chains.length ? 'sampling' : job.meta?.fast ? 'optimizing (Laplace approximation)' : 'starting';
  const divergences = chains.reduce((s, c) => s + c.divergences, 0);
  const result = job.result as { modelId?: string } | null;
  return (
    <div className="progress" data-testid="fit-progress" data-status={job.status}>
      <div className="bar" role="progressbar" aria-label="Training progress" aria-valuemin={0} aria-valuemax={100} aria-valuenow={Math.round(100 * value)}>
        <div className={`fill ${!finished && !total && job.status === 'running' ? 'indeterminate' : ''}`} style={{ width: `${Math.round(100 * (total || finished ? value : 0.35))}%` }} />
      </div>
      <div className="muted">
        {job.status === 'queued' && 'Waiting for an earlier job…'}
        {job.status === 'running' && <>Training: {phase}{chains.length > 0 && <> · {chains.map((c) => `chain ${c.chain + 1}: ${c.iteration}/${c.total}`).join(' · ')} · divergences {divergences}</>}</>}
        {finished && <>Done: <a href={`#/insights/${encodeURIComponent(result?.modelId ?? '')}`}>open insights for {result?.modelId}</a></>}
        {job.status === 'failed' && <span className="error-text">Failed: {job.error?.detail}</span>}
        {job.status === 'cancelled' && 'Cancelled.'}
      </div>
    </div>
  );
}

export const fmtPct = pct;

type PriorCheckResult = Schema<'PriorCheckAnswer'>;

/** What the ROI priors alone imply, in words, with the channels whose prior alone claims half the outcome. */
function PriorCheckNote({ check, error, outcome }: { check: PriorCheckResult | null; error: string | null; outcome: string }) {
  if (error) return <p className="muted" data-testid="prior-check">Prior check unavailable: {error}</p>;
  if (!check) return <p className="muted" data-testid="prior-check">Prior check: computing…</p>;
  const share = (x: number) => pct(x, x < 0.1 ? 1 : 0);
  const loud = check.channels.filter((c) => c.impliedShare > 0.5);
  const level = check.mediaShare.median > 1 || loud.length ? 'warn' : 'ok';
  return (
    <div className={level === 'warn' ? 'warn' : 'note'} role="note" data-testid="prior-check">
      <strong>Prior check:</strong> before seeing the {outcome}, these ROI priors put media at {share(check.mediaShare.median)} of it (90%: {share(check.mediaShare.interval[0])}–{share(check.mediaShare.interval[1])}).
      {check.defaultRule === 'media-share' && ' The default ROI prior is centred where media explain 20%: Meridian\'s default would say media earn over half of it with this spend.'}
      {loud.length > 0 && ` Implausible: ${loud.map((c) => `${c.name}'s prior alone says it earns ${share(c.impliedShare)}`).join('; ')}. Lower its ROI prior mean, or add a lift test.`}
    </div>
  );
}

/** The wizard step a config field is set on (for a refusal from the server). */
function stepOfField(field: string): number {
  const f = fieldKey(field);
  if (/^(target|data)\b/.test(f)) return 0;
  if (/^channels\b/.test(f)) return 1;
  if (/^(controls|seasonality|holidays|trend)\b/.test(f)) return 2;
  if (/^(adstock|saturation|family|holdout)\b/.test(f)) return 3;
  if (/^(priors|experiments)\b/.test(f)) return 4;
  return 5;
}

/** An error in words: a refusal naming fields reads under their labels. */
function describeError(e: unknown): string {
  const byField = problemsOf(e);
  const keys = Object.keys(byField);
  if (keys.length) return keys.map((k) => `${fieldLabel(k)}: ${byField[k]}`).join('; ');
  return e instanceof Error ? e.message : String(e);
}
