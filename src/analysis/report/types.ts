import type { BayesianFit } from '../../models/bayesian/fit.ts';

/** What the report is rendered from: a fitted Bayesian MMM and a few facts about the model. */
export interface ReportInput {
  modelId: string;
  name: string;
  /** ISO timestamp of the fit, shown as given. */
  createdAt: string;
  target: { column: string; kind: 'revenue' | 'conversions' };
  result: BayesianFit;
}
