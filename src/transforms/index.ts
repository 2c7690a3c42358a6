/**
 * Media transforms: adstock (geometric, delayed, Weibull CDF/PDF) and saturation (Hill, logistic,
 * Michaelis–Menten) as pure kernels on Float64Array with their gradients, descriptors with priors,
 * and one registry. See docs/autodiff.md for the fused autodiff ops built on them.
 */
export type { MediaDims, MediaTransform, Prior, Support, TransformOptions, TransformParam } from './types.ts';
export { transforms, getTransform, transformNames, resolveOptions, applyTransform, buildRegistry } from './registry.ts';
export { geometric } from './adstock/geometric.ts';
export { delayed } from './adstock/delayed.ts';
export { weibullCdf, weibullPdf } from './adstock/weibull.ts';
export { hill } from './saturation/hill.ts';
export { logistic } from './saturation/logistic.ts';
export { michaelisMenten } from './saturation/michaelisMenten.ts';
