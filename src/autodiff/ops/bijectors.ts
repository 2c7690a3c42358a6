/**
 * Bijectors from unconstrained reals to a parameter's support, with log |Jacobian| terms, as graph ops
 * (for the model's log density) and as plain functions (for turning draws into named values).
 *
 * | constraint | unconstrained size | x from u | log |J| |
 * |---|---|---|---|
 * | real | n | u | 0 |
 * | positive | n | e^u | Σ u |
 * | lower (ℓ) | n | ℓ + e^u | Σ u |
 * | interval (a, b) | n | a + (b−a)·σ(u) | Σ log(b−a) + log σ(u) + log(1−σ(u)) |
 * | simplex (K) | K−1 | softmax([u, 0]) | Σ_k log x_k |
 *
 * The simplex uses the additive log-ratio map: x_k = e^(u_k) / (1 + Σ_j e^(u_j)) for k < K and
 * x_K = 1 / (1 + Σ_j e^(u_j)); the determinant of its Jacobian is Π_k x_k.
 */
import { badInput } from '../../errors.ts';
import type { Node } from '../graph.ts';
import { sigmoidScalar, softplusScalar } from './elementwise.ts';

export type Constraint =
  | { type: 'real' }
  | { type: 'positive' }
  | { type: 'lower'; lower: number }
  | { type: 'interval'; lower: number; upper: number }
  | { type: 'simplex' };

/** Checks a constraint's own numbers; throws a BAD_INPUT error naming `what`. */
export function checkConstraint(c: Constraint, what: string): void {
  const t = (c as { type: unknown }).type;
  if (!['real', 'positive', 'lower', 'interval', 'simplex'].includes(t as string)) throw badInput(`${what}: constraint type must be one of real, positive, lower, interval, simplex; got '${String(t)}'`);
  if (c.type === 'lower' && !Number.isFinite(c.lower)) throw badInput(`${what}: lower bound must be a finite number; got '${c.lower}'`);
  if (c.type === 'interval' && !(Number.isFinite(c.lower) && Number.isFinite(c.upper) && c.lower < c.upper)) {
    throw badInput(`${what}: interval needs finite lower < upper; got [${c.lower}, ${c.upper}]`);
  }
}

/** Unconstrained length of a parameter with `size` constrained elements. */
export function unconstrainedSize(c: Constraint, size: number): number {
  return c.type === 'simplex' ? Math.max(size - 1, 0) : size;
}

/** x = f(u) for a plain vector: writes `out` (constrained length). */
export function constrainValues(c: Constraint, u: ArrayLike<number>, out: Float64Array): void {
  const n = out.length;
  switch (c.type) {
    case 'real': for (let i = 0; i < n; i++) out[i] = u[i]; break;
    case 'positive': for (let i = 0; i < n; i++) out[i] = Math.exp(u[i]); break;
    case 'lower': for (let i = 0; i < n; i++) out[i] = c.lower + Math.exp(u[i]); break;
    case 'interval': for (let i = 0; i < n; i++) out[i] = c.lower + (c.upper - c.lower) * sigmoidScalar(u[i]); break;
    case 'simplex': softmaxAppend0(u, n - 1, out); break;
  }
}

/** u = f⁻¹(x); throws a BAD_INPUT error naming `what` and the element when x is outside the support. */
export function unconstrainValues(c: Constraint, x: ArrayLike<number>, out: Float64Array, what: string): void {
  const bad = (i: number, why: string) => badInput(`${what}[${i}] = ${x[i]} ${why}`);
  for (let i = 0; i < x.length; i++) if (!Number.isFinite(x[i])) throw bad(i, 'is not a finite number');
  switch (c.type) {
    case 'real': for (let i = 0; i < x.length; i++) out[i] = x[i]; break;
    case 'positive': for (let i = 0; i < x.length; i++) { if (!(x[i] > 0)) throw bad(i, 'must be > 0'); out[i] = Math.log(x[i]); } break;
    case 'lower': for (let i = 0; i < x.length; i++) { if (!(x[i] > c.lower)) throw bad(i, `must be > ${c.lower}`); out[i] = Math.log(x[i] - c.lower); } break;
    case 'interval':
      for (let i = 0; i < x.length; i++) {
        if (!(x[i] > c.lower && x[i] < c.upper)) throw bad(i, `must be inside (${c.lower}, ${c.upper})`);
        const p = (x[i] - c.lower) / (c.upper - c.lower);
        out[i] = Math.log(p) - Math.log1p(-p);
      }
      break;
    case 'simplex': {
      let s = 0;
      for (let i = 0; i < x.length; i++) { if (!(x[i] > 0)) throw bad(i, 'must be > 0 (simplex)'); s += x[i]; }
      if (Math.abs(s - 1) > 1e-8) throw badInput(`${what} must sum to 1 (simplex); sums to ${s}`);
      const last = Math.log(x[x.length - 1]);
      for (let i = 0; i < x.length - 1; i++) out[i] = Math.log(x[i]) - last;
      break;
    }
  }
}

