/**
 * Media transforms: adstock (geometric, delayed, Weibull CDF/PDF) and saturation (Hill, logistic,
 * Michaelis–Menten) as pure kernels on Float64Array with their gradients, descriptors with
 * everything the models need (parameters, supports, the Bayesian priors, curve roles, classic
 * defaults, search ranges), and one registry that new transforms join with `registerTransform`.
 * See docs/autodiff.md for the fused autodiff ops built on them.
 */
export type { CurveRole, InContext, MediaDims, MediaTransform, ParamContext, Prior, ResolvedParam, Support, TransformOptions, TransformParam } from './types.ts';
export {
  transforms, registerTransform, getTransform, findTransform, transformNames, transformLabel, paramWithRole, resolveOptions, applyTransform, buildRegistry,
} from './registry.ts';
export { CURVE_ROLES, inContext, resolveParam } from './params.ts';
export { ROLE_RULES } from './check.ts';
export { geometric } from './adstock/geometric.ts';
export { delayed } from './adstock/delayed.ts';
export { weibullCdf, weibullPdf } from './adstock/weibull.ts';
export { hill } from './saturation/hill.ts';
export { logistic } from './saturation/logistic.ts';
export { michaelisMenten } from './saturation/michaelisMenten.ts';
