/**
 * Treatment and control geos for a geo test, matched on the pre-period (docs/experiments.md):
 *
 * 1. Per geo, over the pre-period: its size, the log of its mean outcome, and its trend, the slope of
 *    its outcome over its mean per period (least squares). Each feature is standardized across geos.
 * 2. Greedy pair matching: the two unmatched geos closest in standardized (size, trend) form a pair,
 *    again and again (an odd geo left over joins the control group).
 * 3. Within each pair, one geo is treated, alternating the larger and the smaller by pair, so the
 *    groups balance in size; a smaller test treats only the best-matched half of the pairs, and every
 *    geo not treated is a control.
 *
 * The features are two numbers per geo, not the pre-period series itself, so the split is not fitted
 * to the noise the test's standard error is then estimated from (estimator.ts).
 */
export interface GeoFeatures { level: Float64Array; trend: Float64Array }

/** Log mean outcome and relative trend per geo over periods [from, to) of y [g·T + t]. */
export function geoFeatures(y: ArrayLike<number>, G: number, T: number, from: number, to: number): GeoFeatures {
  const level = new Float64Array(G), trend = new Float64Array(G);
  const n = to - from, tMean = (n - 1) / 2;
  let tss = 0;
  for (let k = 0; k < n; k++) tss += (k - tMean) ** 2;
  for (let g = 0; g < G; g++) {
    let s = 0;
    for (let t = from; t < to; t++) s += y[g * T + t];
    const mean = s / n;
    let sxy = 0;
    for (let t = from; t < to; t++) sxy += (t - from - tMean) * (y[g * T + t] / (mean || 1));
    level[g] = Math.log(Math.max(mean, 1e-12));
    trend[g] = tss > 0 ? sxy / tss : 0;
  }
  return { level, trend };
}

function standardize(x: Float64Array): Float64Array {
  const n = x.length, mean = x.reduce((a, b) => a + b, 0) / n;
  const sd = Math.sqrt(x.reduce((a, b) => a + (b - mean) ** 2, 0) / Math.max(n - 1, 1));
  return x.map((v) => (sd > 0 ? (v - mean) / sd : 0));
}

export interface GeoPair { a: number; b: number; distance: number }

/** Greedy pairs on standardized (level, trend), closest first. */
export function matchPairs(f: GeoFeatures): { pairs: GeoPair[]; unmatched: number[] } {
  const G = f.level.length, zl = standardize(f.level), zt = standardize(f.trend);
  const candidates: GeoPair[] = [];
  for (let a = 0; a < G; a++) for (let b = a + 1; b < G; b++) candidates.push({ a, b, distance: Math.hypot(zl[a] - zl[b], zt[a] - zt[b]) });
  candidates.sort((p, q) => p.distance - q.distance || p.a - q.a || p.b - q.b);
  const used = new Uint8Array(G), pairs: GeoPair[] = [];
  for (const p of candidates) {
    if (used[p.a] || used[p.b]) continue;
    used[p.a] = used[p.b] = 1;
    pairs.push(p);
  }
  return { pairs, unmatched: Array.from({ length: G }, (_, g) => g).filter((g) => !used[g]) };
}

export interface GeoSplit { treatment: number[]; control: number[] }

/**
 * A split from matched pairs: `pairsTreated` of them (the best matched first) each give one treated
 * geo, alternating the larger and the smaller; every other geo is a control.
 */
export function matchedSplit(f: GeoFeatures, pairsTreated?: number): GeoSplit {
  const { pairs } = matchPairs(f);
  const k = Math.min(pairs.length, pairsTreated ?? pairs.length);
  const treatment: number[] = [];
  for (let i = 0; i < k; i++) {
    const { a, b } = pairs[i];
    const [big, small] = f.level[a] >= f.level[b] ? [a, b] : [b, a];
    treatment.push(i % 2 === 0 ? big : small);
  }
  treatment.sort((x, y) => x - y);
  const G = f.level.length;
  return { treatment, control: Array.from({ length: G }, (_, g) => g).filter((g) => !treatment.includes(g)) };
}

/**
 * How far apart the groups are before the test: the distance between their mean standardized
 * (level, trend), 0 for groups alike on average.
 */
export function groupDistance(f: GeoFeatures, split: GeoSplit): number {
  const zl = standardize(f.level), zt = standardize(f.trend);
  const mean = (z: Float64Array, gs: number[]) => gs.reduce((a, g) => a + z[g], 0) / gs.length;
  return Math.hypot(mean(zl, split.treatment) - mean(zl, split.control), mean(zt, split.treatment) - mean(zt, split.control));
}
