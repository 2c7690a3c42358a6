/**
 * Rebuilds the MMM's log-density inside a worker thread (a `TargetFactory` export): workers receive
 * the validated config and the model data by structured clone and build the same graph.
 */
import type { ModelConfig } from '../config.ts';
import type { ModelData } from '../design.ts';
import { buildMmm } from './model.ts';
import { prepareMmm } from './prepare.ts';

export interface MmmTargetArgs { config: ModelConfig; data: ModelData }

export function mmmTarget(args: MmmTargetArgs) {
  return buildMmm(prepareMmm(args.config, args.data), args.data.controlSigns).model;
}

export const mmmTargetModule = new URL('./target.ts', import.meta.url).href;
