import type { TransformParam } from '../types.ts';

/**
 * A half-saturation point K in units of the channel's typical activity (the models scale activity by
 * it), as Hill and Michaelis–Menten share it: the Bayesian prior LogNormal(0, 0.7) has its median at
 * the typical activity, the classic families use 1 and the ridge search 0.2…3.
 */
export const halfSaturationParam = (description: string): TransformParam => ({
  name: 'K', key: 'k', role: 'halfSaturation', description,
  support: { type: 'positive' }, prior: { dist: 'logNormal', mu: 0, sigma: 0.7 }, fixed: 1, search: { lo: 0.2, hi: 3 },
});
