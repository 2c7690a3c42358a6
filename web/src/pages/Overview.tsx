/**
 * Overview: the workspace at a glance, from one call (GET /api/overview). Per KPI its latest model with
 * its health in one line and each channel's ROI with its 90% interval (the stored figures); how fresh
 * the data are; stale models; saved plans and their status; open warnings. With nothing in the
 * workspace yet, what to do first.
 */
import { type Schema } from '../api.ts';
import { formatInterval, formatValue, money, roiName, type Unit } from '../format.ts';
import { Empty, ErrorBox, Loading, useApi } from '../ui.tsx';
import './overview.css';

type Overview = Schema<'Overview'>;
type Kpi = Schema<'KpiCard'>;

const HEALTH_LABEL: Record<Kpi['health']['level'], string> = { ok: 'healthy', caution: 'use with care', problem: 'do not act yet', unknown: 'unknown' };
const PLAN_LABEL: Record<Overview['plans'][number]['status'], string> = { current: 'current', stale: 'on a stale model', 'model deleted': 'model deleted' };
const date = (iso: string) => iso.slice(0, 10);
const link = (id: string) => `#/insights/${encodeURIComponent(id)}`;

export function OverviewPage() {
  const o = useApi<Overview>('/api/overview');
  return (
    <div className="page overview">
      <h1>Overview</h1>
      {o.loading && !o.data && <Loading what="the workspace (a model's health takes a few seconds the first time)" />}
      <ErrorBox error={o.error} />
      {o.data && <OverviewView o={o.data} />}
    </div>
  );
}

function OverviewView({ o }: { o: Overview }) {
  if (o.empty) {
    return (
      <section className="card first-run" data-testid="first-run" aria-labelledby="first-run-h">
        <h2 id="first-run-h">Nothing here yet</h2>
        <p>Marginal measures what each marketing channel adds and where the next budget should go. Three steps get you there:</p>
        <ol>
          <li><strong>Upload</strong> your spend per channel and your sales (CSV, Excel or Parquet), then harmonize them into one weekly table.</li>
          <li><strong>Train</strong> a model on it: the defaults are a good start.</li>
          <li><strong>Read</strong> its insights and <strong>plan</strong> a budget.</li>
        </ol>
        <p><a className="button" href="#/data">Start on the Data page</a></p>
      </section>
    );
  }
  return (
    <>
      {o.next && <div className="note" role="note" data-testid="next-step">{o.next.text} <a href={o.next.step === 'fit' ? '#/models' : '#/data'}>{o.next.step === 'fit' ? 'Go to Models' : 'Go to Data'}</a></div>}
      {o.kpis.length > 0 && <div className="kpis" data-testid="kpis">{o.kpis.map((k) => <KpiView key={k.kpi} k={k} />)}</div>}
      <div className="grid2">
        <Freshness o={o} />
        <section className="card" aria-labelledby="plans-h" data-testid="overview-plans">
          <h2 id="plans-h">Saved plans</h2>
          {o.plans.length === 0 ? <Empty>No plans yet: optimize one on the <a href="#/plans">Plans</a> page.</Empty> : (
            <div className="table-wrap"><table>
              <thead><tr><th scope="col">Plan</th><th scope="col">Model</th><th scope="col">Budget</th><th scope="col">Status</th></tr></thead>
              <tbody>{o.plans.map((p) => (
                <tr key={p.id} data-status={p.status}>
                  <td><a href={`#/plans/${encodeURIComponent(p.id)}`}>{p.id}</a>{p.name !== p.id.replace(/-\d+$/, '') && <span className="muted"> {p.name}</span>}</td>
                  <td>{p.models.join(' + ')}</td>
                  <td>{money(p.budget, p.currency)}</td>
                  <td><span className={`badge plan-${p.status.replace(' ', '-')}`} title={p.note}>{PLAN_LABEL[p.status]}</span></td>
                </tr>
              ))}</tbody>
            </table></div>
          )}
        </section>
        <section className="card" aria-labelledby="stale-h" data-testid="overview-stale">
          <h2 id="stale-h">Stale models</h2>
          {o.stale.length === 0 ? <p className="muted">None: every model reads the current version of its data, or has been refreshed.</p> : (
            <ul className="plain">{o.stale.map((s) => <li key={s.id}><a href={link(s.id)}>{s.id}</a>: {s.reason}. <a href="#/models">Refit on the new data</a></li>)}</ul>
          )}
        </section>
        <Warnings warnings={o.warnings} />
      </div>
    </>
  );
}