/** log |det ∂x/∂u| for a plain vector u (constrained length `size`). */
export function logJacobian(c: Constraint, u: ArrayLike<number>, size: number): number {
  let s = 0;
  switch (c.type) {
    case 'real': return 0;
    case 'positive': case 'lower': for (let i = 0; i < u.length; i++) s += u[i]; return s;
    case 'interval': {
      const lw = Math.log(c.upper - c.lower);
      for (let i = 0; i < u.length; i++) s += lw - softplusScalar(-u[i]) - softplusScalar(u[i]);
      return s;
    }
    case 'simplex': {
      const x = new Float64Array(size);
      softmaxAppend0(u, size - 1, x);
      for (let i = 0; i < size; i++) s += Math.log(x[i]);
      return s;
    }
  }
}

/** x = softmax([u_0 … u_{m−1}, 0]) into out (length m + 1), computed stably. */
function softmaxAppend0(u: ArrayLike<number>, m: number, out: Float64Array): void {
  let mx = 0;
  for (let i = 0; i < m; i++) if (u[i] > mx) mx = u[i];
  let s = Math.exp(-mx);
  out[m] = s;
  for (let i = 0; i < m; i++) { const e = Math.exp(u[i] - mx); out[i] = e; s += e; }
  for (let i = 0; i <= m; i++) out[i] /= s;
}

/**
 * Graph op: the constrained value of `u` (an unconstrained node) and its log-Jacobian (a scalar node,
 * or null for 'real'). `size` is the constrained length (K for a simplex, u.size + 1).
 */
export function constrainNode(u: Node, c: Constraint, size: number): { value: Node; logJacobian: Node | null } {
  checkConstraint(c, 'constrain');
  if (unconstrainedSize(c, size) !== u.size) throw badInput(`autodiff: ${c.type} of size ${size} needs ${unconstrainedSize(c, size)} unconstrained values; got ${u.size}`);
  if (c.type === 'real') return { value: u, logJacobian: null };
  const g = u.graph, uv = u.value, ug = u.grad, n = u.size;
  if (c.type === 'simplex') {
    const m = n;
    const value = g.op('simplex', [u], [size], (out) => ({
      forward() { softmaxAppend0(uv, m, out.value); },
      backward() {
        const x = out.value, xg = out.grad;
        let s = 0;
        for (let k = 0; k <= m; k++) s += xg[k] * x[k];
        for (let j = 0; j < m; j++) ug[j] += x[j] * (xg[j] - s);
      },
    }));
    const logJ = g.op('simplexLogJacobian', [value, u], [], (out) => ({
      forward() { let s = 0; const x = value.value; for (let k = 0; k <= m; k++) s += Math.log(x[k]); out.value[0] = s; },
      backward() { const gr = out.grad[0], x = value.value; for (let j = 0; j < m; j++) ug[j] += gr * (1 - (m + 1) * x[j]); },
    }));
    return { value, logJacobian: logJ };
  }
  if (c.type === 'interval') {
    const lo = c.lower, w = c.upper - c.lower, lw = Math.log(w);
    const value = g.op('interval', [u], u.shape, (out) => ({
      forward() { const ov = out.value; for (let i = 0; i < n; i++) ov[i] = lo + w * sigmoidScalar(uv[i]); },
      backward() {
        const ov = out.value, og = out.grad;
        for (let i = 0; i < n; i++) { const p = (ov[i] - lo) / w; ug[i] += og[i] * w * p * (1 - p); }
      },
    }));
    const logJ = g.op('intervalLogJacobian', [u], [], (out) => ({
      forward() { let s = n * lw; for (let i = 0; i < n; i++) s -= softplusScalar(-uv[i]) + softplusScalar(uv[i]); out.value[0] = s; },
      backward() { const gr = out.grad[0]; for (let i = 0; i < n; i++) ug[i] += gr * (1 - 2 * sigmoidScalar(uv[i])); },
    }));
    return { value, logJacobian: logJ };
  }
  const lo = c.type === 'lower' ? c.lower : 0;
  const value = g.op(c.type, [u], u.shape, (out) => ({
    forward() { const ov = out.value; for (let i = 0; i < n; i++) ov[i] = lo + Math.exp(uv[i]); },
    backward() { const ov = out.value, og = out.grad; for (let i = 0; i < n; i++) ug[i] += og[i] * (ov[i] - lo); },
  }));
  const logJ = g.op('expLogJacobian', [u], [], (out) => ({
    forward() { let s = 0; for (let i = 0; i < n; i++) s += uv[i]; out.value[0] = s; },
    backward() { const gr = out.grad[0]; for (let i = 0; i < n; i++) ug[i] += gr; },
  }));
  return { value, logJacobian: logJ };
}
