/**
 * One wide file, a role per column: every column (including one the detector would ignore) can be
 * the date, the geo, media, an outcome, a factor, or ignored; the table shows what each is stored as
 * and which datasets the file becomes. A role the ingest would refuse is shown beside its column.
 */
import type { Schema } from '../../api.ts';
import './data.css';

type RoleDetection = Schema<'RoleDetection'>;

export const COLUMN_ROLES = ['date', 'geo', 'media', 'outcome', 'factor', 'ignore'] as const;
const ROLE_LABEL: Record<string, string> = {
  date: 'date', geo: 'geo (region, market…)', media: 'media (spend, impressions, clicks)',
  outcome: 'outcome (revenue, conversions…)', factor: 'factor (price, weather, events…)', ignore: 'ignore',
};
const KIND_WORDS: Record<string, string> = { summary: 'media', conversions: 'outcome', factors: 'factors' };

export function RoleMapping({ detection, roles, name, errorColumn, errorText, onRole }: {
  detection: RoleDetection; roles: Record<string, string>; name: string;
  /** The column a refused role is about, and why (shown beside that column). */
  errorColumn: string | null; errorText: string | null;
  onRole: (column: string, role: string) => void;
}) {
  const roleOf = (c: string) => roles[c] ?? detection.columns.find((x) => x.name === c)?.role ?? 'ignore';
  return (
    <>
      <h3>Columns <span className="muted">({detection.dateFormat ? `dates ${detection.dateFormat}` : 'no dates read yet'})</span></h3>
      <p className="muted">Each column got a role from its name and values; change any of them. Media columns are named like tv_spend, tv_impressions or tv_clicks.</p>
      <div className="table-wrap">
        <table data-testid="mapping">
          <thead><tr><th scope="col">Column</th><th scope="col">Role</th><th scope="col">Stored as</th></tr></thead>
          <tbody>{detection.columns.map((c) => (
            <tr key={c.name}>
              <td>{c.name}</td>
              <td>
                <select aria-label={`Role of column ${c.name}`} value={roleOf(c.name)} onChange={(e) => onRole(c.name, e.target.value)}
                  aria-invalid={errorColumn === c.name} aria-describedby={errorColumn === c.name ? 'role-error' : undefined}>
                  {COLUMN_ROLES.map((r) => <option key={r} value={r}>{ROLE_LABEL[r]}</option>)}
                </select>
                {errorColumn === c.name && <span id="role-error" className="role-error" role="alert">{errorText}</span>}
              </td>
              <td>{roles[c.name] && roles[c.name] !== c.role ? '…' : c.target ?? (c.role === 'ignore' ? 'not stored' : c.role)}</td>
            </tr>
          ))}</tbody>
        </table>
      </div>
      {detection.datasets.length > 0 && (
        <p data-testid="becomes">Stored as {detection.datasets.map((d, i) => (
          <span key={d.suffix}>{i ? ', ' : ''}<strong>{(name || 'dataset') + d.suffix}</strong> ({KIND_WORDS[d.kind] ?? d.kind}: {d.columns.join(', ')})</span>
        ))}.</p>
      )}
      {detection.notes.length > 0 && <ul className="notes">{detection.notes.map((n, i) => <li key={i}>{n.message}</li>)}</ul>}
      <h3>Preview</h3>
      <div className="table-wrap preview"><table data-testid="preview">
        <thead><tr>{detection.header.map((h) => <th key={h} scope="col">{h}<div className="role">{roleOf(h)}</div></th>)}</tr></thead>
        <tbody>{detection.rows.slice(0, 8).map((r, i) => <tr key={i}>{r.map((v, j) => <td key={j}>{v}</td>)}</tr>)}</tbody>
      </table></div>
    </>
  );
}
