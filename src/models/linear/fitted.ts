/**
 * A linear or ridge fit as a `FittedModel`, rebuilt from config, data and the stored coefficients
 * (full-data fit and bootstrap replicates). `response()` returns one value per bootstrap replicate.
 */
import { conflict, internal } from '../../errors.ts';
import type { ModelConfig } from '../config.ts';
import type { ModelData } from '../design.ts';
import type { FittedModel } from '../fitted.ts';
import { applyTransform, getTransform } from '../../transforms/registry.ts';
import { buildClassicDesign } from './design.ts';
import type { StoredRegression } from './fit.ts';
import { channelFeature } from './media.ts';
import { zeroAbsent } from './result.ts';

export function regressionFittedModel(config: ModelConfig, data: ModelData, stored: StoredRegression, family: string): FittedModel {
  const design = buildClassicDesign(config, data, stored.media, { seasonality: stored.seasonality, trend: stored.trend });
  if (design.names.length !== stored.names.length || design.names.some((n, i) => n !== stored.names[i])) {
    throw conflict('stored coefficients do not match the design rebuilt from the config: refit the model');
  }
  const { G, T, C } = data;
  const n = G * T, P = design.P;
  const draws = stored.replicates.length ? stored.replicates : [stored.coef];
  const channelEffect = (activity: Float64Array, c: number): number => {
    const f = new Float64Array(n);
    channelFeature(activity, G, T, C, c, design.scale, stored.media[c], f);
    let s = 0;
    for (let i = 0; i < n; i++) if (data.present[i]) s += f[i];
    return s;
  };
  const adstockWeights = (channel: number): Float64Array => {
    const a = stored.media[channel].adstock;
    if (a.type === 'none') return Float64Array.of(1);
    const impulse = new Float64Array(a.maxLag);
    impulse[0] = 1;
    return applyTransform(getTransform('adstock', a.type), impulse, a.params, { maxLag: a.maxLag, normalize: true });
  };
  return {
    family,
    target: { column: config.target.column, kind: config.target.kind },
    dates: data.dates, geos: data.geos, channels: data.channels, inSample: data.inSample,
    ...(data.organic ? { organic: data.organic.names } : {}),
    actual: data.y, observed: data.observed, present: data.present, spend: data.spend, revenuePerUnit: data.revenuePerUnit,
    nDraws: draws.length,
    decomposition() {
      const coef = stored.coef;
      const components: Record<string, Float64Array> = { intercept: new Float64Array(n).fill(coef[0]) };
      const channels: Record<string, Float64Array> = {};
      const predicted = new Float64Array(n).fill(coef[0]);
      for (let j = 0; j < P; j++) {
        const name = design.names[j];
        const key = design.kinds[j] === 'channel' || design.kinds[j] === 'control' || design.kinds[j] === 'organic' ? name : design.kinds[j] === 'geo' ? 'intercept' : design.kinds[j];
        const target = design.kinds[j] === 'channel' ? (channels[name] = new Float64Array(n)) : (components[key] ??= new Float64Array(n));
        for (let i = 0; i < n; i++) { const v = design.X[i * P + j] * coef[j + 1]; target[i] += v; predicted[i] += v; }
      }
      for (const x of [...Object.values(components), ...Object.values(channels), predicted]) zeroAbsent(x, data.present);
      return { components, channels, predicted };
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
      const delta = channelEffect(scaled, channel) - channelEffect(zero, channel);
      return Float64Array.from(draws, (coef) => coef[channel + 1] * delta);
    },
    channelDraws(channel) {
      if (!(channel >= 0 && channel < C)) throw internal(`channel index ${channel} out of range 0…${C - 1}`);
      // One feature, scaled by each replicate's coefficient; the adstock is fixed across replicates.
      const j = channel; // the design's first C columns are the channels, in order
      const contribution = new Float64Array(draws.length * n);
      draws.forEach((coef, d) => { for (let i = 0; i < n; i++) contribution[d * n + i] = design.X[i * P + j] * coef[j + 1]; });
      const w = adstockWeights(channel);
      return { contribution, adstock: draws.map(() => w) };
    },
    adstockWeights,
  };
}
