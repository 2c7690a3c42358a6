/**
 * Builds `Journeys` from plain lists (tests, aggregated path rows, simulations). No I/O.
 */
import { internal } from '../errors.ts';
import type { Journeys, SegmentAttribute } from './types.ts';

export interface JourneyInput {
  /** Channel of each touch, in time order. */
  touches: string[];
  /** Epoch seconds of each touch (optional). */
  times?: number[];
  campaigns?: (string | null)[];
  conversions: number;
  value?: number;
  /** Non-converting customers with this path (default 1 − min(conversions, 1)). */
  nulls?: number;
  /** Conversion or end time, epoch seconds. */
  end?: number;
  id?: string;
  session?: number;
  /** The customer's attributes: attribute → level (segments). */
  segment?: Record<string, string>;
}

/**
 * Example: `journeysFrom([{ touches: ['a', 'b'], conversions: 1 }])` → channels ['a', 'b'],
 * offsets [0, 2], conversions [1], nulls [0]. Journeys with no touches are counted as untouched.
 */
export function journeysFrom(list: JourneyInput[], channelOrder?: string[]): Journeys {
  const names = channelOrder ?? [...new Set(list.flatMap((x) => x.touches))].sort();
  const index = new Map(names.map((c, i) => [c, i]));
  const campaigns: string[] = [];
  const campaignIndex = new Map<string, number>();
  const kept = list.filter((x) => x.touches.length > 0);
  const N = kept.reduce((a, x) => a + x.touches.length, 0);
  const j: Journeys = {
    channels: names, campaigns,
    offsets: new Int32Array(kept.length + 1), touchChannel: new Int32Array(N), touchTime: new Float64Array(N).fill(NaN),
    touchCampaign: new Int32Array(N).fill(-1), conversions: new Float64Array(kept.length), value: new Float64Array(kept.length),
    nulls: new Float64Array(kept.length), endTime: new Float64Array(kept.length).fill(NaN),
    ids: kept.map((x, k) => x.id ?? String(k)), session: Int32Array.from(kept, (x) => x.session ?? 0),
    untouchedConversions: 0, untouchedValue: 0,
  };
  for (const x of list) if (x.touches.length === 0) { j.untouchedConversions += x.conversions; j.untouchedValue += x.value ?? 0; }
  let i = 0;
  kept.forEach((x, k) => {
    j.offsets[k] = i;
    x.touches.forEach((c, t) => {
      const ci = index.get(c);
      if (ci === undefined) throw internal(`channel '${c}' is not in the channel list`);
      j.touchChannel[i] = ci;
      if (x.times) j.touchTime[i] = x.times[t];
      const camp = x.campaigns?.[t];
      if (camp != null) {
        let q = campaignIndex.get(camp);
        if (q === undefined) { q = campaigns.length; campaigns.push(camp); campaignIndex.set(camp, q); }
        j.touchCampaign[i] = q;
      }
      i++;
    });
    j.conversions[k] = x.conversions;
    j.value[k] = x.value ?? 0;
    j.nulls[k] = x.nulls ?? (x.conversions > 0 ? 0 : 1);
    j.endTime[k] = x.end ?? (x.times ? x.times[x.times.length - 1] : NaN);
  });
  j.offsets[kept.length] = i;
  const attributes = [...new Set(kept.flatMap((x) => Object.keys(x.segment ?? {})))].sort();
  if (attributes.length) j.segments = attributes.map((name) => segmentAttribute(name, kept.map((x) => x.segment?.[name] ?? null)));
  return j;
}

/** An attribute from each journey's level (null when not given); levels sorted. */
export function segmentAttribute(name: string, values: (string | null)[]): SegmentAttribute {
  const levels = [...new Set(values.filter((v): v is string => v !== null))].sort();
  const index = new Map(levels.map((l, k) => [l, k]));
  return { name, levels, journeyLevel: Int32Array.from(values, (v) => (v === null ? -1 : index.get(v)!)) };
}

/** Splits an aggregated path like `eta > iota > alpha` (separator `>`, blanks trimmed; empty steps dropped). */
export function splitPath(path: string): string[] {
  return path.split('>').map((s) => s.trim()).filter((s) => s.length > 0);
}
