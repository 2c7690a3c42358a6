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

/**
 * Prior distributions, with the parameterizations autodiff's log densities use. `uniform` is flat on
 * the parameter's support (which must then be an interval): it adds no density term.
 */
export type Prior =
  | { dist: 'normal'; mu: number; sigma: number }
  | { dist: 'halfNormal'; sigma: number }
  | { dist: 'logNormal'; mu: number; sigma: number }
  | { dist: 'gamma'; shape: number; rate: number }
  | { dist: 'beta'; a: number; b: number }
  | { dist: 'exponential'; rate: number }
  | { dist: 'studentT'; nu: number; mu: number; sigma: number }
  | { dist: 'uniform' };

/** Support of a parameter; matches the constraints of `inference/model.ts`. */
export type Support = { type: 'positive' } | { type: 'interval'; lower: number; upper: number };

/**
 * The curve parameters a user can give a prior for (`priors.curves` in the model config): a decay
 * (Beta prior on (0, 1)), a half-saturation point and a shape (LogNormal priors on x > 0).
 */
export type CurveRole = 'decay' | 'halfSaturation' | 'shape';

/** What a parameter's range, prior or search bounds may depend on: the adstock's number of lags. */
export interface ParamContext { maxLag: number }

/** A value, or a function of the context (a delay bounded by the number of lags). */
export type InContext<T> = T | ((c: ParamContext) => T);

export interface TransformParam {
  /** The name kernels and `applyTransform` use ('K'). */
  name: string;
  /**
   * The Bayesian model's name for it ('k'): posterior summaries and stored draws carry it, so it never
   * changes. A media group holds one adstock and one saturation, so an adstock's keys and a
   * saturation's keys must differ (the registry checks).
   */
  key: string;
  /** Support; the Bayesian model samples the parameter under this constraint. */
  support: InContext<Support>;
  /** The Bayesian model's default prior (a `role` parameter's can be replaced through `priors.curves`). */
  prior: InContext<Prior>;
  /** Which `priors.curves` entry sets this parameter's prior, if any. */
  role?: CurveRole;
  /** The value the classic families (linear, ridge, forest, boosting) use when nothing searches it. */
  fixed: number;
  /** The range of the Robyn-style ridge search (`search` in the config). */
  search: InContext<{ lo: number; hi: number }>;
  /** Meaning and units, one line. */
  description: string;
}

/** A parameter's support, prior and search range for one context. */
export interface ResolvedParam {
  name: string; key: string; role?: CurveRole; fixed: number; description: string;
  support: Support; prior: Prior; search: { lo: number; hi: number };
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
  /** How messages and the web app name it ('Michaelis–Menten'); defaults to `name`. */
  readonly label?: string;
  readonly params: readonly TransformParam[];
  /**
   * The model families it may be used in; absent, every family (the Bayesian model needs each
   * parameter's prior and support, the classic families its `fixed` value and `search` range).
   */
  readonly families?: readonly string[];
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
