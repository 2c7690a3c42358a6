/**
 * What a model config may choose, as the server knows it: the registered media transforms (with
 * their parameters' bounds, default priors, classic defaults and search ranges, and the families
 * that fit them), the model families, the curve parameters `priors.curves` takes, control signs and
 * target kinds. GET /api/catalog answers it, and the web wizard builds its lists from it.
 */
import { ROLE_RULES } from '../transforms/check.ts';
import { CURVE_ROLES, resolveParam } from '../transforms/params.ts';
import { transformLabel, transforms } from '../transforms/registry.ts';
import type { CurveRole, MediaTransform, ResolvedParam, TransformOptions } from '../transforms/types.ts';
import { families, signs, targetKinds } from './config.ts';
import { defaultMaxLag } from './features.ts';

export interface CatalogParameter extends ResolvedParam {
  /** Its support, prior or search range depends on the adstock's number of lags (given here at `Catalog.maxLag`). */
  dependsOnMaxLag: boolean;
}

export interface CatalogTransform {
  name: string;
  kind: MediaTransform['kind'];
  label: string;
  description: string;
  defaultOptions: TransformOptions;
  parameters: CatalogParameter[];
  /** The model families that can fit it. */
  families: string[];
}

export interface Catalog {
  transforms: CatalogTransform[];
  /** The number of lags at which lag-dependent ranges and priors are given (weekly data's default). */
  maxLag: number;
  families: string[];
  /** The curve parameters `priors.curves` takes: the kind of transform that has each, and the prior its mean and sd become. */
  curveParameters: { name: CurveRole; kind: MediaTransform['kind']; prior: 'beta' | 'logNormal' }[];
  controlSigns: string[];
  targetKinds: string[];
}

export function modelCatalog(): Catalog {
  const maxLag = defaultMaxLag('week');
  return {
    transforms: transforms.map((t) => ({
      name: t.name, kind: t.kind, label: transformLabel(t), description: t.description, defaultOptions: { ...t.defaultOptions },
      parameters: t.params.map((p) => ({
        ...resolveParam(p, { maxLag }),
        dependsOnMaxLag: [p.support, p.prior, p.search].some((v) => typeof v === 'function'),
      })),
      families: families.filter((f) => !t.families || t.families.includes(f)),
    })),
    maxLag,
    families: [...families],
    curveParameters: CURVE_ROLES.map((name) => ({ name, kind: ROLE_RULES[name].kind, prior: ROLE_RULES[name].dist })),
    controlSigns: [...signs],
    targetKinds: [...targetKinds],
  };
}
