/**
 * An audience to seed lookalikes: the customers whose journeys a channel moved most — each customer's
 * credit from that channel's touches, by one method's per-touch scores, summed over their journeys —
 * ranked, the top ones kept. Customer ids as given; hashing them for an ad platform is the exporter's.
 */
import { badInput } from '../errors.ts';
import type { Journeys, Scores } from './types.ts';

export interface AudienceRow { customer: string; credit: number; journeys: number }

export function channelAudience(j: Journeys, scores: Scores, channel: string, top = 1000): AudienceRow[] {
  const c = j.channels.indexOf(channel);
  if (c < 0) throw badInput(`no touches of channel '${channel}' in these journeys; channels: ${j.channels.join(', ')}`);
  if (!(Number.isInteger(top) && top >= 1)) throw badInput(`the audience size must be a whole number of customers, at least 1; got ${top}`);
  const by = new Map<string, AudienceRow>();
  const J = j.offsets.length - 1;
  for (let q = 0; q < J; q++) {
    let credit = 0;
    for (let i = j.offsets[q]; i < j.offsets[q + 1]; i++) if (j.touchChannel[i] === c) credit += scores.conversions[i];
    if (!(credit > 0)) continue;
    const id = j.ids?.[q] ?? String(q + 1);
    const row = by.get(id) ?? { customer: id, credit: 0, journeys: 0 };
    row.credit += credit; row.journeys++;
    by.set(id, row);
  }
  return [...by.values()].sort((a, b) => b.credit - a.credit || a.customer.localeCompare(b.customer)).slice(0, top);
}
