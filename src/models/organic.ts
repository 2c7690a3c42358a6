/** What every family reports for an organic channel (a channel with activity and no spend). */
import type { CurveSummary } from './bayesian/curveSummary.ts';

/**
 * An organic channel (no spend): what it added, with no ROI. `share` is of the predicted outcome over
 * every period; `perUnit` is its contribution per unit of its activity (sends, posts…).
 */
export interface OrganicResult {
  name: string;
  activity: number;
  contribution: number; contributionInterval: [number, number];
  share: number; shareInterval: [number, number];
  perUnit: number; perUnitInterval: [number, number];
  /** The prior on its share of the outcome (LogNormal): median and 90% interval. */
  sharePrior?: { median: number; interval: [number, number] };
  /** Bayesian fits: its curve parameters' posteriors beside their priors. */
  curve?: CurveSummary;
}

