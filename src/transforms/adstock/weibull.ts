import { weibullCdfWeights, weibullPdfWeights } from '../kernels/adstockWeights.ts';
import { weightedAdstock } from './weighted.ts';

/** Weibull CDF adstock: weights exp(−(l/λ)^k) (the survival function), l = 0…maxLag−1. */
export const weibullCdf = weightedAdstock({
  name: 'weibull-cdf',
  description: 'y[t] = Σ_{l<L} w_l x[t−l], w_l ∝ exp(−(l/λ)^k): decay that can hold (k > 1) or drop fast (k < 1) first.',
  params: [
    { name: 'shape', support: { type: 'positive' }, prior: { dist: 'gamma', shape: 2, rate: 2 }, description: 'Weibull shape k' },
    { name: 'scale', support: { type: 'positive' }, prior: { dist: 'gamma', shape: 2, rate: 1 }, description: 'Weibull scale λ, in periods' },
  ],
  weights: weibullCdfWeights,
  maxLag: 13,
});

/** Weibull PDF adstock: weights f(l+1; k, λ), the Weibull density, l = 0…maxLag−1; the peak may be lagged. */
export const weibullPdf = weightedAdstock({
  name: 'weibull-pdf',
  description: 'y[t] = Σ_{l<L} w_l x[t−l], w_l ∝ Weibull density at l+1 periods; with k > 1 the peak effect is lagged.',
  params: [
    { name: 'shape', support: { type: 'positive' }, prior: { dist: 'gamma', shape: 3, rate: 1.5 }, description: 'Weibull shape k' },
    { name: 'scale', support: { type: 'positive' }, prior: { dist: 'gamma', shape: 3, rate: 1 }, description: 'Weibull scale λ, in periods' },
  ],
  weights: weibullPdfWeights,
  maxLag: 13,
});
