/** The workspace at a glance (src/app/overview.ts `Overview`): what `GET /api/overview` answers and `marginal overview --json` prints. */
import { z } from 'zod';
import { figureUnitsSchema, intervalSchema, maybeNumber } from './common.ts';
import { staleSchema } from './modelStatus.ts';

export const kpiCardSchema = z.object({
  kpi: z.string(), kind: z.string(),
  model: z.object({ id: z.string(), name: z.string(), family: z.string(), createdAt: z.string(), table: z.string().nullable(), version: z.number().nullable(), approximate: z.boolean() }),
  stale: staleSchema.nullable(),
  health: z.object({ level: z.enum(['ok', 'caution', 'problem', 'unknown']), line: z.string() }),
  channels: z.array(z.object({ name: z.string(), spend: z.number(), roi: z.number(), roiInterval: intervalSchema.nullable() })),
  units: figureUnitsSchema.nullable(),
  otherModels: z.array(z.string()),
}).meta({ id: 'KpiCard' });

export const overviewSchema = z.object({
  empty: z.boolean(),
  next: z.object({ step: z.enum(['upload', 'harmonize', 'fit']), text: z.string() }).nullable(),
  kpis: z.array(kpiCardSchema),
  datasets: z.array(z.object({ id: z.string(), kind: z.string(), from: z.string().nullable(), to: z.string().nullable(), rows: z.number(), createdAt: z.string() })),
  tables: z.array(z.object({ id: z.string(), version: z.number(), versions: z.number(), grain: z.string(), from: z.string(), to: z.string(), rows: z.number(), createdAt: z.string(), models: z.number() })),
  stale: z.array(z.object({ id: z.string(), name: z.string(), reason: z.string() })),
  warnings: z.array(z.object({ source: z.string(), level: z.enum(['caution', 'problem']), text: z.string() })),
  plans: z.array(z.object({
    id: z.string(), name: z.string(), models: z.array(z.string()), createdAt: z.string(), budget: maybeNumber, expected: maybeNumber,
    /** The plan's currency (its models'); null when unknown or mixed. */
    currency: z.string().nullable(),
    status: z.enum(['current', 'stale', 'model deleted']), note: z.string(),
  })),
}).meta({ id: 'Overview' });
