/** Small shared pieces: error box (never a blank page), loading and empty states, tables, a hook for API data. */
import { Component, useCallback, useEffect, useState, type ReactNode } from 'react';
import { ApiError, api } from './api.ts';
import { labelled } from './form.tsx';

export function ErrorBox({ error }: { error: unknown }) {
  if (!error) return null;
  const e = error instanceof ApiError ? error : null;
  const message = error instanceof Error ? error.message : String(error);
  // Problems that name a field read under the field's label, never as a schema path.
  const fields = e ? e.problems.filter((p) => p.field) : [];
  if (e && fields.length) {
    return (
      <div className="error" role="alert">
        <strong>{errorTitle(e)}</strong>
        <ul className="field-problems">{fields.slice(0, 20).map((p, i) => <li key={i}>{labelled(p.field!, p.message)}</li>)}</ul>
      </div>
    );
  }
  return (
    <div className="error" role="alert">
      <strong>{e ? errorTitle(e) : 'Something went wrong'}</strong>
      <div>{message}</div>
      {e && e.problems.length > 0 && (
        <table className="problems"><thead><tr><th>Row</th><th>Column</th><th>Value</th><th>Problem</th></tr></thead>
          <tbody>{e.problems.slice(0, 50).map((p, i) => <tr key={i}><td>{p.row ?? ''}</td><td>{p.column ?? ''}</td><td>{p.value === undefined ? '' : String(p.value)}</td><td>{p.message}</td></tr>)}</tbody>
        </table>
      )}
    </div>
  );
}

function errorTitle(e: ApiError): string {
  if (e.status === 0) return 'The server cannot be reached';
  if (e.status === 401) return 'A token is required';
  if (e.status === 404) return 'Not found';
  if (e.status === 409) return 'Conflict';
  if (e.status === 413) return 'Too large';
  if (e.code === 'FIT_FAILED') return 'The model could not be fitted';
  if (e.code === 'TIMED_OUT') return 'The job ran out of time';
  if (e.status >= 500) return 'Server error';
  return 'Please check the input';
}

/**
 * The first stop of the Tab order, shown when focused: it moves focus past the header's links to the
 * page's <main> (given the id "main" here). The app routes on the address's hash, so the click moves
 * focus itself instead of changing the hash.
 */
export function SkipLink() {
  useEffect(() => {
    const main = document.querySelector('main');
    if (main && !main.id) { main.id = 'main'; main.setAttribute('tabindex', '-1'); }
  });
  return (
    <a className="skip-link" href="#main" onClick={(e) => {
      e.preventDefault();
      const main = document.querySelector('main');
      if (main) { main.setAttribute('tabindex', '-1'); main.focus(); }
    }}>Skip to content</a>
  );
}

export const Loading = ({ what }: { what: string }) => <div className="loading" role="status" aria-live="polite">Loading {what}…</div>;
export const Empty = ({ children }: { children: ReactNode }) => <div className="empty">{children}</div>;

export function useApi<T>(path: string | null): { data: T | null; error: unknown; loading: boolean; reload: () => void } {
  const [state, setState] = useState<{ data: T | null; error: unknown; loading: boolean }>({ data: null, error: null, loading: !!path });
  const [n, setN] = useState(0);
  useEffect(() => {
    if (!path) { setState({ data: null, error: null, loading: false }); return; }
    let live = true;
    setState((s) => ({ ...s, loading: true, error: null }));
    api<T>(path).then((data) => live && setState({ data, error: null, loading: false }), (error) => live && setState({ data: null, error, loading: false }));
    return () => { live = false; };
  }, [path, n]);
  const reload = useCallback(() => setN((x) => x + 1), []);
  return { ...state, reload };
}

export function Table({ rows, columns, caption, testId }: { rows: Record<string, unknown>[]; columns: { key: string; label: string; format?: (v: unknown, row: Record<string, unknown>) => ReactNode }[]; caption?: string; testId?: string }) {
  return (
    <div className="table-wrap">
      <table data-testid={testId}>
        {caption && <caption>{caption}</caption>}
        <thead><tr>{columns.map((c) => <th key={c.key} scope="col">{c.label}</th>)}</tr></thead>
        <tbody>{rows.map((r, i) => <tr key={i}>{columns.map((c) => <td key={c.key}>{c.format ? c.format(r[c.key], r) : String(r[c.key] ?? '')}</td>)}</tr>)}</tbody>
      </table>
    </div>
  );
}

export class Boundary extends Component<{ children: ReactNode }, { error: unknown }> {
  override state = { error: null as unknown };
  static getDerivedStateFromError(error: unknown) { return { error }; }
  override render() {
    if (this.state.error) return <div className="page"><ErrorBox error={this.state.error} /><button onClick={() => this.setState({ error: null })}>Try again</button></div>;
    return this.props.children;
  }
}
