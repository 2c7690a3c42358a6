/**
 * The overview use case (`marginal overview`, `GET /api/overview`, the web's first page): the whole
 * workspace at a glance. Per KPI (the target column of the models) its latest model with its health in
 * one line and each channel's ROI with its 90% interval (the stored figures of the fit, not computed
 * again); how fresh the data are (last date per dataset, per harmonized table with its version); open
 * warnings; stale models; saved plans and their status. With nothing in the workspace, what to do first.
 *
 * In two parts: `collectOverview` reads the workspace; `addHealth` asks the caller for each latest
 * model's health rows (the server from its cached insights, the CLI by computing them), so the
 * workspace is not held while a model is loaded.
 */
import { getModel, listDatasets, listHarmonized, type Workspace } from '../data/index.ts';
import { datasetDates } from '../data/freshness.ts';
import { listPlans } from '../data/plans.ts';
import { healthVerdict, type HealthRow } from '../analysis/health.ts';
import type { FigureUnits } from '../units.ts';
import { staleness, statusContext, type Stale } from './modelStatus.ts';

export interface KpiCard {
  /** The target column the models explain, and whether it is revenue or conversions. */
  kpi: string; kind: string;
  model: { id: string; name: string; family: string; createdAt: string; table: string | null; version: number | null; approximate: boolean };
  stale: Stale | null;
  /** One line from the model's health summary; level 'unknown' until (or when it cannot be) computed. */
  health: { level: 'ok' | 'caution' | 'problem' | 'unknown'; line: string };
  /** Each channel's spend and ROI (or conversions per unit of spend) with its 90% interval, as the fit stored them. */
  channels: { name: string; spend: number; roi: number; roiInterval: [number, number] | null }[];
  units: FigureUnits | null;
  /** Older models of the same KPI, newest first. */
  otherModels: string[];
}

export interface Overview {
  /** Nothing in the workspace yet. */
  empty: boolean;
  /** What to do next when a step is missing (upload, harmonize, fit); null when there are models. */
  next: { step: 'upload' | 'harmonize' | 'fit'; text: string } | null;
  kpis: KpiCard[];
  datasets: { id: string; kind: string; from: string | null; to: string | null; rows: number; createdAt: string }[];
  tables: { id: string; version: number; versions: number; grain: string; from: string; to: string; rows: number; createdAt: string; models: number }[];
  /** Stale models no refresh has replaced yet. */
  stale: { id: string; name: string; reason: string }[];
  /** The latest models' health cautions and problems, and the current tables' validation warnings. */
  warnings: { source: string; level: 'caution' | 'problem'; text: string }[];
  plans: { id: string; name: string; models: string[]; createdAt: string; budget: number | null; expected: number | null; currency: string | null; status: 'current' | 'stale' | 'model deleted'; note: string }[];
}

const NEXT: Record<'upload' | 'harmonize' | 'fit', string> = {
  upload: 'Start on the Data page: upload your spend per channel and your sales (CSV, Excel or Parquet).',
  harmonize: 'Next, on the Data page: harmonize the datasets into one weekly or monthly table.',
  fit: 'Next, on the Models page: train a model on the harmonized table.',
};

