import type { BayesianFit } from '../../models/bayesian/fit.ts';

/** What the report is rendered from: a fitted Bayesian MMM and a few facts about the model. */
export interface ReportInput {
  modelId: string;
  name: string;
  /** ISO timestamp of the fit, shown as given. */
  createdAt: string;
  target: { column: string; kind: 'revenue' | 'conversions' };
  result: BayesianFit;
  /**
   * Optional response curves per channel (national), e.g. from insights: expected incremental outcome
   * over the data period vs total spend, with the 90% band, the current spend and the break-even point
   * (marginal ROI = 1) where there is one. Drawn in a "Response curves" section when given.
   */
  responseCurves?: ReportCurve[];
}

export interface ReportCurve {
  channel: string;
  points: { spend: number; expected: number; low: number; high: number }[];
  current: { spend: number; expected: number; mroi: number };
  breakEven: { spend: number; expected: number } | null;
}
