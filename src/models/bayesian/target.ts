/**
 * Rebuilds the MMM's log-density inside a worker thread (a `TargetFactory` export): workers receive
 * the validated config and the model data by structured clone and build the same graph (with the
 * f32 media kernel).
 */
import type { ModelConfig } from '../config.ts';
import type { ModelData } from '../design.ts';
import { buildMmm } from './model.ts';
import { prepareMmm } from './prepare.ts';
import { sourceUrl } from '../../paths.ts';

export interface MmmTargetArgs { config: ModelConfig; data: ModelData }

/**
 * The sampler's target uses the single-precision media kernel (see ops/geometricHillContribution.ts):
 * NUTS needs a log density and gradient that agree with each other far below its integration error,
 * not sixteen digits; the fit's MAP, Laplace start and summaries use the f64 model.
 */
export function mmmTarget(args: MmmTargetArgs) {
  return buildMmm(prepareMmm(args.config, args.data), args.data.controlSigns, { kernelPrecision: 'f32' }).model;
}

export const mmmTargetModule = sourceUrl('models/bayesian/target.ts').href;
