/**
 * Sub-channels (campaign types, platforms: `channels[].subchannels`) as the config states them. The
 * model never sees them: design.ts sums their columns into the channel's spend and activity and keeps
 * each one's series on ModelData, so the analysis can split the channel's contribution afterwards
 * (src/analysis/subchannels.ts; the rule is in docs/mmm.md "Sub-channels").
 */
import { z } from 'zod';
import { badConfig } from '../errors.ts';

export const subchannelSchema = z.strictObject({
  name: z.string().min(1),
  spend: z.string().min(1),
  exposure: z.string().min(1).optional(),
});
export type SubchannelConfig = z.infer<typeof subchannelSchema>;

interface ChannelColumns { name: string; spend?: string; exposure?: string; subchannels?: SubchannelConfig[] }

/**
 * Cross-field checks a schema cannot say: a channel names its `spend` unless it lists sub-channels;
 * sub-channel names are unique within the channel; either every sub-channel names an exposure or none
 * does (activity in impressions and in currency do not add up); a channel's own `exposure` beside
 * sub-channels needs theirs, since it must equal their sum.
 */
export function checkSubchannels(channels: readonly ChannelColumns[], source: string): void {
  channels.forEach((ch, c) => {
    const subs = ch.subchannels;
    // Without sub-channels a channel is paid (its spend column) or organic (config.ts checks which).
    if (!subs) return;
    if (subs.length < 2) throw badConfig(`${source}: \`channels[${c}].subchannels\` must list at least 2 sub-channels (a channel with one is the channel)`, [{ field: `config.channels[${c}].subchannels`, message: 'must list at least 2 sub-channels' }]);
    const names = subs.map((s) => s.name);
    const dup = names.find((n, i) => names.indexOf(n) !== i);
    if (dup !== undefined) throw badConfig(`${source}: channel '${ch.name}' lists sub-channel '${dup}' twice`, [{ field: `config.channels[${c}].subchannels`, message: `lists '${dup}' twice` }]);
    const withExposure = subs.filter((s) => s.exposure !== undefined).length;
    if (withExposure !== 0 && withExposure !== subs.length) {
      const s = subs.findIndex((x) => x.exposure === undefined);
      throw badConfig(`${source}: sub-channel '${subs[s].name}' of channel '${ch.name}' has no \`exposure\` while others do: give every sub-channel's exposure or none (impressions and spend do not add up)`, [{ field: `config.channels[${c}].subchannels[${s}].exposure`, message: 'is required when the other sub-channels give theirs' }]);
    }
    if (ch.exposure !== undefined && withExposure === 0) throw badConfig(`${source}: channel '${ch.name}' has an \`exposure\` but its sub-channels have none: give each sub-channel's exposure (the channel's is their sum)`, [{ field: `config.channels[${c}].exposure`, message: 'needs an exposure on each sub-channel' }]);
  });
}

/** A sub-channel's series in the model's layout: spend and activity per [g·T + t]. */
export interface SubchannelSeries {
  /** Index of its channel in the model's channels. */
  channel: number;
  name: string;
  spend: Float64Array;
  activity: Float64Array;
}

type Numeric = (key: string, name: string, opts: { nonNegative?: boolean }) => Float64Array;

/**
 * A channel's spend and activity from its sub-channels' columns (their sums), with each sub-channel's
 * series. Where the channel also names its own `spend` (or `exposure`) column, that column must equal
 * the sum row by row: the error names the row, the column and every sub-channel's value there.
 */
export function sumSubchannels(ch: ChannelColumns & { subchannels: SubchannelConfig[] }, c: number, n: number, numeric: Numeric,
  located: (k: number, column: string, value: number, message: string) => Error): { spend: Float64Array; activity: Float64Array; series: SubchannelSeries[] } {
  const series = ch.subchannels.map((s, i): SubchannelSeries => {
    const spend = numeric(`channels[${c}].subchannels[${i}].spend`, s.spend, { nonNegative: true });
    const activity = s.exposure ? numeric(`channels[${c}].subchannels[${i}].exposure`, s.exposure, { nonNegative: true }) : spend;
    return { channel: c, name: s.name, spend, activity };
  });
  const total = (pick: (s: SubchannelSeries) => Float64Array) => {
    const out = new Float64Array(n);
    for (const s of series) { const x = pick(s); for (let k = 0; k < n; k++) out[k] += x[k]; }
    return out;
  };
  const spend = total((s) => s.spend), activity = total((s) => s.activity);
  const agree = (key: 'spend' | 'exposure', column: string | undefined, sum: Float64Array) => {
    if (column === undefined) return;
    const given = numeric(`channels[${c}].${key}`, column, { nonNegative: true });
    for (let k = 0; k < n; k++) {
      // Relative tolerance: sums of cents written with rounding still agree; a missing row does not.
      if (Math.abs(given[k] - sum[k]) <= 1e-6 * Math.max(1, Math.abs(given[k]))) continue;
      const parts = ch.subchannels.map((s, i) => `${s.name} (${key === 'spend' ? s.spend : s.exposure} = ${(key === 'spend' ? series[i].spend : series[i].activity)[k]})`);
      throw located(k, column, given[k], `channel '${ch.name}' ${key} is not the sum of its sub-channels: ${parts.join(' + ')} = ${sum[k]}; give the sub-channels that add up to it, or leave out the channel's own \`${key}\``);
    }
  };
  agree('spend', ch.spend, spend);
  agree('exposure', ch.exposure, activity);
  return { spend, activity, series };
}

/** The columns whose sum is a channel's spend: its own, else its sub-channels'. */
export function spendColumns(ch: ChannelColumns): string[] {
  return ch.spend !== undefined ? [ch.spend] : (ch.subchannels ?? []).map((s) => s.spend);
}
