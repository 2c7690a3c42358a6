/**
 * The one palette of Marginal's charts, in the web app and in the HTML report: channels (and plans,
 * models, methods) take the series colours in order; the named colours keep one meaning everywhere.
 */

/** Series colours, in order: channel i is `seriesColor(i)` in every chart of a model. */
export const PALETTE = ['#2f6fde', '#e8743b', '#19a979', '#ed4a7b', '#945ecf', '#13a4b4', '#525df4', '#bf399e', '#6c8893', '#ee6868'] as const;

export function seriesColor(i: number): string {
  return PALETTE[((i % PALETTE.length) + PALETTE.length) % PALETTE.length];
}

export const COLORS = {
  /** The part of the outcome media do not explain (baseline, trend, seasonality, controls). */
  base: '#c9ced6',
  /** Observed values, interval whiskers, text. */
  ink: '#222',
  /** The model's prediction, and the first of two compared figures (ROI beside marginal ROI). */
  predicted: '#2f6fde',
  /** Intervals drawn as areas, and the second of two compared figures. */
  band: '#9ec1f7',
  bandFill: 'rgba(47, 111, 222, 0.28)',
  /** Priors and reference figures (a prior's interval, the share of spend, a reference plan). */
  reference: '#9aa5b1',
  referenceFill: 'rgba(154, 165, 177, 0.25)',
  referenceMark: '#6c7682',
  /** Held-out periods, shaded. */
  holdout: 'rgba(230, 160, 40, 0.12)',
  holdoutText: '#8a5a00',
  /** A threshold to clear (break-even ROI). */
  threshold: '#c0392b',
  grid: '#eee',
  gain: '#3a8f5c',
  loss: '#c0504d',
} as const;

/** Opacity of a response curve's 90% band (the web's browser test counts these polygons). */
export const BAND_OPACITY = 0.14;