function KpiView({ k }: { k: Kpi }) {
  const cur = k.units?.currency ?? null;
  const roiUnit: Unit = k.units?.roi ?? (k.kind === 'conversions' ? 'conversions-per-spend' : 'revenue-per-spend');
  const f = (v: number) => formatValue(v, roiUnit, cur);
  const top = Math.max(1, ...k.channels.map((c) => c.roiInterval?.[1] ?? c.roi));
  const pos = (v: number) => `${Math.max(0, Math.min(100, (100 * v) / top))}%`;
  const title = k.units ? roiName(k.units) : 'ROI';
  return (
    <section className="card kpi" aria-labelledby={`kpi-${k.kpi}`} data-testid={`kpi-${k.kpi}`}>
      <div className="kpi-head">
        <h2 id={`kpi-${k.kpi}`}>{k.kpi} <span className="muted">({k.kind})</span></h2>
        <span className={`badge health-${k.health.level}`}>{HEALTH_LABEL[k.health.level]}</span>
      </div>
      <p className="kpi-model">Latest model <a href={link(k.model.id)}>{k.model.id}</a>{k.model.name !== k.model.id.replace(/-\d+$/, '') && <> “{k.model.name}”</>} · {k.model.family}{k.model.approximate ? ', approximate' : ''} · fitted {date(k.model.createdAt)} on {k.model.table ? `${k.model.table} v${k.model.version}` : 'a file'}</p>
      <p className="health-line" data-testid="health-line">{k.health.line}</p>
      {k.stale && <div className="warn stale-note" role="note" data-testid="kpi-stale">Stale: {k.stale.reason}. <a href="#/models">Refit on the new data</a></div>}
      <table className="roi-table" data-testid="kpi-roi">
        <caption>{title} per channel, with its 90% interval</caption>
        <thead><tr><th scope="col">Channel</th><th scope="col">Spend</th><th scope="col">{title}</th><th scope="col">90% interval</th><th scope="col"><span className="visually-hidden">Range</span></th></tr></thead>
        <tbody>{k.channels.map((c) => (
          <tr key={c.name}>
            <td>{c.name}</td>
            <td>{formatValue(c.spend, 'currency', cur)}</td>
            <td>{f(c.roi)}</td>
            <td>{formatInterval(c.roiInterval, roiUnit, cur)}</td>
            <td className="range-cell" aria-hidden="true">
              <span className="range">
                {roiUnit === 'revenue-per-spend' && <span className="break-even" style={{ left: pos(1) }} />}
                {c.roiInterval && <span className="span" style={{ left: pos(c.roiInterval[0]), width: `calc(${pos(c.roiInterval[1])} - ${pos(c.roiInterval[0])})` }} />}
                <span className="dot" style={{ left: pos(c.roi) }} />
              </span>
            </td>
          </tr>
        ))}</tbody>
      </table>
      {roiUnit === 'revenue-per-spend' && <p className="muted">The line marks break-even (ROI 1).</p>}
      {k.otherModels.length > 0 && <p className="muted">Older models of {k.kpi}: {k.otherModels.map((id, i) => <span key={id}>{i ? ', ' : ''}<a href={link(id)}>{id}</a></span>)}</p>}
    </section>
  );
}

function Freshness({ o }: { o: Overview }) {
  return (
    <section className="card" aria-labelledby="fresh-h" data-testid="freshness">
      <h2 id="fresh-h">Data freshness</h2>
      <div className="table-wrap"><table>
        <thead><tr><th scope="col">Data</th><th scope="col">Kind</th><th scope="col">Last date</th><th scope="col">Version</th></tr></thead>
        <tbody>
          {o.tables.map((t) => <tr key={`t-${t.id}`}><td>table {t.id}</td><td>{t.grain}ly, harmonized</td><td>{t.to}</td><td>v{t.version}{t.versions > 1 ? ` of ${t.versions}` : ''} · {date(t.createdAt)}</td></tr>)}
          {o.datasets.map((d) => <tr key={`d-${d.id}`}><td>dataset {d.id}</td><td>{d.kind}</td><td>{d.to ?? 'no dates'}</td><td className="muted">ingested {date(d.createdAt)}</td></tr>)}
        </tbody>
      </table></div>
    </section>
  );
}

function Warnings({ warnings }: { warnings: Overview['warnings'] }) {
  const shown = warnings.slice(0, 5);
  const rest = warnings.slice(5);
  const item = (w: Overview['warnings'][number], i: number) => <li key={i} className={w.level}><strong>{w.source}</strong>: {w.text}</li>;
  return (
    <section className="card" aria-labelledby="warn-h" data-testid="overview-warnings">
      <h2 id="warn-h">Open warnings {warnings.length > 0 && <span className="muted">({warnings.length})</span>}</h2>
      {warnings.length === 0 ? <p className="muted">None.</p> : <>
        <ul className="health">{shown.map(item)}</ul>
        {rest.length > 0 && <details><summary>{rest.length} more</summary><ul className="health">{rest.map((w, i) => item(w, i + shown.length))}</ul></details>}
      </>}
    </section>
  );
}
