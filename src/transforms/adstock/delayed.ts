import { delayedWeights } from '../kernels/adstockWeights.ts';
import { weightedAdstock } from './weighted.ts';

/** Delayed geometric adstock (Jin et al. 2017): weights α^((l−θ)²), l = 0…maxLag−1, peak at lag θ. */
export const delayed = weightedAdstock({
  name: 'delayed',
  description: 'y[t] = Σ_{l<L} w_l x[t−l], w_l ∝ α^((l−θ)²) (normalized by default); peak effect θ periods after spend.',
  params: [
    { name: 'alpha', support: { type: 'interval', lower: 0, upper: 1 }, prior: { dist: 'beta', a: 1, b: 3 }, description: 'retention rate' },
    { name: 'theta', support: { type: 'positive' }, prior: { dist: 'gamma', shape: 2, rate: 1 }, description: 'delay of the peak effect, in periods' },
  ],
  weights: delayedWeights,
  maxLag: 8,
});
