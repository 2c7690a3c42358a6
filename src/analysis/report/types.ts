import type { BayesianFit } from '../../models/bayesian/fit.ts';
import type { ClassicFit } from '../../models/linear/result.ts';
import type { LiftTest, LiftTestRow } from '../liftTests.ts';
import type { FigureUnits } from '../../units.ts';

/**
 * What the report is rendered from: a fit result of any family and a few facts about the model.
 * `result` is a Bayesian fit (`fitBayesian`) or a classic one (`fitClassic`: linear, ridge, ridge with
 * the Robyn-style search, forest, boosting). Both share `fit`, `channels`, `warnings` and the
 * `series` of actual, predicted and contributions; the Bayesian fit adds the predictive band, the
 * parameter table and the sampler diagnostics; a classic fit adds coefficients, search and tree
 * settings in `diagnostics` and its `stored` state (Pareto set, tree synergy table).
 */
export interface ReportInput {
  modelId: string;
  name: string;
  /** ISO timestamp of the fit, shown as given. */
  createdAt: string;
  target: { column: string; kind: 'revenue' | 'conversions' };
  result: ReportFit;
  /**
   * Optional response curves per channel (national), e.g. from insights: expected incremental outcome
   * over the data period vs total spend, with the 90% band, the current spend and the break-even point
   * (marginal ROI = 1) where there is one. Drawn in a "Response curves" section when given.
   */
  responseCurves?: ReportCurve[];
  /** The config's lift tests (`experiments`): a "Lift tests" section sets the model beside each. */
  experiments?: LiftTest[];
  /**
   * The model against each lift test as the insights computed it (tests that changed spend included,
   * with the ROI intervals before, predicted and now); without it the section reads the contribution
   * tests from the series alone.
   */
  liftTests?: LiftTestRow[];
  /** The insights' sub-channel rows (src/analysis/subchannels.ts): a "Sub-channels" table when given and not empty. */
  subchannels?: SubchannelRow[];
  /** Units of the figures (the stored output's; from the target when absent). */
  units?: FigureUnits;
}

/**
 * The scripts the page inlines, so it opens with no network: the ECharts bundle and the report's
 * client script (client.ts beside this file, bundled with src/charts). The caller makes them
 * (src/app/reportScripts.ts): the analysis code does no I/O.
 */
export interface ReportScripts { echarts: string; client: string }

/** Any family's fit result the report can show. */
export type ReportFit = BayesianFit | ClassicFit;

export function isBayesian(fit: ReportFit): fit is BayesianFit {
  return fit.family === 'bayesian';
}

/** One sub-channel as the insights table gives it (contribution, shares and ROI with 90% intervals; null where not defined). */
export interface SubchannelRow {
  channel: string; subchannel: string; spend: number; shareOfSpend: number | null;
  contribution: number; contributionLow: number | null; contributionHigh: number | null;
  share: number | null; shareLow: number | null; shareHigh: number | null;
  roi: number | null; roiLow: number | null; roiHigh: number | null;
}

export interface ReportCurve {
  channel: string;
  points: { spend: number; expected: number; low: number; high: number }[];
  current: { spend: number; expected: number; mroi: number };
  breakEven: { spend: number; expected: number } | null;
}
