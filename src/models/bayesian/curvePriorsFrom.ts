/**
 * Curve priors for a new fit from a fitted model's posterior (`marginal priors`): Robyn's model
 * refresh keeps each channel's adstock and saturation near the previous model's so that ROIs do not
 * swing between refreshes; Meridian users carry posteriors forward as priors by hand.
 *
 * Each channel that both have keeps the posterior mean, with the posterior sd times `widen`, but no
 * wider than the prior the old fit started from. Why widen: a new fit on overlapping data would count
 * those periods twice; widening by w keeps 1/w² of the old fit's information (the default 2: a
 * quarter). A curve parameter the new config's transforms do not have is left out and named in
 * `skipped`. A decay's sd is capped below √(mean·(1 − mean)), the largest a Beta can have.
 */
import { badInput } from '../../errors.ts';
import { ROLE_RULES } from '../../transforms/check.ts';
import { CURVE_ROLES } from '../../transforms/params.ts';
import { hasCurveParameter, type ModelConfig } from '../config.ts';
import type { CurveParameter, CurveSummary } from './curveSummary.ts';

export interface CurvePriorEntry { decay?: MeanSd; halfSaturation?: MeanSd; shape?: MeanSd }
interface MeanSd { mean: number; sd: number }

const PARAMETERS: readonly CurveParameter[] = CURVE_ROLES;

export function curvePriorsFrom(
  fitted: readonly { name: string; curve?: CurveSummary }[], target: ModelConfig, widen: number,
): { curves: Record<string, CurvePriorEntry>; skipped: string[] } {
  if (!(Number.isFinite(widen) && widen >= 1)) throw badInput(`widen (--widen) must be a number >= 1 (how many times the posterior sd the prior gets); got ${widen}`);
  const byName = new Map(fitted.map((c) => [c.name, c.curve ?? {}]));
  const curves: Record<string, CurvePriorEntry> = {};
  const skipped: string[] = [];
  for (const ch of target.channels) {
    const posterior = byName.get(ch.name);
    if (!posterior) { skipped.push(`${ch.name}: not in the model`); continue; }
    const adstock = (ch.adstock ?? target.adstock).type, saturation = (ch.saturation ?? target.saturation).type;
    const entry: CurvePriorEntry = {};
    for (const key of PARAMETERS) {
      const p = posterior[key];
      if (!p) continue;
      if (!hasCurveParameter(key, adstock, saturation)) { skipped.push(`${ch.name}.${key}: the new config's ${ROLE_RULES[key].kind === 'adstock' ? `adstock (${adstock})` : `saturation (${saturation})`} has none`); continue; }
      // Stored fits from before `sd` was recorded: the 90% interval's width over 3.29 (a normal's). Never
      // wider than the prior that fit started from: where the data said little, widening would
      // otherwise give a prior vaguer than the default.
      const sd = Math.min((p.sd ?? (p.interval[1] - p.interval[0]) / 3.29) * widen, p.prior.sd);
      entry[key] = { mean: p.mean, sd: key === 'decay' ? Math.min(sd, 0.95 * Math.sqrt(p.mean * (1 - p.mean))) : sd };
    }
    if (Object.keys(entry).length) curves[ch.name] = entry;
  }
  return { curves, skipped };
}
