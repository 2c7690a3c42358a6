/**
 * The harmonize form of the Data page: tick datasets (in priority order) and, per dataset, the
 * columns to take; choose the grain, dates, geo alignment and what to do when two datasets give the
 * same column; Preview the joined table (nothing is stored) and Save. Every problem is shown beside
 * its field before anything is sent, and a disabled button says why.
 */
import { useEffect, useMemo, useState, type ReactNode } from 'react';
import { ApiError, api, type Schema } from '../../api.ts';
import { num } from '../../format.ts';
import { ErrorBox } from '../../ui.tsx';
import { chosen, firstProblem, problems, requestBody, type Field, type HarmonizeForm as Form, type Source } from './harmonizeChecks.ts';
import './data.css';

type Dataset = Schema<'Dataset'>;
type Preview = Schema<'HarmonizePreview'>;

const ROLE_WORDS: Record<string, string> = { media: 'media', outcome: 'outcome', factor: 'factors' };

export function HarmonizeForm({ datasets, tables, onSaved }: { datasets: Dataset[]; tables: string[]; onSaved: (id: string) => void }) {
  const [sources, setSources] = useState<Record<string, Source>>({});
  const [loadError, setLoadError] = useState<unknown>(null);
  const [form, setForm] = useState<Form>({ name: 'demo', grain: 'week', from: '', to: '', geo: 'refuse', overlap: 'refuse', replace: false, order: [], ticked: {}, dropped: {} });
  const [preview, setPreview] = useState<Preview | null>(null);
  const [busy, setBusy] = useState<'preview' | 'save' | null>(null);
  const [error, setError] = useState<unknown>(null);

  // What each dataset brings (its columns, whether by geo); new datasets join the list ticked.
  const ids = datasets.map((d) => d.id).join('\n');
  useEffect(() => {
    let live = true;
    Promise.all(datasets.map((d) => api<Source>(`/api/datasets/${encodeURIComponent(d.id)}/columns`))).then((all) => {
      if (!live) return;
      const usable = all.filter((s) => s.harmonizable);
      setSources(Object.fromEntries(usable.map((s) => [s.id, s])));
      setForm((f) => {
        const order = [...f.order.filter((id) => usable.some((s) => s.id === id)), ...usable.map((s) => s.id).filter((id) => !f.order.includes(id))];
        return { ...f, order, ticked: Object.fromEntries(order.map((id) => [id, f.ticked[id] ?? true])) };
      });
    }, (e) => live && setLoadError(e));
    return () => { live = false; };
    // Keyed on the ids: the list object is new on every reload, the datasets are not.
  }, [ids]);

  // Until the user types a name, offer one that is free (demo, demo-2, …): a taken default opened the
  // form with an error before anything was done.
  const [nameTouched, setNameTouched] = useState(false);
  const taken = [...tables, ...datasets.map((d) => d.id)].join('\n');
  useEffect(() => {
    if (nameTouched) return;
    const used = new Set(taken.split('\n'));
    const base = 'demo';
    let name = base;
    for (let k = 2; used.has(name); k++) name = `${base}-${k}`;
    setForm((f) => (f.name === name ? f : { ...f, name }));
  }, [taken, nameTouched]);

  const check = useMemo(() => problems(form, sources, { tables, datasets: datasets.map((d) => d.id) }), [form, sources, tables, datasets]);
  const blocked = firstProblem(check);
  const serverField = error instanceof ApiError && error.field && ['name', 'from', 'to', 'datasets', 'geo', 'overlap', 'grain'].includes(error.field) ? error.field as Field : null;
  const fieldError = (f: Field) => check.fields[f] ?? (serverField === f ? (error as ApiError).message : undefined);
  // Any change makes the preview and the last refusal stale.
  const change = (patch: Partial<Form>) => { setForm((f) => ({ ...f, ...patch })); setPreview(null); setError(null); };

  const send = async (what: 'preview' | 'save') => {
    setBusy(what); setError(null);
    try {
      const body = requestBody(form, sources);
      if (what === 'preview') setPreview(await api<Preview>('/api/harmonized/preview', { body: { ...body, rows: 10 } }));
      else {
        const r = await api<Schema<'HarmonizeResult'>>('/api/harmonized', { body });
        setPreview(null); setForm((f) => ({ ...f, replace: false })); onSaved(r.id);
      }
    } catch (e) { setError(e); } finally { setBusy(null); }
  };
  const move = (id: string) => {
    const i = form.order.indexOf(id);
    if (i > 0) change({ order: [...form.order.slice(0, i - 1), id, form.order[i - 1], ...form.order.slice(i + 1)] });
  };
  const picked = chosen(form, sources);
  const nameTaken = tables.includes(form.name.trim());
  const why = busy ? null : blocked;

  return (
    <div className="harmonize-form">
      <ErrorBox error={loadError} />
      <fieldset aria-describedby="h-datasets-error" data-field="datasets">
        <legend>Datasets to join <span className="muted">— in priority order: with “first in the list wins”, the higher one’s values are kept</span></legend>
        {!form.order.length && <p className="muted">No datasets yet: upload a file above.</p>}
        <ul className="dataset-list">
          {form.order.map((id, i) => {
            const s = sources[id];
            const dropped = form.dropped[id] ?? [];
            const kept = s.columns.length - dropped.length;
            return (
              <li key={id} data-dataset={id}>
                <label className="inline"><input type="checkbox" checked={!!form.ticked[id]} onChange={(e) => change({ ticked: { ...form.ticked, [id]: e.target.checked } })} aria-label={`Use dataset ${id}`} />
                  <strong>{id}</strong> <span className="muted">{ROLE_WORDS[s.role ?? ''] ?? s.kind}{s.geo ? ', by geo' : ', national'}</span></label>
                {i > 0 && <button type="button" className="small secondary" onClick={() => move(id)} aria-label={`Move ${id} up`}>Up</button>}
                {form.ticked[id] && (
                  <details>
                    <summary>{kept} of {s.columns.length} columns</summary>
                    <div className="column-choices">
                      {s.columns.map((c) => (
                        <label key={c.name} className="inline"><input type="checkbox" checked={!dropped.includes(c.name)} aria-label={`Column ${c.name} of ${id}`}
                          onChange={(e) => change({ dropped: { ...form.dropped, [id]: e.target.checked ? dropped.filter((x) => x !== c.name) : [...dropped, c.name] } })} />{c.name}</label>
                      ))}
                    </div>
                  </details>
                )}
                {check.datasets[id] && <p className="field-error">{check.datasets[id]}</p>}
              </li>
            );
          })}
        </ul>
        {/* With no dataset at all there is nothing to correct: the hint beside the buttons says what to do. */}
        <FieldError id="h-datasets-error" text={form.order.length ? fieldError('datasets') : undefined} />
      </fieldset>

      <div className="form-grid">
        <Labeled label="Table name" field="name" error={fieldError('name')}
          extra={nameTaken && <label className="inline"><input type="checkbox" checked={form.replace} onChange={(e) => change({ replace: e.target.checked })} name="replace" /> Replace it</label>}>
          <input value={form.name} onChange={(e) => { setNameTouched(true); change({ name: e.target.value }); }} name="harmonized-name" aria-invalid={!!fieldError('name')} aria-describedby="h-name-error" />
        </Labeled>
        <Labeled label="Grain" field="grain" error={fieldError('grain')}>
          <select value={form.grain} onChange={(e) => change({ grain: e.target.value as Form['grain'] })} name="grain" aria-describedby="h-grain-error">
            <option value="week">week (starting Monday)</option><option value="month">month</option><option value="year">year (annual data)</option>
          </select>
        </Labeled>
        <Labeled label="From (optional)" field="from" error={fieldError('from')}>
          <input type="date" value={form.from} onChange={(e) => change({ from: e.target.value })} name="from" aria-invalid={!!fieldError('from')} aria-describedby="h-from-error" />
        </Labeled>
        <Labeled label="To (optional)" field="to" error={fieldError('to')}>
          <input type="date" value={form.to} onChange={(e) => change({ to: e.target.value })} name="to" aria-invalid={!!fieldError('to')} aria-describedby="h-to-error" />
        </Labeled>
        <Labeled label="Geo alignment" field="geo" error={fieldError('geo')}>
          <select value={form.geo} onChange={(e) => change({ geo: e.target.value as Form['geo'] })} name="geo" aria-invalid={!!fieldError('geo')} aria-describedby="h-geo-error">
            <option value="refuse">Keep geos as they are</option><option value="aggregate">Add up the geos to national</option>
          </select>
        </Labeled>
        <Labeled label="Same column in two datasets" field="overlap" error={fieldError('overlap')} note={check.overlapNote}>
          <select value={form.overlap} onChange={(e) => change({ overlap: e.target.value as Form['overlap'] })} name="overlap" aria-invalid={!!fieldError('overlap')} aria-describedby="h-overlap-error">
            <option value="refuse">Stop and ask me</option><option value="sum">Add them up</option><option value="priority">Keep the first in the list</option>
          </select>
        </Labeled>
      </div>

      <div className="row">
        <button type="button" className="secondary" onClick={() => void send('preview')} disabled={!!blocked || !!busy} aria-describedby="h-why">{busy === 'preview' ? 'Previewing…' : 'Preview'}</button>
        <button type="button" onClick={() => void send('save')} disabled={!!blocked || !!busy} aria-describedby="h-why">{busy === 'save' ? 'Harmonizing…' : 'Harmonize and save'}</button>
        <span id="h-why" className="muted" data-testid="harmonize-why">{why ?? (picked.length ? `${picked.length} dataset${picked.length > 1 ? 's' : ''}, ${picked.reduce((n, d) => n + d.columns.length, 0)} columns` : '')}</span>
      </div>
      {!serverField && <ErrorBox error={error} />}
      {preview && <PreviewView preview={preview} />}
    </div>
  );
}

