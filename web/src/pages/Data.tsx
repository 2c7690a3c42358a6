/** Data: upload (drag and drop) → column mapping (or a role per column of a wide file) with live preview → ingest; datasets; harmonize (choose, preview, save); validation report. */
import { useEffect, useMemo, useState, type DragEvent } from 'react';
import { ApiError, api, download, upload, type Schema } from '../api.ts';
import { COLORS, Chart } from '../chart.tsx';
import { correlationHeatmap } from '../../../src/charts/index.ts';
import { commonCurrency, money, num, pct } from '../format.ts';
import { Empty, ErrorBox, Loading, Table, useApi } from '../ui.tsx';
import { HarmonizeForm } from './data/HarmonizeForm.tsx';
import { RoleMapping } from './data/RoleMapping.tsx';

const KINDS = ['mixed', 'summary', 'conversions', 'factors', 'touchpoints', 'experiments'] as const;
const KIND_HELP: Record<string, string> = {
  mixed: 'one wide file: each column is media, an outcome or a factor',
  summary: 'marketing activity: spend, impressions, clicks per channel',
  conversions: 'outcomes: revenue, orders, sign-ups',
  factors: 'other drivers: price, promotions, holidays, weather',
  touchpoints: 'event-level journeys or aggregated paths',
  experiments: 'lift tests for calibration',
};
const ROLES: Record<string, string[]> = {
  summary: ['date', 'geo', 'channel', 'subchannel', 'metric', 'value'],
  conversions: ['date', 'geo', 'metric', 'value'],
  factors: ['date', 'geo', 'metric', 'value'],
  touchpoints: ['journey_id', 'timestamp', 'channel', 'interaction', 'conversion', 'value', 'cost', 'geo', 'campaign', 'segment', 'path', 'conversions', 'nulls'],
  experiments: ['channel', 'geo', 'start', 'end', 'lift', 'lift_se'],
};

type Detection = Schema<'Detection'>;
type RoleDetection = Schema<'RoleDetection'>;
type Uploaded = Schema<'Uploaded'>;
type Presets = Schema<'Presets'>;
type Dataset = Schema<'Dataset'>;
type Harmonized = Schema<'Harmonized'>;

const slug = (name: string) => name.replace(/\.[^.]+$/, '').toLowerCase().replace(/[^a-z0-9_.-]+/g, '-').replace(/^[-.]+|-+$/g, '').slice(0, 60) || 'dataset';

export function DataPage() {
  const datasets = useApi<Dataset[]>('/api/datasets');
  const harmonized = useApi<Harmonized[]>('/api/harmonized');
  return (
    <div className="page">
      <h1>Data</h1>
      <p className="lead">Upload your files (media spend, sales, other factors), check how each column was read, then harmonize them into one weekly or monthly table.</p>
      <UploadPanel onIngested={datasets.reload} />
      <section aria-labelledby="datasets-h">
        <h2 id="datasets-h">Datasets</h2>
        {datasets.loading && !datasets.data && <Loading what="datasets" />}
        <ErrorBox error={datasets.error} />
        {datasets.data && datasets.data.length === 0 && <Empty>No datasets yet: upload a file above.</Empty>}
        {datasets.data && datasets.data.length > 0 && (
          <Table testId="datasets" rows={datasets.data as unknown as Record<string, unknown>[]} columns={[
            { key: 'id', label: 'Id' }, { key: 'kind', label: 'Kind' }, { key: 'source', label: 'File' }, { key: 'layout', label: 'Layout' },
            { key: 'rows', label: 'Rows', format: (v) => num(v as number, 0) }, { key: 'currency', label: 'Currency', format: (v) => (v as string) ?? '–' },
            { key: 'actions', label: 'Actions', format: (_, r) => <DropButton id={String(r.id)} what="dataset" onDone={datasets.reload} /> },
          ]} />
        )}
      </section>
      <HarmonizePanel datasets={datasets.data ?? []} tables={harmonized} />
    </div>
  );
}

function DropButton({ id, what, onDone }: { id: string; what: string; onDone: () => void }) {
  const [error, setError] = useState<unknown>(null);
  return <>
    <button className="small danger" aria-label={`Delete ${what} ${id}`} onClick={async () => {
      if (!confirm(`Delete ${what} '${id}'?`)) return;
      try { await api(`/api/${what === 'dataset' ? 'datasets' : 'harmonized'}/${encodeURIComponent(id)}`, { method: 'DELETE' }); onDone(); } catch (e) { setError(e); }
    }}>Delete</button>
    <ErrorBox error={error} />
  </>;
}

