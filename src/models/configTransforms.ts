/**
 * The model config's view of the transform registry: which `adstock.type` / `saturation.type` values
 * parse, which curve parameters (`priors.curves`) a channel's transforms have, and which families a
 * transform may be fitted with. All read at parse time, so a transform registered after this module
 * loaded (src/transforms/registry.ts `registerTransform`) is a valid choice at once.
 */
import { z } from 'zod';
import { findTransform, paramWithRole, transformLabel, transformNames, transforms } from '../transforms/registry.ts';
import { ROLE_RULES } from '../transforms/check.ts';
import type { CurveRole, MediaTransform } from '../transforms/types.ts';

type Kind = MediaTransform['kind'];

/** The values `adstock.type` / `saturation.type` accept: every registered transform of the kind, then 'none'. */
export function transformTypes(kind: Kind): string[] {
  return [...transformNames(kind), 'none'];
}

/** A transform type field, checked against the registry when parsed (with the wording of an enum's error). */
export function transformTypeSchema(kind: Kind) {
  return z.string().superRefine((value, ctx) => {
    const allowed = transformTypes(kind);
    if (!allowed.includes(value)) ctx.addIssue({ code: 'invalid_value', values: allowed, input: value });
  }).describe(`a registered ${kind} (GET /api/catalog lists them) or 'none'`);
}

/** Whether a channel with these transforms has the curve parameter (its prior can be set in `priors.curves`). */
export function hasCurveParameter(key: CurveRole, adstock: string, saturation: string): boolean {
  const kind = ROLE_RULES[key].kind;
  return paramWithRole(findTransform(kind, kind === 'adstock' ? adstock : saturation), key) !== null;
}

const ROLE_WORDS: Record<CurveRole, string> = { decay: 'decay', halfSaturation: 'half-saturation', shape: 'shape' };

/** "the decay of a geometric or delayed adstock", "the shape of Hill saturation": what has a curve parameter. */
export function curveParameterOwners(key: CurveRole): string {
  const kind = ROLE_RULES[key].kind;
  const labels = transforms.filter((t) => t.kind === kind && paramWithRole(t, key)).map(transformLabel);
  const list = labels.length > 1 ? `${labels.slice(0, -1).join(', ')} or ${labels[labels.length - 1]}` : labels[0] ?? 'no';
  return `the ${ROLE_WORDS[key]} of ${kind === 'adstock' ? `a ${list} adstock` : `${list} saturation`}`;
}

interface TransformChoices {
  family: string;
  adstock: { type: string }; saturation: { type: string };
  channels: readonly { adstock?: { type: string }; saturation?: { type: string } }[];
}

/**
 * A transform may be written for some families only (its descriptor's `families`): the first the
 * config's family cannot fit, as a message naming its field, or null.
 */
export function transformFamilyProblem(config: TransformChoices): string | null {
  for (const kind of ['adstock', 'saturation'] as const) {
    const uses: [string, string][] = [[`${kind}.type`, config[kind].type]];
    config.channels.forEach((ch, i) => { const own = ch[kind]; if (own) uses.push([`channels[${i}].${kind}.type`, own.type]); });
    for (const [path, type] of uses) {
      const allowed = findTransform(kind, type)?.families;
      if (allowed && !allowed.includes(config.family)) return `\`${path}\` '${type}' cannot be fitted by the ${config.family} family; it can by ${allowed.join(', ')}`;
    }
  }
  return null;
}
