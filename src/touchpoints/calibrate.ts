/**
 * Consistency with the MMM, both directions. No I/O.
 *
 * MMM → touchpoints (`calibrateToMmm`): each touch belongs to the period of its journey's end (the
 * conversion, or the last touch of a non-converting journey) and to the MMM channel its channel maps
 * to. Within each (MMM channel, period) cell, the method's scores are rescaled so that they sum to the
 * MMM's incremental outcome for that channel and period (in the model's target units); what the MMM
 * leaves to the base is not given to any touch. A cell where the MMM has an outcome but no touch has
 * a score cannot be matched and is reported (`touchpoints` 0 there).
 *
 * Touchpoints → MMM (`contributionSharePriors`): per-channel credit shares from journeys become
 * `priors.contributionShare` entries `{ share, confidence }` of a model config.
 */
import { badInput, onField } from '../errors.ts';
import type { ChannelCredit, Journeys, Scores } from './types.ts';

export interface MmmSeries {
  /** Period starts, ISO `YYYY-MM-DD`, increasing. */
  dates: string[];
  /** Channel names of the MMM. */
  channels: string[];
  /** contributions[channel]: [G·T] geo-major incremental outcome per period (summed over geos here). */
  contributions: Record<string, ArrayLike<number>>;
}

export interface ConsistencyRow {
  /** MMM channel. */
  channel: string;
  /** Touchpoint channels mapped to it. */
  touchChannels: string[];
  /** Campaigns mapped to it by the campaign map (their touches count here whatever their channel); absent without one. */
  campaigns?: string[];
  /** Period start (absent on the per-channel total row). */
  period?: string;
  /** The MMM's incremental outcome. */
  mmm: number;
  /** Sum of calibrated touchpoint scores. */
  touchpoints: number;
  /** Sum of the method's scores before calibration. */
  raw: number;
}

export interface Calibration {
  /** [N] calibrated score of each touch, in the MMM's target units. */
  scores: Scores;
  consistency: ConsistencyRow[];
  /** Touch channels no MMM channel matched (their touches get 0). */
  unmatchedChannels: string[];
  /** MMM outcome in cells without any touch score (not distributable). */
  uncovered: number;
  /** Raw score of touches whose journey ended outside the model's periods (calibrated to 0). */
  outsidePeriods: number;
}

/** Resolves touch channel → MMM channel: `--channel-map` first, then the same name, then the same name ignoring case, blanks and `_`. */
export function resolveChannelMap(touchChannels: string[], mmmChannels: string[], map: Record<string, string> = {}): (string | null)[] {
  const norm = (s: string) => s.toLowerCase().replace(/[\s_-]+/g, '');
  for (const [t, m] of Object.entries(map)) {
    if (!mmmChannels.includes(m)) throw badInput(`--channel-map ${t}=${m}: the model has no channel '${m}'; its channels are ${mmmChannels.join(', ')}`);
    if (!touchChannels.includes(t)) throw badInput(`--channel-map ${t}=${m}: the touchpoint data have no channel '${t}'; they have ${touchChannels.join(', ')}`);
  }
  return touchChannels.map((t) => map[t] ?? (mmmChannels.includes(t) ? t : mmmChannels.find((m) => norm(m) === norm(t)) ?? null));
}

/** Epoch seconds of an ISO date (UTC midnight). */
const epochOf = (d: string) => Date.parse(`${d.slice(0, 10)}T00:00:00Z`) / 1000;

/** Index of the period containing t (period p covers [start_p, start_{p+1}); the last one as long as the one before), or −1. */
export function periodIndex(starts: Float64Array, t: number): number {
  const T = starts.length;
  if (!Number.isFinite(t) || T === 0 || t < starts[0]) return -1;
  const lastEnd = T > 1 ? starts[T - 1] + (starts[T - 1] - starts[T - 2]) : starts[0] + 7 * 86400;
  if (t >= lastEnd) return -1;
  let lo = 0, hi = T - 1;
  while (lo < hi) { const mid = (lo + hi + 1) >> 1; if (starts[mid] <= t) lo = mid; else hi = mid - 1; }
  return lo;
}

/**
 * Campaign → MMM channel, checked: a campaign's touches go to its model channel whatever their touch
 * channel ("Spring TV push" on a generic "Video" channel → tv). −1 for campaigns not in the map.
 */
export function resolveCampaignMap(campaigns: string[], mmmChannels: string[], map: Record<string, string> = {}): Int32Array {
  for (const [c, m] of Object.entries(map)) {
    if (!mmmChannels.includes(m)) throw onField('campaignMap', badInput(`campaign '${c}' is mapped to '${m}', which is not a channel of the model; its channels are ${mmmChannels.join(', ')}`));
    if (!campaigns.includes(c)) throw onField('campaignMap', badInput(`the touchpoint data have no campaign '${c}'; they have ${campaigns.slice(0, 20).join(', ')}${campaigns.length > 20 ? ` and ${campaigns.length - 20} more` : ''}`));
  }
  return Int32Array.from(campaigns, (c) => (map[c] === undefined ? -1 : mmmChannels.indexOf(map[c])));
}

