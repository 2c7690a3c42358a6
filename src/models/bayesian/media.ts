/**
 * Media transforms of the Bayesian MMM. Channels that share an adstock type, maximum lag and
 * saturation type form a group; each group is transformed by one fused op per transform over its
 * [G, T, Cg] activity, with parameter vectors of length Cg (one tape node per transform, however many
 * channels and geos — the vector tape's reason to exist).
 *
 * Everything about a transform — its parameters' names in the model (`key`), constraints and default
 * priors — comes from its descriptor in the registry (src/transforms), so any registered transform
 * fits; model.ts runs the default geometric + Hill pair through a fused WebAssembly op instead.
 */
import type { Node, Operand } from '../../autodiff/graph.ts';
import * as ad from '../../autodiff/index.ts';
import type { ParamSpec } from '../../inference/model.ts';
import { internal } from '../../errors.ts';
import { resolveParam } from '../../transforms/params.ts';
import { getTransform } from '../../transforms/registry.ts';
import type { MediaTransform, Prior, ResolvedParam } from '../../transforms/types.ts';
import type { CurvePriors, PreparedMmm } from './prepare.ts';

export interface MediaGroup {
  /** Suffix of the group's parameter names ('' when there is one group). */
  suffix: string;
  channels: number[];
  adstock: { type: string; maxLag: number };
  saturation: { type: string };
  /**
   * Reach & frequency groups (one channel each): the channel's scaled frequency [G, T, 1]. The group's
   * activity is then reach, and its response adstock(reach × saturation(frequency)) (Meridian's order:
   * frequency saturates, reach adds linearly, carry-over acts on their product).
   */
  frequency?: Float64Array;
}

export function mediaGroups(prep: PreparedMmm): MediaGroup[] {
  const byKey = new Map<string, MediaGroup>();
  for (let c = 0; c < prep.C; c++) {
    const frequency = prep.frequency[c];
    const key = frequency ? `rf/${c}` : `${prep.adstock[c].type}/${prep.adstock[c].maxLag}/${prep.saturation[c].type}`;
    let group = byKey.get(key);
    if (!group) {
      group = { suffix: '', channels: [], adstock: prep.adstock[c], saturation: prep.saturation[c], ...(frequency ? { frequency } : {}) };
      byKey.set(key, group);
    }
    group.channels.push(c);
  }
  const groups = [...byKey.values()];
  if (groups.length > 1) groups.forEach((g, j) => { g.suffix = `_${j + 1}`; });
  return groups;
}

/** A group's transforms in the order they apply: adstock, then saturation ('none' has none). */
export function groupTransforms(group: MediaGroup): MediaTransform[] {
  const out: MediaTransform[] = [];
  if (group.adstock.type !== 'none') out.push(getTransform('adstock', group.adstock.type));
  if (group.saturation.type !== 'none') out.push(getTransform('saturation', group.saturation.type));
  return out;
}

/** A group's transform parameters, adstock's first, resolved for its maximum lag. */
export function groupParams(group: MediaGroup): { transform: MediaTransform; param: ResolvedParam }[] {
  const context = { maxLag: group.adstock.maxLag };
  return groupTransforms(group).flatMap((transform) => transform.params.map((p) => ({ transform, param: resolveParam(p, context) })));
}

/** The prior of a channel's parameter: the user's `priors.curves` entry for its role, else the descriptor's. */
export function channelPrior(param: ResolvedParam, given: CurvePriors): Prior {
  return (param.role && given[param.role]) || param.prior;
}

/** The transform parameters of a group, each a vector over the group's channels. */
export function mediaParamSpecs(group: MediaGroup): ParamSpec[] {
  const n = group.channels.length, s = group.suffix;
  return groupParams(group).map(({ param }) => ({ name: `${param.key}${s}`, size: n, constraint: param.support }));
}

/**
 * Prior log-density terms of a group's transform parameters: per channel, its `curvePriors` (from
 * `priors.curves`) where its parameter has that role, else the descriptor's default prior.
 */
export function mediaPriors(group: MediaGroup, p: Record<string, Node>, curvePriors: readonly CurvePriors[]): Node[] {
  const s = group.suffix;
  const graph = Object.values(p)[0].graph;
  const terms: Node[] = [];
  for (const { param } of groupParams(group)) {
    const priors = group.channels.map((c) => channelPrior(param, curvePriors[c]));
    // One number when every channel of the group has the same value (the defaults): the density is then
    // computed exactly as before curve priors existed, so fits without them are bit-for-bit unchanged.
    const field = (name: string): Operand => {
      const values = Float64Array.from(priors, (q) => (q as unknown as Record<string, number>)[name]);
      return values.every((v) => v === values[0]) ? values[0] : graph.constant(values);
    };
    const term = priorTerm(p[`${param.key}${s}`], priors[0].dist, field);
    if (term) terms.push(term);
  }
  return terms;
}

/** The log density of a prior of this `dist` at x, its parameters read by `field`; null for a flat (uniform) prior. */
function priorTerm(x: Node, dist: Prior['dist'], field: (name: string) => Operand): Node | null {
  switch (dist) {
    case 'uniform': return null;
    case 'beta': return ad.betaLpdf(x, field('a'), field('b'));
    case 'logNormal': return ad.logNormalLpdf(x, field('mu'), field('sigma'));
    case 'gamma': return ad.gammaLpdf(x, field('shape'), field('rate'));
    case 'normal': return ad.normalLpdf(x, field('mu'), field('sigma'));
    case 'halfNormal': return ad.halfNormalLpdf(x, field('sigma'));
    case 'exponential': return ad.exponentialLpdf(x, field('rate'));
    case 'studentT': return ad.studentTLpdf(x, field('nu'), field('mu'), field('sigma'));
    default: throw internal(`media prior: unknown distribution '${String(dist)}'`);
  }
}

/**
 * Adstock then saturation of x [G, T, Cg]; returns a node of the same shape. A reach & frequency
 * group: adstock of x (reach) × saturation(frequency), with `frequency` of x's shape (default the
 * group's own; forecasts pass it extended past the data, scenarios as a data node they can overwrite).
 */
export function mediaTransform(group: MediaGroup, x: Node, p: Record<string, Node>, frequency: Float64Array | Node | undefined = group.frequency): Node {
  const s = group.suffix, maxLag = group.adstock.maxLag;
  if (group.frequency) {
    const size = frequency instanceof Float64Array ? frequency.length : frequency?.size ?? 0;
    if (!frequency || size !== x.size) throw internal(`reach & frequency group: frequency has ${size} values for activity of ${x.size}`);
    // A data node (the scenario's frequency, model.ts) or the data's own, as a constant.
    const f = frequency instanceof Float64Array ? x.graph.constant(frequency, x.shape) : frequency;
    let sat: Node = f;
    for (const t of groupTransforms(group)) {
      if (t.kind !== 'saturation') continue;
      sat = ad.mediaTransform(t, sat, t.params.map((q) => p[`${q.key}${s}`]), {});
    }
    let a = ad.mul(x, sat);
    for (const t of groupTransforms(group)) {
      if (t.kind !== 'adstock') continue;
      a = ad.mediaTransform(t, a, t.params.map((q) => p[`${q.key}${s}`]), { maxLag });
    }
    return a;
  }
  let a = x;
  for (const t of groupTransforms(group)) {
    a = ad.mediaTransform(t, a, t.params.map((q) => p[`${q.key}${s}`]), t.kind === 'adstock' ? { maxLag } : {});
  }
  return a;
}
