import { weibullCdfWeights, weibullPdfWeights } from '../kernels/adstockWeights.ts';
import type { TransformParam } from '../types.ts';
import { weightedAdstock } from './weighted.ts';

/**
 * The Weibull adstocks' parameters. The Bayesian priors: shape LogNormal(0, 0.7) around 1 (plain
 * exponential decay), scale LogNormal(log(L/4), 0.7), a quarter of the lags. `fixed` are the classic
 * families' defaults (the means of the Gamma priors these descriptors once carried).
 */
const weibullParams = (fixedShape: number, fixedScale: number): [TransformParam, TransformParam] => [
  {
    name: 'shape', key: 'wshape', description: 'Weibull shape k',
    support: { type: 'positive' }, prior: { dist: 'logNormal', mu: 0, sigma: 0.7 }, fixed: fixedShape, search: { lo: 0.3, hi: 5 },
  },
  {
    name: 'scale', key: 'wscale', description: 'Weibull scale λ, in periods',
    support: { type: 'positive' }, prior: ({ maxLag }) => ({ dist: 'logNormal', mu: Math.log(maxLag / 4), sigma: 0.7 }),
    fixed: fixedScale, search: ({ maxLag }) => ({ lo: 0.5, hi: Math.max(maxLag, 1) }),
  },
];

/** Weibull CDF adstock: weights exp(−(l/λ)^k) (the survival function), l = 0…maxLag−1. */
export const weibullCdf = weightedAdstock({
  name: 'weibull-cdf',
  label: 'Weibull CDF',
  description: 'y[t] = Σ_{l<L} w_l x[t−l], w_l ∝ exp(−(l/λ)^k): decay that can hold (k > 1) or drop fast (k < 1) first.',
  params: weibullParams(1, 2),
  weights: weibullCdfWeights,
  maxLag: 13,
});

/** Weibull PDF adstock: weights f(l+1; k, λ), the Weibull density, l = 0…maxLag−1; the peak may be lagged. */
export const weibullPdf = weightedAdstock({
  name: 'weibull-pdf',
  label: 'Weibull PDF',
  description: 'y[t] = Σ_{l<L} w_l x[t−l], w_l ∝ Weibull density at l+1 periods; with k > 1 the peak effect is lagged.',
  params: weibullParams(2, 3),
  weights: weibullPdfWeights,
  maxLag: 13,
});