function UploadPanel({ onIngested }: { onIngested: () => void }) {
  const [kind, setKind] = useState<string>('mixed');
  // A platform export (Google Ads, Meta, GA4, Adobe) read by its documented columns: the server's preset registry.
  const presets = useApi<Presets>('/api/presets');
  const [preset, setPreset] = useState<string>('');
  const withPreset = preset ? { preset } : {};
  const [file, setFile] = useState<Uploaded | null>(null);
  const [detection, setDetection] = useState<Detection | null>(null);
  // A wide file by role: each column's role, and a refused role shown beside its column.
  const [roles, setRoles] = useState<RoleDetection | null>(null);
  const [roleError, setRoleError] = useState<{ column: string; text: string } | null>(null);
  const [map, setMap] = useState<Record<string, string>>({});
  const [name, setName] = useState('');
  const [currency, setCurrencyCode] = useState('');
  const [busy, setBusy] = useState<string | null>(null);
  const [error, setError] = useState<unknown>(null);
  const [done, setDone] = useState<string | null>(null);
  const [over, setOver] = useState(false);

  const send = async (f: File) => {
    setError(null); setDone(null); setBusy('Uploading…'); setMap({}); setRoleError(null);
    try {
      const u = await upload<Uploaded>(`/api/uploads?kind=${kind}${preset ? `&preset=${preset}` : ''}`, f);
      setFile(u); setName(slug(u.name)); setDetection(u.detection); setRoles(u.roles ?? null);
      if (u.problem) setError(new ApiError(400, u.problem.error, u.problem.detail, u.problem.problems ?? []));
    } catch (e) { setError(e); } finally { setBusy(null); }
  };
  const redetect = async (nextMap: Record<string, string>, nextKind = kind, nextPreset = preset) => {
    if (!file) return;
    setMap(nextMap); setError(null); setRoleError(null);
    if (nextKind === 'mixed') {
      // A refused role keeps the table and says why beside the column it is about.
      try { setRoles(await api<RoleDetection>(`/api/uploads/${file.upload}/roles`, { body: { roles: nextMap } })); setDetection(null); } catch (e) {
        const column = e instanceof ApiError ? e.problems[0]?.column : undefined;
        if (column && roles) setRoleError({ column, text: e instanceof Error ? e.message : String(e) }); else { setRoles(null); setError(e); }
      }
      return;
    }
    try { setDetection(await api<Detection>(`/api/uploads/${file.upload}/detect`, { body: { kind: nextKind, map: nextMap, ...(nextPreset ? { preset: nextPreset } : {}) } })); setRoles(null); } catch (e) { setDetection(null); setError(e); }
  };
  const ingest = async () => {
    if (!file) return;
    setBusy('Checking every row…'); setError(null);
    const warned = (problems: { text: string }[]) => (problems.length ? ` (${problems.length} warnings: ${problems.map((p) => p.text).join('; ')})` : '');
    try {
      if (kind === 'mixed') {
        const r = await api<Schema<'RoleIngested'>>('/api/datasets/by-role', { body: { upload: file.upload, name, roles: map, ...(currency ? { currency } : {}) } });
        const what: Record<string, string> = { summary: 'media', conversions: 'outcome', factors: 'factors' };
        setDone(`Ingested ${r.datasets.map((d) => `'${d.id}' (${what[d.kind] ?? d.kind})`).join(', ')}: ${num(r.datasets[0]?.rows ?? 0, 0)} rows${warned(r.datasets.flatMap((d) => d.problems))}.`);
      } else {
        const r = await api<Schema<'Ingested'>>('/api/datasets', { body: { upload: file.upload, kind, name, map, ...withPreset, ...(currency ? { currency } : {}) } });
        setDone(`Ingested '${r.id}': ${num(r.rows, 0)} rows${warned(r.problems)}.`);
      }
      setFile(null); setDetection(null); setRoles(null); onIngested();
    } catch (e) { setError(e); } finally { setBusy(null); }
  };
  const onDrop = (e: DragEvent) => { e.preventDefault(); setOver(false); const f = e.dataTransfer.files[0]; if (f) void send(f); };

  return (
    <section aria-labelledby="upload-h" className="card">
      <h2 id="upload-h">Upload a file</h2>
      <div className="row">
        <label>What the file holds
          <select value={kind} onChange={(e) => { setKind(e.target.value); if (e.target.value !== 'summary') setPreset(''); if (file) void redetect({}, e.target.value, e.target.value === 'summary' ? preset : ''); }} name="kind">
            {KINDS.map((k) => <option key={k} value={k}>{k} — {KIND_HELP[k]}</option>)}
          </select>
        </label>
        <label>Platform export
          <select value={preset} onChange={(e) => { const p = e.target.value; setPreset(p); if (p) setKind('summary'); if (file) void redetect({}, p ? 'summary' : kind, p); }} name="preset">
            <option value="">none: detect the columns</option>
            {(presets.data ?? []).map((p) => <option key={p.name} value={p.name}>{p.label}</option>)}
          </select>
        </label>
      </div>
      <div className={`drop ${over ? 'over' : ''}`} onDragOver={(e) => { e.preventDefault(); setOver(true); }} onDragLeave={() => setOver(false)} onDrop={onDrop} data-testid="dropzone">
        <p>Drop a CSV, Parquet or XLSX file here, or</p>
        <label className="button">Choose a file<input type="file" accept=".csv,.tsv,.txt,.parquet,.xlsx" className="visually-hidden" onChange={(e) => { const f = e.target.files?.[0]; if (f) void send(f); e.target.value = ''; }} /></label>
      </div>
      {busy && <div className="loading" role="status">{busy}</div>}
      <ErrorBox error={error} />
      {done && <div className="ok" role="status">{done}</div>}
      {file && (detection || roles) && (
        <div className="mapping">
          {roles && !detection ? (
            <RoleMapping detection={roles} roles={map} name={name} errorColumn={roleError?.column ?? null} errorText={roleError?.text ?? null} onRole={(c, r) => void redetect({ ...map, [c]: r })} />
          ) : detection && <>
          <h3>Columns of {file.name} <span className="muted">({detection.plan.layout} layout{detection.plan.dateFormat ? `, dates ${detection.plan.dateFormat}` : ''})</span></h3>
          <p className="muted">Roles were detected automatically; change any of them and the preview follows.</p>
          <div className="table-wrap">
            <table data-testid="mapping">
              <thead><tr><th scope="col">Column</th><th scope="col">Read as</th></tr></thead>
              <tbody>{detection.columns.map((c) => (
                <tr key={c.name}><td>{c.name}</td><td>
                  <select aria-label={`Role of column ${c.name}`} value={map[c.name] ?? c.role} onChange={(e) => void redetect({ ...map, [c.name]: e.target.value })}>
                    {[...new Set([c.role, map[c.name] ?? c.role, ...ROLES[kind], 'ignore'])].map((r) => <option key={r} value={r}>{r}</option>)}
                  </select>
                </td></tr>
              ))}</tbody>
            </table>
          </div>
          {detection.plan.notes.length > 0 && <ul className="notes">{detection.plan.notes.map((n, i) => <li key={i}>{n.message}</li>)}</ul>}
          <h3>Preview</h3>
          <div className="table-wrap preview"><table data-testid="preview">
            <thead><tr>{detection.header.map((h) => <th key={h} scope="col">{h}<div className="role">{(map[h] ?? detection.columns.find((c) => c.name === h)?.role) ?? ''}</div></th>)}</tr></thead>
            <tbody>{detection.rows.slice(0, 8).map((r, i) => <tr key={i}>{r.map((v, j) => <td key={j}>{v}</td>)}</tr>)}</tbody>
          </table></div>
          </>}
          <div className="row">
            <label>Dataset name <input value={name} onChange={(e) => setName(e.target.value)} name="dataset-name" /></label>
            <label>Currency <input value={currency} onChange={(e) => setCurrencyCode(e.target.value.toUpperCase())} placeholder="USD" maxLength={3} size={4} name="currency" /></label>
            <button onClick={() => void ingest()} disabled={!!busy || !name || !!roleError} aria-describedby="ingest-why">Ingest</button>
            <button className="secondary" onClick={() => { void api(`/api/uploads/${file.upload}`, { method: 'DELETE' }).catch(() => undefined); setFile(null); setDetection(null); setRoles(null); setRoleError(null); setError(null); }}>Discard</button>
            <span id="ingest-why" className="muted">{!name ? 'Give the dataset a name' : roleError ? `Change the role of column ${roleError.column} first` : ''}</span>
          </div>
        </div>
      )}
    </section>
  );
}

