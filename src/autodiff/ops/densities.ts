/**
 * Log densities as fused ops: each returns a scalar node, the sum over elements of the full
 * (normalized) log density. Every argument is a node or a number, of length n or 1 (broadcast).
 * Values outside the support give −Infinity; invalid parameters (σ ≤ 0, …) give NaN or ±Infinity.
 * Nothing throws at evaluation time, so a sampler can treat such points as divergent.
 * Gradients are hand-written (digamma from @stdlib for the shape parameters of gamma, beta, student-t).
 *
 * Example: normalLpdf(x = [0], mu = 0, sigma = 1) → −½·log(2π) ≈ −0.9189385.
 */
import gammaln from '@stdlib/math-base-special-gammaln';
import digamma from '@stdlib/math-base-special-digamma';
import { badInput } from '../../errors.ts';
import type { Prior } from '../../transforms/types.ts';
import type { Node, Operand } from '../graph.ts';
import { graphOf } from './elementwise.ts';

const HALF_LOG_2PI = 0.5 * Math.log(2 * Math.PI);
const LOG_2 = Math.log(2);

interface Args { nodes: Node[]; n: number; st: number[] }

function args(name: string, ops: Operand[]): Args {
  const g = graphOf(name, ...ops);
  const nodes = ops.map((o) => g.lift(o));
  let n = 1;
  for (const x of nodes) if (x.size !== 1) {
    if (n !== 1 && x.size !== n) throw badInput(`autodiff: ${name} arguments of sizes ${nodes.map((y) => y.size).join(', ')} do not broadcast (sizes must match or be 1)`);
    n = x.size;
  }
  return { nodes, n, st: nodes.map((x) => (x.size === 1 && n !== 1 ? 0 : 1)) };
}

/** Normal(μ, σ): −log σ − ½log 2π − ½((x−μ)/σ)². */
export function normalLpdf(x: Operand, mu: Operand, sigma: Operand): Node {
  const { nodes: [X, M, S], n, st: [sx, sm, ss] } = args('normalLpdf', [x, mu, sigma]);
  const xv = X.value, mv = M.value, sv = S.value;
  return X.graph.op('normalLpdf', [X, M, S], [], (out) => ({
    forward() {
      let acc = 0;
      if (ss === 0) {
        const inv = 1 / sv[0];
        for (let i = 0; i < n; i++) { const z = (xv[i * sx] - mv[i * sm]) * inv; acc -= z * z; }
        out.value[0] = 0.5 * acc - n * (Math.log(sv[0]) + HALF_LOG_2PI);
      } else {
        for (let i = 0; i < n; i++) { const s = sv[i]; const z = (xv[i * sx] - mv[i * sm]) / s; acc -= 0.5 * z * z + Math.log(s); }
        out.value[0] = acc - n * HALF_LOG_2PI;
      }
    },
    backward() {
      const g = out.grad[0], gx = X.requiresGrad, gm = M.requiresGrad, gs = S.requiresGrad;
      const xg = X.grad, mg = M.grad, sg = S.grad;
      for (let i = 0; i < n; i++) {
        const s = sv[i * ss];
        const z = (xv[i * sx] - mv[i * sm]) / s;
        const d = (g * z) / s;
        if (gx) xg[i * sx] -= d;
        if (gm) mg[i * sm] += d;
        if (gs) sg[i * ss] += (g * (z * z - 1)) / s;
      }
    },
  }));
}

/** Half-normal(σ) on x ≥ 0: log 2 − log σ − ½log 2π − ½(x/σ)²; x < 0 → −Infinity. */
export function halfNormalLpdf(x: Operand, sigma: Operand): Node {
  const { nodes: [X, S], n, st: [sx, ss] } = args('halfNormalLpdf', [x, sigma]);
  const xv = X.value, sv = S.value;
  return X.graph.op('halfNormalLpdf', [X, S], [], (out) => ({
    forward() {
      let acc = 0;
      for (let i = 0; i < n; i++) {
        const v = xv[i * sx], s = sv[i * ss];
        if (v < 0) { acc = -Infinity; break; }
        const z = v / s;
        acc -= 0.5 * z * z + Math.log(s);
      }
      out.value[0] = acc + n * (LOG_2 - HALF_LOG_2PI);
    },
    backward() {
      const g = out.grad[0];
      for (let i = 0; i < n; i++) {
        const s = sv[i * ss], z = xv[i * sx] / s;
        if (X.requiresGrad) X.grad[i * sx] -= (g * z) / s;
        if (S.requiresGrad) S.grad[i * ss] += (g * (z * z - 1)) / s;
      }
    },
  }));
}

