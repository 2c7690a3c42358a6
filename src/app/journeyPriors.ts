/**
 * Contribution-share priors from scored journeys, written into a copy of a model's config (the web's
 * "priors from these journeys"; the CLI's `touchpoints --priors-for`): each model channel's prior share
 * of the outcome is the media share times its part of the journeys' credit (src/touchpoints/calibrate.ts
 * `contributionSharePriors`). The media share — the part of the outcome media drive — is given, or
 * taken from the model itself: the sum of its channels' shares of the prediction.
 */
import { badInput, onField } from '../errors.ts';
import { getModel, type Workspace } from '../data/index.ts';
import { parseModelConfig, paidChannels, type ModelConfigInput } from '../models/config.ts';
import { contributionSharePriors } from '../touchpoints/calibrate.ts';
import type { ChannelCredit } from '../touchpoints/types.ts';

export interface JourneyPriorsRequest {
  /** The model whose config gets the priors. */
  model: string;
  /** Per method, the credit per touch channel (a touchpoints job's `summaries`). */
  summaries: { method: string; channels: ChannelCredit[] }[];
  /** Whose credit (default: the first method scored). */
  method?: string;
  /** Part of the outcome media drive, in (0, 1]; default `modelMediaShare`. */
  mediaShare?: number;
  confidence?: number;
  channelMap?: Record<string, string>;
}

export interface JourneyPriors {
  /** The model's config with `priors.contributionShare` from the journeys, a new name, no `data.version` (it fits the current table). */
  config: ModelConfigInput;
  priors: Record<string, { share: number; confidence: number }>;
  method: string;
  mediaShare: number;
  mediaShareFrom: 'given' | 'model';
}

export async function journeyPriors(ws: Workspace, r: JourneyPriorsRequest, modelMediaShare: () => Promise<number>): Promise<JourneyPriors> {
  const stored = await getModel(ws, r.model);
  const config = parseModelConfig(stored.config, `model '${r.model}'`);
  const method = r.method ?? r.summaries[0]?.method;
  const credit = r.summaries.find((s) => s.method === method);
  if (!credit) throw onField('method', badInput(`no scores by method '${method}' in these results; scored: ${r.summaries.map((s) => s.method).join(', ')}`));
  const mediaShare = r.mediaShare ?? await modelMediaShare();
  if (!(mediaShare > 0 && mediaShare <= 1)) throw onField('mediaShare', badInput(`the media share must be above 0 and at most 1 (100%); got ${mediaShare}`));
  const priors = contributionSharePriors(credit.channels, paidChannels(config).map((c) => c.name), r.confidence ?? 0.6, r.channelMap ?? {}, mediaShare);
  const raw = JSON.parse(JSON.stringify(stored.config)) as ModelConfigInput & { priors?: Record<string, unknown> };
  const { version: _fittedOn, ...data } = raw.data; // the copy fits the table's current version
  const out: ModelConfigInput = {
    ...raw, data,
    name: `${config.name ?? r.model}-journeys`.replace(/[^A-Za-z0-9_.-]/g, '-'),
    priors: { ...(raw.priors ?? {}), contributionShare: { ...((raw.priors?.contributionShare as object) ?? {}), ...priors } },
  };
  parseModelConfig(out, 'the config with the journeys\' priors');
  return { config: out, priors, method: method!, mediaShare, mediaShareFrom: r.mediaShare === undefined ? 'model' : 'given' };
}
