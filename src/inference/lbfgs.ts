/**
 * Maximum a posteriori by L-BFGS (Nocedal & Wright, Alg. 7.4 two-loop recursion) on the
 * unconstrained space, with a line search satisfying the strong Wolfe conditions (Alg. 3.5/3.6:
 * bracketing, then zoom by safeguarded cubic interpolation). Minimizes f = −logp.
 */
import { badConfig, fitFailed } from '../errors.ts';
import type { Target } from './target.ts';

export interface LbfgsOptions {
  /** Maximum iterations (default 2000). */
  maxIterations?: number;
  /** Memory: number of (s, y) pairs kept (default 10). */
  history?: number;
  /** Converged when max |∇logp| < gradTol (default 1e-8). */
  gradTol?: number;
  /** Converged when |Δlogp| / max(|logp|, 1) < relTol (default 1e-12, ≈ Stan's 1e4·ε). */
  relTol?: number;
  /** Converged when max |Δθ| < paramTol (default 1e-10). */
  paramTol?: number;
  /** Wolfe constants (default 1e-4, 0.9). */
  c1?: number;
  c2?: number;
}

export interface LbfgsResult {
  theta: Float64Array;
  logp: number;
  iterations: number;
  evaluations: number;
  converged: boolean;
  /** Why it stopped: 'gradient' | 'objective' | 'parameters' | 'max-iterations' | 'line-search'. */
  reason: string;
  /** Max-norm of ∇logp at `theta`. */
  gradNorm: number;
}

/** Maximizes target's logp from `init`. Example: on N(μ, Σ) it returns θ ≈ μ in a handful of iterations. */
export function lbfgs(target: Target, init: Float64Array, opts: LbfgsOptions = {}): LbfgsResult {
  const d = target.dim;
  if (init.length !== d) throw badConfig(`lbfgs init must have length ${d}; got ${init.length}`);
  const maxIter = opts.maxIterations ?? 2000, m = opts.history ?? 10;
  const gradTol = opts.gradTol ?? 1e-8, relTol = opts.relTol ?? 1e-12, paramTol = opts.paramTol ?? 1e-10;
  const c1 = opts.c1 ?? 1e-4, c2 = opts.c2 ?? 0.9;
  let evaluations = 0;
  const x = Float64Array.from(init), g = new Float64Array(d);
  const xNew = new Float64Array(d), gNew = new Float64Array(d), dir = new Float64Array(d);
  // f(x) = −logp(x), g = ∇f
  const evalAt = (pt: Float64Array, grad: Float64Array): number => {
    evaluations++;
    const lp = target.logDensityGradient(pt, grad);
    for (let i = 0; i < d; i++) grad[i] = -grad[i];
    if (!Number.isFinite(lp)) return Infinity;
    for (let i = 0; i < d; i++) if (!Number.isFinite(grad[i])) return Infinity;
    return -lp;
  };
  let f = evalAt(x, g);
  if (!Number.isFinite(f)) throw fitFailed('lbfgs: the log-density or its gradient is not finite at the initial point');
  const S: Float64Array[] = [], Y: Float64Array[] = [], R: number[] = [];
  const alpha = new Float64Array(m);
  const maxAbs = (v: Float64Array) => { let a = 0; for (let i = 0; i < d; i++) a = Math.max(a, Math.abs(v[i])); return a; };
  let iter = 0, reason = 'max-iterations', converged = false;
  if (maxAbs(g) < gradTol) { reason = 'gradient'; converged = true; }
  let step0 = Math.min(1, 1 / Math.max(maxAbs(g), 1e-300));
  while (!converged && iter < maxIter) {
    iter++;
    // two-loop recursion: dir = −H g
    for (let i = 0; i < d; i++) dir[i] = -g[i];
    const k = S.length;
    for (let j = k - 1; j >= 0; j--) { alpha[j] = R[j] * dotv(S[j], dir, d); axpy(-alpha[j], Y[j], dir, d); }
    if (k) { const gamma = dotv(S[k - 1], Y[k - 1], d) / dotv(Y[k - 1], Y[k - 1], d); for (let i = 0; i < d; i++) dir[i] *= gamma; }
    for (let j = 0; j < k; j++) { const beta = R[j] * dotv(Y[j], dir, d); axpy(alpha[j] - beta, S[j], dir, d); }
    let dg = dotv(dir, g, d);
    if (!(dg < 0)) { // not a descent direction: restart with steepest descent
      S.length = 0; Y.length = 0; R.length = 0;
      for (let i = 0; i < d; i++) dir[i] = -g[i];
      dg = dotv(dir, g, d);
      step0 = Math.min(1, 1 / Math.max(maxAbs(g), 1e-300));
    }
    const ls = wolfeSearch(evalAt, x, f, g, dir, dg, k ? 1 : step0, c1, c2, xNew, gNew, d);
    if (!ls) { reason = 'line-search'; converged = maxAbs(g) < Math.sqrt(gradTol); break; }
    const fNew = ls.f;
    const s = new Float64Array(d), y = new Float64Array(d);
    let dx = 0;
    for (let i = 0; i < d; i++) { s[i] = xNew[i] - x[i]; y[i] = gNew[i] - g[i]; dx = Math.max(dx, Math.abs(s[i])); }
    const sy = dotv(s, y, d);
    if (sy > 1e-12 * Math.sqrt(dotv(s, s, d) * dotv(y, y, d))) {
      S.push(s); Y.push(y); R.push(1 / sy);
      if (S.length > m) { S.shift(); Y.shift(); R.shift(); }
    }
    const df = Math.abs(f - fNew);
    x.set(xNew); g.set(gNew); f = fNew;
    if (maxAbs(g) < gradTol) { reason = 'gradient'; converged = true; }
    else if (df / Math.max(Math.abs(f), 1) < relTol) { reason = 'objective'; converged = true; }
    else if (dx < paramTol) { reason = 'parameters'; converged = true; }
  }
  return { theta: x, logp: -f, iterations: iter, evaluations, converged, reason, gradNorm: maxAbs(g) };
}

