/** Test helpers shared by the planning tests (not exported from index.ts). */
import type { ResponseCurve } from './types.ts';

/** a·log(1 + s/b): concave, marginal a/(b + s). */
export const logCurve = (key: string, a: number, b: number, reference = 1, channel = key, geo?: string): ResponseCurve => ({
  key, channel, ...(geo !== undefined ? { geo } : {}), reference, expected: (s: number) => a * Math.log1p(s / b),
});

/** Deterministic uniform(0,1) stream (mulberry32). */
export function rng(seed: number): () => number {
  let t = seed >>> 0;
  return () => {
    t = (t + 0x6d2b79f5) >>> 0;
    let r = Math.imul(t ^ (t >>> 15), 1 | t);
    r = (r + Math.imul(r ^ (r >>> 7), 61 | r)) ^ r;
    return ((r ^ (r >>> 14)) >>> 0) / 4294967296;
  };
}

/** Best Σ f over a grid of step budget/steps on the simplex Σ s = budget (2 or 3 curves), honoring [lo, hi]. */
export function gridBest(curves: ResponseCurve[], budget: number, steps: number, lo?: number[], hi?: number[]): { value: number; spend: number[] } {
  const L = lo ?? curves.map(() => 0), H = hi ?? curves.map(() => Infinity);
  let best = -Infinity, arg: number[] = [];
  const ok = (s: number[]) => s.every((v, i) => v >= L[i] - 1e-9 && v <= H[i] + 1e-9);
  if (curves.length === 2) {
    for (let i = 0; i <= steps; i++) {
      const s = [(budget * i) / steps, budget - (budget * i) / steps];
      if (!ok(s)) continue;
      const v = curves[0].expected(s[0]) + curves[1].expected(s[1]);
      if (v > best) { best = v; arg = s; }
    }
  } else {
    for (let i = 0; i <= steps; i++) for (let k = 0; k <= steps - i; k++) {
      const s = [(budget * i) / steps, (budget * k) / steps, budget - (budget * (i + k)) / steps];
      if (!ok(s)) continue;
      const v = curves[0].expected(s[0]) + curves[1].expected(s[1]) + curves[2].expected(s[2]);
      if (v > best) { best = v; arg = s; }
    }
  }
  return { value: best, spend: arg };
}
