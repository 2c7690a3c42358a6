/**
 * A prior predictive check, before sampling: what share of the outcome the ROI priors alone say media
 * explain. Each channel's ROI is drawn from its prior and multiplied by its spend; their sum over the
 * outcome (in revenue) is the media share the model starts from. A prior whose median puts media at
 * 200% of revenue will pull a weakly identified channel's answer up however the fit goes, so the
 * check is shown with the fit and drives the warning below.
 *
 * The default ROI prior (prepare.ts) is Meridian's LogNormal(0.2, 0.9) where that prior implies a
 * plausible media share, and is re-centred where all media together explain 20% of the outcome when
 * it does not: when revenue is over 100× spend (outcome and spend evidently not in comparable units),
 * or when its median alone would put media above half of the revenue (spend large next to revenue).
 */
import { Rng } from '../../util/rng.ts';
import type { LogNormalPrior } from './priors.ts';

/** Meridian's default ROI prior, LogNormal(0.2, 0.9). */
export const MERIDIAN_ROI_PRIOR: LogNormalPrior = { mu: 0.2, sigma: 0.9 };
/** Media share of the outcome the re-centred default aims its median at. */
export const DEFAULT_MEDIA_SHARE = 0.2;
/** A prior median media share above this is implausible (media would earn most of the revenue). */
export const IMPLAUSIBLE_SHARE = 0.5;

export interface PriorCheck {
  /** Media share of the outcome (revenue) implied by the ROI priors alone: median and 90% interval. */
  mediaShare: { median: number; interval: [number, number] };
  /** Per channel, the share its prior's median ROI implies. */
  channelShare: number[];
  /** How the default ROI prior was chosen: Meridian's, or centred on a 20% media share. */
  defaultRule: 'meridian' | 'media-share' | 'given';
}

/**
 * The default ROI prior for data with `revenueTotal` of outcome (in revenue) against `spendTotal`,
 * and the rule that chose it. `revenueLike` is false for conversions without a revenue per conversion,
 * where ROI is conversions per unit of spend and only the share rule makes sense.
 */
export function defaultRoiPrior(revenueTotal: number, spendTotal: number, revenueLike: boolean): { prior: LogNormalPrior; rule: 'meridian' | 'media-share' } {
  const impliedShare = (Math.exp(MERIDIAN_ROI_PRIOR.mu) * spendTotal) / revenueTotal;
  const comparable = revenueLike && revenueTotal <= 100 * spendTotal && impliedShare <= IMPLAUSIBLE_SHARE;
  if (comparable || !(spendTotal > 0) || !(revenueTotal > 0)) return { prior: MERIDIAN_ROI_PRIOR, rule: 'meridian' };
  return { prior: { mu: Math.log((DEFAULT_MEDIA_SHARE * revenueTotal) / spendTotal), sigma: MERIDIAN_ROI_PRIOR.sigma }, rule: 'media-share' };
}

/** The media share the priors imply, from 4000 draws (fixed seed: the same config gives the same check). */
export function priorCheck(priors: readonly LogNormalPrior[], spend: ArrayLike<number>, revenueTotal: number, defaultRule: PriorCheck['defaultRule']): PriorCheck {
  const rng = new Rng(90210);
  const n = 4000;
  const shares = new Float64Array(n);
  for (let d = 0; d < n; d++) {
    let s = 0;
    priors.forEach((p, c) => { s += Math.exp(p.mu + p.sigma * rng.normal()) * spend[c]; });
    shares[d] = s / revenueTotal;
  }
  shares.sort();
  const q = (p: number) => shares[Math.min(n - 1, Math.floor(p * (n - 1)))];
  return {
    mediaShare: { median: q(0.5), interval: [q(0.05), q(0.95)] },
    channelShare: priors.map((p, c) => (Math.exp(p.mu) * spend[c]) / revenueTotal),
    defaultRule,
  };
}
