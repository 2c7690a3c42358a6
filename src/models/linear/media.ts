/**
 * Media features shared by the classic families (linear, ridge, forest, boosting): each channel's
 * activity scaled by its typical value (mean of its non-zero activity per geo, as the Bayesian model
 * does), then adstocked along T and saturated, with fixed parameters per channel.
 *
 * Layout: activity and features are [G, T, C] row-major (index (g·T + t)·C + c).
 * Example: activity [2, 0] (typical value 2, so scaled [1, 0]) through geometric α = 0.5 (normalized,
 * maxLag 2, weights [2/3, 1/3]) and no saturation gives features [0.667, 0.333].
 */
import { applyTransform, getTransform } from '../../transforms/registry.ts';
import { organicChannels, paidChannels, type ModelConfig } from '../config.ts';
import type { ModelData } from '../design.ts';
import { defaultMaxLag } from '../features.ts';

export interface ChannelMedia {
  adstock: { type: string; maxLag: number; params: Record<string, number> };
  saturation: { type: string; params: Record<string, number> };
}

/** Default transform parameters (no search): each transform parameter's `fixed` value (its descriptor's). */
export function defaultMediaParams(config: ModelConfig, data: ModelData, channels = paidChannels(config)): ChannelMedia[] {
  const lagDefault = defaultMaxLag(data.grain);
  return channels.map((ch) => {
    const a = ch.adstock ?? config.adstock;
    const s = ch.saturation ?? config.saturation;
    return {
      adstock: { type: a.type, maxLag: a.maxLag ?? config.adstock.maxLag ?? lagDefault, params: a.type === 'none' ? {} : fixedValues('adstock', a.type) },
      saturation: { type: s.type, params: s.type === 'none' ? {} : fixedValues('saturation', s.type) },
    };
  });
}

function fixedValues(kind: 'adstock' | 'saturation', type: string): Record<string, number> {
  return Object.fromEntries(getTransform(kind, type).params.map((p) => [p.name, p.fixed]));
}

/** Typical activity per [g, c]: mean of the non-zero activity (1 when a channel is all zero in a geo). */
export function activityScale(data: ModelData): Float64Array {
  const { G, T, C } = data;
  const scale = new Float64Array(G * C);
  for (let g = 0; g < G; g++) for (let c = 0; c < C; c++) {
    let s = 0, n = 0;
    for (let t = 0; t < T; t++) { const a = data.activity[(g * T + t) * C + c]; if (a > 0) { s += a; n++; } }
    scale[g * C + c] = n > 0 ? s / n : 1;
  }
  return scale;
}

/**
 * Transformed media of one channel: `activity` [G, T, C] (raw), writes [G, T] into `out`.
 * `scale` [G, C] from `activityScale`.
 */
export function channelFeature(activity: Float64Array, G: number, T: number, C: number, c: number, scale: Float64Array, media: ChannelMedia, out: Float64Array): void {
  const x = new Float64Array(G * T);
  for (let g = 0; g < G; g++) for (let t = 0; t < T; t++) x[g * T + t] = activity[(g * T + t) * C + c] / scale[g * C + c];
  const dims = { series: G, T, C: 1 };
  let a: Float64Array = x;
  if (media.adstock.type !== 'none') a = applyTransform(getTransform('adstock', media.adstock.type), x, media.adstock.params, { maxLag: media.adstock.maxLag }, dims);
  if (media.saturation.type !== 'none') a = applyTransform(getTransform('saturation', media.saturation.type), a, media.saturation.params, {}, dims);
  out.set(a);
}

/** All channels' features [G, T, C]. */
export function mediaFeatures(activity: Float64Array, data: ModelData, scale: Float64Array, media: ChannelMedia[]): Float64Array {
  const { G, T, C } = data;
  const out = new Float64Array(G * T * C);
  const one = new Float64Array(G * T);
  for (let c = 0; c < C; c++) {
    channelFeature(activity, G, T, C, c, scale, media[c], one);
    for (let i = 0; i < G * T; i++) out[i * C + c] = one[i];
  }
  return out;
}

/**
 * Organic channels' features [G·T, O]: each one's activity scaled by its typical value per geo, then
 * adstocked and saturated with its transforms' fixed parameters (as a paid channel's without a search).
 * They enter the classic families' design beside the controls (kind 'organic'), with a non-negative
 * coefficient, and are reported as parts of the outcome, never with an ROI.
 */
export function organicFeatures(config: ModelConfig, data: ModelData): { names: string[]; values: Float64Array } {
  const { G, T } = data;
  const names = data.organic?.names ?? [];
  const O = names.length;
  const values = new Float64Array(G * T * O);
  if (!O) return { names, values };
  const media = defaultMediaParams(config, data, organicChannels(config));
  const activity = data.organic!.activity;
  const scale = new Float64Array(G * O);
  for (let g = 0; g < G; g++) for (let o = 0; o < O; o++) {
    let s = 0, n = 0;
    for (let t = 0; t < T; t++) { const a = activity[(g * T + t) * O + o]; if (a > 0) { s += a; n++; } }
    scale[g * O + o] = n > 0 ? s / n : 1;
  }
  const one = new Float64Array(G * T);
  for (let o = 0; o < O; o++) {
    channelFeature(activity, G, T, O, o, scale, media[o], one);
    for (let i = 0; i < G * T; i++) values[i * O + o] = one[i];
  }
  return { names: names.map((n) => `organic:${n}`), values };
}
