/**
 * A fit as a job (POST /api/models/:id/fit, …/refit, …/refresh): the config and its table go to a
 * worker; when the fit is done its model is stored (with its display name and the model it refreshes)
 * and its insights are computed in the background so the Insights page opens at once.
 */
import type { ModelConfig } from '../models/config.ts';
import type { WideTable } from '../models/design.ts';
import { storeFit, type FitResult, type StoreOptions } from '../app/fit.ts';
import { insightsJson } from './insightsCache.ts';
import type { ServerContext } from './context.ts';

export interface FitJobOptions { fast?: boolean; chains?: number; draws?: number; warmup?: number; seed?: number }

export function submitFit(ctx: ServerContext, name: string, config: ModelConfig, table: WideTable, options: FitJobOptions, store: StoreOptions = {}, meta: Record<string, unknown> = {}) {
  return ctx.jobs.submit({
    kind: 'fit', meta: { model: name, chains: options.chains ?? config.inference.chains, fast: !!options.fast, ...meta },
    timeoutMs: ctx.limits.jobMinutes * 60_000,
    prepare: async () => ({ config, table, options }),
    finish: async (result: FitResult) => {
      const output = await ctx.gate.with((ws) => storeFit(ws, name, config, result, store), { patient: true });
      insightsJson(ctx, output.modelId).catch(() => undefined);
      return output;
    },
  });
}
