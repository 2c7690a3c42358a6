/** Insights: what a fitted model says, as charts and tables, with CSV and HTML report exports. */
import { useMemo, useState } from 'react';
import { download, type Schema } from '../api.ts';
import { Chart } from '../chart.tsx';
import { COLORS, tick, contributionsOverTime, fitOverTime, responseCurves, responseCurvesHeight, roiBars, seriesColor, shareBars } from '../../../src/charts/index.ts';
import { figureUnits, formatInterval, formatValue, interval, num, pct, roiName, unitLabel, type Unit } from '../format.ts';
import { Empty, ErrorBox, Loading, Table, useApi } from '../ui.tsx';
import { StaleNote } from './StaleNote.tsx';
import { SubchannelTable } from './SubchannelTable.tsx';
import { FrequencyTable, OrganicTable } from './OrganicTable.tsx';

type Row = Record<string, number | string | boolean | null>;
type Insights = Schema<'InsightsView'>;


export function InsightsPage({ id }: { id: string | null }) {
  const models = useApi<Schema<'ModelListing'>[]>('/api/models');
  const chosen = id ?? models.data?.[models.data.length - 1]?.id ?? null;
  const x = useApi<Insights>(chosen ? `/api/models/${encodeURIComponent(chosen)}/insights` : null);
  return (
    <div className="page">
      <h1>Insights</h1>
      <ErrorBox error={models.error} />
      {models.data && models.data.length === 0 && <Empty>No models yet: train one on the <a href="#/models">Models</a> page.</Empty>}
      {models.data && models.data.length > 0 && (
        <div className="row">
          <label>Model <select value={chosen ?? ''} onChange={(e) => { location.hash = `#/insights/${encodeURIComponent(e.target.value)}`; }} name="model">
            {models.data.map((m) => <option key={m.id} value={m.id}>{m.id} ({m.family})</option>)}
          </select></label>
          {chosen && <>
            <button className="secondary" onClick={() => void download(`/api/models/${encodeURIComponent(chosen)}/report`, `${chosen}-report.html`)}>HTML report</button>
            {['channels', 'decomposition', 'responseCurves', 'fit'].map((t) => <button key={t} className="secondary" onClick={() => void download(`/api/models/${encodeURIComponent(chosen)}/export/${t}`, `${chosen}-${t}.csv`)}>{t} CSV</button>)}
          </>}
        </div>
      )}
      <StaleNote model={models.data?.find((m) => m.id === chosen)} />
      {x.loading && <Loading what="insights (the first time takes a few seconds)" />}
      <ErrorBox error={x.error} />
      {x.data && <InsightsView key={x.data.modelId} x={x.data} />}
    </div>
  );
}

