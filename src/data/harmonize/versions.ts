/**
 * Versions of a harmonized table. Harmonizing under an existing name with `replace` makes version
 * n + 1; the old version's catalog row moves to `harmonized_versions` and its cells stay in
 * `hv_values`, under the name `<id>@<version>` (never a table id: ids have no '@'), as long as a
 * stored model was fitted on it — so that model still loads, plans and shows its insights on the rows
 * it saw. A version no model uses keeps only its catalog row (the history), not its cells. Dropping a
 * table archives its current version the same way.
 *
 * - `harmonized.version`: the current version (rows from before versions read as 1).
 * - `harmonized_versions`: (id, version, grain, …, created_at, archived_at, reason, store, kept): one row
 *   per archived version; `store` names the rows in `hv_values` while `kept`.
 */
import { conflict, notFound } from '../../errors.ts';
import type { SqlSession } from '../sqlSession.ts';
import { registerNames } from '../schema.ts';

export interface VersionInfo {
  version: number;
  /** ISO timestamp the version was harmonized. */
  createdAt: string;
  /** When a newer version (or a drop) replaced it; null for the current version. */
  archivedAt: string | null;
  from: string; to: string; rows: number;
  /** The datasets it was harmonized from, with their checksums (sha256 of the ingested file). */
  datasets: { id: string; checksum: string | null }[];
  current: boolean;
  /** Whether its cells are still stored (the current version, or an old one a model was fitted on). */
  stored: boolean;
}

/** Adds what versions need to a workspace from before them (idempotent; writes only when something is missing). */
export async function ensureVersionTables(ws: SqlSession): Promise<void> {
  const have = await ws.all<{ c: number }>(`SELECT count(*) AS c FROM information_schema.columns WHERE table_name = 'harmonized' AND column_name = 'version' AND table_schema = 'main' AND table_catalog = current_database()`);
  if (!Number(have[0]?.c)) await ws.run('ALTER TABLE harmonized ADD COLUMN IF NOT EXISTS version INTEGER DEFAULT 1');
  const table = await ws.all<{ c: number }>(`SELECT count(*) AS c FROM information_schema.tables WHERE table_name = 'harmonized_versions' AND table_schema = 'main' AND table_catalog = current_database()`);
  if (!Number(table[0]?.c)) {
    await ws.run(`CREATE TABLE IF NOT EXISTS harmonized_versions (
      id VARCHAR NOT NULL, version INTEGER NOT NULL, grain VARCHAR NOT NULL, week_start VARCHAR, date_from DATE, date_to DATE, geo_level VARCHAR,
      datasets VARCHAR, recipe VARCHAR, report VARCHAR, columns VARCHAR, row_count BIGINT, created_at TIMESTAMP,
      archived_at TIMESTAMP NOT NULL, reason VARCHAR NOT NULL, store VARCHAR NOT NULL, kept BOOLEAN NOT NULL, PRIMARY KEY (id, version))`);
  }
}

/**
 * The harmonized table and version each stored model was fitted on (models on a file have none). A
 * model from before versions names no version: it was fitted on version 1.
 */
export async function modelDataRefs(ws: SqlSession): Promise<{ model: string; table: string; version: number }[]> {
  const has = await ws.all<{ c: number }>(`SELECT count(*) AS c FROM information_schema.tables WHERE table_name = 'models' AND table_schema = 'main' AND table_catalog = current_database()`);
  if (!Number(has[0]?.c)) return [];
  const rows = await ws.all<{ id: string; t: string | null; v: string | null }>(`SELECT id, json_extract_string(config, '$.data.harmonized') AS t, json_extract_string(config, '$.data.version') AS v FROM models`);
  return rows.filter((r) => r.t !== null).map((r) => ({ model: r.id, table: String(r.t), version: r.v === null ? 1 : Number(r.v) }));
}

/** The name an archived version's cells are stored under in `hv_values`. */
export const storeName = (id: string, version: number) => `${id}@${version}`;

/** The current version of table `id`, or null when there is none (never harmonized, or dropped). */
export async function currentVersion(ws: SqlSession, id: string): Promise<number | null> {
  const rows = await ws.all<{ v: number | null }>('SELECT coalesce(version, 1) AS v FROM harmonized WHERE id = ?', [id]);
  return rows.length ? Number(rows[0].v) : null;
}

/** The version the next harmonize of `id` makes: one past every version it has had. */
export async function nextVersion(ws: SqlSession, id: string): Promise<number> {
  const rows = await ws.all<{ v: number | null }>(`SELECT max(v) AS v FROM (SELECT coalesce(version, 1) AS v FROM harmonized WHERE id = ? UNION ALL SELECT version FROM harmonized_versions WHERE id = ?)`, [id, id]);
  return Number(rows[0]?.v ?? 0) + 1;
}

/**
 * Moves the current version of `id` to the history (inside the caller's transaction): its cells are
 * kept under `<id>@<version>` when a stored model was fitted on it, deleted otherwise. Returns the
 * version archived, or null when the table has no current version.
 */
