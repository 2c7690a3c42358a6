/**
 * One wide file, several roles. Each column is the date, the geo, a media series (a channel's spend,
 * impressions or clicks: `tv_spend`, `tv_S`, `facebook_I`), an outcome (revenue, conversions…), a
 * factor (price, weather, a text column of events…) or ignored. The roles are proposed from the names
 * and values and any of them can be changed; the file is then stored as the datasets the rest of the
 * system already reads — `<name>` (summary: the media), `<name>-outcome` (conversions) and
 * `<name>-factors` (factors), each only when it has columns — so harmonize and the wizard see three
 * ordinary datasets. `ingestByRole` (ingest.ts) stores them in one transaction: all or nothing.
 */
import { badInput, onField } from '../../errors.ts';
import { detectDateFormat, isDateName } from '../detect/dates.ts';
import { ALIASES, cleanName, findColumn, isOutcomeName, mediaColumn } from '../detect/roles.ts';
import type { Kind } from '../schema.ts';
import type { Sample } from '../readers/sniff.ts';
import type { IngestOptions } from './options.ts';
import { ID_PATTERN } from './ingest.ts';

export const COLUMN_ROLES = ['date', 'geo', 'media', 'outcome', 'factor', 'ignore'] as const;
export type ColumnRole = (typeof COLUMN_ROLES)[number];
type SeriesRole = 'media' | 'outcome' | 'factor';

/** What `ingestByRole` accepts: the ingest options of one file, with a role per column instead of a kind. */
/** A one-file ingest's options: the reading options of any ingest, and each column's role. */
export interface RoleIngestOptions extends Pick<IngestOptions, 'dateFormat' | 'numberFormat' | 'sheet' | 'currency' | 'metricKinds' | 'replace' | 'today'> {
  /** Base id: the media dataset's; the others add `-outcome` and `-factors`. Default: a slug of the file name. */
  name?: string;
  /** Column → role; columns not named keep the proposed role. */
  roles?: Record<string, ColumnRole>;
}

export interface RoleColumn {
  name: string;
  role: ColumnRole;
  /** The role proposed from the column's name and values (before any change). */
  proposed: ColumnRole;
  /** The name it is stored under: `tv_spend` for media `tv_S`, `revenue`, `price`; null for the date, the geo and ignored columns. */
  target: string | null;
}

/** One dataset the file becomes. */
export interface RolePart { id: string; suffix: string; kind: Kind; role: SeriesRole; columns: string[]; options: IngestOptions }

export interface RolePlan { columns: RoleColumn[]; parts: RolePart[] }

const PARTS: { role: SeriesRole; kind: Kind; suffix: string }[] = [
  { role: 'media', kind: 'summary', suffix: '' },
  { role: 'outcome', kind: 'conversions', suffix: '-outcome' },
  { role: 'factor', kind: 'factors', suffix: '-factors' },
];
/** Names the ingest of a part would read as a role rather than as a series. */
const RESERVED = new Set(['date', 'geo', 'channel', 'subchannel', 'metric', 'value', 'factor', 'conversion_value', 'ignore']);

/** The proposed role of every column: date and geo by name and values, media by suffix, outcomes by name, the rest factors. */
export function proposeRoles(header: string[], sample: Sample): Record<string, ColumnRole> {
  const values = (c: string) => sample.rows.map((r) => r[header.indexOf(c)] ?? '');
  const roles: Record<string, ColumnRole> = {};
  if (sample.index) roles[sample.index] = 'ignore';
  const named = header.filter((h) => !roles[h] && isDateName(h)).filter((h) => detectDateFormat(values(h), true, undefined, 0.5));
  const date = named.find((h) => detectDateFormat(values(h), true, undefined, 0.5)?.format !== 'YYYY') ?? named[0]
    ?? header.find((h) => !roles[h] && detectDateFormat(values(h), false) !== null);
  if (date) roles[date] = 'date';
  const geo = findColumn(header.filter((h) => !roles[h]), ALIASES.geo);
  if (geo) roles[geo] = 'geo';
  for (const h of header) roles[h] ??= mediaColumn(h) ? 'media' : isOutcomeName(h) ? 'outcome' : 'factor';
  return roles;
}

