/**
 * The design matrix of the classic families: a row per (geo, period) in [G·T] geo-major order, columns
 * media (C, transformed), controls (K, raw), seasonality, trend and geo indicators (G − 1). Row-major
 * [G·T, P]. Media come first so that column c is channel c.
 */
import type { ModelConfig } from '../config.ts';
import type { ModelData } from '../design.ts';
import { baselineFeatures } from '../features.ts';
import { activityScale, mediaFeatures, organicFeatures, type ChannelMedia } from './media.ts';

export interface ClassicDesign {
  /** [G·T, P] row-major. */
  X: Float64Array;
  n: number;
  P: number;
  names: string[];
  /** Kind of each column: channel, control, organic (organic media, `organic:NAME`), seasonality, trend or geo. */
  kinds: ('channel' | 'control' | 'organic' | 'seasonality' | 'trend' | 'geo')[];
  /** Indices g·T + t of observed in-sample rows and of observed holdout rows. */
  inRows: Int32Array;
  outRows: Int32Array;
  /** Activity scale [G, C]. */
  scale: Float64Array;
}

export interface BaseColumns { values: Float64Array; names: string[]; kinds: ClassicDesign['kinds'] }

/** Non-media columns [G·T, B]: controls, organic media, seasonality, trend, geo indicators. */
export function baseColumns(config: ModelConfig, data: ModelData, opts: { seasonality?: boolean; trend?: boolean } = {}): BaseColumns {
  const { G, T, K } = data;
  const base = baselineFeatures(config, data);
  const organic = organicFeatures(config, data);
  const O = organic.names.length;
  const nSeason = opts.seasonality === false ? 0 : base.nSeason;
  const nTrend = opts.trend === false ? 0 : base.nTrend;
  const B = K + O + nSeason + nTrend + (G - 1);
  const values = new Float64Array(G * T * B);
  const names = [...data.controls.map((c) => `control:${c}`), ...organic.names, ...base.names.slice(0, base.nSeason).slice(0, nSeason), ...base.names.slice(base.nSeason).slice(0, nTrend), ...data.geos.slice(1).map((g) => `geo:${g}`)];
  const kinds: ClassicDesign['kinds'] = [...Array(K).fill('control'), ...Array(O).fill('organic'), ...Array(nSeason).fill('seasonality'), ...Array(nTrend).fill('trend'), ...Array(G - 1).fill('geo')];
  for (let g = 0; g < G; g++) for (let t = 0; t < T; t++) {
    const i = g * T + t;
    let j = i * B;
    for (let k = 0; k < K; k++) values[j++] = data.controlValues[i * K + k];
    for (let o = 0; o < O; o++) values[j++] = organic.values[i * O + o];
    for (let k = 0; k < nSeason; k++) values[j++] = base.seasonality[t * base.nSeason + k];
    for (let k = 0; k < nTrend; k++) values[j++] = base.trend[t * base.nTrend + k];
    for (let h = 1; h < G; h++) values[j++] = g === h ? 1 : 0;
  }
  return { values, names, kinds };
}

/** Media features [G·T, C] followed by the base columns. */
export function assembleDesign(data: ModelData, media: Float64Array, base: BaseColumns, scale: Float64Array): ClassicDesign {
  const { G, T, C } = data;
  const B = base.names.length, P = C + B, n = G * T;
  const X = new Float64Array(n * P);
  for (let i = 0; i < n; i++) {
    for (let c = 0; c < C; c++) X[i * P + c] = media[i * C + c];
    for (let b = 0; b < B; b++) X[i * P + C + b] = base.values[i * B + b];
  }
  const inRows: number[] = [], outRows: number[] = [];
  // Rows with an observed outcome only: an unbalanced panel's absent or empty cells are not zeros.
  for (let g = 0; g < G; g++) for (let t = 0; t < T; t++) if (data.observed[g * T + t]) (data.inSample[t] ? inRows : outRows).push(g * T + t);
  return {
    X, n, P, names: [...data.channels, ...base.names], kinds: [...Array(C).fill('channel'), ...base.kinds],
    inRows: Int32Array.from(inRows), outRows: Int32Array.from(outRows), scale,
  };
}

export function buildClassicDesign(config: ModelConfig, data: ModelData, media: ChannelMedia[], opts: { seasonality?: boolean; trend?: boolean } = {}): ClassicDesign {
  const scale = activityScale(data);
  return assembleDesign(data, mediaFeatures(data.activity, data, scale, media), baseColumns(config, data, opts), scale);
}
