/**
 * Shared types of the media transforms. Transforms import nothing from the rest of Marginal (DESIGN.md);
 * `autodiff/` imports these types and kernels to build its fused ops.
 */

/**
 * Layout of a media array: `series` independent series (e.g. geos), each `T` periods × `C` channels,
 * row-major [series, T, C]: element (s, t, c) sits at index (s·T + t)·C + c. A single series of one
 * channel is { series: 1, T, C: 1 }. Transform parameters are per channel: each is a length-C array.
 */
export interface MediaDims {
  series: number;
  T: number;
  C: number;
}

/** Prior distributions, with the parameterizations autodiff's log densities use. */
export type Prior =
  | { dist: 'normal'; mu: number; sigma: number }
  | { dist: 'halfNormal'; sigma: number }
  | { dist: 'logNormal'; mu: number; sigma: number }
  | { dist: 'gamma'; shape: number; rate: number }
  | { dist: 'beta'; a: number; b: number }
  | { dist: 'exponential'; rate: number }
  | { dist: 'studentT'; nu: number; mu: number; sigma: number };

/** Support of a parameter; matches the constraints of `inference/model.ts`. */
export type Support = { type: 'positive' } | { type: 'interval'; lower: number; upper: number };

export interface TransformParam {
  name: string;
  support: Support;
  prior: Prior;
  /** Meaning and units, one line. */
  description: string;
}

/** Options of adstocks (saturations ignore them). */
export interface TransformOptions {
  /** Number of lags including lag 0 (the current period); Infinity for the geometric recursion without truncation. */
  maxLag?: number;
  /** Divide the weights by their sum so that the adstock preserves totals. */
  normalize?: boolean;
}

/**
 * A media transform: adstock (carry-over across periods, along T) or saturation (diminishing returns,
 * elementwise). `forward` fills `out` (same layout as `x`) and may leave in `work` what `backward`
 * needs; `backward` must be called after `forward` with the same inputs and adds (accumulates)
 * `gOut · ∂out/∂x` into `gx` (when not null) and `gOut · ∂out/∂p` into `gp[k]` (length C, when not null).
 */
export interface MediaTransform {
  readonly kind: 'adstock' | 'saturation';
  readonly name: string;
  readonly params: readonly TransformParam[];
  /** Defaults applied by `resolveOptions` (adstocks: maxLag, normalize). */
  readonly defaultOptions: Readonly<TransformOptions>;
  /** One-paragraph definition with the formula. */
  readonly description: string;
  /** Doubles of scratch space forward/backward need for these dims and options. */
  workSize(d: MediaDims, o: TransformOptions): number;
  forward(x: Float64Array, d: MediaDims, p: readonly Float64Array[], out: Float64Array, o: TransformOptions, work: Float64Array): void;
  backward(
    x: Float64Array, d: MediaDims, p: readonly Float64Array[], out: Float64Array, gOut: Float64Array,
    gx: Float64Array | null, gp: readonly (Float64Array | null)[], o: TransformOptions, work: Float64Array,
  ): void;
}
