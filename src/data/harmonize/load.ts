/**
 * Reading harmonized tables: the columnar shape models use, the catalog, and a wide preview.
 */
import { notFound } from '../../errors.ts';
import { withWorkspace, type Workspace } from '../workspace.ts';
import { allVersions, versionStore, type VersionInfo } from './versions.ts';

/**
 * A harmonized table in columns. Row `i` is (`dates[i]`, `geos?.[i]`); rows are sorted by geo, then date,
 * so each geo's periods are contiguous. `dates` are ISO `YYYY-MM-DD` (week, month or year start); `geos` is null
 * for a national table; each column is a Float64Array with NaN where the value is missing.
 * Example: a national weekly table of 156 weeks → dates.length = 156, columns.tv_spend.length = 156.
 */
export interface HarmonizedTable {
  dates: string[];
  geos: string[] | null;
  columns: Record<string, Float64Array>;
}

/** Opens the workspace file, reads harmonized table `id` (its current version, or `version`), and closes it. */
export async function loadHarmonized(workspace: string, id: string, version?: number): Promise<HarmonizedTable> {
  return withWorkspace(workspace, (ws) => readHarmonized(ws, id, version));
}

/** Harmonized table `id`: its current version, or version `version` (an old one a model was fitted on: versions.ts). */
export async function readHarmonized(ws: Workspace, id: string, version?: number): Promise<HarmonizedTable> {
  const name = version === undefined ? id : await versionStore(ws, id, version);
  const cols = await ws.all<{ name: string }>('SELECT DISTINCT "column" AS name FROM harmonized_values WHERE harmonized = ? ORDER BY 1', [name]);
  if (!cols.length && name === id) {
    const known = (await ws.all<{ id: string }>('SELECT id FROM harmonized ORDER BY 1')).map((r) => r.id);
    if (!known.includes(id)) throw notFound('harmonized table', id, known);
  }
  const keys = await ws.columns(`SELECT DISTINCT CAST(date AS VARCHAR) AS d, geo FROM harmonized_values WHERE harmonized = ? ORDER BY geo NULLS FIRST, d`, [name]);
  const dates = keys.d as string[];
  const geoCol = keys.geo as (string | null)[];
  const national = geoCol.every((g) => g === null);
  const index = new Map<string, number>();
  dates.forEach((d, i) => index.set(`${geoCol[i] ?? ''}\u0000${d}`, i));
  const columns: Record<string, Float64Array> = {};
  const order = cols.map((c) => c.name);
  for (const name of order) columns[name] = new Float64Array(dates.length).fill(NaN);
  const data = await ws.columns(`SELECT CAST(date AS VARCHAR) AS d, geo, "column" AS c, value FROM harmonized_values WHERE harmonized = ?`, [name]);
  const d = data.d as string[], g = data.geo as (string | null)[], c = data.c as string[], v = data.value as (number | null)[];
  for (let k = 0; k < d.length; k++) {
    const i = index.get(`${g[k] ?? ''}\u0000${d[k]}`)!;
    columns[c[k]][i] = v[k] === null ? NaN : v[k]!;
  }
  return { dates, geos: national ? null : geoCol.map((x) => x ?? ''), columns };
}

export interface HarmonizedInfo {
  id: string; grain: string; weekStart: string | null; from: string; to: string; geoLevel: string; datasets: string[];
  recipe: unknown; report: unknown; columns: { name: string; role: string }[]; rows: number; createdAt: string;
  /** The current version (1 for a table harmonized once, or from before versions) and every version, oldest first. */
  version: number; versions: VersionInfo[];
}

export async function listHarmonized(ws: Workspace): Promise<HarmonizedInfo[]> {
  const rows = await ws.all<Record<string, string | number | null>>(`SELECT id, grain, week_start, CAST(date_from AS VARCHAR) AS f, CAST(date_to AS VARCHAR) AS t, geo_level, datasets, recipe, report, columns, row_count,
    strftime(created_at, '%Y-%m-%dT%H:%M:%S') AS created_at, coalesce(version, 1) AS version FROM harmonized ORDER BY created_at, id`);
  const history = await allVersions(ws);
  return rows.map((r) => ({
    id: String(r.id), grain: String(r.grain), weekStart: r.week_start === null ? null : String(r.week_start), from: String(r.f), to: String(r.t),
    geoLevel: String(r.geo_level), datasets: JSON.parse(String(r.datasets)), recipe: JSON.parse(String(r.recipe)), report: JSON.parse(String(r.report)),
    columns: JSON.parse(String(r.columns)), rows: Number(r.row_count), createdAt: String(r.created_at),
    version: Number(r.version), versions: history.get(String(r.id)) ?? [],
  }));
}

export async function getHarmonized(ws: Workspace, id: string): Promise<HarmonizedInfo> {
  const all = await listHarmonized(ws);
  const h = all.find((x) => x.id === id);
  if (!h) throw notFound('harmonized table', id, all.map((x) => x.id));
  return h;
}

/** The table as wide rows: `date`, `geo` (geo tables only), then one key per column. */
export async function wideRows(ws: Workspace, id: string, limit = Infinity): Promise<Record<string, string | number | null>[]> {
  const t = await readHarmonized(ws, id);
  const n = Math.min(t.dates.length, limit);
  const out: Record<string, string | number | null>[] = [];
  for (let i = 0; i < n; i++) {
    const row: Record<string, string | number | null> = { date: t.dates[i] };
    if (t.geos) row.geo = t.geos[i];
    for (const [c, v] of Object.entries(t.columns)) row[c] = Number.isNaN(v[i]) ? null : v[i];
    out.push(row);
  }
  return out;
}

export const previewHarmonized = (ws: Workspace, id: string, limit = 10) => wideRows(ws, id, limit);

/**
 * The currency of a harmonized table's money columns: the one currency its datasets were ingested
 * with, or null when none was given, the table is unknown, or they disagree (then no symbol is shown
 * rather than a wrong one).
 */
export async function harmonizedCurrency(ws: Workspace, id: string): Promise<string | null> {
  const rows = await ws.all<{ datasets: string }>('SELECT datasets FROM harmonized WHERE id = ?', [id]);
  if (!rows.length) return null;
  const ids = JSON.parse(String(rows[0].datasets)) as string[];
  if (!ids.length) return null;
  const found = await ws.all<{ currency: string | null }>(`SELECT DISTINCT currency FROM datasets WHERE id IN (${ids.map(() => '?').join(', ')}) AND currency IS NOT NULL`, ids);
  return found.length === 1 ? String(found[0].currency) : null;
}
