/**
 * Elementwise ops. Binary ops broadcast length-1 operands (scalars) against vectors of any shape;
 * two non-scalar operands must have the same size. A plain number operand becomes a constant.
 *
 * Each unary op is written out with its own loops (a shared loop calling a function per element
 * would be megamorphic and several times slower in V8).
 */
import gammaln from '@stdlib/math-base-special-gammaln';
import digamma from '@stdlib/math-base-special-digamma';
import { badInput } from '../../errors.ts';
import { Graph, Node, type Operand, type Shape } from '../graph.ts';

/** The graph of the first Node among the operands. */
export function graphOf(name: string, ...xs: Operand[]): Graph {
  for (const x of xs) if (typeof x !== 'number') return x.graph;
  throw badInput(`autodiff: ${name} needs at least one node operand`);
}

/** Result shape of broadcasting a and b (sizes equal, or one of them 1). */
export function broadcastShape(name: string, a: Node, b: Node): Shape {
  if (a.size === b.size) return a.shape.length >= b.shape.length ? a.shape : b.shape;
  if (a.size === 1) return b.shape;
  if (b.size === 1) return a.shape;
  throw badInput(`autodiff: ${name} operands of sizes ${a.size} and ${b.size} do not broadcast (sizes must match or one must be 1)`);
}

type BinaryKernel = (a: Node, b: Node, out: Node, sa: number, sb: number) => { forward(): void; backward(): void };

function binary(name: string, kernel: BinaryKernel) {
  return (x: Operand, y: Operand): Node => {
    const g = graphOf(name, x, y);
    const a = g.lift(x), b = g.lift(y);
    const shape = broadcastShape(name, a, b);
    const n = Math.max(a.size, b.size);
    const sa = a.size === n ? 1 : 0, sb = b.size === n ? 1 : 0;
    return g.op(name, [a, b], shape, (out) => kernel(a, b, out, sa, sb));
  };
}

/** a + b (broadcasting). */
export const add = binary('add', (a, b, out, sa, sb) => {
  const av = a.value, bv = b.value, ov = out.value, n = out.size;
  return {
    forward() { for (let i = 0; i < n; i++) ov[i] = av[i * sa] + bv[i * sb]; },
    backward() {
      const og = out.grad;
      if (a.requiresGrad) { const ag = a.grad; for (let i = 0; i < n; i++) ag[i * sa] += og[i]; }
      if (b.requiresGrad) { const bg = b.grad; for (let i = 0; i < n; i++) bg[i * sb] += og[i]; }
    },
  };
});

/** a − b (broadcasting). */
export const sub = binary('sub', (a, b, out, sa, sb) => {
  const av = a.value, bv = b.value, ov = out.value, n = out.size;
  return {
    forward() { for (let i = 0; i < n; i++) ov[i] = av[i * sa] - bv[i * sb]; },
    backward() {
      const og = out.grad;
      if (a.requiresGrad) { const ag = a.grad; for (let i = 0; i < n; i++) ag[i * sa] += og[i]; }
      if (b.requiresGrad) { const bg = b.grad; for (let i = 0; i < n; i++) bg[i * sb] -= og[i]; }
    },
  };
});

/** a · b (broadcasting). */
export const mul = binary('mul', (a, b, out, sa, sb) => {
  const av = a.value, bv = b.value, ov = out.value, n = out.size;
  return {
    forward() { for (let i = 0; i < n; i++) ov[i] = av[i * sa] * bv[i * sb]; },
    backward() {
      const og = out.grad;
      if (a.requiresGrad) { const ag = a.grad; for (let i = 0; i < n; i++) ag[i * sa] += og[i] * bv[i * sb]; }
      if (b.requiresGrad) { const bg = b.grad; for (let i = 0; i < n; i++) bg[i * sb] += og[i] * av[i * sa]; }
    },
  };
});

/** a / b (broadcasting); division by zero gives ±Infinity or NaN as in IEEE arithmetic. */
export const div = binary('div', (a, b, out, sa, sb) => {
  const av = a.value, bv = b.value, ov = out.value, n = out.size;
  return {
    forward() { for (let i = 0; i < n; i++) ov[i] = av[i * sa] / bv[i * sb]; },
    backward() {
      const og = out.grad;
      if (a.requiresGrad) { const ag = a.grad; for (let i = 0; i < n; i++) ag[i * sa] += og[i] / bv[i * sb]; }
      if (b.requiresGrad) { const bg = b.grad; for (let i = 0; i < n; i++) bg[i * sb] -= (og[i] * ov[i]) / bv[i * sb]; }
    },
  };
});

/**
 * a^b (broadcasting). ∂/∂a = b·a^(b−1); ∂/∂b = a^b·log a, taken as 0 where a^b = 0 (so 0^b for b > 0
 * has a finite gradient). Negative a with non-integer b gives NaN, as Math.pow does.
 */
