/** Ready-made response curves (for models, benchmarks and tests). */
import { badInput } from '../errors.ts';
import type { ResponseCurve } from './types.ts';

export interface HillParams {
  key?: string;
  channel: string;
  geo?: string;
  /** Maximum incremental outcome over the plan period (the curve's asymptote). */
  beta: number;
  /** Half-saturation spend over the plan period (same units as spend). */
  k: number;
  /** Shape: 1 is concave from the start; > 1 is S-shaped with its inflection at k·((S−1)/(S+1))^(1/S). */
  shape: number;
  reference: number;
  /** Optional posterior draws of the same three parameters (equal lengths). */
  draws?: { beta: Float64Array; k: Float64Array; shape: Float64Array };
}

/** β·sᔆ/(kᔆ + sᔆ), written as β/(1 + (k/s)ᔆ) so large and small s do not overflow. hill(0, …) = 0. */
export function hill(s: number, beta: number, k: number, shape: number): number {
  return s <= 0 ? 0 : beta / (1 + Math.pow(k / s, shape));
}

/**
 * A Hill response curve. Example: hillCurve({ channel: 'tv', beta: 100, k: 50, shape: 1, reference: 50 })
 * .expected(50) = 50 (half of β at the half-saturation spend).
 */
export function hillCurve(p: HillParams): ResponseCurve {
  const key = p.key ?? (p.geo !== undefined ? `${p.channel}@${p.geo}` : p.channel);
  for (const [name, v] of [['beta', p.beta], ['k', p.k], ['shape', p.shape]] as const)
    if (!Number.isFinite(v) || v <= 0) throw badInput(`Hill curve '${key}': ${name} must be a finite number > 0; got ${v}`);
  const { beta, k, shape } = p;
  const curve: ResponseCurve = {
    key, channel: p.channel, ...(p.geo !== undefined ? { geo: p.geo } : {}), reference: p.reference,
    expected: (s: number) => hill(s, beta, k, shape),
  };
  const d = p.draws;
  if (d) {
    const m = d.beta.length;
    if (d.k.length !== m || d.shape.length !== m) throw badInput(`Hill curve '${key}': draws of beta, k and shape must have equal lengths; got ${m}, ${d.k.length}, ${d.shape.length}`);
    curve.draws = (s: number) => {
      const out = new Float64Array(m);
      for (let i = 0; i < m; i++) out[i] = hill(s, d.beta[i], d.k[i], d.shape[i]);
      return out;
    };
  }
  return curve;
}
