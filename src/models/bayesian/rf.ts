/**
 * The optimal frequency of a reach & frequency channel (Meridian's `optimal_freq`): at a fixed spend the
 * channel buys a fixed number of impressions, reach × frequency; carry-over is linear, so the outcome
 * it brings is proportional to reach × saturation(frequency) = impressions × saturation(f) / f. The
 * optimal frequency maximizes saturation(f) / f over frequencies from 1 (everyone reached once) to the
 * largest frequency the data show — per posterior draw, so it has an interval. For a Hill curve with
 * shape s > 1 it is k·(s − 1)^(1/s) (k the half-saturation frequency); for a concave curve (s ≤ 1) the
 * outcome per impression falls with every repeat, and the optimum is the grid's lower end, 1.
 */
import type { Model } from '../../inference/model.ts';
import { quantile } from '../../inference/index.ts';
import { applyTransform } from '../../transforms/registry.ts';
import type { ModelData } from '../design.ts';
import { groupTransforms, type MediaGroup } from './media.ts';
import type { PreparedMmm } from './prepare.ts';

export interface RfSummary {
  /** Posterior median and 90% interval of the optimal average frequency (exposures per person reached per period). */
  optimalFrequency: number; optimalFrequencyInterval: [number, number];
  /** The channel's reach-weighted average frequency in the data, to set the optimum beside. */
  observedFrequency: number;
  /** The largest frequency in the data: the search's upper end (the curve is not known past it). */
  maxFrequency: number;
}

/** Points of the frequency grid between 1 and the largest observed frequency. */
const GRID = 400;

export function optimalFrequency(model: Model, groups: readonly MediaGroup[], prep: PreparedMmm, data: ModelData, c: number, thetas: readonly Float64Array[]): RfSummary {
  const rf = data.rf![c]!;
  let reach = 0, impressions = 0, maxFrequency = 1;
  for (let k = 0; k < rf.reach.length; k++) {
    reach += rf.reach[k]; impressions += rf.reach[k] * rf.frequency[k];
    if (rf.reach[k] > 0) maxFrequency = Math.max(maxFrequency, rf.frequency[k]);
  }
  const group = groups.find((g) => g.channels.includes(c))!;
  const saturation = groupTransforms(group).find((t) => t.kind === 'saturation');
  const grid = Float64Array.from({ length: GRID }, (_, i) => 1 + ((maxFrequency - 1) * i) / (GRID - 1));
  const scaled = Float64Array.from(grid, (f) => f / prep.frequencyScale[c]);
  const optima = Float64Array.from(thetas, (theta) => {
    if (!saturation) return 1; // linear in frequency: every repeat is worth the first
    const p = model.constrain(theta);
    const params = Object.fromEntries(saturation.params.map((q) => [q.name, p[`${q.key}${group.suffix}`][0]]));
    const sat = applyTransform(saturation, scaled, params, {}, { series: 1, T: GRID, C: 1 });
    let best = 0;
    for (let i = 1; i < GRID; i++) if (sat[i] / grid[i] > sat[best] / grid[best]) best = i;
    return grid[best];
  });
  return {
    optimalFrequency: quantile(optima, 0.5), optimalFrequencyInterval: [quantile(optima, 0.05), quantile(optima, 0.95)],
    observedFrequency: reach > 0 ? impressions / reach : 0, maxFrequency,
  };
}