export async function archiveCurrent(ws: SqlSession, id: string, reason: 'replaced' | 'dropped'): Promise<number | null> {
  const version = await currentVersion(ws, id);
  if (version === null) return null;
  const store = storeName(id, version);
  const kept = (await modelDataRefs(ws)).some((r) => r.table === id && r.version === version);
  await ws.run(`INSERT INTO harmonized_versions SELECT id, coalesce(version, 1), grain, week_start, date_from, date_to, geo_level, datasets, recipe, report, columns, row_count, created_at,
    now(), ?, ?, ? FROM harmonized WHERE id = ?`, [reason, store, kept, id]);
  if (kept) {
    await registerNames(ws, `SELECT '${store.replaceAll("'", "''")}' AS name`);
    await ws.run(`UPDATE hv_values SET h = (SELECT id FROM obs_names WHERE name = ?) WHERE h IN (SELECT id FROM obs_names WHERE name = ?)`, [store, id]);
  } else {
    await ws.run('DELETE FROM hv_values WHERE h IN (SELECT id FROM obs_names WHERE name = ?)', [id]);
  }
  await ws.run('DELETE FROM harmonized WHERE id = ?', [id]);
  return version;
}

/**
 * The name version `version` of table `id` is read under: `id` itself for the current version,
 * `<id>@<version>` for an archived one whose cells are kept. NOT_FOUND for a version it never had,
 * CONFLICT (with what to do) for one whose cells are gone.
 */
export async function versionStore(ws: SqlSession, id: string, version: number): Promise<string> {
  if ((await currentVersion(ws, id)) === version) return id;
  const rows = await ws.all<{ store: string; kept: boolean; reason: string }>('SELECT store, kept, reason FROM harmonized_versions WHERE id = ? AND version = ?', [id, version]);
  if (!rows.length) {
    const known = (await tableVersions(ws, id)).map((v) => String(v.version));
    if (!known.length) throw notFound('harmonized table', id);
    throw notFound(`version of harmonized table '${id}'`, String(version), known);
  }
  if (!rows[0].kept) throw conflict(`version ${version} of harmonized table '${id}' is no longer stored (it was ${rows[0].reason} and no model was fitted on it); fit on the current version instead`);
  return rows[0].store;
}

/** Every version of table `id`, oldest first: the archived ones and the current one. */
export async function tableVersions(ws: SqlSession, id: string): Promise<VersionInfo[]> {
  return (await allVersions(ws)).get(id) ?? [];
}

/** Every version of every table (current and archived), by table id, oldest first. */
export async function allVersions(ws: SqlSession): Promise<Map<string, VersionInfo[]>> {
  const rows = await ws.all<{ id: string; v: number; created: string | null; archived: string | null; f: string | null; t: string | null; n: number | null; recipe: string | null; kept: boolean; cur: boolean }>(`
    SELECT id, coalesce(version, 1) AS v, strftime(created_at, '%Y-%m-%dT%H:%M:%S') AS created, NULL AS archived, CAST(date_from AS VARCHAR) AS f, CAST(date_to AS VARCHAR) AS t,
      row_count AS n, recipe, true AS kept, true AS cur FROM harmonized
    UNION ALL
    SELECT id, version, strftime(created_at, '%Y-%m-%dT%H:%M:%S'), strftime(archived_at, '%Y-%m-%dT%H:%M:%S'), CAST(date_from AS VARCHAR), CAST(date_to AS VARCHAR), row_count, recipe, kept, false FROM harmonized_versions
    ORDER BY id, v`);
  const out = new Map<string, VersionInfo[]>();
  for (const r of rows) {
    const list = out.get(r.id) ?? [];
    list.push({
      version: Number(r.v), createdAt: String(r.created ?? ''), archivedAt: r.archived === null ? null : String(r.archived),
      from: String(r.f ?? ''), to: String(r.t ?? ''), rows: Number(r.n ?? 0), datasets: datasetsOf(r.recipe), current: !!r.cur, stored: !!r.kept,
    });
    out.set(r.id, list);
  }
  return out;
}

function datasetsOf(recipe: string | null): { id: string; checksum: string | null }[] {
  try {
    const r = JSON.parse(String(recipe ?? '{}')) as { datasets?: { id?: unknown; checksum?: unknown }[] };
    return (r.datasets ?? []).map((d) => ({ id: String(d.id), checksum: typeof d.checksum === 'string' ? d.checksum : null }));
  } catch {
    return [];
  }
}

/**
 * Deletes the cells of archived versions no stored model was fitted on any more (after a model is
 * deleted); their catalog rows stay as history. Returns how many versions lost their cells.
 */
export async function pruneUnusedVersions(ws: SqlSession): Promise<number> {
  const used = new Set((await modelDataRefs(ws)).map((r) => storeName(r.table, r.version)));
  const kept = await ws.all<{ id: string; version: number; store: string }>('SELECT id, version, store FROM harmonized_versions WHERE kept');
  let n = 0;
  for (const k of kept) {
    if (used.has(k.store)) continue;
    await ws.run('DELETE FROM hv_values WHERE h IN (SELECT id FROM obs_names WHERE name = ?)', [k.store]);
    await ws.run('UPDATE harmonized_versions SET kept = false WHERE id = ? AND version = ?', [k.id, k.version]);
    n++;
  }
  return n;
}
