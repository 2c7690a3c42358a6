/**
 * The classic families behind one entry point: `fitClassic` fits linear, ridge (with the Robyn-style
 * search when `search` is configured), forest or boosting; `classicFittedModel` rebuilds any of them as
 * a `FittedModel`. `requireMinPeriods` states the minimum number of fit periods per family.
 */
import { badConfig } from '../../errors.ts';
import type { ModelConfig } from '../config.ts';
import type { ModelData } from '../design.ts';
import type { FittedModel } from '../fitted.ts';
import { seasonalityOrders } from '../features.ts';
import { fitRegression, type StoredRegression } from './fit.ts';
import { regressionFittedModel } from './fitted.ts';
import type { ClassicFit } from './result.ts';
import { fitTrees, type StoredTrees } from '../trees/fit.ts';
import { treesFittedModel } from '../trees/fitted.ts';
import { runSearch } from '../search/robyn.ts';

export interface ClassicOptions {
  seed?: number;
  bootstrap?: number;
  onProgress?: (message: string) => void;
}

/**
 * Minimum number of fit (in-sample) periods: 20, or twice the number of estimated parameters
 * (coefficients plus, for the Bayesian model and the search, each channel's transform parameters),
 * whichever is larger. Linear models have no minimum beyond their coefficients; they warn instead.
 */
export function minimumPeriods(config: ModelConfig, data: ModelData): number {
  const orders = seasonalityOrders(config, data.grain);
  const season = 2 * (orders.yearly + orders.weekly);
  const trend = config.trend === 'none' ? 0 : typeof config.trend === 'object' ? 1 + config.trend.changepoints : 1;
  let transformParams = 0;
  for (const ch of config.channels) {
    const a = (ch.adstock ?? config.adstock).type, s = (ch.saturation ?? config.saturation).type;
    transformParams += a === 'none' ? 0 : a === 'geometric' ? 1 : 2;
    transformParams += s === 'none' ? 0 : s === 'hill' ? 2 : 1;
  }
  const params = 1 + data.C + data.K + season + trend + (data.G - 1) + transformParams;
  return Math.max(20, 2 * params);
}

export function requireMinPeriods(config: ModelConfig, data: ModelData, what: string): void {
  const tIn = data.inSample.reduce((a, b) => a + b, 0);
  const min = minimumPeriods(config, data);
  if (tIn < min) {
    throw badConfig(`too few periods for the ${what}: the data have ${tIn} fit period${tIn === 1 ? '' : 's'}${config.holdout.periods ? ` (after a holdout of ${config.holdout.periods})` : ''}; this model needs at least ${min} (20, or twice its ${min / 2} parameters). Use \`"family": "linear"\` for a rough look, or collect more periods.`);
  }
}

export function fitClassic(config: ModelConfig, data: ModelData, opts: ClassicOptions = {}): ClassicFit {
  const family = config.family;
  const bootstrap = opts.bootstrap ?? config.classic?.bootstrap;
  const nonNegative = config.classic?.nonNegative ?? true;
  const trees = config.classic?.trees ?? {};
  if (config.search && family !== 'ridge') throw badConfig(`\`search\` tunes ridge models (Robyn-style); \`family\` is '${family}': set \`"family": "ridge"\` or remove \`search\``);
  switch (family) {
    case 'linear': return fitRegression(config, data, 'linear', { seed: opts.seed, bootstrap, nonNegative });
    case 'ridge':
      if (config.search) {
        requireMinPeriods(config, data, 'ridge search');
        return runSearch(config, data, { bootstrap, onProgress: opts.onProgress });
      }
      return fitRegression(config, data, 'ridge', { lambda: 'cv', seed: opts.seed, bootstrap, nonNegative });
    case 'forest': case 'boosting':
      return fitTrees(config, data, { seed: opts.seed, bootstrap, ...(family === 'forest' ? { forest: forestParams(trees) } : { boosting: trees }) });
    default: throw badConfig(`\`family\` '${family}' is not a classic family (linear, ridge, forest, boosting)`);
  }
}

export function classicFittedModel(config: ModelConfig, data: ModelData, result: ClassicFit): FittedModel {
  const stored = result.stored as { kind: string };
  if (stored.kind === 'regression') return regressionFittedModel(config, data, stored as StoredRegression, result.family);
  return treesFittedModel(config, data, stored as StoredTrees);
}

/** The config's tree settings that apply to a random forest (learning rate and subsample are boosting's). */
function forestParams(t: NonNullable<NonNullable<ModelConfig['classic']>['trees']>) {
  const { learningRate: _l, subsample: _s, ...forest } = t;
  return forest;
}
