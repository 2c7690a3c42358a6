/**
 * The harmonize form's state, the request it sends, and what is wrong with it — checked in the
 * browser before anything is sent, each message worded for the field it is shown beside. The server
 * checks the same things again (its refusals carry the field, `ApiError.field`).
 */
import type { Schema } from '../../api.ts';

export type Source = Schema<'HarmonizeSource'>;
export type Field = 'name' | 'from' | 'to' | 'datasets' | 'geo' | 'overlap' | 'grain';

export interface HarmonizeForm {
  name: string;
  grain: 'week' | 'month' | 'year';
  from: string;
  to: string;
  geo: 'refuse' | 'aggregate';
  overlap: 'refuse' | 'sum' | 'priority';
  replace: boolean;
  /** Dataset ids in priority order (the first wins under `priority`). */
  order: string[];
  ticked: Record<string, boolean>;
  /** Per dataset, the columns left out. */
  dropped: Record<string, string[]>;
}

const ID = /^[A-Za-z0-9][A-Za-z0-9_.-]{0,63}$/;
const DATE = /^\d{4}-\d{2}-\d{2}$/;

/** The datasets the form would join, in order, with the columns kept. */
export function chosen(form: HarmonizeForm, sources: Record<string, Source>): { id: string; columns: string[]; source: Source }[] {
  return form.order.filter((id) => form.ticked[id] && sources[id]).map((id) => ({
    id, source: sources[id], columns: sources[id].columns.map((c) => c.name).filter((c) => !(form.dropped[id] ?? []).includes(c)),
  }));
}

/** The body of POST /api/harmonized (and /preview): every column kept is sent only when some were left out. */
export function requestBody(form: HarmonizeForm, sources: Record<string, Source>) {
  const datasets = chosen(form, sources).map((d) => ((form.dropped[d.id] ?? []).length ? { id: d.id, columns: d.columns } : d.id));
  return {
    name: form.name.trim(), grain: form.grain, datasets, geo: form.geo, overlap: form.overlap,
    ...(form.from ? { from: form.from } : {}), ...(form.to ? { to: form.to } : {}), ...(form.replace ? { replace: true } : {}),
  };
}

export interface Problems {
  /** Blocking problems, by field. */
  fields: Partial<Record<Field, string>>;
  /** Blocking problems of one dataset (no column kept). */
  datasets: Record<string, string>;
  /** Not blocking: columns that two ticked datasets both give (refused only if their periods overlap). */
  overlapNote: string | null;
}

/** What keeps the form from being previewed or saved, in the words shown beside each field. */
export function problems(form: HarmonizeForm, sources: Record<string, Source>, taken: { tables: string[]; datasets: string[] }): Problems {
  const fields: Problems['fields'] = {};
  const name = form.name.trim();
  if (!name) fields.name = 'Give the table a name';
  else if (!ID.test(name)) fields.name = 'Use up to 64 letters, digits, _ - or . (starting with a letter or digit), no spaces';
  else if (taken.datasets.includes(name)) fields.name = `A dataset is already called ${name}: choose another name`;
  else if (taken.tables.includes(name) && !form.replace) fields.name = `A table called ${name} already exists: choose another name, or tick “Replace it”`;
  if (form.from && !DATE.test(form.from)) fields.from = 'Write the date as YYYY-MM-DD';
  if (form.to && !DATE.test(form.to)) fields.to = 'Write the date as YYYY-MM-DD';
  else if (form.from && form.to && form.to < form.from) fields.to = 'The end date is before the start date';
  const picked = chosen(form, sources);
  const datasets: Record<string, string> = {};
  if (!form.order.length) fields.datasets = 'Upload a dataset first';
  else if (!picked.length) fields.datasets = 'Tick at least one dataset';
  for (const d of picked) if (!d.columns.length) datasets[d.id] = 'Tick at least one column, or untick the dataset';
  if (Object.keys(datasets).length) fields.datasets = 'Every ticked dataset needs at least one column';
  const byGeo = picked.filter((d) => d.source.geo).map((d) => d.id);
  const national = picked.filter((d) => !d.source.geo).map((d) => d.id);
  if (byGeo.length && national.length && form.geo === 'refuse') {
    fields.geo = `${list(byGeo)} ${byGeo.length > 1 ? 'are' : 'is'} by geo but ${list(national)} ${national.length > 1 ? 'are' : 'is'} national: choose “Add up the geos to national”, or tick only one kind`;
  }
  const from = new Map<string, string[]>();
  for (const d of picked) for (const c of d.columns) from.set(c, [...(from.get(c) ?? []), d.id]);
  const shared = [...from].filter(([, ids]) => ids.length > 1);
  const overlapNote = shared.length && form.overlap === 'refuse'
    ? `${shared.slice(0, 3).map(([c, ids]) => `${c} comes from ${list(ids)}`).join('; ')}${shared.length > 3 ? ` (and ${shared.length - 3} more)` : ''}: where their periods overlap, choose how to combine them here, or untick the column in one dataset.`
    : null;
  return { fields, datasets, overlapNote };
}

/** The first blocking problem, for the hint beside the disabled buttons. */
export function firstProblem(p: Problems): string | null {
  const order: Field[] = ['name', 'datasets', 'geo', 'from', 'to'];
  for (const f of order) if (p.fields[f]) return p.fields[f]!;
  return null;
}

const list = (ids: string[]) => (ids.length < 2 ? ids.join('') : `${ids.slice(0, -1).join(', ')} and ${ids[ids.length - 1]}`);
