/** A stale model's mark at the top of its page (Insights): why, and where to refit it on the new data. */
import type { Schema } from '../api.ts';
import './overview.css';

export function StaleNote({ model }: { model: Schema<'ModelListing'> | undefined }) {
  const s = model?.stale;
  if (!model || !s) return null;
  return (
    <div className="warn stale-note" role="note" data-testid="stale-note">
      <strong>{s.supersededBy ? 'Superseded' : 'Stale'}:</strong> {model.id} was {s.reason}.{' '}
      {s.supersededBy
        ? <>Its refresh on the current data is <a href={`#/insights/${encodeURIComponent(s.supersededBy)}`}>{s.supersededBy}</a>.</>
        : <>These figures describe the older data. <a href="#/models">Refit on the new data</a></>}
    </div>
  );
}