function InsightsView({ x }: { x: Insights }) {
  const channels = x.channels.map((c) => String(c.channel));
  const color = seriesColor;
  // A geo model's insights come national; one geo's decomposition, curves and bands are asked for when chosen.
  const geos = x.geos ?? [];
  const isGeo = geos.length > 0;
  // Every figure in its own unit: contributions in the target's (conversions or money), spend in the
  // currency, ROI as revenue or conversions per unit of spend, cost per conversion with its digits.
  const u = x.units ?? figureUnits(x.target);
  // The model's own currency (stored with its figures at fit time); none: amounts without a symbol.
  const cur = u.currency;
  const f = (unit: Unit) => (v: unknown) => formatValue(typeof v === 'number' ? v : null, unit, cur);
  const out = f(u.outcome), spendF = f('currency'), roiF = f(u.roi);
  const iv = (lo: unknown, hi: unknown, unit: Unit) => formatInterval([lo as number, hi as number], unit, cur);
  const roiTitle = roiName(u);
  // Geo models: every geo summed (''), or one geo's decomposition, fit band and response curves.
  const [geo, setGeo] = useState('');
  const geoView = useApi<Insights>(geo ? `/api/models/${encodeURIComponent(x.modelId)}/insights?geo=${encodeURIComponent(geo)}` : null);
  // What the geo-following charts read: the chosen geo's view once it is here (its rows name it; the
  // previous geo's view stays in hand while the next loads), the national one until then — and their
  // headings name the geo whose figures they show.
  const loadedGeo = geoView.data ? String(geoView.data.decomposition[0]?.geo ?? '') : '';
  const shown = geo && loadedGeo === geo ? geo : '';
  const v = shown ? geoView.data! : x;
  const waiting = !!geo && !shown;

  const byDate = useMemo(() => {
    // Sum the chosen geos per date (all of them for the national view).
    const map = new Map<string, Row>();
    for (const r of v.decomposition) {
      if (shown && r.geo !== shown) continue;
      const d = String(r.date);
      const acc = map.get(d) ?? { date: d };
      for (const [k, v] of Object.entries(r)) if (typeof v === 'number') acc[k] = ((acc[k] as number) ?? 0) + v;
      map.set(d, acc);
    }
    return [...map.values()];
  }, [v, shown]);
  const dates = byDate.map((r) => String(r.date));
  // The predictive band of one geo, or of a national model; quantiles of geos do not add up.
  const band = useMemo(() => {
    const s = v.series;
    if (!s?.predictiveLow || !s.predictiveHigh || (isGeo && !shown)) return null;
    // By date: in an unbalanced panel a geo has rows only for the periods its outcome was observed.
    const g = isGeo ? s.geos.indexOf(shown) : 0, T = s.dates.length;
    const at = new Map(s.dates.map((d, t) => [d, g * T + t]));
    if (g < 0 || s.predictiveLow.length < (g + 1) * T || dates.some((d) => !at.has(d))) return null;
    return { low: dates.map((d) => s.predictiveLow![at.get(d)!]), high: dates.map((d) => s.predictiveHigh![at.get(d)!]) };
  }, [v, isGeo, shown, dates]);
  const curveGeo = shown || null;
  const where = shown || 'all geos';
  const holdoutStart = x.decomposition.find((r) => r.inSample === false)?.date as string | undefined;
  const baseKeys = Object.keys(byDate[0] ?? {}).filter((k) => !['date', 'actual', 'predicted', 'residual', 'inSample', 'geo'].includes(k) && !k.startsWith('channel:'));

  const stacked = contributionsOverTime({
    dates, format: out, yName: unitLabel(u.outcome, cur),
    base: byDate.map((r) => baseKeys.reduce((sum, k) => sum + ((r[k] as number) ?? 0), 0)),
    channels: channels.map((c) => ({ name: c, values: byDate.map((r) => (r[`channel:${c}`] as number | undefined) ?? null) })),
    predicted: byDate.map((r) => (r.predicted as number | undefined) ?? null),
  });
  // The decomposition as a waterfall from the baseline to the prediction (all geos): each part against
  // its stated reference (insights `contributions.reference`), so the parts add up.
  const parts = x.contributions.map((r) => ({ name: r.name === 'intercept' ? 'baseline' : String(r.name).replace(/^control:/, ''), value: r.total as number, kind: String(r.kind), reference: String(r.reference ?? '') }));
  const steps = parts.reduce<{ lo: number; hi: number; end: number }[]>((acc, p) => {
    const start = acc.length ? acc[acc.length - 1].end : 0;
    return [...acc, { lo: Math.min(start, start + p.value), hi: Math.max(start, start + p.value), end: start + p.value }];
  }, []);
  const predictedTotal = steps.length ? steps[steps.length - 1].end : 0;
  const waterfall = {
    tooltip: { trigger: 'item', formatter: (p: { dataIndex: number }) => { const q = parts[p.dataIndex]; return q ? `${q.name}: ${out(q.value)}<br/>${q.reference}` : `prediction: ${out(predictedTotal)}`; } },
    grid: { left: 8, right: 20, top: 36, bottom: 8, containLabel: true },
    xAxis: { type: 'category', data: [...parts.map((p) => p.name), 'prediction'], axisLabel: { rotate: 30, interval: 0 } },
    yAxis: { type: 'value', name: unitLabel(u.outcome, cur), nameTextStyle: { align: 'left' }, axisLabel: { formatter: tick(out) } },
    series: [
      { type: 'bar', stack: 'w', silent: true, itemStyle: { color: 'transparent' }, tooltip: { show: false }, data: [...steps.map((st) => st.lo), Math.min(0, predictedTotal)] },
      { type: 'bar', stack: 'w', name: 'part', data: [
        ...parts.map((p, i) => ({ value: steps[i].hi - steps[i].lo, itemStyle: { color: p.kind === 'channel' ? color(channels.indexOf(p.name)) : p.name === 'baseline' ? COLORS.reference : p.value >= 0 ? COLORS.gain : COLORS.loss } })),
        { value: Math.abs(predictedTotal), itemStyle: { color: COLORS.ink } },
      ], label: { show: true, position: 'top', formatter: (p: { dataIndex: number }) => out(p.dataIndex < parts.length ? parts[p.dataIndex].value : predictedTotal) } },
    ],
  };
  const donut = {
    tooltip: { trigger: 'item', valueFormatter: out }, legend: { bottom: 0, type: 'scroll' },
    series: [{ type: 'pie', radius: ['42%', '66%'], label: { formatter: (p: { name: string; percent: number }) => `${p.name} ${pct(p.percent / 100)}` }, data: x.channels.map((c, i) => ({ name: String(c.channel), value: Math.max(0, c.contribution as number), itemStyle: { color: color(i) } })) }],
  };
  // Bayesian fits also give each channel's ROI prior: drawn as a grey box beside the posterior, so a
  // reader sees how far the data moved it.
  const hasPrior = x.channels.some((c) => c.roiPriorHigh !== null && c.roiPriorHigh !== undefined);
  const roi = roiBars({
    channels: x.channels.map((c) => ({ name: c.channel, roi: c.roi, roiLow: c.roiLow, roiHigh: c.roiHigh, prior: { low: c.roiPriorLow, median: c.roiPriorMedian, high: c.roiPriorHigh } })),
    format: roiF, roiName: roiTitle, intervalName: '90%', yName: u.roi === 'revenue-per-spend' ? 'ROI' : 'per unit',
  });
  const shares = shareBars({ channels: x.channels.map((c) => ({ name: c.channel, shareOfSpend: c.shareOfSpend, shareOfEffect: c.shareOfEffect })) });
  // Small multiples: one panel per channel on its own scales; on a narrow screen, one per row.
  const curveColumns = typeof window !== 'undefined' && window.innerWidth < 800 ? 1 : undefined;
  const curves = responseCurves({
    format: { spend: spendF, outcome: out }, columns: curveColumns,
    curves: channels.map((c) => {
      const at = (point: string) => v.curvePoints.find((p) => p.channel === c && p.geo === curveGeo && p.point === point) ?? null;
      return {
        name: c,
        points: v.responseCurves.filter((r) => r.channel === c && r.geo === curveGeo).map((r) => ({ spend: r.spend, expected: r.expected, low: r.expectedLow, high: r.expectedHigh })),
        current: at('current'), breakEven: at('break-even'),
      };
    }),
  });
  const adstock = {
    tooltip: { trigger: 'axis' }, legend: { bottom: 0, type: 'scroll' }, grid: { left: 8, right: 40, top: 36, bottom: 36, containLabel: true },
    xAxis: { type: 'category', name: 'lag', data: [...new Set(x.adstock.map((a) => a.lag as number))] }, yAxis: { type: 'value', name: 'weight', nameTextStyle: { align: 'left' } },
    series: channels.map((c, i) => ({ name: c, type: 'line', color: color(i), data: x.adstock.filter((a) => a.channel === c).map((a) => a.weight) })),
  };
  // National Bayesian fits: the 90% posterior predictive interval as a band. Geo quantiles do not add
  // up, so geo models show no band.
  const fit = fitOverTime({
    dates, format: out, yName: unitLabel(u.outcome, cur),
    actual: byDate.map((r) => (r.actual as number | undefined) ?? null), predicted: byDate.map((r) => (r.predicted as number | undefined) ?? null),
    band: band ? { low: band.low, high: band.high, name: '90% predictive interval' } : null,
    // The held-out periods, shaded: what the model predicted without having seen them.
    holdoutStart: holdoutStart ?? null,
  });
  return (
    <div className="insights" data-testid="insights">
      {x.approximate && <div className="warn" role="note">This model was fitted with a fast approximation: intervals are approximate. Train with full sampling before acting on it.</div>}
      <section aria-labelledby="health-h" className="card">
        <h2 id="health-h">Model health</h2>
        <ul className="health" data-testid="health">{x.health.map((h, i) => <li key={i} className={h.level}><strong>{h.topic}</strong>: {h.text}</li>)}</ul>
      </section>
      <section className="card">
        <h2>Channels</h2>
        <Table testId="channel-table" rows={x.channels as Record<string, unknown>[]} columns={[
          { key: 'channel', label: 'Channel' }, { key: 'spend', label: `Spend (${unitLabel('currency', cur)})`, format: spendF },
          { key: 'contribution', label: `Contribution (${unitLabel(u.outcome, cur)})`, format: (v, r) => <>{out(v)} <span className="muted">{iv(r.contributionLow, r.contributionHigh, u.outcome)}</span></> },
          { key: 'roi', label: roiTitle, format: (v, r) => <>{roiF(v)} <span className="muted">{iv(r.roiLow, r.roiHigh, u.roi)}</span></> },
          { key: 'mroi', label: u.roi === 'revenue-per-spend' ? 'Marginal ROI' : 'Marginal, per unit', format: (v, r) => <>{roiF(v)} <span className="muted">{iv(r.mroiLow, r.mroiHigh, u.mroi)}</span></> },
          ...(u.cpa ? [{ key: 'cpa', label: `Cost per conversion (${unitLabel('currency-per-conversion', cur)})`, format: (v: unknown, r: Record<string, unknown>) => <>{f('currency-per-conversion')(v)} <span className="muted">{iv(r.cpaLow, r.cpaHigh, 'currency-per-conversion')}</span></> }] : []),
          { key: 'shareOfSpend', label: 'Share of spend', format: (v) => pct(v as number) }, { key: 'shareOfEffect', label: 'Share of effect', format: (v) => pct(v as number) },
          { key: 'breakEvenSpend', label: 'Break-even spend', format: spendF },
        ]} />
        <SubchannelTable x={x} />
        <FrequencyTable x={x} />
        <OrganicTable x={x} />
      </section>
      {isGeo && <div className="row">
        <label>View <select name="geo-view" value={geo} onChange={(e) => setGeo(e.target.value)}>
          <option value="">all {geos.length} geos together</option>{geos.map((g) => <option key={g} value={g}>{g}</option>)}
        </select></label>
        <span className="muted">The channel table, donut and ROI are for all geos; contributions, response curves and the fit follow the view.</span>
        {waiting && !geoView.error && <span className="loading" role="status">Loading {geo}…</span>}
        <ErrorBox error={geoView.error} />
      </div>}
      <div className="grid2">
        <section className="card wide" data-testid="decomposition"><h2>What explains the outcome</h2><p className="muted">From the baseline to the prediction over every period (all geos): each bar is what a part added or took away against its reference — trend against the first period, seasonality against the yearly average, each control against its reference level, each channel against no spend.</p><Chart label="Decomposition waterfall" testId="chart-waterfall" option={waterfall} /></section>
        <section className="card"><h2>Contribution over time{isGeo ? ` (${where})` : ''}</h2><Chart label="Contribution over time, stacked" testId="chart-contributions" option={stacked} /></section>
        <section className="card"><h2>Contribution by channel</h2><Chart label="Channel contribution donut" testId="chart-donut" option={donut} /></section>
        <section className="card"><h2>{roiTitle} with 90% intervals</h2>{hasPrior && <p className="muted">Grey box: the prior the model started from (90%, median as a tick). A posterior much narrower than its prior was learned from the data; one about as wide was not.</p>}<Chart label="ROI per channel with intervals" testId="chart-roi" option={roi} /></section>
        <section className="card"><h2>Share of spend vs. share of effect</h2><Chart label="Spend share versus effect share" testId="chart-shares" option={shares} /></section>
        <section className="card wide" data-testid="response-curves"><h2>Response curves{isGeo ? ` (${where})` : ''}</h2>
          <p className="muted">One panel per channel, each on its own scales: the expected incremental {x.target.column} ({u.outcome === 'conversions' ? 'conversions' : cur ?? 'currency not given'}, up) against the channel's spend ({cur ?? 'currency not given'}, across), shaded by its 90% interval. The filled circle marks the current spend. {u.roi === 'revenue-per-spend' ? 'The hollow diamond marks break-even: the spend at which the next unit of spend returns exactly one unit (marginal ROI = 1); beyond it, more spend returns less than it costs.' : 'A conversions model without a revenue per conversion has no break-even point.'}</p>
          <Chart label={`Response curves, one panel per channel (${channels.length}), current spend and break-even marked`} testId="chart-curves" option={curves} height={responseCurvesHeight(channels.length, curveColumns)} /></section>
        <section className="card wide"><h2>Adstock (carry-over)</h2><Chart label="Adstock decay curves" testId="chart-adstock" option={adstock} height={260} /></section>
      </div>
      {x.curveParameters && x.curveParameters.length > 0 && (
        <section className="card"><h2>Response-curve parameters</h2>
          <p className="muted">Carry-over decay, half-saturation (in multiples of the channel's typical activity per period: spend, or its exposure where the model reads one) and Hill shape: what the data say beside the prior. A posterior about as wide as its prior was not learned from the data; for a channel that is always on, the curve decides the ROI, so a prior from what you know (on the Models page, step Priors) is worth giving.</p>
          <Table testId="curve-parameters" rows={x.curveParameters as Record<string, unknown>[]} columns={[
            { key: 'channel', label: 'Channel' },
            { key: 'parameter', label: 'Parameter', format: (v) => ({ decay: 'carry-over decay', halfSaturation: 'half-saturation', shape: 'Hill shape' } as Record<string, string>)[String(v)] ?? String(v) },
            { key: 'mean', label: 'Posterior (90%)', format: (v, r) => <>{num(v as number, 2)} <span className="muted">{interval(r.low as number, r.high as number)}</span></> },
            { key: 'priorMean', label: 'Prior', format: (v, r) => <>{num(v as number, 2)} ± {num(r.priorSd as number, 2)} <span className="muted">{r.priorGiven ? 'yours' : 'default'}</span></> },
            // Width of the 90% posterior interval over the prior's (≈ 3.29 sd): near 100%, the data said little.
            { key: 'high', label: 'Width vs. prior', format: (v, r) => { const w = ((v as number) - (r.low as number)) / (3.29 * (r.priorSd as number)); return <span className={w > 0.8 ? 'bad' : ''}>{pct(w)}</span>; } },
          ]} />
        </section>
      )}
      {x.liftTests && x.liftTests.length > 0 && (
        <section className="card"><h2>Lift tests</h2>
          <p className="muted">Each experiment's measured incremental {x.target.column} beside what the model says for the same channel, window and geo. Within about two standard errors, the model and the test agree.</p>
          <Table testId="lift-tests" rows={x.liftTests as Record<string, unknown>[]} columns={[
            { key: 'channel', label: 'Channel' }, { key: 'geo', label: 'Geo', format: (v) => (v ? String(v) : 'all') },
            { key: 'start', label: 'Window', format: (v, r) => `${String(v)} – ${String(r.end)}` },
            { key: 'measured', label: 'Measured', format: (v, r) => `${out(v)} ± ${out(r.measuredSe)}` },
            { key: 'model', label: 'Model', format: out },
            { key: 'z', label: 'Gap (standard errors)', format: (v) => <span className={Math.abs(v as number) > 2 ? 'bad' : ''}>{num(Math.abs(v as number) < 0.05 ? 0 : (v as number), 1)}</span> },
          ]} />
        </section>
      )}
      <section className="card"><h2>Actual vs. predicted{isGeo ? ` (${where})` : ''}</h2><Chart label="Actual versus predicted" testId="chart-fit" option={fit} /></section>
      <div className="grid2">
        <section className="card"><h2>Fit</h2><Table testId="fit-table" rows={x.fit as Record<string, unknown>[]} columns={[
          { key: 'sample', label: 'Sample' }, { key: 'n', label: 'Periods' }, { key: 'r2', label: 'R²', format: (v) => num(v as number, 3) },
          { key: 'mape', label: 'MAPE', format: (v) => pct(v as number) }, { key: 'nrmse', label: 'NRMSE', format: (v) => num(v as number, 3) },
        ]} /></section>
        <section className="card"><h2>{x.family === 'bayesian' ? 'Diagnostics' : 'Fit settings'}</h2>{x.diagnostics && (x.approximate || diagnosticRows(x.diagnostics).length > 0)
          ? (x.approximate
            // Laplace draws are independent by construction: R-hat and ESS would check nothing.
            ? <p className="muted" data-testid="diagnostics-approximate">A fast (Laplace) fit draws independently around the posterior mode, so there is no sampler convergence to check ({num(x.diagnostics.seconds as number, 1)} s). Train with full sampling for R-hat, effective draws and divergences.</p>
            : <Table testId="diagnostics" rows={diagnosticRows(x.diagnostics)} columns={[{ key: 'k', label: 'Measure' }, { key: 'v', label: 'Value' }, ...(x.family === 'bayesian' ? [{ key: 'want', label: 'Healthy when' }] : [])]} />)
          : <Empty>No diagnostics for this family.</Empty>}</section>
      </div>
      {x.synergy && x.synergy.length > 0 && <section className="card"><h2>Synergy</h2><Table rows={x.synergy as Record<string, unknown>[]} columns={Object.keys(x.synergy[0]).map((k) => ({ key: k, label: k, format: (v: unknown) => (typeof v === 'number' ? num(v) : String(v ?? '')) }))} /></section>}
      {x.parameters.length > 0 && <details className="card"><summary>Parameters ({x.parameters.length})</summary><Table rows={x.parameters as Record<string, unknown>[]} columns={Object.keys(x.parameters[0]).map((k) => ({ key: k, label: k, format: (v: unknown) => (typeof v === 'number' ? num(v, 3) : String(v ?? '')) }))} /></details>}
    </div>
  );
}

/** Sampler diagnostics in words, each with the value it should have (the fit's warning thresholds). */
const DIAGNOSTICS: Record<string, { label: string; digits: number; want?: string }> = {
  rhatMax: { label: 'Largest R-hat (chains agree)', digits: 3, want: '≤ 1.01' },
  essBulkMin: { label: 'Smallest bulk ESS (effective draws)', digits: 0, want: '≥ 400' },
  essTailMin: { label: 'Smallest tail ESS (draws in the tails)', digits: 0, want: '≥ 400' },
  divergences: { label: 'Divergent transitions', digits: 0, want: '0' },
  ebfmiMin: { label: 'Smallest E-BFMI (energy)', digits: 2, want: '≥ 0.3' },
  maxTreeDepthShare: { label: 'Share of iterations at the maximum tree depth', digits: 3 },
  leapfrogPerIteration: { label: 'Leapfrog steps per iteration', digits: 1 },
  seconds: { label: 'Seconds', digits: 1 },
  // Classic families (linear, ridge, forest, boosting): how the fit and its intervals were made.
  bootstrap: { label: 'Bootstrap refits (90% intervals)', digits: 0 },
  lambda: { label: 'Ridge penalty (λ)', digits: 4 },
  intercept: { label: 'Intercept', digits: 3 },
  'search.iterations': { label: 'Search: iterations', digits: 0 },
  'search.trials': { label: 'Search: trials', digits: 0 },
  'search.evaluations': { label: 'Search: models evaluated', digits: 0 },
  'search.paretoSize': { label: 'Search: models on the Pareto front', digits: 0 },
  'search.clusters': { label: 'Search: clusters', digits: 0 },
  'search.seconds': { label: 'Search: seconds', digits: 1 },
  'trees.nTrees': { label: 'Trees', digits: 0 },
  'trees.maxDepth': { label: 'Deepest tree', digits: 0 },
  'trees.leaves': { label: 'Leaves per tree (mean)', digits: 1 },
};

/**
 * The diagnostics that have a value: numbers, and the numbers inside the search and tree settings.
 * Per-term coefficients and the search's recommended models are tables of their own (the HTML report's).
 */
function diagnosticRows(d: Record<string, unknown>): Record<string, unknown>[] {
  const flat: [string, number][] = [];
  for (const [key, v] of Object.entries(d)) {
    if (typeof v === 'number') { if (Number.isFinite(v)) flat.push([key, v]); continue; }
    if ((key === 'search' || key === 'trees') && v && typeof v === 'object') {
      for (const [sub, w] of Object.entries(v)) if (typeof w === 'number' && Number.isFinite(w)) flat.push([`${key}.${sub}`, w]);
    }
  }
  return flat.map(([key, v]) => {
    const known = DIAGNOSTICS[key];
    return { k: known?.label ?? key, v: num(v, known?.digits ?? 3), want: known?.want ?? '' };
  });
}