function Labeled({ label, field, error, note, extra, children }: { label: string; field: Field; error?: string; note?: string | null; extra?: ReactNode; children: ReactNode }) {
  return (
    <div className="field" data-field={field}>
      <label>{label}{children}</label>
      {extra}
      <FieldError id={`h-${field}-error`} text={error} />
      {note && !error && <p className="field-note">{note}</p>}
    </div>
  );
}

function FieldError({ id, text }: { id: string; text?: string }) {
  return <p id={id} className="field-error" role={text ? 'alert' : undefined}>{text ?? ''}</p>;
}

function PreviewView({ preview: p }: { preview: Preview }) {
  const cell = (v: unknown) => (v === null || v === undefined ? '–' : typeof v === 'number' ? num(v) : String(v));
  return (
    <div className="harmonize-preview" data-testid="harmonize-preview">
      <h3>Preview of {p.id} <span className="muted">— not saved yet</span></h3>
      <p>{num(p.rows, 0)} rows, {p.grain}ly from {p.from} to {p.to}, {p.geos ? `${p.geos} geos` : 'national'}; {p.columns.length - (p.geos ? 2 : 1)} columns. First {p.sample.length} rows:</p>
      <div className="table-wrap preview"><table data-testid="harmonize-preview-table">
        <thead><tr>{p.columns.map((c) => <th key={c.name} scope="col" title={c.datasets.length ? `from ${c.datasets.join(', ')}` : undefined}>{c.name}<div className="role">{c.role}{c.datasets.length ? ` · ${c.datasets.join(', ')}` : ''}</div></th>)}</tr></thead>
        <tbody>{p.sample.map((r, i) => <tr key={i}>{p.columns.map((c) => <td key={c.name}>{cell(r[c.name])}</td>)}</tr>)}</tbody>
      </table></div>
      {p.report.warnings.length > 0 ? <ul className="warnings" aria-label="Preview warnings">{p.report.warnings.map((w, i) => <li key={i}>{w}</li>)}</ul> : <p className="ok">No warnings.</p>}
    </div>
  );
}
