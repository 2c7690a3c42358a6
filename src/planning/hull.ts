/**
 * The concave envelope of sampled curves and water-filling on it: the global step of the optimizer.
 *
 * Why: an S-shaped (Hill, shape > 1) response has a convex start, so a gradient method started at a small
 * spend sees a near-zero marginal ROI and never funds the channel, and one started past the inflection never
 * considers dropping it. Maximizing Σ gᵢ(sᵢ) subject to Σ sᵢ = B over the *concave envelopes* ĝᵢ is a convex
 * problem whose solution is greedy marginal allocation: fund the steepest envelope segment first. It bounds
 * the true optimum from above, and its solution sits on sampled points where ĝᵢ = gᵢ for every curve but at
 * most one (the one whose segment the budget ends in), so it is globally right up to the sampling; the caller
 * refines the samples where the solution lies and polishes with a local method on the true curves.
 */

/**
 * Indices of the upper concave hull of points sorted by x (strictly increasing), left to right, written into
 * `out`; returns how many. Example: x = [0,1,2], y = [0,0,2] → hull [0, 2] (the middle point lies below).
 */
export function upperHull(x: Float64Array, y: Float64Array, n: number, out: Int32Array): number {
  let m = 0;
  for (let k = 0; k < n; k++) {
    while (m >= 2) {
      const o = out[m - 2], a = out[m - 1];
      // Pop a when it lies on or below the chord o→k: slope(o,a) ≤ slope(a,k), written without division.
      const lhs = (y[a] - y[o]) * (x[k] - x[a]);
      const rhs = (y[k] - y[a]) * (x[a] - x[o]);
      if (lhs <= rhs) m--; else break;
    }
    out[m++] = k;
  }
  return m;
}

/** One curve's envelope: hull vertices (x increasing) and the slopes of the segments between them (decreasing). */
export interface Envelope {
  x: Float64Array;
  y: Float64Array;
  /** slope[k] is the slope of segment k (from vertex k to k+1); length = vertices − 1. */
  slope: Float64Array;
}

export function envelopeOf(x: Float64Array, y: Float64Array, n: number): Envelope {
  const idx = new Int32Array(n);
  const m = upperHull(x, y, n, idx);
  const ex = new Float64Array(m), ey = new Float64Array(m), sl = new Float64Array(Math.max(0, m - 1));
  for (let k = 0; k < m; k++) { ex[k] = x[idx[k]]; ey[k] = y[idx[k]]; }
  for (let k = 0; k + 1 < m; k++) sl[k] = (ey[k + 1] - ey[k]) / (ex[k + 1] - ex[k]);
  return { x: ex, y: ey, slope: sl };
}

/** Number of segments of `e` with slope > lambda (slopes are decreasing). */
function countAbove(e: Envelope, lambda: number): number {
  let a = 0, b = e.slope.length;
  while (a < b) { const mid = (a + b) >> 1; if (e.slope[mid] > lambda) a = mid + 1; else b = mid; }
  return a;
}

export interface Fill {
  /** Spend per curve, written into the caller's array. */
  spend: Float64Array;
  /** The curve whose segment the budget ended inside (−1 when every curve sits on a vertex), and that segment. */
  partial: number;
  partialFrom: number;
  partialTo: number;
  /** The marginal value of the last unit filled (the water level); 0 when a 'stopAtZero' fill ran out of gain. */
  level: number;
}

/**
 * Greedy allocation of `budget` over envelopes (each starts at its first vertex, which the caller sets to the
 * curve's lower bound): finds the level λ by bisection so that segments steeper than λ are funded in full,
 * then funds the remaining budget segment by segment, steepest first. With `stopAtZero` it funds no segment of
 * slope ≤ 0 (profit objective: the budget is a cap). Ties are broken by curve index, so a canonical curve
 * order gives an order-independent result.
 */
export function waterFill(envs: Envelope[], budget: number, stopAtZero: boolean, spend: Float64Array): Fill {
  const n = envs.length;
  let hiL = -Infinity, loL = Infinity, base = 0;
  for (let i = 0; i < n; i++) {
    const e = envs[i];
    base += e.x[0];
    if (e.slope.length) { hiL = Math.max(hiL, e.slope[0]); loL = Math.min(loL, e.slope[e.slope.length - 1]); }
  }
  const demand = (lambda: number) => {
    let t = 0;
    for (let i = 0; i < n; i++) t += envs[i].x[countAbove(envs[i], lambda)];
    return t;
  };
  let level: number;
  if (!Number.isFinite(hiL)) level = 0; // no segments at all: every curve is pinned
  else if (stopAtZero && demand(0) <= budget) level = 0;
  else {
    // Smallest level whose strictly-steeper segments fit in the budget: demand(b) ≤ budget < demand(a).
    let a = loL - 1, b = hiL;
    if (stopAtZero) a = Math.max(a, 0);
    for (let it = 0; it < 200 && b - a > 1e-15 * Math.max(Math.abs(a), Math.abs(b), 1e-300); it++) {
      const mid = 0.5 * (a + b);
      if (mid <= a || mid >= b) break;
      if (demand(mid) <= budget) b = mid; else a = mid;
    }
    level = b;
  }
  const next = new Int32Array(n);
  let used = 0;
  for (let i = 0; i < n; i++) { next[i] = countAbove(envs[i], level); spend[i] = envs[i].x[next[i]]; used += spend[i]; }
  let rest = budget - used;
  let partial = -1, partialFrom = 0, partialTo = 0;
  // Fund what is left steepest first; normally one or a few tied segments.
  while (rest > 0) {
    let best = -1, bestSlope = -Infinity;
    for (let i = 0; i < n; i++) {
      const k = next[i];
      if (k < envs[i].slope.length && envs[i].slope[k] > bestSlope) { bestSlope = envs[i].slope[k]; best = i; }
    }
    if (best < 0 || (stopAtZero && bestSlope <= 0)) break;
    const e = envs[best], k = next[best];
    const len = e.x[k + 1] - e.x[k];
    level = bestSlope;
    if (len <= rest) { rest -= len; spend[best] = e.x[k + 1]; next[best] = k + 1; }
    else { spend[best] = e.x[k] + rest; partial = best; partialFrom = e.x[k]; partialTo = e.x[k + 1]; rest = 0; }
  }
  return { spend, partial, partialFrom, partialTo, level };
}
