/**
 * Sub-channels' contribution and ROI, split from their channel's (docs/mmm.md "Sub-channels"). The
 * model is fitted on the channel; sub-channel s gets, in each geo, period and draw,
 *
 *   contribution_s[t] = contribution[t] × A_s[t] / A[t],
 *
 * where A_s is s's activity through the channel's adstock (that draw's weights) and A = Σ_s A_s is the
 * channel's. Carry-over thus credits the sub-channel that spent. Adstock is linear, so the parts add up
 * to the channel's contribution in every draw. ROI_s = revenue_s / spend_s per draw, so it has an
 * interval. Assumed: one curve and one effect per unit of activity within a channel; sub-channel ROIs
 * then differ only by cost per unit of activity and timing.
 */
import type { FittedModel } from '../models/fitted.ts';
import type { SubchannelSeries } from '../models/subchannels.ts';
import { quantiles } from './curves.ts';
import type { Row } from './rows.ts';

/** A channel's split, per draw: `contribution[s][d]` and `revenue[s][d]` (target units, revenue); `channel[d]` the whole. */
export interface ChannelSplit {
  channel: string;
  subchannels: SubchannelSeries[];
  contribution: Float64Array[];
  revenue: Float64Array[];
  total: Float64Array;
}

/** x through lag weights w, per geo: out[g·T + t] = Σ_l w[l] · x[g·T + t − l]. */
function adstocked(x: Float64Array, w: Float64Array, G: number, T: number): Float64Array {
  const out = new Float64Array(G * T);
  for (let g = 0; g < G; g++) {
    for (let t = 0; t < T; t++) {
      let s = 0;
      for (let l = 0; l < w.length && l <= t; l++) s += w[l] * x[g * T + t - l];
      out[g * T + t] = s;
    }
  }
  return out;
}

/** The split of channel `c` among its sub-channels (null when it has none). */
export function splitChannel(fitted: FittedModel, c: number): ChannelSplit | null {
  const subs = (fitted.subchannels ?? []).filter((s) => s.channel === c);
  if (!subs.length) return null;
  const G = Math.max(1, fitted.geos.length), T = fitted.dates.length, n = G * T;
  // Families without per-draw contributions: their mean decomposition, one draw (no interval).
  const draws = fitted.channelDraws?.(c) ?? { contribution: Float64Array.from(fitted.decomposition().channels[fitted.channels[c]]), adstock: [fitted.adstockWeights(c)] };
  const D = draws.adstock.length;
  const contribution = subs.map(() => new Float64Array(D)), revenue = subs.map(() => new Float64Array(D));
  const total = new Float64Array(D);
  let last: Float64Array | null = null, parts: Float64Array[] = [], whole = new Float64Array(n);
  for (let d = 0; d < D; d++) {
    const w = draws.adstock[d];
    // Classic families share one set of weights across replicates: adstock once.
    if (w !== last) {
      parts = subs.map((s) => adstocked(s.activity, w, G, T));
      whole = new Float64Array(n);
      for (const p of parts) for (let i = 0; i < n; i++) whole[i] += p[i];
      last = w;
    }
    for (let i = 0; i < n; i++) {
      const v = draws.contribution[d * n + i];
      total[d] += v;
      // No adstocked activity at all (nothing spent yet): the contribution, if any, is split evenly.
      for (let s = 0; s < subs.length; s++) {
        const part = whole[i] > 0 ? v * (parts[s][i] / whole[i]) : v / subs.length;
        contribution[s][d] += part;
        revenue[s][d] += part * fitted.revenuePerUnit[i];
      }
    }
  }
  return { channel: fitted.channels[c], subchannels: subs, contribution, revenue, total };
}

const mean = (x: Float64Array) => x.reduce((a, b) => a + b, 0) / x.length;
const interval = (x: Float64Array): [number | null, number | null] => {
  if (x.length < 2) return [null, null];
  const [lo, hi] = quantiles(x, [0.05, 0.95]);
  return [lo, hi];
};

/**
 * One row per sub-channel: its spend and share of the channel's spend, contribution, share of the
 * channel's contribution and ROI, each with its 90% interval over the model's draws (posterior mean as
 * the point). Shares of a channel's sub-channels sum to 1.
 */
export function subchannelTable(fitted: FittedModel): Row[] {
  if (!fitted.subchannels?.length) return [];
  return fitted.channels.flatMap((_, c) => {
    const split = splitChannel(fitted, c);
    if (!split) return [];
    const spendOf = split.subchannels.map((s) => s.spend.reduce((a, b) => a + b, 0));
    const channelSpend = spendOf.reduce((a, b) => a + b, 0), channelMean = mean(split.total);
    return split.subchannels.map((s, k): Row => {
      const contribution = split.contribution[k];
      const share = Float64Array.from(contribution, (v, d) => (split.total[d] !== 0 ? v / split.total[d] : NaN));
      const roi = Float64Array.from(split.revenue[k], (v) => (spendOf[k] > 0 ? v / spendOf[k] : NaN));
      const [clo, chi] = interval(contribution), [slo, shi] = interval(share), [rlo, rhi] = spendOf[k] > 0 ? interval(roi) : [null, null];
      return {
        channel: split.channel, subchannel: s.name, spend: spendOf[k], shareOfSpend: channelSpend > 0 ? spendOf[k] / channelSpend : null,
        contribution: mean(contribution), contributionLow: clo, contributionHigh: chi,
        share: channelMean !== 0 ? mean(contribution) / channelMean : null, shareLow: slo, shareHigh: shi,
        roi: spendOf[k] > 0 ? mean(roi) : null, roiLow: rlo, roiHigh: rhi,
      };
    });
  });
}
