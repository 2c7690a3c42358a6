import { delayedWeights } from '../kernels/adstockWeights.ts';
import { decayParam } from './geometric.ts';
import { weightedAdstock } from './weighted.ts';

/** Delayed geometric adstock (Jin et al. 2017): weights α^((l−θ)²), l = 0…maxLag−1, peak at lag θ. */
export const delayed = weightedAdstock({
  name: 'delayed',
  description: 'y[t] = Σ_{l<L} w_l x[t−l], w_l ∝ α^((l−θ)²) (normalized by default); peak effect θ periods after spend.',
  params: [
    decayParam('retention rate'),
    {
      name: 'theta', key: 'theta', description: 'delay of the peak effect, in periods',
      // The peak lies within the lags the weights cover: flat over them in the Bayesian model.
      support: ({ maxLag }) => ({ type: 'interval', lower: 0, upper: Math.max(maxLag - 1, 1) }), prior: { dist: 'uniform' },
      fixed: 2, search: ({ maxLag }) => ({ lo: 0, hi: Math.max(maxLag - 1, 0.5) }),
    },
  ],
  weights: delayedWeights,
  maxLag: 8,
});
