/**
 * The shared finite-difference gradient checker. `gradcheck(build, inputs)` builds a graph whose
 * inputs are params (or constants), reduces the output to a scalar with fixed random weights (so the
 * whole vector–Jacobian product is checked), and compares the reverse-mode gradient of every input
 * element with a central finite difference computed by re-running the same static tape (so the
 * define-once, run-many path is exercised too). Optionally checks forward values against a plain
 * reference function. Throws an AssertionError naming the input, element and both numbers.
 */
import assert from 'node:assert/strict';
import { Graph, type Node, type Shape } from '../graph.ts';
import { dot } from '../ops/linear.ts';
import { Rng } from '../../util/rng.ts';
import { FD_REL_STEP, GRAD_TOL, VALUE_RTOL } from './tolerances.ts';

export interface CheckInput {
  value: ArrayLike<number>;
  shape?: Shape;
  /** false: pass as a constant (no gradient checked). Default true. */
  grad?: boolean;
}

export interface GradcheckOptions {
  /** Plain implementation of the forward value, compared with VALUE_RTOL. */
  reference?: (xs: Float64Array[]) => ArrayLike<number>;
  seed?: number;
  gradTol?: number;
  relStep?: number;
  /** Label used in failure messages. */
  label?: string;
}

export interface GradcheckReport { maxError: number; checked: number }

export function gradcheck(
  build: (g: Graph, xs: Node[]) => Node,
  inputs: readonly (ArrayLike<number> | CheckInput)[],
  opts: GradcheckOptions = {},
): GradcheckReport {
  const label = opts.label ?? 'op';
  const specs: CheckInput[] = inputs.map((x) => (isCheckInput(x) ? x : { value: x }));
  const g = new Graph();
  const nodes = specs.map((s) => (s.grad === false ? g.constant(s.value, s.shape ?? [s.value.length]) : g.param(s.shape ?? [s.value.length], s.value)));
  const out = build(g, nodes);
  if (opts.reference) {
    const ref = opts.reference(specs.map((s) => Float64Array.from(s.value)));
    assert.equal(out.size, ref.length, `${label}: output size ${out.size}, reference ${ref.length}`);
    for (let i = 0; i < ref.length; i++) assertClose(out.value[i], ref[i], VALUE_RTOL, `${label}: value[${i}]`);
  }
  const rng = new Rng(opts.seed ?? 7);
  const w = new Float64Array(out.size);
  for (let i = 0; i < w.length; i++) w[i] = 0.5 + rng.uniform();
  const loss = out.size === 1 ? out : dot(out, g.constant(w, out.shape));
  const prog = g.program([loss]);
  prog.forward();
  const base = loss.value[0];
  prog.backward();
  const analytic = nodes.map((n) => Float64Array.from(n.grad));
  // A second reverse pass must give the same gradient (gradients are zeroed, not accumulated across passes).
  prog.backward();
  nodes.forEach((n, k) => assert.deepEqual(n.grad, analytic[k], `${label}: second backward pass differs for input ${k}`));

  const tol = opts.gradTol ?? GRAD_TOL;
  const rel = opts.relStep ?? FD_REL_STEP;
  let maxError = 0, checked = 0;
  nodes.forEach((n, k) => {
    if (!n.requiresGrad) return;
    for (let j = 0; j < n.size; j++) {
      const x0 = n.value[j];
      const h = rel * Math.max(1, Math.abs(x0));
      n.value[j] = x0 + h; prog.forward(); const up = loss.value[0];
      n.value[j] = x0 - h; prog.forward(); const dn = loss.value[0];
      n.value[j] = x0;
      const fd = (up - dn) / (2 * h);
      const a = analytic[k][j];
      assert.ok(Number.isFinite(a), `${label}: gradient of input ${k}[${j}] (x = ${x0}) is ${a}`);
      const err = Math.abs(a - fd) / Math.max(1, Math.abs(a), Math.abs(fd));
      if (!(err <= tol)) assert.fail(`${label}: gradient of input ${k}[${j}] (x = ${x0}): reverse mode ${a}, finite difference ${fd}`);
      maxError = Math.max(maxError, err);
      checked++;
    }
  });
  prog.forward();
  assert.equal(loss.value[0], base, `${label}: re-running the tape after restoring inputs changed the value`);
  return { maxError, checked };
}

export function assertClose(actual: number, expected: number, rtol: number, what: string): void {
  if (Number.isNaN(expected)) { assert.ok(Number.isNaN(actual), `${what}: expected NaN, got ${actual}`); return; }
  if (!Number.isFinite(expected)) { assert.equal(actual, expected, `${what}: expected ${expected}, got ${actual}`); return; }
  const err = Math.abs(actual - expected);
  assert.ok(err <= rtol * Math.max(1, Math.abs(expected)), `${what}: got ${actual}, expected ${expected} (error ${err})`);
}

/** n values uniform in [lo, hi), from a seeded generator. */
export function uniformVector(rng: Rng, n: number, lo: number, hi: number): Float64Array {
  const v = new Float64Array(n);
  for (let i = 0; i < n; i++) v[i] = lo + (hi - lo) * rng.uniform();
  return v;
}

function isCheckInput(x: ArrayLike<number> | CheckInput): x is CheckInput {
  return typeof x === 'object' && x !== null && 'value' in x && !ArrayBuffer.isView(x);
}
