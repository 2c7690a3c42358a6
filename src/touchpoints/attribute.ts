/**
 * One entry point for every scoring method, and the summary that `marginal touchpoints --json` prints.
 */
import { oneOf } from '../errors.ts';
import { METHODS, byChannel, journeyTotals, type ChannelCredit, type Journeys, type Method, type Scores } from './types.ts';
import { ruleScores, type RuleOptions } from './rules.ts';
import { markovScores } from './markov.ts';
import { shapleyScores, type ShapleyOptions } from './shapley.ts';

export interface AttributeOptions extends RuleOptions, ShapleyOptions {
  /** Markov order, 1 to 3 (default 1). */
  order?: number;
}

export const CHEAP_METHODS = ['first', 'last', 'linear', 'position', 'decay', 'markov', 'shapley'] as const;

/** Scores of one method (not 'incremental': that one is `fitIncremental`). */
export function attribute(j: Journeys, method: Method, opts: AttributeOptions = {}): Scores {
  if (!(METHODS as readonly string[]).includes(method) || method === 'incremental') throw oneOf('--method', CHEAP_METHODS, method);
  if (method === 'markov') return markovScores(j, opts.order ?? 1).scores;
  if (method === 'shapley') return shapleyScores(j, opts).scores;
  return ruleScores(j, method, opts);
}

export interface Summary {
  method: Method;
  totalConversions: number;
  totalValue: number;
  channels: ChannelCredit[];
  journeys: number;
  convertingJourneys: number;
  touches: number;
  untouchedConversions: number;
  untouchedValue: number;
}

/** The `--json` summary of a method's scores (contract `touchpoints-output`, without `consistency`). */
export function summarize(j: Journeys, s: Scores): Summary {
  const channels = byChannel(j, s);
  const tot = journeyTotals(j);
  let converting = 0;
  for (let k = 0; k < j.conversions.length; k++) if (j.conversions[k] > 0) converting++;
  return {
    method: s.method as Method,
    totalConversions: channels.reduce((a, c) => a + c.conversions, 0),
    totalValue: channels.reduce((a, c) => a + c.value, 0),
    channels,
    journeys: tot.journeys,
    convertingJourneys: converting,
    touches: j.offsets[j.offsets.length - 1],
    untouchedConversions: j.untouchedConversions,
    untouchedValue: j.untouchedValue,
  };
}
