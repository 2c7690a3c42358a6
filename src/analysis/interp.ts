/**
 * Monotone piecewise-cubic (Fritsch–Carlson) interpolation: C¹, passes through every node, and
 * monotone wherever the data are (no overshoot), so a response curve sampled on a grid stays a
 * response curve between the samples. Beyond the last node it continues linearly with the end slope;
 * below the first it is the first value.
 *
 * Example: nodes x [0, 1, 2], y [0, 1, 2] → value(1.5) = 1.5, slope(1.5) = 1.
 */
import { internal } from '../errors.ts';
export interface Interpolant {
  value(x: number): number;
  slope(x: number): number;
}

/** `xs` strictly increasing (length ≥ 2), `ys` the same length. Throws on fewer than 2 nodes. */
export function monotoneCubic(xs: ArrayLike<number>, ys: ArrayLike<number>): Interpolant {
  const n = xs.length;
  if (n < 2 || ys.length !== n) throw internal(`monotoneCubic needs ≥ 2 nodes and equal lengths; got ${n}, ${ys.length}`);
  const x = Float64Array.from(xs), y = Float64Array.from(ys);
  const delta = new Float64Array(n - 1), m = new Float64Array(n);
  for (let i = 0; i < n - 1; i++) delta[i] = (y[i + 1] - y[i]) / (x[i + 1] - x[i]);
  m[0] = delta[0];
  m[n - 1] = delta[n - 2];
  for (let i = 1; i < n - 1; i++) m[i] = delta[i - 1] * delta[i] <= 0 ? 0 : (delta[i - 1] + delta[i]) / 2;
  for (let i = 0; i < n - 1; i++) {
    if (delta[i] === 0) { m[i] = 0; m[i + 1] = 0; continue; }
    const a = m[i] / delta[i], b = m[i + 1] / delta[i];
    const r = a * a + b * b;
    if (r > 9) { const t = 3 / Math.sqrt(r); m[i] = t * a * delta[i]; m[i + 1] = t * b * delta[i]; }
  }
  let last = 0;
  const locate = (v: number): number => {
    // Callers often probe nearby points: try the last interval first, then bisect.
    if (x[last] <= v && v < x[last + 1]) return last;
    let lo = 0, hi = n - 2;
    while (lo < hi) { const mid = (lo + hi + 1) >> 1; if (x[mid] <= v) lo = mid; else hi = mid - 1; }
    last = lo;
    return lo;
  };
  return {
    value(v) {
      if (v <= x[0]) return y[0];
      if (v >= x[n - 1]) return y[n - 1] + m[n - 1] * (v - x[n - 1]);
      const i = locate(v), h = x[i + 1] - x[i], t = (v - x[i]) / h, t2 = t * t, t3 = t2 * t;
      return (2 * t3 - 3 * t2 + 1) * y[i] + (t3 - 2 * t2 + t) * h * m[i] + (-2 * t3 + 3 * t2) * y[i + 1] + (t3 - t2) * h * m[i + 1];
    },
    slope(v) {
      if (v < x[0]) return 0;
      if (v >= x[n - 1]) return m[n - 1];
      const i = locate(v), h = x[i + 1] - x[i], t = (v - x[i]) / h, t2 = t * t;
      return ((6 * t2 - 6 * t) * y[i]) / h + (3 * t2 - 4 * t + 1) * m[i] + ((-6 * t2 + 6 * t) * y[i + 1]) / h + (3 * t2 - 2 * t) * m[i + 1];
    },
  };
}

/**
 * The largest x in [xs[0], xs[last]] where a decreasing crossing of `f` through `level` happens
 * (f ≥ level just before, < level just after), by scanning the nodes and bisecting the bracket to
 * relative 1e-10. Null when f never crosses downward (always below, or still above at the end).
 * Example: f(x) = 2 − x on nodes [0, 1, 2, 3], level 1 → 1.
 */
export function lastDownCrossing(f: (x: number) => number, xs: ArrayLike<number>, level: number): number | null {
  let bracket = -1;
  for (let i = xs.length - 2; i >= 0; i--) {
    if (f(xs[i]) >= level && f(xs[i + 1]) < level) { bracket = i; break; }
  }
  if (bracket < 0) return null;
  let a = xs[bracket], b = xs[bracket + 1];
  for (let k = 0; k < 200 && b - a > 1e-10 * b; k++) {
    const mid = 0.5 * (a + b);
    if (f(mid) >= level) a = mid; else b = mid;
  }
  return 0.5 * (a + b);
}
