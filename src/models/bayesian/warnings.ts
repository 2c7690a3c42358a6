/**
 * Warnings of a Bayesian fit that depend on the data's shape rather than on the sampler (those are
 * `samplerWarnings` / `fitWarnings` in fit.ts).
 */
import type { ModelConfig } from '../config.ts';
import type { ModelData } from '../design.ts';
import { bayesianMinimumPeriods, fitPeriods } from '../linear/families.ts';

/**
 * FEW PERIODS: the fit has fewer periods than twice its parameters (regression coefficients plus
 * response-curve parameters; the size from which the ridge search and, before, the Bayesian model were
 * allowed), but at least the Bayesian floor (`bayesianMinimumPeriods`). Typical case: two or three
 * years of monthly data. The model fits, but the data cannot pin every parameter: the intervals are
 * wide and the priors carry much of each ROI, which the warning says in numbers.
 */
export function fewPeriodsWarnings(config: ModelConfig, data: ModelData, method: 'nuts' | 'laplace' = 'nuts'): string[] {
  const n = fitPeriods(data);
  const { coefficients, curves, comfortable, min } = bayesianMinimumPeriods(config, data);
  if (n >= comfortable) return [];
  const grain = data.grain === 'month' ? ' monthly' : data.grain === 'day' ? ' daily' : data.grain === 'year' ? ' annual' : ' weekly';
  return [
    `FEW PERIODS: ${n}${grain} fit period${n === 1 ? '' : 's'} for ${coefficients + curves} parameters (${coefficients} regression coefficients and ${curves} response-curve parameters); a model this size is well determined from about ${comfortable} periods (the floor is ${min}). With this few, the 90% intervals are wide and the priors carry much of the answer, the curves' above all: read each ROI beside its prior (roiPrior) and act only where the data moved it. A lift test, an ROI prior from earlier work or more periods narrow them.${method === 'laplace' ? ` ${fewPeriodsFastNote()}` : ''}`,
  ];
}

/**
 * --fast against NUTS on few periods, from `npm run bench -- fewperiods` (bench/results/fewperiods.json,
 * `fastGap`: monthly simulated data, 24–36 months, 3 and 5 channels, seeds 1–12). The Laplace
 * approximation moves the ROI means more here than on the longer series of bench fastgap (FAST_GAP).
 */
export const FEW_PERIODS_FAST_GAP = {
  measured: '2026-12-04',
  channels: 168,
  within: 142,
  worst: 1.33,
} as const;

function fewPeriodsFastNote(): string {
  const g = FEW_PERIODS_FAST_GAP;
  return `At this size the fast approximation moves the ROI means most: on simulated 24–36-month data (bench fewperiods, ${g.measured}) its means were within a quarter of the NUTS 90% interval width of the NUTS means for ${Math.floor((100 * g.within) / g.channels)}% of channels (${g.within} of ${g.channels}), the worst ${g.worst.toFixed(2)}×; a NUTS fit of this size takes seconds: refit with full sampling (NUTS).`;
}

/**
 * What `--fast` was measured to move, from `npm run bench -- fastgap` (bench/results/fastgap.json,
 * `summary.laplace`): over the example configs and simulator seeds 1–12 (national 156 × 5 and geo
 * 40 × 156 × 5), each channel's |Laplace ROI mean − NUTS ROI mean| as a share of the NUTS 90% interval
 * width. A test holds these figures to the results file, so they change only with a new bench run.
 */
export const FAST_GAP = {
  measured: '2026-12-04',
  channels: 135,
  within: 134,
  meanGap: 0.077,
  worst: 0.388,
  worstCase: 'examples/robyn/model.json',
  worstChannel: 'print',
} as const;

/** The sentence the APPROXIMATE warning carries: how far --fast ROI means were measured to sit from NUTS's. */
export function fastGapNote(): string {
  const g = FAST_GAP;
  return `On the project's benchmarks (${g.channels} channels: the example configs, simulated national and geo data; bench fastgap, ${g.measured}) fast-approximation ROI means were within a quarter of the NUTS 90% interval width of the NUTS means for ${Math.floor((100 * g.within) / g.channels)}% of channels (${g.within} of ${g.channels}; mean gap ${g.meanGap.toFixed(2)}× that width), the worst ${g.worst.toFixed(2)}× (${g.worstCase}, ${g.worstChannel}).`;
}
