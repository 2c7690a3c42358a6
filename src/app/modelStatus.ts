/**
 * The status of stored models, for every surface that lists or shows them (`marginal models`,
 * `GET /api/models`, the web's Models, Insights and Overview pages): whether a model is **stale** — the
 * harmonized table it was fitted on has a newer version, or was dropped — said in words, and which
 * saved plans depend on it.
 */
import { allVersions, getModel, listHarmonized, listModels, type ModelListing, type StoredModel, type VersionInfo, type Workspace } from '../data/index.ts';
import { planModelIds } from '../data/plans.ts';

export interface Stale {
  reason: string;
  table: string;
  fittedVersion: number;
  currentVersion: number | null;
  newerPeriods: number | null;
  supersededBy: string | null;
}
export interface DependentPlan { id: string; name: string }
export interface ModelStatus { stale: Stale | null; plans: DependentPlan[] }
export type ModelRow = ModelListing & ModelStatus;

/** What staleness is judged against: every table's versions and grain, every model, every plan's models. */
export interface StatusContext {
  versions: Map<string, VersionInfo[]>;
  grains: Map<string, string>;
  models: ModelListing[];
  plans: { id: string; name: string; models: string[] }[];
}

export async function statusContext(ws: Workspace): Promise<StatusContext> {
  const tables = await listHarmonized(ws);
  return { versions: await allVersions(ws), grains: new Map(tables.map((t) => [t.id, t.grain])), models: await listModels(ws), plans: await planModelIds(ws) };
}

/** Whole periods from `a` to `b` (ISO dates) at a grain: weeks of 7 days, calendar months or years. */
export function periodsBetween(a: string, b: string, grain: string): number {
  if (grain === 'year') return Number(b.slice(0, 4)) - Number(a.slice(0, 4));
  if (grain === 'month') return (Number(b.slice(0, 4)) - Number(a.slice(0, 4))) * 12 + Number(b.slice(5, 7)) - Number(a.slice(5, 7));
  return Math.round((Date.parse(`${b}T00:00:00Z`) - Date.parse(`${a}T00:00:00Z`)) / (7 * 86_400_000));
}

/** Whether model `m` is stale, in words; null when it reads the current version of its table, or a file. */
export function staleness(m: Pick<ModelListing, 'id' | 'table' | 'version'>, ctx: StatusContext): Stale | null {
  if (m.table === null || m.version === null) return null;
  const versions = ctx.versions.get(m.table) ?? [];
  const current = versions.find((v) => v.current) ?? null;
  const fitted = versions.find((v) => v.version === m.version) ?? null;
  const fittedOn = `fitted on version ${m.version} of '${m.table}'`;
  if (current && current.version <= m.version) return null;
  if (!current) {
    const when = fitted?.archivedAt ? ` on ${fitted.archivedAt.slice(0, 10)}` : '';
    return { reason: `${fittedOn}; the table was dropped${when}`, table: m.table, fittedVersion: m.version, currentVersion: null, newerPeriods: null, supersededBy: null };
  }
  const grain = ctx.grains.get(m.table) ?? 'week';
  const n = fitted?.to && current.to ? periodsBetween(fitted.to, current.to, grain) : null;
  const unit = (k: number) => `${grain}${Math.abs(k) === 1 ? '' : 's'}`;
  const change = n === null ? null : n > 0 ? `${n} more ${unit(n)}` : n < 0 ? `${-n} fewer ${unit(n)}` : 'the same dates';
  const supersededBy = ctx.models.find((x) => x.refreshedFrom === m.id && x.table === m.table && x.version === current.version)?.id ?? null;
  const what = [current.createdAt.slice(0, 10), change].filter(Boolean).join(', ');
  return {
    reason: `${fittedOn}; version ${current.version} (${what}) is newer${supersededBy ? `; refreshed as ${supersededBy}` : ''}`,
    table: m.table, fittedVersion: m.version, currentVersion: current.version, newerPeriods: n, supersededBy,
  };
}

/** The saved plans whose spec names model `id`. */
export function dependentPlans(id: string, ctx: Pick<StatusContext, 'plans'>): DependentPlan[] {
  return ctx.plans.filter((p) => p.models.includes(id)).map((p) => ({ id: p.id, name: p.name }));
}

/** Every stored model with its status (oldest first). */
export async function listModelsWithStatus(ws: Workspace): Promise<ModelRow[]> {
  const ctx = await statusContext(ws);
  return ctx.models.map((m) => ({ ...m, stale: staleness(m, ctx), plans: dependentPlans(m.id, ctx) }));
}

/** One stored model (without its large fit result) with its status. */
export async function modelWithStatus(ws: Workspace, id: string): Promise<Omit<StoredModel, 'result'> & ModelStatus> {
  const { result: _result, ...m } = await getModel(ws, id);
  const ctx = await statusContext(ws);
  const row = ctx.models.find((x) => x.id === id)!;
  return { ...m, stale: staleness(row, ctx), plans: dependentPlans(id, ctx) };
}
