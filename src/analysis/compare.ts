/**
 * Stored models side by side, whatever their family: fit and holdout metrics, and each channel's
 * ROI (with its interval: credible for Bayesian fits, bootstrap for the others), marginal ROI and
 * contribution. Pure; the CLI (`marginal compare`) and the API (`GET /api/models/compare`) read the
 * stored fit outputs and call it.
 */
type RoiUnit = 'revenue-per-spend' | 'conversions-per-spend';
interface Metrics { r2: number; mape: number; nrmse?: number; holdout?: { r2: number; mape: number; nrmse?: number } }
interface ChannelOut { name: string; spend: number; contribution: number; roi: number; roiInterval?: [number, number]; mroi: number; mroiInterval?: [number, number] }
export interface ComparableOutput { family: string; approximate?: boolean; units?: { roi: RoiUnit; currency?: string | null }; fit: Metrics; channels: ChannelOut[]; warnings?: string[]; diagnostics?: { seconds?: number } }

export interface Comparison {
  /** `roiUnit`: what each model's ROI is measured in (stored units; revenue per spend when absent). */
  models: { id: string; family: string; approximate: boolean; roiUnit: RoiUnit; currency: string | null; r2: number; mape: number; nrmse: number | null; holdout: { r2: number; mape: number } | null; seconds: number | null; warnings: number }[];
  channels: { name: string; models: Record<string, { roi: number; roiInterval: [number, number] | null; mroi: number; mroiInterval: [number, number] | null; contribution: number } | null> }[];
}

/** Builds the side-by-side table from stored fit outputs (pure; the command reads them from the workspace). */
export function compareOutputs(models: { id: string; output: ComparableOutput }[]): Comparison {
  const names: string[] = [];
  for (const m of models) for (const c of m.output.channels) if (!names.includes(c.name)) names.push(c.name);
  return {
    models: models.map(({ id, output: o }) => ({
      id, family: o.family, approximate: !!o.approximate, roiUnit: o.units?.roi ?? 'revenue-per-spend', currency: o.units?.currency ?? null, r2: o.fit.r2, mape: o.fit.mape, nrmse: o.fit.nrmse ?? null,
      holdout: o.fit.holdout ? { r2: o.fit.holdout.r2, mape: o.fit.holdout.mape } : null,
      seconds: o.diagnostics?.seconds ?? null, warnings: o.warnings?.length ?? 0,
    })),
    channels: names.map((name) => ({
      name,
      models: Object.fromEntries(models.map(({ id, output }) => {
        const c = output.channels.find((x) => x.name === name);
        return [id, c ? { roi: c.roi, roiInterval: c.roiInterval ?? null, mroi: c.mroi, mroiInterval: c.mroiInterval ?? null, contribution: c.contribution } : null];
      })),
    })),
  };
}