function dotv(a: Float64Array, b: Float64Array, d: number): number { let s = 0; for (let i = 0; i < d; i++) s += a[i] * b[i]; return s; }
function axpy(a: number, x: Float64Array, y: Float64Array, d: number): void { for (let i = 0; i < d; i++) y[i] += a * x[i]; }

type Eval = (pt: Float64Array, grad: Float64Array) => number;

/**
 * Strong Wolfe line search along `dir` from x (f0, g0, slope dg0 < 0). On success writes the accepted
 * point and gradient into xOut / gOut and returns its f; null when no acceptable step was found.
 */
export function wolfeSearch(evalAt: Eval, x: Float64Array, f0: number, g0: Float64Array, dir: Float64Array, dg0: number,
  a1: number, c1: number, c2: number, xOut: Float64Array, gOut: Float64Array, d: number): { f: number; step: number } | null {
  const phi = (a: number): { f: number; dg: number } => {
    for (let i = 0; i < d; i++) xOut[i] = x[i] + a * dir[i];
    const f = evalAt(xOut, gOut);
    return { f, dg: Number.isFinite(f) ? dotv(gOut, dir, d) : NaN };
  };
  let aPrev = 0, fPrev = f0, dgPrev = dg0, a = a1;
  for (let i = 0; i < 40; i++) {
    const p = phi(a);
    if (!Number.isFinite(p.f)) { a = 0.5 * (aPrev + a); continue; } // left the support: shrink toward the last good step
    if (p.f > f0 + c1 * a * dg0 || (i > 0 && p.f >= fPrev)) return zoom(aPrev, fPrev, dgPrev, a, p.f, p.dg);
    if (Math.abs(p.dg) <= -c2 * dg0) return { f: p.f, step: a };
    if (p.dg >= 0) return zoom(a, p.f, p.dg, aPrev, fPrev, dgPrev);
    aPrev = a; fPrev = p.f; dgPrev = p.dg;
    a *= 2;
  }
  return null;

  function zoom(lo: number, fLo: number, dgLo: number, hi: number, fHi: number, dgHi: number): { f: number; step: number } | null {
    for (let j = 0; j < 60; j++) {
      let a = cubicMin(lo, fLo, dgLo, hi, fHi, dgHi);
      const left = Math.min(lo, hi), w = Math.abs(hi - lo);
      if (!Number.isFinite(a) || a < left + 0.1 * w || a > left + 0.9 * w) a = 0.5 * (lo + hi);
      const p = phi(a);
      if (!Number.isFinite(p.f) || p.f > f0 + c1 * a * dg0 || p.f >= fLo) { hi = a; fHi = Number.isFinite(p.f) ? p.f : Infinity; dgHi = p.dg; }
      else {
        if (Math.abs(p.dg) <= -c2 * dg0) return { f: p.f, step: a };
        if (p.dg * (hi - lo) >= 0) { hi = lo; fHi = fLo; dgHi = dgLo; }
        lo = a; fLo = p.f; dgLo = p.dg;
      }
      if (Math.abs(hi - lo) < 1e-16 * Math.max(1, Math.abs(lo))) break;
    }
    // accept the best sufficient-decrease point if the curvature condition could not be met
    if (lo > 0) { const p = phi(lo); if (Number.isFinite(p.f) && p.f <= f0 + c1 * lo * dg0) return { f: p.f, step: lo }; }
    return null;
  }
}

/** Minimizer of the cubic interpolating (a, fa, ga) and (b, fb, gb); NaN when it has none. */
function cubicMin(a: number, fa: number, ga: number, b: number, fb: number, gb: number): number {
  if (!Number.isFinite(fb) || !Number.isFinite(gb)) return NaN;
  const d1 = ga + gb - (3 * (fa - fb)) / (a - b);
  const disc = d1 * d1 - ga * gb;
  if (disc < 0) return NaN;
  const d2 = Math.sign(b - a) * Math.sqrt(disc);
  return b - (b - a) * ((gb + d2 - d1) / (gb - ga + 2 * d2));
}
