/**
 * The small modeling API: a model is a list of named parameters (size or shape, constraint) and a
 * `build` function that, given the graph and each parameter's constrained-space node, returns the log
 * density as a scalar node. The graph is built once; every evaluation re-runs the same static tape.
 *
 * ```ts
 * const model = defineModel({
 *   params: [
 *     { name: 'mu', size: 1 },
 *     { name: 'sigma', size: 1, constraint: { type: 'positive' } },
 *   ],
 *   build: (g, p, ctx) => {
 *     ctx.generate('mu2', ad.square(p.mu));              // evaluated only by model.generated()
 *     return ad.add(ad.normalLpdf(y, p.mu, p.sigma), ad.halfNormalLpdf(p.sigma, 1));
 *   },
 * });
 * model.logDensityGradient(theta, grad);   // Target: includes the log-Jacobians of the constraints
 * model.constrain(theta);                  // { mu: Float64Array [..], sigma: Float64Array [..] }
 * ```
 *
 * The sampler sees θ ∈ ℝ^dim, the concatenation of every parameter's unconstrained values in the
 * order of `params`. Constrained element names are `name` for a scalar, `name[i]` for a vector and
 * `name[i,j]` for a matrix (0-based, row-major).
 */
import { badInput } from '../errors.ts';
import { Graph, type Node, type Program } from '../autodiff/graph.ts';
import { add } from '../autodiff/ops/elementwise.ts';
import { checkConstraint, constrainNode, constrainValues, unconstrainValues, unconstrainedSize, type Constraint } from '../autodiff/ops/bijectors.ts';
import type { Rng } from '../util/rng.ts';
import type { Target } from './target.ts';

export type { Constraint };

export interface ParamSpec {
  name: string;
  /** Number of elements (default 1), or give `shape`. */
  size?: number;
  shape?: readonly number[];
  /** Default { type: 'real' }. */
  constraint?: Constraint;
}

export interface BuildContext {
  /** Registers a named quantity computed from the parameters, evaluated only by `model.generated()`. */
  generate(name: string, node: Node): void;
}

export type BuildResult = Node | { logDensity: Node; generated?: Record<string, Node> };

export interface ModelSpec {
  params: readonly ParamSpec[];
  build: (g: Graph, p: Record<string, Node>, ctx: BuildContext) => BuildResult;
}

/** A parameter as laid out in θ and in constrained draws. */
export interface ParamInfo {
  name: string;
  shape: readonly number[];
  /** Constrained element count. */
  size: number;
  constraint: Constraint;
  /** Offset and length in θ (unconstrained). */
  offset: number;
  length: number;
  /** Offset in the flat constrained vector (`constrainFlat`, `paramNames`). */
  constrainedOffset: number;
}

export interface Model extends Target {
  readonly dim: number;
  /** Total number of constrained elements (length of `paramNames()`). */
  readonly constrainedDim: number;
  readonly params: readonly ParamInfo[];
  readonly graph: Graph;
  /** log p(θ) including log-Jacobians; −Infinity/NaN outside the support (never throws for a θ of the right length). */
  logDensity(theta: Float64Array): number;
  logDensityGradient(theta: Float64Array, grad: Float64Array): number;
  /** Named constrained values of θ. */
  constrain(theta: Float64Array): Record<string, Float64Array>;
  /** Constrained values of θ, flat in `paramNames()` order (into `out` when given). */
  constrainFlat(theta: Float64Array, out?: Float64Array): Float64Array;
  /** θ from named constrained values (every parameter required); throws BAD_INPUT outside a support. */
  unconstrain(values: Record<string, ArrayLike<number> | number>): Float64Array;
  /** One name per constrained element, e.g. ['mu', 'w[0]', 'w[1]']. */
  paramNames(): string[];
  /** One name per element of θ (simplexes appear as 'name__alr[k]', k < K−1). */
  unconstrainedNames(): string[];
  generatedNames(): string[];
  /** Evaluates the generated quantities (all, or those named) at θ; returns copies. */
  generated(theta: Float64Array, names?: readonly string[]): Record<string, Float64Array>;
  /** A random θ with every element uniform in (−radius, radius), as Stan initializes (default 2). */
  init(rng: Rng, radius?: number): Float64Array;
}

