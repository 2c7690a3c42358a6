/**
 * A transform parameter's numbers for one model: its support, prior and search range may depend on
 * the adstock's number of lags (a delay can be no longer than the lags it spreads over).
 */
import type { CurveRole, InContext, ParamContext, ResolvedParam, TransformParam } from './types.ts';

/** The curve roles in the order `priors.curves`, fit summaries and the web app list them. */
export const CURVE_ROLES: readonly CurveRole[] = ['decay', 'halfSaturation', 'shape'];

export function inContext<T>(value: InContext<T>, c: ParamContext): T {
  return typeof value === 'function' ? (value as (c: ParamContext) => T)(c) : value;
}

export function resolveParam(p: TransformParam, c: ParamContext): ResolvedParam {
  return {
    name: p.name, key: p.key, ...(p.role ? { role: p.role } : {}), fixed: p.fixed, description: p.description,
    support: inContext(p.support, c), prior: inContext(p.prior, c), search: inContext(p.search, c),
  };
}
