/**
 * Per channel, its response-curve parameters as a user reads them — adstock decay, half-saturation
 * (in units of the channel's typical activity), Hill shape — with the posterior mean and 90% interval
 * beside the prior's mean and sd, so a fit shows which curves the data moved and which are the prior
 * (the curve prior decides an always-on channel's ROI: docs/mmm.md).
 */
import { internal } from '../../errors.ts';
import type { ParameterSummary } from '../../inference/index.ts';
import { CURVE_ROLES } from '../../transforms/params.ts';
import type { CurveRole, Prior } from '../../transforms/types.ts';
import { channelPrior, groupParams, mediaGroups } from './media.ts';
import type { PreparedMmm } from './prepare.ts';
import type { BetaPrior, LogNormalPrior } from './priors.ts';

export type CurveParameter = CurveRole;

export interface CurveParameterSummary {
  mean: number;
  /** Posterior sd (what `marginal priors` carries to a new fit). */
  sd: number;
  interval: [number, number];
  /** The prior's mean and sd; `given` when it came from `priors.curves`, else the default. */
  prior: { mean: number; sd: number; given: boolean };
}

export type CurveSummary = Partial<Record<CurveParameter, CurveParameterSummary>>;

export function betaMoments(p: BetaPrior): { mean: number; sd: number } {
  const n = p.a + p.b;
  return { mean: p.a / n, sd: Math.sqrt((p.a * p.b) / (n * n * (n + 1))) };
}

export function logNormalMoments(p: LogNormalPrior): { mean: number; sd: number } {
  const mean = Math.exp(p.mu + (p.sigma * p.sigma) / 2);
  return { mean, sd: mean * Math.sqrt(Math.expm1(p.sigma * p.sigma)) };
}

/** A prior's mean and sd (the curve roles' priors are Betas and LogNormals: src/transforms/check.ts). */
export function priorMoments(p: Prior): { mean: number; sd: number } {
  if (p.dist === 'beta') return betaMoments(p);
  if (p.dist === 'logNormal') return logNormalMoments(p);
  throw internal(`curve summary: a curve parameter's prior is a beta or logNormal; got ${p.dist}`);
}

/** One CurveSummary per channel (empty for a channel whose transforms have no such parameter). */
export function curveSummaries(prep: PreparedMmm, parameters: readonly ParameterSummary[]): CurveSummary[] {
  const byName = new Map(parameters.map((p) => [p.name, p]));
  const out: CurveSummary[] = Array.from({ length: prep.C }, () => ({}));
  for (const group of mediaGroups(prep)) {
    const single = group.channels.length === 1;
    const params = groupParams(group);
    group.channels.forEach((c, q) => {
      for (const key of CURVE_ROLES) {
        const param = params.find((x) => x.param.role === key)?.param;
        if (!param) continue;
        const s = byName.get(single ? `${param.key}${group.suffix}` : `${param.key}${group.suffix}[${q}]`);
        const given = prep.curvePriorsGiven[c].has(key);
        if (s) out[c][key] = { mean: s.mean, sd: s.sd, interval: [s.q5, s.q95], prior: { ...priorMoments(channelPrior(param, prep.curvePriors[c])), given } };
      }
    });
  }
  return out;
}
