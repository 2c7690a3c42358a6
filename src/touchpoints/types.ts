/**
 * Journeys as typed arrays: the input of every scoring method. No I/O here.
 *
 * A journey is the touches of one customer up to (and including) a conversion, or up to the end of
 * the data when there is none. An aggregated path row is one journey standing for `conversions + nulls`
 * identical customers. Touch k of journey j is at index `offsets[j] + k` of the touch arrays, in time
 * order. Times are epoch seconds (NaN for aggregated paths, which have no timestamps).
 */
export interface Journeys {
  /** Channel names; `touchChannel` holds indices into this list. */
  channels: string[];
  /** Campaign names; `touchCampaign` holds indices into it, −1 for none. */
  campaigns: string[];
  /** [J + 1]: journey j's touches are `offsets[j] .. offsets[j+1]−1`. Every journey has ≥ 1 touch. */
  offsets: Int32Array;
  /** [N] channel index of each touch. */
  touchChannel: Int32Array;
  /** [N] epoch seconds, NaN when unknown (aggregated paths). */
  touchTime: Float64Array;
  /** [N] campaign index, −1 when none. */
  touchCampaign: Int32Array;
  /** Geo names of the touches (event data with a geo column); `touchGeo` holds indices into it, −1 for none. */
  geos?: string[];
  touchGeo?: Int32Array;
  /** [J] conversions that end the journey (0 for a non-converting journey; a count for a path row). */
  conversions: Float64Array;
  /** [J] conversion value of those conversions. */
  value: Float64Array;
  /** [J] non-converting journeys with these touches (1 − converted for events; `total_null` for paths). */
  nulls: Float64Array;
  /** [J] conversion time, or the last touch's time for a non-converting journey (epoch s; NaN for paths). */
  endTime: Float64Array;
  /** [J] the journey's id as given (customer id) — optional; exports use it. */
  ids?: string[];
  /** [J] session number within the id (0 = up to the first conversion, 1 = after it, …). */
  session?: Int32Array;
  /** Customer attributes declared at ingest (role `segment`), each with its levels and every journey's level. */
  segments?: SegmentAttribute[];
  /** The data's end (epoch s): its latest touch or conversion, where non-converting journeys are censored at the latest (event data; the latest journey end when absent). */
  dataEnd?: number;
  /** Conversions with no touch within the lookback window (not distributed by any method). */
  untouchedConversions: number;
  untouchedValue: number;
}

/** A customer attribute (device, region, value tier…): its levels and the level of each journey's customer, −1 when not given. */
export interface SegmentAttribute { name: string; levels: string[]; journeyLevel: Int32Array }

export const METHODS = ['first', 'last', 'linear', 'position', 'decay', 'markov', 'shapley', 'incremental'] as const;
export type Method = (typeof METHODS)[number];

/** Per-touch scores of one method: conversions (and value) credited to each touch. */
export interface Scores {
  /** A method name, or a derived score such as 'calibrated' or 'influenced'. */
  method: Method | 'calibrated' | 'influenced';
  /** [N] conversions credited to each touch. */
  conversions: Float64Array;
  /** [N] value credited to each touch. */
  value: Float64Array;
}

export interface ChannelCredit { channel: string; conversions: number; value: number; share: number }

export function touchCount(j: Journeys): number {
  return j.offsets[j.offsets.length - 1];
}

export function journeyCount(j: Journeys): number {
  return j.offsets.length - 1;
}

/** Sums per-touch scores by channel; `share` is the channel's part of the conversions distributed. */
export function byChannel(j: Journeys, s: Scores): ChannelCredit[] {
  const C = j.channels.length;
  const conv = new Float64Array(C), val = new Float64Array(C);
  const N = touchCount(j);
  for (let i = 0; i < N; i++) { conv[j.touchChannel[i]] += s.conversions[i]; val[j.touchChannel[i]] += s.value[i]; }
  return channelCredits(j.channels, conv, val);
}

/** Per-channel credit from channel sums; `share` is the channel's part of the conversions distributed. */
export function channelCredits(channels: readonly string[], conv: Float64Array, val: Float64Array): ChannelCredit[] {
  let total = 0;
  for (let c = 0; c < channels.length; c++) total += conv[c];
  return channels.map((channel, c) => ({ channel, conversions: conv[c], value: val[c], share: total > 0 ? Math.min(1, Math.max(0, conv[c] / total)) : 0 }));
}

/** Total conversions and value of the journeys that have touches (what the methods distribute). */
export function journeyTotals(j: Journeys): { conversions: number; value: number; journeys: number } {
  let conversions = 0, value = 0, journeys = 0;
  for (let k = 0; k < j.conversions.length; k++) { conversions += j.conversions[k]; value += j.value[k]; journeys += j.conversions[k] + j.nulls[k]; }
  return { conversions, value, journeys };
}
