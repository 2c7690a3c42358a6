/**
 * The classic families behind one entry point: `fitClassic` fits linear, ridge (with the Robyn-style
 * search when `search` is configured), forest or boosting; `classicFittedModel` rebuilds any of them as
 * a `FittedModel`. `requireMinPeriods` (ridge search) and `requireBayesianMinPeriods` state the minimum
 * data: fit periods for a national model, observed fit cells (geo × period) for a geo model, so that
 * observations and parameters (a level per geo among them) are counted in the same units.
 */
import { badConfig } from '../../errors.ts';
import { getTransform } from '../../transforms/registry.ts';
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
 * The model's parameter count, in two parts: the regression coefficients the periods must pin (the
 * level, one per channel and per control, the seasonal and trend terms) and the channels' response-
 * curve parameters (adstock decay or shape, Hill half-saturation and shape…). Geo models add a level
 * per geo beyond the first, counted only where `geoLevels` says (each geo's level is pinned by its own
 * series, not by more periods, so the Bayesian counts leave them out).
 */
export function parameterCounts(config: ModelConfig, data: ModelData, geoLevels = true): { coefficients: number; curves: number } {
  const orders = seasonalityOrders(config, data.grain);
  const season = 2 * (orders.yearly + orders.weekly);
  const trend = config.trend === 'none' ? 0 : typeof config.trend === 'object' ? 1 + config.trend.changepoints : 1;
  let curves = 0;
  for (const ch of config.channels) {
    const a = (ch.adstock ?? config.adstock).type, s = (ch.saturation ?? config.saturation).type;
    curves += a === 'none' ? 0 : getTransform('adstock', a).params.length;
    curves += s === 'none' ? 0 : getTransform('saturation', s).params.length;
  }
  return { coefficients: 1 + data.C + data.K + season + trend + (geoLevels ? data.G - 1 : 0), curves };
}

/**
 * Minimum number of observations for the ridge search — fit periods, or observed fit cells in a geo
 * model (`requireMinPeriods`): 20, or twice the number of
 * estimated parameters (coefficients plus each channel's transform parameters), whichever is larger.
 * Linear models have no minimum beyond their coefficients; they warn instead. For the Bayesian model
 * this is the size from which it is well determined (below it, down to `bayesianMinimumPeriods`, it
 * fits with a FEW PERIODS warning).
 */
export function minimumPeriods(config: ModelConfig, data: ModelData): number {
  const p = parameterCounts(config, data);
  return Math.max(20, 2 * (p.coefficients + p.curves));
}

export function requireMinPeriods(config: ModelConfig, data: ModelData, what: string): void {
  // Observations and parameters in the same units: the parameters include a level per geo, so the
  // observations are the observed fit cells (geo × period; periods for a national model).
  const n = fitCells(data);
  const min = minimumPeriods(config, data);
  if (n < min) {
    throw badConfig(`too few ${data.G > 1 ? 'observations' : 'periods'} for the ${what}: the data have ${observationsText(data, n)}${config.holdout.periods ? ` (after a holdout of ${config.holdout.periods})` : ''}; this model needs at least ${min} (20, or twice its ${min / 2} parameters). Use \`"family": "linear"\` for a rough look, or collect more periods.`);
  }
}

/** "19 fit periods", or for a geo model "1,200 observed fit cells (geo × period, over 40 periods)". */
function observationsText(data: ModelData, n: number): string {
  if (data.G === 1) return `${n} fit period${n === 1 ? '' : 's'}`;
  return `${n.toLocaleString('en-US')} observed fit cell${n === 1 ? '' : 's'} (geo × period, over ${fitPeriods(data)} period${fitPeriods(data) === 1 ? '' : 's'})`;
}

/** Residual degrees of freedom the Bayesian model asks beyond its regression coefficients (see below). */
export const BAYESIAN_SPARE_PERIODS = 10;
/** The Bayesian model's absolute floor: a year of monthly data. */
export const BAYESIAN_FLOOR = 12;

