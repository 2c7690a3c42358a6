/**
 * Media transforms of the Bayesian MMM. Channels that share an adstock type, maximum lag and
 * saturation type form a group; each group is transformed by one fused op per transform over its
 * [G, T, Cg] activity, with parameter vectors of length Cg (one tape node per transform, however many
 * channels and geos — the vector tape's reason to exist).
 */
import type { Node } from '../../autodiff/graph.ts';
import * as ad from '../../autodiff/index.ts';
import type { ParamSpec } from '../../inference/model.ts';
import type { CurvePriors, PreparedMmm } from './prepare.ts';

export interface MediaGroup {
  /** Suffix of the group's parameter names ('' when there is one group). */
  suffix: string;
  channels: number[];
  adstock: { type: string; maxLag: number };
  saturation: { type: string };
}

export function mediaGroups(prep: PreparedMmm): MediaGroup[] {
  const byKey = new Map<string, MediaGroup>();
  for (let c = 0; c < prep.C; c++) {
    const key = `${prep.adstock[c].type}/${prep.adstock[c].maxLag}/${prep.saturation[c].type}`;
    let group = byKey.get(key);
    if (!group) {
      group = { suffix: '', channels: [], adstock: prep.adstock[c], saturation: prep.saturation[c] };
      byKey.set(key, group);
    }
    group.channels.push(c);
  }
  const groups = [...byKey.values()];
  if (groups.length > 1) groups.forEach((g, j) => { g.suffix = `_${j + 1}`; });
  return groups;
}

/** The transform parameters of a group, each a vector over the group's channels. */
export function mediaParamSpecs(group: MediaGroup): ParamSpec[] {
  const n = group.channels.length, s = group.suffix;
  const unit = { type: 'interval', lower: 0, upper: 1 } as const;
  const positive = { type: 'positive' } as const;
  const specs: ParamSpec[] = [];
  switch (group.adstock.type) {
    case 'geometric': specs.push({ name: `alpha${s}`, size: n, constraint: unit }); break;
    case 'delayed':
      specs.push({ name: `alpha${s}`, size: n, constraint: unit });
      specs.push({ name: `theta${s}`, size: n, constraint: { type: 'interval', lower: 0, upper: Math.max(group.adstock.maxLag - 1, 1) } });
      break;
    case 'weibull-cdf': case 'weibull-pdf':
      specs.push({ name: `wshape${s}`, size: n, constraint: positive }, { name: `wscale${s}`, size: n, constraint: positive });
      break;
    default: break;
  }
  switch (group.saturation.type) {
    case 'hill': specs.push({ name: `k${s}`, size: n, constraint: positive }, { name: `s${s}`, size: n, constraint: positive }); break;
    case 'logistic': specs.push({ name: `lambda${s}`, size: n, constraint: positive }); break;
    case 'michaelis-menten': specs.push({ name: `k${s}`, size: n, constraint: positive }); break;
    default: break;
  }
  return specs;
}

/**
 * Prior log-density terms of a group's transform parameters: per channel, its `curvePriors` (the
 * defaults of prepare.ts unless `priors.curves` says otherwise) for decay, half-saturation and shape.
 */
export function mediaPriors(group: MediaGroup, p: Record<string, Node>, curvePriors: readonly CurvePriors[]): Node[] {
  const s = group.suffix, lag = group.adstock.maxLag;
  const terms: Node[] = [];
  const priors = group.channels.map((c) => curvePriors[c]);
  const graph = Object.values(p)[0].graph;
  // One number when every channel of the group has the same prior (the defaults): the density is then
  // computed exactly as before curve priors existed, so fits without them are bit-for-bit unchanged.
  const vector = (pick: (q: CurvePriors) => number): Node | number => {
    const values = Float64Array.from(priors, pick);
    return values.every((v) => v === values[0]) ? values[0] : graph.constant(values);
  };
  const decay = () => ad.betaLpdf(p[`alpha${s}`], vector((q) => q.decay.a), vector((q) => q.decay.b));
  const halfSaturation = () => ad.lognormalLpdf(p[`k${s}`], vector((q) => q.k.mu), vector((q) => q.k.sigma));
  switch (group.adstock.type) {
    case 'geometric': terms.push(decay()); break;
    case 'delayed': terms.push(decay()); break; // θ: uniform on its interval
    case 'weibull-cdf': case 'weibull-pdf':
      terms.push(ad.lognormalLpdf(p[`wshape${s}`], 0, 0.7), ad.lognormalLpdf(p[`wscale${s}`], Math.log(lag / 4), 0.7));
      break;
    default: break;
  }
  switch (group.saturation.type) {
    // Half-saturation in units of the channel's typical activity (median 1); shape around 1.3.
    case 'hill': terms.push(halfSaturation(), ad.lognormalLpdf(p[`s${s}`], vector((q) => q.s.mu), vector((q) => q.s.sigma))); break;
    case 'logistic': terms.push(ad.lognormalLpdf(p[`lambda${s}`], 0, 0.7)); break;
    case 'michaelis-menten': terms.push(halfSaturation()); break;
    default: break;
  }
  return terms;
}

/** Adstock then saturation of x [G, T, Cg]; returns a node of the same shape. */
export function mediaTransform(group: MediaGroup, x: Node, p: Record<string, Node>): Node {
  const s = group.suffix, maxLag = group.adstock.maxLag;
  let a = x;
  switch (group.adstock.type) {
    case 'geometric': a = ad.adstockGeometric(x, p[`alpha${s}`], { maxLag, normalize: true }); break;
    case 'delayed': a = ad.adstockDelayed(x, p[`alpha${s}`], p[`theta${s}`], { maxLag }); break;
    case 'weibull-cdf': a = ad.adstockWeibullCdf(x, p[`wshape${s}`], p[`wscale${s}`], { maxLag }); break;
    case 'weibull-pdf': a = ad.adstockWeibullPdf(x, p[`wshape${s}`], p[`wscale${s}`], { maxLag }); break;
    default: break;
  }
  switch (group.saturation.type) {
    case 'hill': return ad.hillSaturation(a, p[`k${s}`], p[`s${s}`]);
    case 'logistic': return ad.logisticSaturation(a, p[`lambda${s}`]);
    case 'michaelis-menten': return ad.michaelisMentenSaturation(a, p[`k${s}`]);
    default: return a;
  }
}