function HarmonizePanel({ datasets, tables }: { datasets: Dataset[]; tables: ReturnType<typeof useApi<Harmonized[]>> }) {
  const [shown, setShown] = useState<string | null>(null);
  useEffect(() => { if (!shown && tables.data?.length) setShown(tables.data[tables.data.length - 1].id); }, [tables.data, shown]);
  const current = tables.data?.find((t) => t.id === shown) ?? null;
  const names = useMemo(() => (tables.data ?? []).map((t) => t.id), [tables.data]);
  return (
    <section aria-labelledby="harm-h" className="card">
      <h2 id="harm-h">Harmonize</h2>
      <p className="muted">Joins the datasets you tick into one table at the grain you choose. Preview it, then save it.</p>
      <HarmonizeForm datasets={datasets} tables={names} onSaved={(id) => { setShown(id); tables.reload(); }} />
      <ErrorBox error={tables.error} />
      {tables.data && tables.data.length > 1 && (
        <label>Show table <select value={shown ?? ''} onChange={(e) => setShown(e.target.value)}>{tables.data.map((t) => <option key={t.id}>{t.id}</option>)}</select></label>
      )}
      {current && <ReportView table={current} currency={commonCurrency(datasets.filter((d) => current.datasets.includes(d.id)).map((d) => d.currency))} />}
    </section>
  );
}

