/**
 * What analysis and planning read from any fitted model, whatever its family: the data it saw, a
 * decomposition of its expected outcome, and its response to other spend. Families implement it
 * (`bayesian/fitted.ts`, …); analysis and planning never look inside a family.
 *
 * Layout: every per-period array is [G·T] geo-major (index g·T + t); spend is [G, T, C].
 * Units: outcome in the target's units; `revenuePerUnit` converts to revenue for ROI (1 for revenue
 * targets).
 */
import type { SubchannelSeries } from './subchannels.ts';

export interface FittedModel {
  family: string;
  target: { column: string; kind: 'revenue' | 'conversions' };
  dates: string[];
  geos: string[];
  channels: string[];
  /** Reach & frequency channels (the Bayesian family): their names; `response` may hold them at a `frequency`. */
  rf?: string[];
  /** Organic channels (no spend, not planned): their names, when the model has any (their parts are `organic:NAME` components). */
  organic?: string[];
  /** Periods used in the fit (1) and the holdout (0), per t. */
  inSample: Uint8Array;
  /** Outcome per [g, t]; NaN where not observed (an unbalanced panel: read it only where `observed`). */
  actual: Float64Array;
  /** 1 where `actual` is observed; per [g, t]. */
  observed: Uint8Array;
  /** 1 where the geo is in the panel that period; elsewhere every series of the model is 0 (design.ts). */
  present: Uint8Array;
  spend: Float64Array;
  revenuePerUnit: Float64Array;
  /** Draws available for intervals (posterior draws, bootstrap replicates, or 1). */
  nDraws: number;
  /**
   * Mean decomposition of the expected outcome: `components` holds the baseline pieces (e.g.
   * `intercept`, `trend`, `seasonality`, `control:price`) and `channels` each channel's contribution;
   * components + channels sum to `predicted` (to rounding).
   */
  decomposition(): { components: Record<string, Float64Array>; channels: Record<string, Float64Array>; predicted: Float64Array };
  /**
   * Incremental outcome of `channel` (target units), one value per draw: its contribution summed
   * over every period when its spend in periods [window[0], window[1]) (all geos, or `geo` only) is
   * multiplied by `multiplier` and elsewhere left as observed, minus its contribution when that
   * spend is zero. Carry-over after the window is counted while it falls inside the data.
   * Example: multiplier 1 over the whole data gives the channel's contribution.
   * `frequency` (reach & frequency channels): the window's impressions run at that average frequency
   * (reach scaled to keep them), e.g. a plan that holds the channel at its optimal frequency.
   */
  response(request: { channel: number; multiplier: number; window?: [number, number]; geo?: number; frequency?: number }): Float64Array;
  /**
   * Optional (the Bayesian family): organic channel `organic` (index into `organic`)'s incremental
   * outcome (target units), one value per draw, over every period when its activity is multiplied by
   * `multiplier` everywhere, minus with no activity: its response curve (multiplier 1 = its contribution).
   */
  organicResponse?(organic: number, multiplier: number): Float64Array;
  /** Adstock weights per lag for `channel` at the posterior mean (sums to 1 for normalized types). */
  adstockWeights(channel: number): Float64Array;
  /**
   * Optional (Bayesian, linear, ridge): `channel`'s contribution per draw and period, [draw, g·T + t] in
   * target units, with each draw's adstock weights per lag, for splitting it among sub-channels
   * (src/analysis/subchannels.ts). Families without it are split on their mean decomposition.
   */
  channelDraws?(channel: number): { contribution: Float64Array; adstock: Float64Array[] };
  /** The sub-channels of the data the model was fitted on (their sums are their channels' spend and activity). */
  subchannels?: SubchannelSeries[];
  /**
   * Optional (the Bayesian family): per posterior draw, the expected outcome in periods after the data
   * (baseline with its trend and seasonality continued, controls at given values, media of the observed
   * and given future activity with carry-over) and the draw's observation noise, so forecasts can be
   * posterior predictive. Families without it are forecast from `decomposition()` and the residuals.
   */
  futureDraws?(request: FutureRequest): FutureDraws;
  /**
   * Optional (the Bayesian family): per draw, the lift a test that changes spend would show — the
   * quantity a lift test with `spendChange` speaks to in the model's likelihood
   * (src/models/bayesian/changeTest.ts), in target units. Windows may run past the data.
   */
  changeTestLifts?(tests: readonly ChangeTestRequest[]): Float64Array[];
}

/** A test that changes `channel`'s spend by `spendChange` in `geos` (indices; all for a national model). */
export interface ChangeTestRequest {
  channel: number; geos: number[]; start: string; end: string; spendChange: number;
  /** Time-based tests: the change holds in alternating blocks of this many periods. */
  alternate?: number;
  /**
   * What to sum, for a time-based test: 'estimator' (default), the lift its estimator reads (changed
   * blocks against unchanged ones); 'total', the outcome the change itself adds or removes over the
   * window (business as usual against the test's path in every period), which is what it costs.
   */
  reading?: 'estimator' | 'total';
}

/**
 * Periods after the data's last: `dates` are consecutive periods starting with the one right after it.
 * Example: a weekly model ending 2024-06-24, dates ['2024-07-01', '2024-07-08'], activity of 2 periods.
 */
export interface FutureRequest {
  dates: string[];
  /** Activity per [g, p, c] (the channel's exposure where the config names one, else spend); default none. */
  activity?: Float64Array;
  /** Raw control values per [g, p, k]; default: the controls at their in-sample mean (contribution 0). */
  controls?: Float64Array;
  /**
   * Organic channels' volume as a multiple of their last year's (by name; default 1: held as it was).
   * Example: { newsletter: 1.2 } asks what 20% more sends would add.
   */
  organic?: Record<string, number>;
  /** Reach & frequency channels: the average frequency their future activity runs at (by name; default the last year's). */
  frequency?: Record<string, number>;
}

/** Per-draw pieces in target units; arrays [draw, g, p] (and sigma [draw, g]). */
export interface FutureDraws {
  nDraws: number; geos: number; periods: number;
  /** Intercept + trend + seasonality. */
  base: Float64Array;
  /** The controls' contribution at the requested values (0 where none were given). */
  controls: Float64Array;
  /** Media of the observed activity (carry-over into the future) and the requested future activity. */
  media: Float64Array;
  /** Media of the observed activity alone: the carry-over into the future of spend before it. */
  carryIn: Float64Array;
  /** Observation noise: the sd of a new outcome around its expected value. */
  sigma: Float64Array;
}