export function defineModel(spec: ModelSpec): Model {
  const infos: ParamInfo[] = [];
  let dim = 0, cdim = 0;
  const seen = new Set<string>();
  for (const [i, ps] of spec.params.entries()) {
    const what = `parameter ${i} ('${String(ps.name)}')`;
    if (typeof ps.name !== 'string' || !/^[A-Za-z_][A-Za-z0-9_.]*$/.test(ps.name)) throw badInput(`${what}: name must be an identifier`);
    if (seen.has(ps.name)) throw badInput(`${what}: duplicate parameter name`);
    seen.add(ps.name);
    const shape = ps.shape ? [...ps.shape] : [ps.size ?? 1];
    for (const d of shape) if (!Number.isInteger(d) || d < 0) throw badInput(`${what}: bad shape [${shape.join(', ')}]`);
    const size = shape.reduce((a, b) => a * b, 1);
    if (ps.size !== undefined && ps.shape && ps.size !== size) throw badInput(`${what}: size ${ps.size} does not match shape [${shape.join(', ')}]`);
    const constraint = ps.constraint ?? { type: 'real' };
    checkConstraint(constraint, what);
    if (constraint.type === 'simplex' && (shape.length !== 1 || size < 2)) throw badInput(`${what}: a simplex must be a vector of size ≥ 2`);
    const length = unconstrainedSize(constraint, size);
    infos.push({ name: ps.name, shape, size, constraint, offset: dim, length, constrainedOffset: cdim });
    dim += length;
    cdim += size;
  }

  const g = new Graph();
  const uNodes: Node[] = [];
  const p: Record<string, Node> = {};
  const jacobians: Node[] = [];
  for (const info of infos) {
    const u = g.param(info.length, 0, info.name);
    uNodes.push(u);
    const { value, logJacobian } = constrainNode(u, info.constraint, info.size);
    p[info.name] = info.shape.length === 1 ? value : g.reshape(value, info.shape);
    if (logJacobian) jacobians.push(logJacobian);
  }
  const generatedNodes: Record<string, Node> = {};
  const ctx: BuildContext = {
    generate(name, node) {
      if (generatedNodes[name]) throw badInput(`model: generated quantity '${name}' defined twice`);
      if (node.graph !== g) throw badInput(`model: generated quantity '${name}' is from another graph`);
      generatedNodes[name] = node;
    },
  };
  const built = spec.build(g, p, ctx);
  const logp = isNode(built) ? built : built.logDensity;
  if (!isNode(built) && built.generated) for (const [k, v] of Object.entries(built.generated)) ctx.generate(k, v);
  if (!logp || logp.graph !== g || logp.size !== 1) throw badInput(`model: build must return a scalar node of the model's graph (the log density); got ${logp && logp.graph === g ? `size ${logp.size}` : 'something else'}`);
  const total = jacobians.reduce((a, b) => add(a, b), logp);
  const prog: Program = g.program([total]);

  const load = (theta: Float64Array) => {
    if (theta.length !== dim) throw badInput(`model: θ has length ${theta.length}; the model's dimension is ${dim}`);
    for (let k = 0; k < uNodes.length; k++) {
      const info = infos[k];
      uNodes[k].value.set(theta.subarray(info.offset, info.offset + info.length));
    }
  };

  const names: string[] = [];
  const uNames: string[] = [];
  for (const info of infos) {
    names.push(...elementNames(info.name, info.shape));
    if (info.constraint.type === 'simplex') for (let k = 0; k < info.length; k++) uNames.push(`${info.name}__alr[${k}]`);
    else uNames.push(...elementNames(info.name, info.shape));
  }

  const model: Model = {
    dim,
    constrainedDim: cdim,
    params: infos,
    graph: g,
    logDensity(theta) {
      load(theta);
      prog.forward();
      return total.value[0];
    },
    logDensityGradient(theta, grad) {
      if (grad.length !== dim) throw badInput(`model: gradient buffer has length ${grad.length}; the model's dimension is ${dim}`);
      load(theta);
      prog.forward();
      const lp = total.value[0];
      if (!Number.isFinite(lp)) { grad.fill(0); return lp; }
      prog.backward();
      for (let k = 0; k < uNodes.length; k++) grad.set(uNodes[k].grad, infos[k].offset);
      return lp;
    },
    constrain(theta) {
      if (theta.length !== dim) throw badInput(`model: θ has length ${theta.length}; the model's dimension is ${dim}`);
      const out: Record<string, Float64Array> = {};
      for (const info of infos) {
        const v = new Float64Array(info.size);
        constrainValues(info.constraint, theta.subarray(info.offset, info.offset + info.length), v);
        out[info.name] = v;
      }
      return out;
    },
    constrainFlat(theta, out = new Float64Array(cdim)) {
      if (theta.length !== dim) throw badInput(`model: θ has length ${theta.length}; the model's dimension is ${dim}`);
      for (const info of infos) {
        constrainValues(info.constraint, theta.subarray(info.offset, info.offset + info.length), out.subarray(info.constrainedOffset, info.constrainedOffset + info.size));
      }
      return out;
    },
    unconstrain(values) {
      const theta = new Float64Array(dim);
      for (const k of Object.keys(values)) if (!seen.has(k)) throw badInput(`model: unknown parameter '${k}'; parameters: ${infos.map((i) => i.name).join(', ')}`);
      for (const info of infos) {
        const v = values[info.name];
        if (v === undefined) throw badInput(`model: no value for parameter '${info.name}'`);
        const arr = typeof v === 'number' ? [v] : v;
        if (arr.length !== info.size) throw badInput(`model: parameter '${info.name}' has ${arr.length} values; expected ${info.size}`);
        unconstrainValues(info.constraint, arr, theta.subarray(info.offset, info.offset + info.length), info.name);
      }
      return theta;
    },
    paramNames: () => [...names],
    unconstrainedNames: () => [...uNames],
    generatedNames: () => Object.keys(generatedNodes),
    generated(theta, which) {
      const keys = which ?? Object.keys(generatedNodes);
      const nodes = keys.map((k) => {
        const n = generatedNodes[k];
        if (!n) throw badInput(`model: unknown generated quantity '${k}'; known: ${Object.keys(generatedNodes).join(', ') || '(none)'}`);
        return n;
      });
      load(theta);
      g.program(nodes).forward();
      return Object.fromEntries(keys.map((k, i) => [k, Float64Array.from(nodes[i].value)]));
    },
    init(rng, radius = 2) {
      const theta = new Float64Array(dim);
      for (let i = 0; i < dim; i++) theta[i] = radius * (2 * rng.uniform() - 1);
      return theta;
    },
  };
  return model;
}

function isNode(x: unknown): x is Node {
  return typeof x === 'object' && x !== null && 'graph' in x && 'value' in x && (x as Node).value instanceof Float64Array;
}

function elementNames(name: string, shape: readonly number[]): string[] {
  const size = shape.reduce((a, b) => a * b, 1);
  if (size === 1 && shape.length <= 1) return [name];
  const out: string[] = [];
  for (let i = 0; i < size; i++) {
    const idx: number[] = [];
    let r = i;
    for (let d = shape.length - 1; d >= 0; d--) { idx.unshift(r % shape[d]); r = Math.floor(r / shape[d]); }
    out.push(`${name}[${idx.join(',')}]`);
  }
  return out;
}
