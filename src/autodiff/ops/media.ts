/**
 * Fused media ops: adstock and saturation over a whole [T], [T, C] or [G, T, C] array at once, with
 * per-channel parameter vectors (length C, or length 1 shared by every channel). Each op calls the
 * transform's kernel (src/transforms/kernels) for both passes: one tape node per transform, however
 * many channels and geos.
 */
import { badInput } from '../../errors.ts';
import { getTransform, resolveOptions } from '../../transforms/registry.ts';
import type { MediaDims, MediaTransform, TransformOptions } from '../../transforms/types.ts';
import { fmtShape, type Node, type Operand } from '../graph.ts';

/** Dims of a media array from its shape: [T] → 1×T×1, [T, C] → 1×T×C, [G, T, C] → G×T×C. */
export function mediaDims(shape: readonly number[]): MediaDims {
  if (shape.length === 1) return { series: 1, T: shape[0], C: 1 };
  if (shape.length === 2) return { series: 1, T: shape[0], C: shape[1] };
  if (shape.length === 3) return { series: shape[0], T: shape[1], C: shape[2] };
  throw badInput(`autodiff: media array must have shape [T], [T, C] or [G, T, C]; got ${fmtShape(shape)}`);
}

/**
 * Applies transform `t` to `x` ([T], [T, C] or [G, T, C]) with parameters in `t.params` order, each a
 * node or number of length C or 1. Returns a node of x's shape.
 */
export function mediaTransform(t: MediaTransform, x: Node, params: readonly Operand[], options: TransformOptions = {}): Node {
  const g = x.graph;
  const d = mediaDims(x.shape);
  if (params.length !== t.params.length) {
    throw badInput(`autodiff: ${t.name} takes ${t.params.length} parameter(s) (${t.params.map((p) => p.name).join(', ')}); got ${params.length}`);
  }
  const o = resolveOptions(t, options);
  const ps = params.map((p, k) => {
    const n = g.lift(p);
    if (n.size !== d.C && n.size !== 1) throw badInput(`autodiff: ${t.name} parameter '${t.params[k].name}' has size ${n.size}; expected ${d.C} (one per channel) or 1`);
    return n;
  });
  const C = d.C;
  // Parameters of size 1 with C > 1 are expanded into a buffer of length C; their gradients summed back.
  const pv = ps.map((n) => (n.size === C ? n.value : new Float64Array(C)));
  const pg = ps.map((n) => (!n.requiresGrad ? null : n.size === C ? n.grad : new Float64Array(C)));
  const expand = ps.map((n) => n.size !== C);
  const work = new Float64Array(t.workSize(d, o));
  return g.op(t.name, [x, ...ps], x.shape, (out) => ({
    forward() {
      for (let k = 0; k < ps.length; k++) if (expand[k]) pv[k].fill(ps[k].value[0]);
      t.forward(x.value, d, pv, out.value, o, work);
    },
    backward() {
      for (let k = 0; k < ps.length; k++) if (expand[k] && pg[k]) pg[k]!.fill(0);
      t.backward(x.value, d, pv, out.value, out.grad, x.requiresGrad ? x.grad : null, pg, o, work);
      for (let k = 0; k < ps.length; k++) {
        if (!expand[k] || !pg[k]) continue;
        let s = 0;
        for (let c = 0; c < C; c++) s += pg[k]![c];
        ps[k].grad[0] += s;
      }
    },
  }));
}

/** Adstock by registry name ('geometric', 'delayed', 'weibull-cdf', 'weibull-pdf'), parameters by name. */
export function adstock(type: string, x: Node, params: Record<string, Operand>, options: TransformOptions = {}): Node {
  const t = getTransform('adstock', type);
  return mediaTransform(t, x, t.params.map((p) => need(params, p.name, t)), options);
}

/** Saturation by registry name ('hill', 'logistic', 'michaelis-menten'), parameters by name. */
export function saturation(type: string, x: Node, params: Record<string, Operand>): Node {
  const t = getTransform('saturation', type);
  return mediaTransform(t, x, t.params.map((p) => need(params, p.name, t)));
}