export const pow = binary('pow', (a, b, out, sa, sb) => {
  const av = a.value, bv = b.value, ov = out.value, n = out.size;
  return {
    forward() { for (let i = 0; i < n; i++) ov[i] = Math.pow(av[i * sa], bv[i * sb]); },
    backward() {
      const og = out.grad;
      if (a.requiresGrad) {
        const ag = a.grad;
        for (let i = 0; i < n; i++) { const e = bv[i * sb]; if (e !== 0) ag[i * sa] += og[i] * e * Math.pow(av[i * sa], e - 1); }
      }
      if (b.requiresGrad) {
        const bg = b.grad;
        for (let i = 0; i < n; i++) if (ov[i] !== 0) bg[i * sb] += og[i] * ov[i] * Math.log(av[i * sa]);
      }
    },
  };
});

type UnaryKernel = (xv: Float64Array, ov: Float64Array, xg: Float64Array, og: Float64Array, n: number) => { forward(): void; backward(): void };

function unary(name: string, kernel: UnaryKernel) {
  return (x: Node): Node => x.graph.op(name, [x], x.shape, (out) => kernel(x.value, out.value, x.grad, out.grad, x.size));
}

/** −x. */
export const neg = unary('neg', (xv, ov, xg, og, n) => ({
  forward() { for (let i = 0; i < n; i++) ov[i] = -xv[i]; },
  backward() { for (let i = 0; i < n; i++) xg[i] -= og[i]; },
}));

/** e^x. */
export const exp = unary('exp', (xv, ov, xg, og, n) => ({
  forward() { for (let i = 0; i < n; i++) ov[i] = Math.exp(xv[i]); },
  backward() { for (let i = 0; i < n; i++) xg[i] += og[i] * ov[i]; },
}));

/** Natural log; log 0 = −Infinity, log of a negative = NaN. */
export const log = unary('log', (xv, ov, xg, og, n) => ({
  forward() { for (let i = 0; i < n; i++) ov[i] = Math.log(xv[i]); },
  backward() { for (let i = 0; i < n; i++) xg[i] += og[i] / xv[i]; },
}));

/** log(1 + x), accurate near 0. */
export const log1p = unary('log1p', (xv, ov, xg, og, n) => ({
  forward() { for (let i = 0; i < n; i++) ov[i] = Math.log1p(xv[i]); },
  backward() { for (let i = 0; i < n; i++) xg[i] += og[i] / (1 + xv[i]); },
}));

/** e^x − 1, accurate near 0. */
export const expm1 = unary('expm1', (xv, ov, xg, og, n) => ({
  forward() { for (let i = 0; i < n; i++) ov[i] = Math.expm1(xv[i]); },
  backward() { for (let i = 0; i < n; i++) xg[i] += og[i] * (ov[i] + 1); },
}));

/** √x; the gradient at 0 is +Infinity. */
export const sqrt = unary('sqrt', (xv, ov, xg, og, n) => ({
  forward() { for (let i = 0; i < n; i++) ov[i] = Math.sqrt(xv[i]); },
  backward() { for (let i = 0; i < n; i++) xg[i] += (0.5 * og[i]) / ov[i]; },
}));

/** x². */
export const square = unary('square', (xv, ov, xg, og, n) => ({
  forward() { for (let i = 0; i < n; i++) ov[i] = xv[i] * xv[i]; },
  backward() { for (let i = 0; i < n; i++) xg[i] += 2 * og[i] * xv[i]; },
}));

/** 1 / (1 + e^(−x)), computed without overflow for large |x|. */
export const sigmoid = unary('sigmoid', (xv, ov, xg, og, n) => ({
  forward() { for (let i = 0; i < n; i++) ov[i] = sigmoidScalar(xv[i]); },
  backward() { for (let i = 0; i < n; i++) xg[i] += og[i] * ov[i] * (1 - ov[i]); },
}));

/** log(1 + e^x), computed without overflow; its derivative is sigmoid(x). */
export const softplus = unary('softplus', (xv, ov, xg, og, n) => ({
  forward() { for (let i = 0; i < n; i++) ov[i] = softplusScalar(xv[i]); },
  backward() { for (let i = 0; i < n; i++) xg[i] += og[i] * sigmoidScalar(xv[i]); },
}));

/** log Γ(x) (stdlib's gammaln); derivative digamma(x). lgamma(0) = +Infinity. */
export const lgamma = unary('lgamma', (xv, ov, xg, og, n) => ({
  forward() { for (let i = 0; i < n; i++) ov[i] = gammaln(xv[i]); },
  backward() { for (let i = 0; i < n; i++) xg[i] += og[i] * digamma(xv[i]); },
}));

export function sigmoidScalar(x: number): number {
  if (x >= 0) return 1 / (1 + Math.exp(-x));
  const e = Math.exp(x);
  return e / (1 + e);
}

export function softplusScalar(x: number): number {
  return x > 0 ? x + Math.log1p(Math.exp(-x)) : Math.log1p(Math.exp(x));
}
