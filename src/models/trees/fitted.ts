/**
 * A forest or boosting fit as a `FittedModel`. The ensembles are not stored (hundreds of trees per
 * bootstrap replicate); they are refitted from config, data, parameters and seed, which reproduces
 * them exactly (the stored checksum of the predictions is verified). `response()` is partial
 * dependence, one value per bootstrap replicate; `limits` gives the spend beyond which a tree model
 * can only extrapolate flat.
 */
import { conflict, internal } from '../../errors.ts';
import type { ModelConfig } from '../config.ts';
import type { ModelData } from '../design.ts';
import type { FittedModel } from '../fitted.ts';
import { applyTransform, getTransform } from '../../transforms/registry.ts';
import { predictEnsemble } from './ensemble.ts';
import { trainTrees, withChannel, type StoredTrees } from './fit.ts';
import { zeroAbsent } from '../linear/result.ts';

export interface TreeFittedModel extends FittedModel {
  /** Largest per-period spend per channel seen in the fit periods. */
  limits: { channel: string; maxPeriodSpend: number }[];
  /** Whether a request would put any period's spend above the training maximum. */
  extrapolates(request: { channel: number; multiplier: number; window?: [number, number]; geo?: number }): boolean;
}

export function treesFittedModel(config: ModelConfig, data: ModelData, stored: StoredTrees): TreeFittedModel {
  const models = trainTrees(config, data, stored.family, stored.params, stored.media, stored.seed, stored.bootstrap);
  if (Math.abs(models.checksum - stored.checksum) > 1e-9 * Math.abs(stored.checksum)) {
    throw conflict('the refitted trees differ from the stored fit (data or code changed): refit the model');
  }
  const { design, replicates, point } = models;
  const { G, T, C } = data;
  const ensembles = replicates.length ? replicates : [point];
  const total = (p: Float64Array) => { let s = 0; for (let i = 0; i < p.length; i++) if (data.present[i]) s += p[i]; return s; };
  return {
    family: stored.family,
    target: { column: config.target.column, kind: config.target.kind },
    dates: data.dates, geos: data.geos, channels: data.channels, inSample: data.inSample,
    ...(data.organic ? { organic: data.organic.names } : {}),
    actual: data.y, observed: data.observed, present: data.present, spend: data.spend, revenuePerUnit: data.revenuePerUnit,
    nDraws: ensembles.length,
    limits: data.channels.map((channel, c) => ({ channel, maxPeriodSpend: stored.maxPeriodSpend[c] })),
    decomposition() {
      const components: Record<string, Float64Array> = {};
      for (const [k, v] of Object.entries(stored.components)) components[k] = Float64Array.from(v);
      const channels: Record<string, Float64Array> = {};
      data.channels.forEach((name, c) => { channels[name] = Float64Array.from(stored.channelSeries[c]); });
      return { components, channels, predicted: zeroAbsent(predictEnsemble(point, design.X), data.present) };
    },
    response({ channel, multiplier, window, geo }) {
      if (!(channel >= 0 && channel < C)) throw internal(`channel index ${channel} out of range 0…${C - 1}`);
      if (!(multiplier >= 0)) throw internal(`multiplier must be >= 0; got ${multiplier}`);
      const [t0, t1] = window ?? [0, T];
      const scaled = Float64Array.from(data.activity), zero = Float64Array.from(data.activity);
      for (let g = 0; g < G; g++) {
        if (geo !== undefined && g !== geo) continue;
        for (let t = t0; t < t1; t++) { scaled[(g * T + t) * C + channel] *= multiplier; zero[(g * T + t) * C + channel] = 0; }
      }
      const Xs = withChannel(design, data, stored.media, channel, scaled), X0 = withChannel(design, data, stored.media, channel, zero);
      return Float64Array.from(ensembles, (e) => total(predictEnsemble(e, Xs)) - total(predictEnsemble(e, X0)));
    },
    extrapolates({ channel, multiplier, window, geo }) {
      const [t0, t1] = window ?? [0, T];
      for (let g = 0; g < G; g++) {
        if (geo !== undefined && g !== geo) continue;
        for (let t = t0; t < t1; t++) if (data.spend[(g * T + t) * C + channel] * multiplier > stored.maxPeriodSpend[channel] * (1 + 1e-12)) return true;
      }
      return false;
    },
    adstockWeights(channel) {
      const a = stored.media[channel].adstock;
      if (a.type === 'none') return Float64Array.of(1);
      const impulse = new Float64Array(a.maxLag);
      impulse[0] = 1;
      return applyTransform(getTransform('adstock', a.type), impulse, a.params, { maxLag: a.maxLag, normalize: true });
    },
  };
}
