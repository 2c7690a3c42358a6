/**
 * The model families, in one table: how each fits, how a stored fit of it is rebuilt as a
 * `FittedModel`, and what its stored result must hold. The fit use case, the loader and the job
 * workers look families up here; adding a family is a row here, its name in familyNames.ts and its
 * own folder (docs/architecture.md).
 */
import { badInput } from '../errors.ts';
import type { ModelConfig } from './config.ts';
import type { ModelData } from './design.ts';
import type { FittedModel } from './fitted.ts';
import type { FamilyName } from './familyNames.ts';
import { fitBayesian, type BayesianFit, type FitOptions } from './bayesian/fit.ts';
import { bayesianFittedModel } from './bayesian/fitted.ts';
import { classicFittedModel, fitClassic, requireBayesianMinPeriods } from './linear/families.ts';
import type { ClassicFit } from './linear/result.ts';
import { bayesianResultSchema, checkStoredResult, classicResultSchema } from './storedResult.ts';

export type FitResult = BayesianFit | ClassicFit;

export interface ModelFamily {
  name: FamilyName;
  /** What the family is, in a line a marketer reads (the web wizard's family list). */
  description: string;
  /** Whether it samples a posterior (chains, draws, warm-up and --fast apply). */
  bayesian: boolean;
  fit(config: ModelConfig, data: ModelData, opts: FitOptions): Promise<FitResult>;
  /** Checks a stored result (CONFLICT naming the field when it does not have this family's shape). */
  checkResult(result: unknown, what: string): FitResult;
  /** Rebuilds a stored fit (checked by `checkResult`) on its config and data. */
  load(config: ModelConfig, data: ModelData, result: FitResult, maxDraws?: number): FittedModel;
}

const bayesian: ModelFamily = {
  name: 'bayesian', bayesian: true,
  description: 'Bayesian MMM sampled with NUTS: ROI and marginal ROI with credible intervals, priors and lift tests',
  async fit(config, data, opts) {
    requireBayesianMinPeriods(config, data);
    return fitBayesian(config, data, opts);
  },
  checkResult: (result, what) => checkStoredResult<BayesianFit>(bayesianResultSchema, result, what),
  load: (config, data, result, maxDraws) => bayesianFittedModel(config, data, result as BayesianFit, maxDraws),
};

/** The classic families share one base (src/models/linear/): design, bootstrap intervals, the result shape. */
function classic(name: ClassicFit['family'], description: string): ModelFamily {
  return {
    name, description, bayesian: false,
    fit: async (config, data, opts) => fitClassic(config, data, { seed: opts.seed }),
    checkResult: (result, what) => checkStoredResult<ClassicFit>(classicResultSchema, result, what),
    load: (config, data, result) => classicFittedModel(config, data, result as ClassicFit),
  };
}

export const modelFamilies: Readonly<Record<FamilyName, ModelFamily>> = Object.freeze({
  bayesian,
  linear: classic('linear', 'Least squares with bootstrap intervals: a quick first look'),
  ridge: classic('ridge', 'Ridge regression (penalty by cross-validation, or a Robyn-style search over curves with `search`)'),
  forest: classic('forest', 'Random forest with SHAP contributions and interactions'),
  boosting: classic('boosting', 'Gradient boosting with SHAP contributions and interactions'),
});

/** The family called `name`; a stored model of a family this version does not know is refused. */
export function familyOf(name: string, what = 'model'): ModelFamily {
  const f = (modelFamilies as Record<string, ModelFamily | undefined>)[name];
  if (!f) throw badInput(`${what} is of family '${name}', which this version cannot load (families: ${Object.keys(modelFamilies).join(', ')})`);
  return f;
}