/** Log-normal(μ, σ) on x > 0: −log x − log σ − ½log 2π − ½((log x − μ)/σ)²; x ≤ 0 → −Infinity. */
export function logNormalLpdf(x: Operand, mu: Operand, sigma: Operand): Node {
  const { nodes: [X, M, S], n, st: [sx, sm, ss] } = args('logNormalLpdf', [x, mu, sigma]);
  const xv = X.value, mv = M.value, sv = S.value;
  return X.graph.op('logNormalLpdf', [X, M, S], [], (out) => ({
    forward() {
      let acc = 0;
      for (let i = 0; i < n; i++) {
        const v = xv[i * sx], s = sv[i * ss];
        if (!(v > 0)) { acc = v <= 0 ? -Infinity : NaN; break; }
        const lx = Math.log(v), z = (lx - mv[i * sm]) / s;
        acc -= lx + Math.log(s) + 0.5 * z * z;
      }
      out.value[0] = acc - n * HALF_LOG_2PI;
    },
    backward() {
      const g = out.grad[0];
      for (let i = 0; i < n; i++) {
        const v = xv[i * sx], s = sv[i * ss];
        const z = (Math.log(v) - mv[i * sm]) / s;
        if (X.requiresGrad) X.grad[i * sx] -= (g * (1 + z / s)) / v;
        if (M.requiresGrad) M.grad[i * sm] += (g * z) / s;
        if (S.requiresGrad) S.grad[i * ss] += (g * (z * z - 1)) / s;
      }
    },
  }));
}

/** Gamma(shape α, rate β) on x ≥ 0: α log β − log Γ(α) + (α−1) log x − βx; x < 0 → −Infinity. */
export function gammaLpdf(x: Operand, shape: Operand, rate: Operand): Node {
  const { nodes: [X, A, B], n, st: [sx, sa, sb] } = args('gammaLpdf', [x, shape, rate]);
  const xv = X.value, av = A.value, bv = B.value;
  return X.graph.op('gammaLpdf', [X, A, B], [], (out) => ({
    forward() {
      let acc = 0;
      const scalarParams = sa === 0 && sb === 0;
      for (let i = 0; i < n; i++) {
        const v = xv[i * sx], a = av[i * sa], b = bv[i * sb];
        if (v < 0) { acc = -Infinity; break; }
        acc += (a === 1 && v === 0 ? 0 : (a - 1) * Math.log(v)) - b * v;
        if (!scalarParams) acc += a * Math.log(b) - gammaln(a);
      }
      if (scalarParams && n > 0 && acc !== -Infinity) acc += n * (av[0] * Math.log(bv[0]) - gammaln(av[0]));
      out.value[0] = acc;
    },
    backward() {
      const g = out.grad[0];
      const psiA = sa === 0 && A.requiresGrad ? digamma(av[0]) : 0;
      for (let i = 0; i < n; i++) {
        const v = xv[i * sx], a = av[i * sa], b = bv[i * sb];
        if (X.requiresGrad) X.grad[i * sx] += g * ((a - 1) / v - b);
        if (A.requiresGrad) A.grad[i * sa] += g * (Math.log(b) - (sa === 0 ? psiA : digamma(a)) + Math.log(v));
        if (B.requiresGrad) B.grad[i * sb] += g * (a / b - v);
      }
    },
  }));
}

/** Beta(a, b) on [0, 1]: (a−1) log x + (b−1) log(1−x) − log B(a, b); outside → −Infinity. */
export function betaLpdf(x: Operand, a: Operand, b: Operand): Node {
  const { nodes: [X, A, B], n, st: [sx, sa, sb] } = args('betaLpdf', [x, a, b]);
  const xv = X.value, av = A.value, bv = B.value;
  const lbeta = (p: number, q: number) => gammaln(p) + gammaln(q) - gammaln(p + q);
  return X.graph.op('betaLpdf', [X, A, B], [], (out) => ({
    forward() {
      let acc = 0;
      const scalarParams = sa === 0 && sb === 0;
      for (let i = 0; i < n; i++) {
        const v = xv[i * sx], p = av[i * sa], q = bv[i * sb];
        if (v < 0 || v > 1) { acc = -Infinity; break; }
        acc += (p === 1 ? 0 : (p - 1) * Math.log(v)) + (q === 1 ? 0 : (q - 1) * Math.log1p(-v));
        if (!scalarParams) acc -= lbeta(p, q);
      }
      if (scalarParams && n > 0 && acc !== -Infinity) acc -= n * lbeta(av[0], bv[0]);
      out.value[0] = acc;
    },
    backward() {
      const g = out.grad[0];
      for (let i = 0; i < n; i++) {
        const v = xv[i * sx], p = av[i * sa], q = bv[i * sb];
        const psiPQ = A.requiresGrad || B.requiresGrad ? digamma(p + q) : 0;
        if (X.requiresGrad) X.grad[i * sx] += g * ((p - 1) / v - (q - 1) / (1 - v));
        if (A.requiresGrad) A.grad[i * sa] += g * (Math.log(v) - digamma(p) + psiPQ);
        if (B.requiresGrad) B.grad[i * sb] += g * (Math.log1p(-v) - digamma(q) + psiPQ);
      }
    },
  }));
}

