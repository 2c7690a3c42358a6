/**
 * The fitted models and their lifecycle: each with what it was fitted on and whether that data is
 * still current (stale, or superseded by its refresh); rename, duplicate (the wizard opens with its
 * config), refit and delete (asking first, and naming the plans that depend on it); and, for a stale
 * model, "Refit on the new data" in one action — optionally keeping what it learned as priors — with
 * the fit's progress bar.
 */
import { useState } from 'react';
import { api, followJob, type JobInfo, type Schema } from '../api.ts';
import { formatTimestamp, num } from '../format.ts';
import { ErrorBox, Table, useApi } from '../ui.tsx';
import { JobProgress } from './Models.tsx';

type ModelRow = Schema<'ModelListing'>;
type ModelConfig = Schema<'ModelConfig'>;

export function ModelList({ models, chosen, setChosen, onDuplicate }: {
  models: ReturnType<typeof useApi<ModelRow[]>>;
  chosen: string[]; setChosen: (ids: string[]) => void;
  onDuplicate: (config: ModelConfig) => void;
}) {
  const [error, setError] = useState<unknown>(null);
  const [job, setJob] = useState<Partial<JobInfo> | null>(null);
  const [priors, setPriors] = useState<Record<string, boolean>>({});
  const rows = models.data ?? [];
  const running = !!job && (job.status === 'queued' || job.status === 'running');

  const fitAgain = async (id: string, how: 'refresh' | 'refit') => {
    setError(null); setJob(null);
    try {
      const started = await api<JobInfo>(`/api/models/${encodeURIComponent(id)}/${how}`, { body: how === 'refresh' ? { usePosteriorAsPriors: !!priors[id] } : {} });
      setJob(started);
      const final = await followJob(started.id, (j) => setJob((prev) => ({ ...prev, ...j })));
      setJob(final);
      if (final.status === 'succeeded') models.reload();
    } catch (e) { setError(e); }
  };

  const act = async (what: 'rename' | 'duplicate' | 'delete', m: ModelRow) => {
    setError(null);
    const path = `/api/models/${encodeURIComponent(m.id)}`;
    try {
      if (what === 'rename') {
        const name = window.prompt(`New name for model ${m.id} (its id stays)`, m.name);
        if (!name || name === m.name) return;
        await api(path, { method: 'PATCH', body: { name } });
      } else if (what === 'duplicate') {
        const copy = await api<Schema<'ModelDuplicate'>>(`${path}/duplicate`, { body: {} });
        onDuplicate(copy.config);
        return;
      } else {
        const plans = m.plans.map((p) => p.id);
        const question = plans.length
          ? `Delete model ${m.id}? ${plans.length} saved plan${plans.length === 1 ? ' depends' : 's depend'} on it: ${plans.join(', ')}. ${plans.length === 1 ? 'It keeps its' : 'They keep their'} saved results but can no longer be tracked or re-optimized.`
          : `Delete model ${m.id}? This cannot be undone.`;
        if (!window.confirm(question)) return;
        await api(`${path}${plans.length ? '?force=true' : ''}`, { method: 'DELETE' });
        setChosen(chosen.filter((c) => c !== m.id));
      }
      models.reload();
    } catch (e) { setError(e); }
  };

  const stale = rows.filter((m) => m.stale && !m.stale.supersededBy);
  return (
    <>
      {(stale.length > 0 || job) && (
        <section className="card" aria-labelledby="stale-models-h" data-testid="stale-models">
          <h2 id="stale-models-h">{stale.length ? 'Stale models: newer data are in' : 'Fitting again'}</h2>
          {stale.map((m) => (
            <div key={m.id} className="refresh-item" data-testid={`stale-${m.id}`}>
              <p><strong>{m.id}</strong> is stale: {m.stale!.reason}.</p>
              {m.family === 'bayesian' && (
                <label><input type="checkbox" checked={!!priors[m.id]} onChange={(e) => setPriors({ ...priors, [m.id]: e.target.checked })} aria-label={`Keep what ${m.id} learned as priors`} />
                  Keep what it learned as priors (its response curves)</label>
              )}
              <button onClick={() => void fitAgain(m.id, 'refresh')} disabled={running} aria-label={`Refit ${m.id} on the new data`}>Refit on the new data</button>
            </div>
          ))}
          {job && <JobProgress job={job} />}
        </section>
      )}
      <ErrorBox error={error} />
      <Table testId="models" rows={rows as unknown as Record<string, unknown>[]} columns={[
        { key: 'pick', label: 'Compare', format: (_, r) => <input type="checkbox" aria-label={`Compare model ${r.id}`} checked={chosen.includes(String(r.id))} onChange={(e) => setChosen(e.target.checked ? [...chosen, String(r.id)] : chosen.filter((c) => c !== r.id))} /> },
        { key: 'id', label: 'Model', format: (v) => <a href={`#/insights/${encodeURIComponent(String(v))}`}>{String(v)}</a> },
        { key: 'name', label: 'Name' },
        { key: 'family', label: 'Family' },
        { key: 'status', label: 'Health', format: (v, r) => <span className={`badge ${v}`}>{v === 'ok' ? 'healthy' : v === 'approximate' ? 'approximate' : `${r.warnings} warning${r.warnings === 1 ? '' : 's'}`}</span> },
        { key: 'r2', label: 'R²', format: (v) => num(v as number, 3) },
        { key: 'table', label: 'Fitted on', format: (v, r) => (v ? `${String(v)} v${String(r.version)}` : 'a file') },
        { key: 'stale', label: 'Data', format: (v) => <DataMark stale={v as ModelRow['stale']} /> },
        { key: 'createdAt', label: 'Fitted', format: (v) => formatTimestamp(String(v)) },
        { key: 'actions', label: 'Actions', format: (_, r) => {
          const m = r as unknown as ModelRow;
          return <span className="lifecycle">
            <button className="small secondary" aria-label={`Rename model ${m.id}`} onClick={() => void act('rename', m)}>Rename</button>
            <button className="small secondary" aria-label={`Duplicate model ${m.id}`} onClick={() => void act('duplicate', m)}>Duplicate</button>
            <button className="small secondary" aria-label={`Refit model ${m.id}`} disabled={running} onClick={() => void fitAgain(m.id, 'refit')}>Refit</button>
            <button className="small secondary" aria-label={`Delete model ${m.id}`} onClick={() => void act('delete', m)}>Delete</button>
          </span>;
        } },
      ]} />
    </>
  );
}

/** Whether a model reads the current version of its data: current, stale (with why), or superseded by its refresh. */
export function DataMark({ stale }: { stale: ModelRow['stale'] }) {
  if (!stale) return <span className="badge ok">current</span>;
  if (stale.supersededBy) return <span className="badge superseded" title={stale.reason}>superseded by {stale.supersededBy}</span>;
  return <span className="badge stale" title={stale.reason}>stale</span>;
}
