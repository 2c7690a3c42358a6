/**
 * Every media transform, in one list: the config schema, the models, the ridge search and the web app
 * (through GET /api/catalog) read what transforms exist and what their parameters are from here.
 * `getTransform('saturation', 'hil')` throws
 * "`saturation.type` must be one of hill, logistic, michaelis-menten; got 'hil'".
 * A new transform is one descriptor file and one `registerTransform` call (docs/architecture.md).
 */
import { badInput, oneOf } from '../errors.ts';
import { geometric } from './adstock/geometric.ts';
import { delayed } from './adstock/delayed.ts';
import { weibullCdf, weibullPdf } from './adstock/weibull.ts';
import { hill } from './saturation/hill.ts';
import { logistic } from './saturation/logistic.ts';
import { michaelisMenten } from './saturation/michaelisMenten.ts';
import { checkTransform } from './check.ts';
import type { CurveRole, MediaDims, MediaTransform, TransformOptions, TransformParam } from './types.ts';

const registered: MediaTransform[] = [];

/** The registered transforms, built-in first, in registration order (a live view). */
export const transforms: readonly MediaTransform[] = registered;

/**
 * Adds a transform to the registry (checked by `checkTransform`); every list of transforms includes it
 * from then on — in this thread: NUTS chains and server jobs run in worker threads that load the
 * registry afresh, so a transform for every use goes in the built-in list below.
 */
export function registerTransform(t: MediaTransform): MediaTransform {
  checkTransform(t, registered);
  registered.push(t);
  return t;
}

for (const t of [geometric, delayed, weibullCdf, weibullPdf, hill, logistic, michaelisMenten]) registerTransform(t);

/** Checks a list of descriptors as the registry would (duplicate names, keys, roles…); returns it frozen. */
export function buildRegistry(list: readonly MediaTransform[]): readonly MediaTransform[] {
  const seen: MediaTransform[] = [];
  for (const t of list) {
    checkTransform(t, seen);
    seen.push(t);
  }
  return Object.freeze(seen);
}

export function transformNames(kind?: MediaTransform['kind']): string[] {
  return transforms.filter((t) => !kind || t.kind === kind).map((t) => t.name);
}

/** The transform called `name` of this kind; an unknown name throws a BAD_CONFIG error listing the valid ones. */
export function getTransform(kind: MediaTransform['kind'], name: string): MediaTransform {
  const t = findTransform(kind, name);
  if (!t) throw oneOf(`${kind}.type`, transformNames(kind), name);
  return t;
}

/** The transform called `name` of this kind, or null ('none', or a name not registered). */
export function findTransform(kind: MediaTransform['kind'], name: string): MediaTransform | null {
  return transforms.find((x) => x.kind === kind && x.name === name) ?? null;
}

/** How messages and the web app name a transform ('Michaelis–Menten'). */
export function transformLabel(t: MediaTransform): string {
  return t.label ?? t.name;
}

/** The parameter of `t` that plays `role` (`priors.curves`), if it has one. */
export function paramWithRole(t: MediaTransform | null, role: CurveRole): TransformParam | null {
  return t?.params.find((p) => p.role === role) ?? null;
}

/** Options with the transform's defaults filled in; maxLag must be an integer ≥ 1 (Infinity only for geometric). */
export function resolveOptions(t: MediaTransform, o: TransformOptions = {}): Required<TransformOptions> {
  const maxLag = o.maxLag ?? t.defaultOptions.maxLag ?? 1;
  const normalize = o.normalize ?? t.defaultOptions.normalize ?? false;
  const ok = (Number.isInteger(maxLag) && maxLag >= 1) || (maxLag === Infinity && t.name === 'geometric');
  if (!ok) throw badInput(`\`${t.kind}.maxLag\` must be an integer ≥ 1${t.name === 'geometric' ? ' or Infinity' : ''}; got '${maxLag}'`);
  return { maxLag, normalize };
}

/**
 * Plain (no autodiff) application, for analysis and plotting: `x` has layout `dims` (default one series,
 * one channel), each parameter is a number (all channels) or a length-C array. Returns a new array.
 * Example: applyTransform(getTransform('saturation', 'hill'), [2], { K: 2, S: 3 }) → [0.5].
 */
export function applyTransform(
  t: MediaTransform, x: ArrayLike<number>, params: Record<string, number | ArrayLike<number>>, options: TransformOptions = {},
  dims: MediaDims = { series: 1, T: x.length, C: 1 },
): Float64Array {
  const o = resolveOptions(t, options);
  if (dims.series * dims.T * dims.C !== x.length) throw badInput(`${t.name}: ${x.length} values for dims [${dims.series}, ${dims.T}, ${dims.C}]`);
  const p = t.params.map((spec) => {
    const v = params[spec.name];
    if (v === undefined) throw badInput(`${t.name}: missing parameter '${spec.name}' (parameters: ${t.params.map((q) => q.name).join(', ')})`);
    const arr = typeof v === 'number' ? new Float64Array(dims.C).fill(v) : Float64Array.from(v);
    if (arr.length !== dims.C) throw badInput(`${t.name}: parameter '${spec.name}' has ${arr.length} values for ${dims.C} channels`);
    return arr;
  });
  const out = new Float64Array(x.length);
  t.forward(Float64Array.from(x), dims, p, out, o, new Float64Array(t.workSize(dims, o)));
  return out;
}
