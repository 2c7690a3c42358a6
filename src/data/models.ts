/**
 * Fitted models in the workspace: one row per fit with its config, its contract output and the full
 * result (series, parameter table, constrained draws) as JSON, written in one transaction.
 */
import { conflict, notFound } from '../errors.ts';
import type { Workspace } from './workspace.ts';

export interface StoredModel {
  id: string;
  name: string;
  family: string;
  createdAt: string;
  config: unknown;
  output: unknown;
  result: unknown;
}

/**
 * The layout of a stored model row this version writes and reads. Rows from before the column was
 * added read as 1. A row of a higher format was written by a newer Marginal: refused, not guessed at.
 * Raise it when the stored config, output or result changes in a way older readers would misread.
 */
export const MODEL_FORMAT = 1;

export interface ModelListing { id: string; name: string; family: string; createdAt: string; status: string; r2: number | null; warnings: number }

async function ensureTable(ws: Workspace): Promise<void> {
  await ws.run(`CREATE TABLE IF NOT EXISTS models (
    id VARCHAR PRIMARY KEY, name VARCHAR NOT NULL, family VARCHAR NOT NULL, created_at VARCHAR NOT NULL,
    config JSON NOT NULL, output JSON NOT NULL, result JSON NOT NULL)`);
  await ws.run(`ALTER TABLE models ADD COLUMN IF NOT EXISTS format INTEGER DEFAULT 1`);
}

/** Saves a fit under a new id `<name>-<n>` and returns the id. */
export async function saveModel(ws: Workspace, m: Omit<StoredModel, 'id' | 'createdAt'>): Promise<string> {
  await ensureTable(ws);
  return ws.transaction(async () => {
    const rows = await ws.all<{ id: string }>('SELECT id FROM models WHERE name = ?', [m.name]);
    let n = rows.length + 1;
    const taken = new Set(rows.map((r) => r.id));
    while (taken.has(`${m.name}-${n}`)) n++;
    const id = `${m.name}-${n}`;
    await ws.run('INSERT INTO models (id, name, family, created_at, config, output, result, format) VALUES (?, ?, ?, ?, ?, ?, ?, ?)', [
      id, m.name, m.family, new Date().toISOString(), JSON.stringify(m.config), JSON.stringify(m.output), JSON.stringify(m.result), MODEL_FORMAT,
    ]);
    return id;
  });
}

export async function listModels(ws: Workspace): Promise<ModelListing[]> {
  await ensureTable(ws);
  const rows = await ws.all<{ id: string; name: string; family: string; created_at: string; output: string }>(
    'SELECT id, name, family, created_at, CAST(output AS VARCHAR) AS output FROM models ORDER BY created_at, id');
  return rows.map((r) => {
    const out = JSON.parse(r.output) as { fit?: { r2?: number }; warnings?: string[]; approximate?: boolean };
    const warnings = out.warnings?.length ?? 0;
    return { id: r.id, name: r.name, family: r.family, createdAt: r.created_at, status: out.approximate ? 'approximate' : warnings ? 'warnings' : 'ok', r2: out.fit?.r2 ?? null, warnings };
  });
}

export async function getModel(ws: Workspace, id: string): Promise<StoredModel> {
  await ensureTable(ws);
  const rows = await ws.all<{ id: string; name: string; family: string; created_at: string; config: string; output: string; result: string; format: number | null }>(
    'SELECT id, name, family, created_at, CAST(config AS VARCHAR) AS config, CAST(output AS VARCHAR) AS output, CAST(result AS VARCHAR) AS result, format FROM models WHERE id = ?', [id]);
  if (!rows.length) {
    const known = (await ws.all<{ id: string }>('SELECT id FROM models ORDER BY 1')).map((r) => r.id);
    throw notFound('model', id, known);
  }
  const r = rows[0];
  const format = Number(r.format ?? 1);
  if (format > MODEL_FORMAT) throw conflict(`model '${id}' was stored by a newer version of Marginal (stored format ${format}; this version reads up to ${MODEL_FORMAT}): upgrade Marginal to read it, or refit it with this version`);
  return { id: r.id, name: r.name, family: r.family, createdAt: r.created_at, config: JSON.parse(r.config), output: JSON.parse(r.output), result: JSON.parse(r.result) };
}
