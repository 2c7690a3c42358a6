/**
 * Fitted models in the workspace: one row per fit with its config, its contract output and the full
 * result (series, parameter table, constrained draws) as JSON, written in one transaction.
 */
import { conflict, notFound } from '../errors.ts';
import type { Workspace } from './workspace.ts';
import { pruneUnusedVersions } from './harmonize/versions.ts';

export interface StoredModel {
  id: string;
  /** The display name (`marginal models rename`); the id never changes. */
  name: string;
  family: string;
  createdAt: string;
  config: unknown;
  output: unknown;
  result: unknown;
  /** The model this one refreshed or refitted (`marginal models refresh`), if any. */
  refreshedFrom?: string | null;
}

/**
 * The layout of a stored model row this version writes and reads. Rows from before the column was
 * added read as 1. A row of a higher format was written by a newer Marginal: refused, not guessed at.
 * Raise it when the stored config, output or result changes in a way older readers would misread.
 */
export const MODEL_FORMAT = 2;

export interface ModelListing {
  id: string; name: string; family: string; createdAt: string; status: string; r2: number | null; warnings: number;
  /** What it was fitted on: the harmonized table and its version (null for a model fitted on a file), and its target column (the KPI). */
  table: string | null; version: number | null; target: string;
  refreshedFrom: string | null;
}

async function ensureTable(ws: Workspace): Promise<void> {
  await ws.run(`CREATE TABLE IF NOT EXISTS models (
    id VARCHAR PRIMARY KEY, name VARCHAR NOT NULL, family VARCHAR NOT NULL, created_at VARCHAR NOT NULL,
    config JSON NOT NULL, output JSON NOT NULL, result JSON NOT NULL)`);
  await ws.run(`ALTER TABLE models ADD COLUMN IF NOT EXISTS format INTEGER DEFAULT 1`);
  await ws.run(`ALTER TABLE models ADD COLUMN IF NOT EXISTS refreshed_from VARCHAR`);
  // Ids of deleted models, never given again (plans, links and cached insights name models by id).
  await ws.run('CREATE TABLE IF NOT EXISTS retired_model_ids (id VARCHAR PRIMARY KEY)');
}

/**
 * Saves a fit under a new id `<name>-<n>` and returns the id: past the highest number ever given to
 * that name (a renamed model keeps its id, a deleted model's id is never given again).
 * `displayName` (default: `name`) is what lists show; `refreshedFrom` links a refresh to its model.
 */
export async function saveModel(ws: Workspace, m: Omit<StoredModel, 'id' | 'createdAt'> & { displayName?: string }): Promise<string> {
  await ensureTable(ws);
  return ws.transaction(async () => {
    const prefix = `${m.name}-`;
    const numbers = (await ws.all<{ id: string }>('SELECT id FROM models UNION SELECT id FROM retired_model_ids')).map((r) => r.id)
      .filter((id) => id.startsWith(prefix) && /^\d+$/.test(id.slice(prefix.length))).map((id) => Number(id.slice(prefix.length)));
    const id = `${m.name}-${numbers.length ? Math.max(...numbers) + 1 : 1}`;
    await ws.run('INSERT INTO models (id, name, family, created_at, config, output, result, format, refreshed_from) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)', [
      id, m.displayName ?? m.name, m.family, new Date().toISOString(), JSON.stringify(m.config), JSON.stringify(m.output), JSON.stringify(m.result), MODEL_FORMAT, m.refreshedFrom ?? null,
    ]);
    return id;
  });
}

export async function listModels(ws: Workspace): Promise<ModelListing[]> {
  await ensureTable(ws);
  const rows = await ws.all<{ id: string; name: string; family: string; created_at: string; output: string; t: string | null; v: string | null; target: string | null; refreshed_from: string | null }>(
    `SELECT id, name, family, created_at, CAST(output AS VARCHAR) AS output, json_extract_string(config, '$.data.harmonized') AS t, json_extract_string(config, '$.data.version') AS v,
      json_extract_string(config, '$.target.column') AS target, refreshed_from FROM models ORDER BY created_at, id`);
  return rows.map((r) => {
    const out = JSON.parse(r.output) as { fit?: { r2?: number }; warnings?: string[]; approximate?: boolean };
    const warnings = out.warnings?.length ?? 0;
    return {
      id: r.id, name: r.name, family: r.family, createdAt: r.created_at, status: out.approximate ? 'approximate' : warnings ? 'warnings' : 'ok', r2: out.fit?.r2 ?? null, warnings,
      // A model from before versions names none: it was fitted on version 1.
      table: r.t, version: r.t === null ? null : r.v === null ? 1 : Number(r.v), target: String(r.target ?? ''), refreshedFrom: r.refreshed_from,
    };
  });
}

export async function getModel(ws: Workspace, id: string): Promise<StoredModel> {
  await ensureTable(ws);
  const rows = await ws.all<{ id: string; name: string; family: string; created_at: string; config: string; output: string; result: string; format: number | null; refreshed_from: string | null }>(
    'SELECT id, name, family, created_at, CAST(config AS VARCHAR) AS config, CAST(output AS VARCHAR) AS output, CAST(result AS VARCHAR) AS result, format, refreshed_from FROM models WHERE id = ?', [id]);
  if (!rows.length) {
    const known = (await ws.all<{ id: string }>('SELECT id FROM models ORDER BY 1')).map((r) => r.id);
    throw notFound('model', id, known);
  }
  const r = rows[0];
  const format = Number(r.format ?? 1);
  if (format > MODEL_FORMAT) throw conflict(`model '${id}' was stored by a newer version of Marginal (stored format ${format}; this version reads up to ${MODEL_FORMAT}): upgrade Marginal to read it, or refit it with this version`);
  return { id: r.id, name: r.name, family: r.family, createdAt: r.created_at, config: JSON.parse(r.config), output: JSON.parse(r.output), result: JSON.parse(r.result), refreshedFrom: r.refreshed_from };
}

/** Gives a model another display name; its id stays, so plans, links and comparisons keep working. */
export async function renameModel(ws: Workspace, id: string, name: string): Promise<void> {
  await getModel(ws, id);
  await ws.run('UPDATE models SET name = ? WHERE id = ?', [name, id]);
}

/**
 * Deletes a model with what was kept for it: its response-curve nodes, and the cells of an old table
 * version no other model was fitted on (versions.ts). Its id is never given again.
 */
export async function deleteModelRow(ws: Workspace, id: string): Promise<void> {
  await getModel(ws, id);
  await ws.transaction(async () => {
    await ws.run('INSERT OR IGNORE INTO retired_model_ids VALUES (?)', [id]);
    await ws.run('DELETE FROM models WHERE id = ?', [id]);
    await ws.run('CREATE TABLE IF NOT EXISTS plan_curve_nodes (model VARCHAR NOT NULL, key VARCHAR NOT NULL, draws JSON NOT NULL, PRIMARY KEY (model, key))');
    await ws.run('DELETE FROM plan_curve_nodes WHERE model = ?', [id]);
    await pruneUnusedVersions(ws);
  });
}