function need(params: Record<string, Operand>, name: string, t: MediaTransform): Operand {
  const v = params[name];
  if (v === undefined) throw badInput(`autodiff: ${t.name} needs parameter '${name}' (parameters: ${t.params.map((p) => p.name).join(', ')})`);
  return v;
}

/**
 * Geometric adstock along T, O(T) recursion: alpha (decay, in (0, 1)) per channel.
 * Options: maxLag (default 8; Infinity allowed), normalize (default true: weights α^l / Σ α^l).
 * Example: x = [1, 0, 0], α = 0.5, { maxLag: Infinity, normalize: false } → [1, 0.5, 0.25].
 */
export function adstockGeometric(x: Node, alpha: Operand, options: TransformOptions = {}): Node {
  return mediaTransform(getTransform('adstock', 'geometric'), x, [alpha], options);
}
/** Alias of adstockGeometric for a [T, C] (or [G, T, C]) matrix with alpha of length C. */
export const adstockGeometricColumns = adstockGeometric;

/** Delayed geometric adstock: weights ∝ α^((l−θ)²), default maxLag 8, normalized. */
export function adstockDelayed(x: Node, alpha: Operand, theta: Operand, options: TransformOptions = {}): Node {
  return mediaTransform(getTransform('adstock', 'delayed'), x, [alpha, theta], options);
}

/** Weibull CDF adstock: weights ∝ exp(−(l/scale)^shape), default maxLag 13, normalized. */
export function adstockWeibullCdf(x: Node, shape: Operand, scale: Operand, options: TransformOptions = {}): Node {
  return mediaTransform(getTransform('adstock', 'weibull-cdf'), x, [shape, scale], options);
}

/** Weibull PDF adstock: weights ∝ Weibull density at l+1, default maxLag 13, normalized. */
export function adstockWeibullPdf(x: Node, shape: Operand, scale: Operand, options: TransformOptions = {}): Node {
  return mediaTransform(getTransform('adstock', 'weibull-pdf'), x, [shape, scale], options);
}

/** Hill saturation 1/(1 + exp(S(log K − log x))), K and S per channel; 0 at x ≤ 0. Example: x = 2, K = 2, S = 3 → 0.5. */
export function hillSaturation(x: Node, K: Operand, S: Operand): Node {
  return mediaTransform(getTransform('saturation', 'hill'), x, [K, S]);
}
/** Alias of hillSaturation for a [T, C] (or [G, T, C]) node with K, S of length C. */
export const hillColumns = hillSaturation;

/** Logistic saturation tanh(λx/2) = (1 − e^(−λx))/(1 + e^(−λx)), λ per channel. */
export function logisticSaturation(x: Node, lambda: Operand): Node {
  return mediaTransform(getTransform('saturation', 'logistic'), x, [lambda]);
}

/** Michaelis–Menten saturation x/(K + x), K per channel. */
export function michaelisMentenSaturation(x: Node, K: Operand): Node {
  return mediaTransform(getTransform('saturation', 'michaelis-menten'), x, [K]);
}

/** Weibull adstock by kind: `{ kind: 'cdf' | 'pdf' }` (default 'cdf'), other options as adstockWeibullCdf. */
export function adstockWeibull(x: Node, shape: Operand, scale: Operand, options: TransformOptions & { kind?: 'cdf' | 'pdf' } = {}): Node {
  const { kind = 'cdf', ...o } = options;
  if (kind !== 'cdf' && kind !== 'pdf') throw badInput(`autodiff: adstockWeibull kind must be one of cdf, pdf; got '${String(kind)}'`);
  return kind === 'cdf' ? adstockWeibullCdf(x, shape, scale, o) : adstockWeibullPdf(x, shape, scale, o);
}
/** Short names. */
export const hill = hillSaturation;
export const michaelisMenten = michaelisMentenSaturation;