export async function collectOverview(ws: Workspace): Promise<Overview> {
  const [datasets, tables, dates, plans, ctx] = [await listDatasets(ws), await listHarmonized(ws), await datasetDates(ws), await listPlans(ws), await statusContext(ws)];
  const models = ctx.models;
  const rows = models.map((m) => ({ ...m, stale: staleness(m, ctx) }));
  // Per KPI, the latest model first.
  const byKpi = new Map<string, typeof rows>();
  for (const m of [...rows].sort((a, b) => b.createdAt.localeCompare(a.createdAt) || b.id.localeCompare(a.id))) {
    const list = byKpi.get(m.target) ?? [];
    list.push(m);
    byKpi.set(m.target, list);
  }
  const kpis: KpiCard[] = [];
  for (const [kpi, list] of byKpi) {
    const latest = list[0];
    const stored = await getModel(ws, latest.id);
    const config = stored.config as { target?: { kind?: string } };
    const out = stored.output as { approximate?: boolean; units?: FigureUnits; channels?: { name: string; spend: number; roi: number; roiInterval?: [number, number] }[] };
    kpis.push({
      kpi, kind: config.target?.kind ?? 'revenue',
      model: { id: latest.id, name: latest.name, family: latest.family, createdAt: latest.createdAt, table: latest.table, version: latest.version, approximate: !!out.approximate },
      stale: latest.stale,
      health: { level: 'unknown', line: 'Health not computed yet' },
      channels: (out.channels ?? []).map((c) => ({ name: c.name, spend: c.spend, roi: c.roi, roiInterval: c.roiInterval ?? null })),
      units: out.units ?? null,
      otherModels: list.slice(1).map((m) => m.id),
    });
  }
  const modelIds = new Set(models.map((m) => m.id));
  const staleOf = new Map(rows.map((m) => [m.id, m.stale]));
  const planModels = new Map(ctx.plans.map((p) => [p.id, p.models]));
  const warnings: Overview['warnings'] = tables.flatMap((t) => ((t.report as { warnings?: string[] }).warnings ?? []).map((text) => ({ source: `table ${t.id}`, level: 'caution' as const, text })));
  const empty = !datasets.length && !tables.length && !models.length && !plans.length;
  const next = !datasets.length && !tables.length && !models.length ? 'upload' : !tables.length && !models.length ? 'harmonize' : !models.length ? 'fit' : null;
  return {
    empty,
    next: next ? { step: next, text: NEXT[next] } : null,
    kpis,
    datasets: datasets.map((d) => ({ id: d.id, kind: d.kind, from: dates.get(d.id)?.from ?? null, to: dates.get(d.id)?.to ?? null, rows: d.rows, createdAt: d.createdAt })),
    tables: tables.map((t) => ({ id: t.id, version: t.version, versions: t.versions.length, grain: t.grain, from: t.from, to: t.to, rows: t.rows, createdAt: t.createdAt, models: models.filter((m) => m.table === t.id).length })),
    stale: rows.filter((m) => m.stale && !m.stale.supersededBy).map((m) => ({ id: m.id, name: m.name, reason: m.stale!.reason })),
    warnings,
    plans: plans.map((p) => {
      const ids = planModels.get(p.id) ?? [p.model];
      const gone = ids.filter((id) => !modelIds.has(id));
      const stale = ids.filter((id) => staleOf.get(id));
      const status = gone.length ? 'model deleted' as const : stale.length ? 'stale' as const : 'current' as const;
      const note = gone.length ? `model ${gone.join(', ')} was deleted: the plan keeps its saved result but cannot be tracked or re-optimized`
        : stale.length ? stale.map((id) => { const s = staleOf.get(id)!; return `model ${id} is stale (${s.reason})${s.supersededBy ? `: plan again on ${s.supersededBy}` : ''}`; }).join('; ')
          : 'on a model of the current data';
      return { id: p.id, name: p.name, models: ids, createdAt: p.createdAt, budget: p.budget, expected: p.expected, currency: p.units?.currency ?? null, status, note };
    }),
  };
}

/**
 * Fills each KPI's health line from its latest model's health rows (`healthOf`), and adds their
 * cautions and problems to the warnings. A model whose health cannot be computed says why.
 */
export async function addHealth(o: Overview, healthOf: (modelId: string) => Promise<readonly HealthRow[]>): Promise<Overview> {
  const extra: Overview['warnings'] = [];
  for (const k of o.kpis) {
    try {
      const rows = await healthOf(k.model.id);
      const v = healthVerdict(rows);
      k.health = v;
      for (const r of rows) if (r.level !== 'ok') extra.push({ source: `model ${k.model.id}`, level: r.level, text: `${r.topic}: ${r.text}` });
    } catch (e) {
      k.health = { level: 'unknown', line: `Health unavailable: ${e instanceof Error ? e.message : String(e)}` };
    }
  }
  o.warnings = [...extra, ...o.warnings];
  return o;
}