function ReportView({ table, currency }: { table: Harmonized; currency: string | null }) {
  const r = table.report;
  const coverage = useMemo(() => ({
    tooltip: { trigger: 'axis', valueFormatter: (v: number) => `${v.toFixed(1)}%` },
    grid: { left: 140, right: 20, top: 10, bottom: 30 },
    xAxis: { type: 'value', max: 100, axisLabel: { formatter: '{value}%' } },
    yAxis: { type: 'category', data: r.columns.map((c) => c.column), inverse: true },
    series: [{ type: 'bar', name: 'coverage', data: r.columns.map((c) => +(100 * c.coverage).toFixed(2)), itemStyle: { color: COLORS.predicted } }],
  }), [r]);
  const heat = useMemo(() => correlationHeatmap(r.correlation), [r]);
  return (
    <div className="report" data-testid="harmonize-report">
      <p><strong>{table.id}</strong>: {num(table.rows, 0)} rows, {table.grain}ly from {table.from} to {table.to}, {table.geoLevel === 'national' || !r.geos ? 'national' : `${r.geos} geos`}.
        {' '}<button className="link" onClick={() => void download(`/api/harmonized/${table.id}/export?format=csv`, `${table.id}.csv`)}>Download CSV</button></p>
      {r.warnings.length > 0 ? <ul className="warnings" aria-label="Warnings">{r.warnings.map((w, i) => <li key={i}>{w}</li>)}</ul> : <p className="ok">No warnings.</p>}
      <div className="grid2">
        <div><h3>Coverage per column</h3><Chart label="Coverage per column" testId="coverage-chart" option={coverage} height={Math.max(200, 24 * r.columns.length + 40)} /></div>
        <div><h3>Correlation between channels ({r.correlation.basis})</h3>{r.correlation.channels.length ? <Chart label="Correlation heat-map" testId="correlation-chart" option={heat} height={320} /> : <Empty>No channels.</Empty>}</div>
      </div>
      <div className="grid2">
        <Table caption="Variance inflation (VIF; above 10 means channels move together)" rows={r.vif as unknown as Record<string, unknown>[]} columns={[{ key: 'channel', label: 'Channel' }, { key: 'vif', label: 'VIF', format: (v) => num(v as number, 1) }]} />
        <Table caption="Spend share" rows={r.spendShare as unknown as Record<string, unknown>[]} columns={[{ key: 'channel', label: 'Channel' }, { key: 'spend', label: `Spend${currency ? ` (${currency})` : ''}`, format: (v) => money(v as number, currency) }, { key: 'share', label: 'Share', format: (v) => pct(v as number) }]} />
      </div>
      <Table caption="Columns" rows={r.columns as unknown as Record<string, unknown>[]} columns={[
        { key: 'column', label: 'Column' }, { key: 'role', label: 'Role' }, { key: 'coverage', label: 'Coverage', format: (v) => pct(v as number) },
        { key: 'missing', label: 'Missing' }, { key: 'filledWithZero', label: 'Filled with 0' }, { key: 'mean', label: 'Mean', format: (v) => num(v as number) },
        { key: 'min', label: 'Min', format: (v) => num(v as number) }, { key: 'max', label: 'Max', format: (v) => num(v as number) }, { key: 'outliers', label: 'Outliers' },
      ]} />
    </div>
  );
}