/**
 * The Bayesian model's floor of fit periods: its regression coefficients (level, channels, controls,
 * seasonal and trend terms; geo levels aside) plus 10, and never fewer than 12. The priors make the
 * posterior proper at any size, so the floor is about what the data can still say: with 10 periods
 * to spare the noise level σ — against which every effect is judged — is estimated from the data to
 * within about a fifth (the relative sd of a standard deviation on ν degrees of freedom is ≈ 1/√(2ν),
 * 0.22 at ν = 10); with fewer it is the prior's, and so is every interval. The curve parameters are
 * not counted: their priors carry them when periods are few (FEW PERIODS says so). 12 periods is a
 * year of months, the least that shows a yearly cycle once.
 */
export function bayesianMinimumPeriods(config: ModelConfig, data: ModelData): { min: number; coefficients: number; curves: number; comfortable: number } {
  const p = parameterCounts(config, data, false);
  return { min: Math.max(BAYESIAN_FLOOR, p.coefficients + BAYESIAN_SPARE_PERIODS), ...p, comfortable: Math.max(20, 2 * (p.coefficients + p.curves)) };
}

export function requireBayesianMinPeriods(config: ModelConfig, data: ModelData): void {
  const tIn = fitPeriods(data);
  const { min, coefficients } = bayesianMinimumPeriods(config, data);
  if (data.G > 1) {
    // Geo models: observed cells against the coefficients plus a level per geo (the same units), and
    // never under the floor's periods (a yearly cycle is seen in periods, not in geos).
    const n = fitCells(data), need = coefficients + data.G - 1 + BAYESIAN_SPARE_PERIODS;
    if (n < need || tIn < BAYESIAN_FLOOR) {
      throw badConfig(`too few observations for the Bayesian model: the data have ${observationsText(data, n)}${config.holdout.periods ? ` (after a holdout of ${config.holdout.periods})` : ''}; this model needs at least ${need} observed cells (its ${coefficients} regression coefficients, ${data.G} geo levels less one, plus ${BAYESIAN_SPARE_PERIODS}, so that the noise level comes from the data, not the prior) over at least ${BAYESIAN_FLOOR} periods. Drop channels, controls or seasonality, use \`"family": "linear"\` for a rough look, or collect more periods.`);
    }
    return;
  }
  if (tIn < min) {
    throw badConfig(`too few periods for the Bayesian model: the data have ${tIn} fit period${tIn === 1 ? '' : 's'}${config.holdout.periods ? ` (after a holdout of ${config.holdout.periods})` : ''}; this model needs at least ${min} (its ${coefficients} regression coefficients plus ${BAYESIAN_SPARE_PERIODS}, so that the noise level comes from the data, not the prior; never under ${BAYESIAN_FLOOR}). Drop channels, controls or seasonality, use \`"family": "linear"\` for a rough look, or collect more periods.`);
  }
}

/** In-sample periods in which some geo's outcome is observed (those the fit sees; a holdout's are left out). */
export function fitPeriods(data: ModelData): number {
  let n = 0;
  for (let t = 0; t < data.T; t++) {
    if (!data.inSample[t]) continue;
    for (let g = 0; g < data.G; g++) if (data.observed[g * data.T + t]) { n++; break; }
  }
  return n;
}

/** Observed in-sample cells (geo × period): the likelihood's observations. A national model's are its fit periods. */
export function fitCells(data: ModelData): number {
  let n = 0;
  for (let i = 0; i < data.G * data.T; i++) if (data.inSample[i % data.T] && data.observed[i]) n++;
  return n;
}

export function fitClassic(config: ModelConfig, data: ModelData, opts: ClassicOptions = {}): ClassicFit {
  const fit = fitClassicFamily(config, data, opts);
  // Reach & frequency is the Bayesian model's: a classic family reads the channel's impressions.
  const rf = data.channels.filter((_, c) => !!data.rf?.[c]);
  if (rf.length) fit.warnings.push(`REACH & FREQUENCY: ${rf.join(', ')} ${rf.length === 1 ? 'is' : 'are'} read as impressions (reach × frequency) by the ${fit.family} model, with no optimal frequency; the Bayesian model reads reach and frequency apart.`);
  return fit;
}

function fitClassicFamily(config: ModelConfig, data: ModelData, opts: ClassicOptions): ClassicFit {
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