/** Student-t(ν, μ, σ): log Γ((ν+1)/2) − log Γ(ν/2) − ½log(νπ) − log σ − (ν+1)/2 · log(1 + z²/ν), z = (x−μ)/σ. */
export function studentTLpdf(x: Operand, nu: Operand, mu: Operand, sigma: Operand): Node {
  const { nodes: [X, N, M, S], n, st: [sx, sn, sm, ss] } = args('studentTLpdf', [x, nu, mu, sigma]);
  const xv = X.value, nv = N.value, mv = M.value, sv = S.value;
  const konst = (v: number) => gammaln(0.5 * (v + 1)) - gammaln(0.5 * v) - 0.5 * Math.log(v * Math.PI);
  return X.graph.op('studentTLpdf', [X, N, M, S], [], (out) => ({
    forward() {
      let acc = 0;
      for (let i = 0; i < n; i++) {
        const v = nv[i * sn], s = sv[i * ss], z = (xv[i * sx] - mv[i * sm]) / s;
        acc -= Math.log(s) + 0.5 * (v + 1) * Math.log1p((z * z) / v);
        if (sn !== 0) acc += konst(v);
      }
      if (sn === 0 && n > 0) acc += n * konst(nv[0]);
      out.value[0] = acc;
    },
    backward() {
      const g = out.grad[0];
      for (let i = 0; i < n; i++) {
        const v = nv[i * sn], s = sv[i * ss], z = (xv[i * sx] - mv[i * sm]) / s;
        const q = v + z * z;
        const dz = (-(v + 1) * z) / q; // ∂/∂z
        if (X.requiresGrad) X.grad[i * sx] += (g * dz) / s;
        if (M.requiresGrad) M.grad[i * sm] -= (g * dz) / s;
        if (S.requiresGrad) S.grad[i * ss] += g * (-1 - dz * z) / s;
        if (N.requiresGrad) {
          N.grad[i * sn] += g * (0.5 * digamma(0.5 * (v + 1)) - 0.5 * digamma(0.5 * v) - 0.5 / v
            - 0.5 * Math.log1p((z * z) / v) + (0.5 * (v + 1) * z * z) / (v * q));
        }
      }
    },
  }));
}

/** Exponential(rate λ) on x ≥ 0: log λ − λx; x < 0 → −Infinity. */
export function exponentialLpdf(x: Operand, rate: Operand): Node {
  const { nodes: [X, R], n, st: [sx, sr] } = args('exponentialLpdf', [x, rate]);
  const xv = X.value, rv = R.value;
  return X.graph.op('exponentialLpdf', [X, R], [], (out) => ({
    forward() {
      let acc = 0;
      for (let i = 0; i < n; i++) {
        const v = xv[i * sx], r = rv[i * sr];
        if (v < 0) { acc = -Infinity; break; }
        acc += Math.log(r) - r * v;
      }
      out.value[0] = acc;
    },
    backward() {
      const g = out.grad[0];
      for (let i = 0; i < n; i++) {
        const v = xv[i * sx], r = rv[i * sr];
        if (X.requiresGrad) X.grad[i * sx] -= g * r;
        if (R.requiresGrad) R.grad[i * sr] += g * (1 / r - v);
      }
    },
  }));
}

/** The log density of a prior (as in transform descriptors) at x, summed over x's elements. */
export function priorLpdf(x: Node, p: Prior): Node {
  switch (p.dist) {
    case 'normal': return normalLpdf(x, p.mu, p.sigma);
    case 'halfNormal': return halfNormalLpdf(x, p.sigma);
    case 'logNormal': return logNormalLpdf(x, p.mu, p.sigma);
    case 'gamma': return gammaLpdf(x, p.shape, p.rate);
    case 'beta': return betaLpdf(x, p.a, p.b);
    case 'exponential': return exponentialLpdf(x, p.rate);
    case 'studentT': return studentTLpdf(x, p.nu, p.mu, p.sigma);
    // Flat on the parameter's interval: a constant the models leave out (it depends on the support, not x).
    case 'uniform': throw badInput('autodiff: a uniform prior is flat on its support and adds no term; leave it out of the log density');
    default: throw badInput(`autodiff: unknown prior distribution '${(p as { dist: unknown }).dist}'`);
  }
}

/** Alias: the spelling some callers use. */
export const lognormalLpdf = logNormalLpdf;