/**
 * The roles (proposed, then `given` over them), checked, and the datasets they make. Refusals name the
 * column (as a problem with `column`, so a form shows it beside that column) and the field `roles`.
 */
export function planRoles(file: string, header: string[], sample: Sample, opts: RoleIngestOptions, base: string): RolePlan {
  const given = opts.roles ?? {};
  const refuse = (column: string | undefined, message: string) => onField('roles', badInput(message, column ? [{ file, column, message }] : []));
  for (const [c, r] of Object.entries(given)) {
    if (!header.includes(c)) throw refuse(undefined, `the file has no column '${c}'; its columns: ${header.join(', ')}`);
    if (!(COLUMN_ROLES as readonly string[]).includes(r)) throw refuse(c, `column '${c}': the role must be one of ${COLUMN_ROLES.join(', ')}; got '${r}'`);
  }
  const proposed = proposeRoles(header, sample);
  // Giving the date (or geo) role to a column takes it from the column it was proposed for, which is then ignored.
  const taken = (r: ColumnRole) => Object.values(given).includes(r);
  const role = (h: string): ColumnRole => given[h] ?? ((proposed[h] === 'date' || proposed[h] === 'geo') && taken(proposed[h]) ? 'ignore' : proposed[h]);
  const columns: RoleColumn[] = header.map((h) => ({ name: h, role: role(h), proposed: proposed[h], target: null }));
  for (const r of ['date', 'geo'] as const) {
    const hits = columns.filter((c) => c.role === r);
    if (hits.length > 1) throw refuse(hits[1].name, `only one column can be the ${r}; ${hits.map((c) => `'${c.name}'`).join(' and ')} both are`);
  }
  if (!columns.some((c) => c.role === 'date')) throw refuse(undefined, `no column is the date; choose the column that holds the dates (columns: ${header.join(', ')})`);
  for (const c of columns) {
    if (c.role === 'media') {
      const m = mediaColumn(c.name);
      const i = c.name.lastIndexOf('_');
      if (m) c.target = `${cleanName(m.channel)}_${m.metric}`;
      else if (i > 0 && i < c.name.length - 1) c.target = cleanName(c.name);
      else throw refuse(c.name, `column '${c.name}' is media, but its name does not say the channel and the measure: media columns are named like tv_spend, tv_impressions or tv_clicks`);
    } else if (c.role === 'outcome' || c.role === 'factor') {
      if (RESERVED.has(c.name.trim().toLowerCase())) throw refuse(c.name, `column '${c.name}' cannot be ${c.role === 'outcome' ? 'an outcome' : 'a factor'} under that name, which ingest reads as a column role; rename it in the file`);
      c.target = cleanName(c.name);
    }
  }
  const parts: RolePart[] = [];
  for (const p of PARTS) {
    const own = columns.filter((c) => c.role === p.role);
    if (!own.length) continue;
    const id = `${base}${p.suffix}`;
    if (!ID_PATTERN.test(id)) throw onField('name', badInput(`the dataset name must be 1–64 letters, digits, '_', '-' or '.', starting with a letter or digit, and leave room for '${p.suffix || '-factors'}'; got '${base}'`));
    const map = Object.fromEntries(columns.map((c) => [c.name, c.role === 'date' || c.role === 'geo' ? c.role : c.role === p.role ? c.target! : 'ignore']));
    parts.push({
      id, suffix: p.suffix, kind: p.kind, role: p.role, columns: own.map((c) => c.name),
      options: { kind: p.kind, name: id, map, layout: 'wide', dateFormat: opts.dateFormat, numberFormat: opts.numberFormat, sheet: opts.sheet, currency: opts.currency, metricKinds: opts.metricKinds, replace: opts.replace, today: opts.today },
    });
  }
  if (!parts.length) throw refuse(undefined, 'no column is media, an outcome or a factor; give at least one column one of those roles');
  return { columns, parts };
}
