/**
 * Plans in the workspace: one row per optimized plan with its spec (the plan file) and its result
 * (allocation, totals, baseline, forecast) as JSON. Ids are `<name>-<n>` like models.
 */
import { conflict, notFound } from '../errors.ts';
import type { Workspace } from './workspace.ts';

export interface StoredPlan { id: string; name: string; model: string; createdAt: string; spec: unknown; result: unknown }
/** The layout of a stored plan row (as MODEL_FORMAT in models.ts): rows from before the column read as 1; a higher one is refused. */
export const PLAN_FORMAT = 1;

export interface PlanListing {
  id: string; name: string; model: string; createdAt: string; budget: number | null; expected: number | null; roi: number | null;
  /** The plan result's units (null for plans stored before they were kept). */
  units: { expected: 'currency' | 'conversions'; roi: 'revenue-per-spend' | 'conversions-per-spend'; revenuePerConversion: number | null; currency?: string | null } | null;
}

async function ensureTable(ws: Workspace): Promise<void> {
  await ws.run(`CREATE TABLE IF NOT EXISTS plans (
    id VARCHAR PRIMARY KEY, name VARCHAR NOT NULL, model VARCHAR NOT NULL, created_at VARCHAR NOT NULL,
    spec JSON NOT NULL, result JSON NOT NULL)`);
  await ws.run(`ALTER TABLE plans ADD COLUMN IF NOT EXISTS format INTEGER DEFAULT 1`);
  // Ids of deleted plans, never given again.
  await ws.run('CREATE TABLE IF NOT EXISTS retired_plan_ids (id VARCHAR PRIMARY KEY)');
}

/** Saves a plan under a new id `<name>-<n>` and returns the id. */
export async function savePlan(ws: Workspace, p: Omit<StoredPlan, 'id' | 'createdAt'>): Promise<string> {
  await ensureTable(ws);
  return ws.transaction(async () => {
    // By id, not by name: a renamed plan keeps its id, which a new plan of the old name must not take;
    // and past the highest number ever given, so a deleted plan's id (an old link, a comparison) never names another.
    const prefix = `${p.name}-`;
    const numbers = (await ws.all<{ id: string }>('SELECT id FROM plans UNION SELECT id FROM retired_plan_ids')).map((r) => r.id)
      .filter((id) => id.startsWith(prefix) && /^\d+$/.test(id.slice(prefix.length))).map((id) => Number(id.slice(prefix.length)));
    const n = numbers.length ? Math.max(...numbers) + 1 : 1;
    const id = `${p.name}-${n}`;
    await ws.run('INSERT INTO plans (id, name, model, created_at, spec, result, format) VALUES (?, ?, ?, ?, ?, ?, ?)', [id, p.name, p.model, new Date().toISOString(), JSON.stringify(p.spec), JSON.stringify(p.result), PLAN_FORMAT]);
    return id;
  });
}

export async function listPlans(ws: Workspace): Promise<PlanListing[]> {
  await ensureTable(ws);
  const rows = await ws.all<{ id: string; name: string; model: string; created_at: string; result: string }>(
    'SELECT id, name, model, created_at, CAST(result AS VARCHAR) AS result FROM plans ORDER BY created_at, id');
  return rows.map((r) => {
    const out = JSON.parse(r.result) as { budget?: number; total?: { expected?: number; roi?: number }; units?: PlanListing['units'] };
    return { id: r.id, name: r.name, model: r.model, createdAt: r.created_at, budget: out.budget ?? null, expected: out.total?.expected ?? null, roi: out.total?.roi ?? null, units: out.units ?? null };
  });
}

/** Each saved plan with the models its spec names (`model`, or each of `models`). */
export async function planModelIds(ws: Workspace): Promise<{ id: string; name: string; models: string[] }[]> {
  await ensureTable(ws);
  const rows = await ws.all<{ id: string; name: string; spec: string }>('SELECT id, name, CAST(spec AS VARCHAR) AS spec FROM plans ORDER BY created_at, id');
  return rows.map((r) => {
    const spec = JSON.parse(r.spec) as { model?: unknown; models?: { model?: unknown }[] };
    const models = Array.isArray(spec.models) ? spec.models.map((m) => String(m.model)) : spec.model === undefined ? [] : [String(spec.model)];
    return { id: r.id, name: r.name, models };
  });
}

export async function getPlan(ws: Workspace, id: string): Promise<StoredPlan> {
  await ensureTable(ws);
  const rows = await ws.all<{ id: string; name: string; model: string; created_at: string; spec: string; result: string; format: number | null }>(
    'SELECT id, name, model, created_at, CAST(spec AS VARCHAR) AS spec, CAST(result AS VARCHAR) AS result, format FROM plans WHERE id = ?', [id]);
  if (!rows.length) throw notFound('plan', id, (await ws.all<{ id: string }>('SELECT id FROM plans ORDER BY 1')).map((r) => r.id));
  const r = rows[0];
  const format = Number(r.format ?? 1);
  if (format > PLAN_FORMAT) throw conflict(`plan '${id}' was stored by a newer version of Marginal (stored format ${format}; this version reads up to ${PLAN_FORMAT}): upgrade Marginal to read it`);
  return { id: r.id, name: r.name, model: r.model, createdAt: r.created_at, spec: JSON.parse(r.spec), result: JSON.parse(r.result) };
}

/** Renames a plan (its display name; the id stays, so links and comparisons keep working). */
export async function renamePlan(ws: Workspace, id: string, name: string): Promise<void> {
  await getPlan(ws, id);
  await ws.run('UPDATE plans SET name = ? WHERE id = ?', [name, id]);
}

/** Deletes a plan; NOT_FOUND (naming the plans there are) when there is none. */
export async function deletePlan(ws: Workspace, id: string): Promise<void> {
  await getPlan(ws, id);
  await ws.transaction(async () => {
    await ws.run('INSERT OR IGNORE INTO retired_plan_ids VALUES (?)', [id]);
    await ws.run('DELETE FROM plans WHERE id = ?', [id]);
  });
}

/**
 * Response-curve nodes of a model (planning's node cache): computing them runs the model, so plans on
 * the same model reuse them. Key → one value per draw; stored as JSON arrays.
 */
export async function loadCurveNodes(ws: Workspace, model: string): Promise<Map<string, Float64Array>> {
  await ws.run('CREATE TABLE IF NOT EXISTS plan_curve_nodes (model VARCHAR NOT NULL, key VARCHAR NOT NULL, draws JSON NOT NULL, PRIMARY KEY (model, key))');
  const rows = await ws.all<{ key: string; draws: string }>('SELECT key, CAST(draws AS VARCHAR) AS draws FROM plan_curve_nodes WHERE model = ?', [model]);
  return new Map(rows.map((r) => [r.key, Float64Array.from(JSON.parse(r.draws) as number[])]));
}

export async function saveCurveNodes(ws: Workspace, model: string, nodes: Map<string, Float64Array>, known: Set<string>): Promise<number> {
  const fresh = [...nodes].filter(([k]) => !known.has(k));
  if (!fresh.length) return 0;
  await ws.run('CREATE TABLE IF NOT EXISTS plan_curve_nodes (model VARCHAR NOT NULL, key VARCHAR NOT NULL, draws JSON NOT NULL, PRIMARY KEY (model, key))');
  await ws.transaction(async () => {
    for (const [k, v] of fresh) await ws.run('INSERT OR REPLACE INTO plan_curve_nodes VALUES (?, ?, ?)', [model, k, JSON.stringify(Array.from(v))]);
  });
  return fresh.length;
}