export function calibrateToMmm(j: Journeys, s: Scores, mmm: MmmSeries, channelMap: Record<string, string> = {}, campaignMap: Record<string, string> = {}): Calibration {
  const T = mmm.dates.length, M = mmm.channels.length;
  if (!T) throw badInput('the model has no periods');
  const starts = Float64Array.from(mmm.dates, epochOf);
  const target = resolveChannelMap(j.channels, mmm.channels, channelMap).map((m) => (m === null ? -1 : mmm.channels.indexOf(m)));
  const byCampaign = resolveCampaignMap(j.campaigns, mmm.channels, campaignMap);
  const campaignsUsed = Object.keys(campaignMap).length > 0;
  // A touch channel is unmatched when some of its touches reach no model channel (neither by channel nor by campaign).
  const unreached = new Uint8Array(j.channels.length);
  const mmmCell = new Float64Array(M * T);
  for (let m = 0; m < M; m++) {
    const series = mmm.contributions[mmm.channels[m]];
    if (!series || series.length % T !== 0) throw badInput(`the model's contributions for '${mmm.channels[m]}' do not have a multiple of ${T} periods`);
    for (let i = 0; i < series.length; i++) mmmCell[m * T + (i % T)] += series[i];
  }
  const N = j.offsets[j.offsets.length - 1], J = j.offsets.length - 1;
  const cellOf = new Int32Array(N).fill(-1);
  const raw = new Float64Array(M * T);
  let outside = 0;
  for (let q = 0; q < J; q++) {
    const p = periodIndex(starts, j.endTime[q]);
    for (let i = j.offsets[q]; i < j.offsets[q + 1]; i++) {
      const camp = j.touchCampaign[i];
      const m = camp >= 0 && byCampaign[camp] >= 0 ? byCampaign[camp] : target[j.touchChannel[i]];
      if (m < 0) { unreached[j.touchChannel[i]] = 1; continue; }
      if (p < 0) { outside += s.conversions[i]; continue; }
      cellOf[i] = m * T + p;
      raw[m * T + p] += s.conversions[i];
    }
  }
  const out = new Float64Array(N);
  const cal = new Float64Array(M * T);
  for (let i = 0; i < N; i++) {
    const c = cellOf[i];
    if (c < 0 || !(raw[c] > 0)) continue;
    out[i] = s.conversions[i] * (mmmCell[c] / raw[c]);
    cal[c] += out[i];
  }
  const consistency: ConsistencyRow[] = [];
  let uncovered = 0;
  for (let m = 0; m < M; m++) {
    const touchChannels = j.channels.filter((_, c) => target[c] === m);
    const campaigns = campaignsUsed ? { campaigns: j.campaigns.filter((_, k) => byCampaign[k] === m) } : {};
    let a = 0, b = 0, r = 0;
    for (let p = 0; p < T; p++) {
      const c = m * T + p;
      if (!(raw[c] > 0)) uncovered += mmmCell[c];
      a += mmmCell[c]; b += cal[c]; r += raw[c];
    }
    consistency.push({ channel: mmm.channels[m], touchChannels, ...campaigns, mmm: a, touchpoints: b, raw: r });
    for (let p = 0; p < T; p++) {
      const c = m * T + p;
      consistency.push({ channel: mmm.channels[m], touchChannels, ...campaigns, period: mmm.dates[p].slice(0, 10), mmm: mmmCell[c], touchpoints: cal[c], raw: raw[c] });
    }
  }
  return {
    scores: { method: 'calibrated', conversions: out, value: out },
    consistency,
    unmatchedChannels: j.channels.filter((_, c) => target[c] < 0 && unreached[c] === 1),
    uncovered,
    outsidePeriods: outside,
  };
}

export interface SharePrior { share: number; confidence: number }

/**
 * `priors.contributionShare` entries for a model config from journey credit shares: each MMM channel
 * gets the summed share of the touch channels mapped to it (touch channels no model channel matches
 * keep their part: it is not handed to the others),
 * times `mediaShare`, the part of the MMM's total outcome that media drive (the Bayesian MMM reads a
 * contribution share as channel contribution / total outcome; journey credit covers touched conversions
 * only: take it from the incremental model, a previous fit or a lift test), with the user's confidence
 * in (0, 1). Example (mediaShare 1): shares {fb: 0.3, ig: 0.1, search: 0.6} with
 * fb,ig → social, confidence 0.5 → { social: {share: 0.4, confidence: 0.5}, search: {share: 0.6, confidence: 0.5} }.
 */
export function contributionSharePriors(credit: ChannelCredit[], mmmChannels: string[], confidence: number, channelMap: Record<string, string> = {}, mediaShare = 1): Record<string, SharePrior> {
  if (!(confidence > 0 && confidence < 1)) throw badInput(`--confidence must be in (0, 1); got ${confidence}`);
  if (!(mediaShare > 0 && mediaShare <= 1)) throw badInput(`--media-share must be in (0, 1]; got ${mediaShare}`);
  const target = resolveChannelMap(credit.map((c) => c.channel), mmmChannels, channelMap);
  const sums = new Map<string, number>();
  let total = 0, mapped = 0;
  credit.forEach((c, i) => { total += c.conversions; const m = target[i]; if (m !== null) { sums.set(m, (sums.get(m) ?? 0) + c.conversions); mapped += c.conversions; } });
  if (!(mapped > 0)) throw onField('channelMap', badInput('no touchpoint channel matches a model channel; map the touchpoint channels to the model\'s channels'));
  const out: Record<string, SharePrior> = {};
  for (const [m, v] of sums) out[m] = { share: mediaShare * v / total, confidence };
  return out;
}
