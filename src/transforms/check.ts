/**
 * What a transform descriptor must satisfy before it joins the registry: the rest of Marginal reads
 * everything about a transform from its descriptor (the Bayesian model its parameters' keys, supports
 * and priors; `priors.curves` the roles; the classic families `fixed` and `search`), so a descriptor
 * that breaks one of these would fail far from where it was written.
 */
import { badInput } from '../errors.ts';
import { resolveParam } from './params.ts';
import type { CurveRole, MediaTransform } from './types.ts';

/**
 * Each role belongs to one kind, so a media group (one adstock, one saturation) has at most one
 * parameter per role, and the dist its `priors.curves` entry is turned into (a Beta for a decay on
 * (0, 1), a LogNormal for a half-saturation or shape on x > 0).
 */
export const ROLE_RULES: Readonly<Record<CurveRole, { kind: MediaTransform['kind']; dist: 'beta' | 'logNormal' }>> = {
  decay: { kind: 'adstock', dist: 'beta' },
  halfSaturation: { kind: 'saturation', dist: 'logNormal' },
  shape: { kind: 'saturation', dist: 'logNormal' },
};

/** A context to check maxLag-dependent ranges in (the default of weekly data). */
const SAMPLE = { maxLag: 8 };

/** Throws BAD_INPUT naming what is wrong with `t` alone or beside the transforms already registered. */
export function checkTransform(t: MediaTransform, registered: readonly MediaTransform[]): void {
  const where = `transform registry: '${t.name}'`;
  if (t.kind !== 'adstock' && t.kind !== 'saturation') throw badInput(`${where}: kind must be one of adstock, saturation; got '${String(t.kind)}'`);
  if (!/^[a-z][a-z0-9-]*$/.test(t.name) || t.name === 'none') throw badInput(`${where}: a name is lower-case letters, digits and -, and not 'none'`);
  if (registered.some((r) => r.name === t.name)) throw badInput(`transform registry: duplicate name '${t.name}'`);
  if (t.params.length === 0) throw badInput(`${where}: a transform has at least one parameter`);
  const names = t.params.map((p) => p.name), keys = t.params.map((p) => p.key);
  if (new Set(names).size !== names.length || new Set(keys).size !== keys.length) throw badInput(`${where}: parameter names and keys must be unique`);
  // The Bayesian model names a group's parameters by key: an adstock's and a saturation's must differ.
  for (const other of registered.filter((r) => r.kind !== t.kind)) {
    const clash = other.params.find((p) => keys.includes(p.key));
    if (clash) throw badInput(`${where}: parameter key '${clash.key}' is also ${other.kind} '${other.name}''s`);
  }
  const roles = new Set<CurveRole>();
  for (const param of t.params) {
    const p = resolveParam(param, SAMPLE);
    const at = `${where}.${p.name}`;
    if (!Number.isFinite(p.fixed)) throw badInput(`${at}: \`fixed\` must be a finite number`);
    if (!(p.search.lo < p.search.hi)) throw badInput(`${at}: \`search\` must have lo < hi`);
    if (p.prior.dist === 'uniform' && p.support.type !== 'interval') throw badInput(`${at}: a uniform prior needs an interval support`);
    if (!p.role) continue;
    const rule = ROLE_RULES[p.role];
    if (!rule) throw badInput(`${at}: role must be one of ${Object.keys(ROLE_RULES).join(', ')}; got '${String(p.role)}'`);
    if (roles.has(p.role)) throw badInput(`${at}: role '${p.role}' is taken by another parameter`);
    roles.add(p.role);
    if (rule.kind !== t.kind) throw badInput(`${at}: role '${p.role}' belongs to ${rule.kind} parameters`);
    const support = p.role === 'decay' ? p.support.type === 'interval' && p.support.lower === 0 && p.support.upper === 1 : p.support.type === 'positive';
    if (p.prior.dist !== rule.dist || !support) throw badInput(`${at}: a '${p.role}' parameter has a ${rule.dist} prior on ${p.role === 'decay' ? '(0, 1)' : 'x > 0'}`);
  }
}
