/**
 * The budget optimizer: maximize Σ gᵢ(sᵢ) subject to Σ sᵢ = B (≤ B for profit) and loᵢ ≤ sᵢ ≤ hiᵢ, where
 * gᵢ = expectedᵢ (objective 'outcome') or margin·expectedᵢ − s (objective 'profit').
 *
 * Strategy, and why:
 * 1. Global step (hull.ts): greedy marginal allocation on the concave envelopes of densely sampled curves,
 *    so S-shaped curves are judged by their best average return, not by the near-zero slope of their convex
 *    start. Samples are refined around the solution for a few rounds (spacing shrinks ~16× per round).
 * 2. Non-convexity: when the budget ends inside an envelope segment that bridges a convex stretch (g below
 *    its envelope there), the answer is "that curve at the segment's left end" or "at its right end": both
 *    are solved (recursively, depth 2) and compared on the true curves.
 * 3. Local step: projected Newton on the active set with finite-difference derivatives until KKT holds
 *    (equal marginal value among curves strictly inside their bounds), each step accepted only if it raises
 *    the objective; the reference mix (projected onto the bounds) is polished too and kept as a candidate,
 *    so the plan is never worse than the baseline.
 * The best candidate on the true objective wins; its sum is fixed up to the budget exactly.
 */
import { badInput } from '../errors.ts';
import { resolveProblem, type Problem } from './constraints.ts';
import { envelopeOf, waterFill, type Envelope } from './hull.ts';
import { buildPlan, fdStep } from './report.ts';
import type { OptimizeInput, OptimizeResult, ResponseCurve } from './types.ts';

const GEOMETRIC_POINTS = 128; // log-spaced samples from 1e-6 to 1 of each curve's range (~11% apart)
const UNIFORM_POINTS = 32;
const REFINE_ROUNDS = 3;
const REFINE_POINTS = 16;
const NEWTON_ITERATIONS = 60;

interface Ctx {
  p: Problem;
  g: (j: number, s: number) => number;
  /** Most each curve can take: min(hi, lo + budget − Σlo). */
  top: Float64Array;
  scale: number;
  profit: boolean;
  iterations: number;
}

function makeCtx(p: Problem, profit: boolean, margin: number): Ctx {
  const n = p.curves.length;
  const fns = p.curves.map((c) => c.expected.bind(c));
  const g = profit
    ? (j: number, s: number) => margin * fns[j](s) - s
    : (j: number, s: number) => fns[j](s);
  const checked = (j: number, s: number) => {
    const v = g(j, s);
    if (!Number.isFinite(v)) throw badInput(`curve '${p.curves[j].key}': expected(${s}) returned ${fns[j](s)}; response curves must be finite for spend ≥ 0`);
    return v;
  };
  let sumLo = 0;
  for (let j = 0; j < n; j++) sumLo += p.lo[j];
  const free = Math.max(0, p.budget - sumLo);
  const top = new Float64Array(n);
  for (let j = 0; j < n; j++) top[j] = Math.min(p.hi[j], p.lo[j] + free);
  return { p, g: checked, top, scale: 1e-3 * Math.max(p.budget, 1e-9) / n, profit, iterations: 0 };
}

function objective(ctx: Ctx, s: Float64Array): number {
  let t = 0;
  for (let j = 0; j < s.length; j++) t += ctx.g(j, s[j]);
  return t;
}

interface Samples { x: Float64Array; y: Float64Array; env?: Envelope }

const envOf = (s: Samples) => (s.env ??= envelopeOf(s.x, s.y, s.x.length));

function initialSamples(ctx: Ctx, j: number): Samples {
  const lo = ctx.p.lo[j], w = ctx.top[j] - lo;
  if (!(w > 0)) return { x: Float64Array.of(lo), y: Float64Array.of(ctx.g(j, lo)) };
  const u: number[] = [0, 1];
  for (let k = 0; k < GEOMETRIC_POINTS; k++) u.push(Math.pow(10, -6 + (6 * k) / (GEOMETRIC_POINTS - 1)));
  for (let k = 1; k < UNIFORM_POINTS; k++) u.push(k / UNIFORM_POINTS);
  const b = (ctx.p.base[j] - lo) / w;
  if (b > 0 && b < 1) u.push(b);
  const xs = Float64Array.from(u, (v) => (v >= 1 ? ctx.top[j] : lo + w * v)).sort();
  return withValues(ctx, j, dedup(xs));
}

function dedup(xs: Float64Array): Float64Array {
  let m = 0;
  for (let k = 0; k < xs.length; k++) if (m === 0 || xs[k] > xs[m - 1]) xs[m++] = xs[k];
  return xs.subarray(0, m);
}

function withValues(ctx: Ctx, j: number, x: Float64Array): Samples {
  const y = new Float64Array(x.length);
  for (let k = 0; k < x.length; k++) y[k] = ctx.g(j, x[k]);
  return { x, y };
}

/** Adds REFINE_POINTS samples between the neighbours of spend s. */
function refine(ctx: Ctx, j: number, sm: Samples, s: number): Samples {
  const x = sm.x, n = x.length;
  if (n < 2) return sm;
  let a = 0, b = n - 1;
  while (b - a > 1) { const m = (a + b) >> 1; if (x[m] <= s) a = m; else b = m; }
  const left = x[a] === s && a > 0 ? x[a - 1] : x[a];
  const right = x[a] === s ? x[Math.min(a + 1, n - 1)] : x[b];
  if (!(right > left)) return sm;
  const add = new Float64Array(REFINE_POINTS);
  for (let k = 0; k < REFINE_POINTS; k++) add[k] = left + ((right - left) * (k + 1)) / (REFINE_POINTS + 1);
  const addY = new Float64Array(REFINE_POINTS);
  for (let k = 0; k < REFINE_POINTS; k++) addY[k] = ctx.g(j, add[k]);
  const nx = new Float64Array(n + REFINE_POINTS), ny = new Float64Array(n + REFINE_POINTS);
  let p = 0, q = 0, r = 0;
  while (p < n || q < REFINE_POINTS) {
    if (q >= REFINE_POINTS || (p < n && x[p] <= add[q])) { nx[r] = x[p]; ny[r++] = sm.y[p++]; }
    else { nx[r] = add[q]; ny[r++] = addY[q++]; }
  }
  const keep = dedupPairs(nx, ny);
  return { x: nx.subarray(0, keep), y: ny.subarray(0, keep) };
}

function dedupPairs(x: Float64Array, y: Float64Array): number {
  let m = 0;
  for (let k = 0; k < x.length; k++) if (m === 0 || x[k] > x[m - 1]) { x[m] = x[k]; y[m++] = y[k]; }
  return m;
}

interface GlobalSolution { spend: Float64Array; partial: number; from: number; to: number }

/**
 * Envelope water-filling with `rounds` of refinement of `samples` (updated in place) around the solution;
 * `pins` fix some curves at a spend (for the non-convex branches).
 */
function globalSolve(ctx: Ctx, samples: Samples[], pins: Map<number, number>, rounds: number): GlobalSolution {
  const n = samples.length;
  const envs: Envelope[] = samples.map((s, j) =>
    pins.has(j) ? envelopeOf(Float64Array.of(pins.get(j)!), Float64Array.of(ctx.g(j, pins.get(j)!)), 1) : envOf(s));
  const spend = new Float64Array(n);
  let fill = waterFill(envs, ctx.p.budget, ctx.profit, spend);
  for (let round = 0; round < rounds; round++) {
    ctx.iterations++;
    for (let j = 0; j < n; j++) {
      if (pins.has(j)) continue;
      const before = samples[j];
      samples[j] = refine(ctx, j, before, spend[j]);
      if (samples[j] !== before) envs[j] = envOf(samples[j]);
    }
    fill = waterFill(envs, ctx.p.budget, ctx.profit, spend);
  }
  return { spend, partial: fill.partial, from: fill.partialFrom, to: fill.partialTo };
}

/**
 * Candidates from the global step, branching (depth ≤ 2) where the budget ends inside a bridged stretch;
 * branches reuse the parent's refined samples (the local step finishes them).
 */
function globalCandidates(ctx: Ctx, samples: Samples[], pins: Map<number, number>, depth: number, out: Float64Array[]): void {
  const sol = globalSolve(ctx, samples, pins, depth === 0 ? REFINE_ROUNDS : 0);
  out.push(sol.spend);
  const j = sol.partial;
  if (j < 0 || depth >= 2) return;
  const ya = ctx.g(j, sol.from), yb = ctx.g(j, sol.to);
  const interp = ya + ((yb - ya) * (sol.spend[j] - sol.from)) / (sol.to - sol.from);
  if (ctx.g(j, sol.spend[j]) >= interp - 1e-9 * (Math.abs(ya) + Math.abs(yb) + 1e-300)) return;
  for (const v of [sol.from, sol.to]) globalCandidates(ctx, samples.slice(), new Map(pins).set(j, v), depth + 1, out);
}

/**
 * Local step: projected Newton on the active set (finite-difference derivatives), each step accepted only if
 * it raises the objective. A curve strictly inside its bounds may sit in its convex stretch at the optimum
 * (when the others' concavity outweighs it), so a first attempt lets every interior curve move; if that step
 * does not improve, a second keeps only the locally concave ones; if neither does, a pairwise exchange
 * moves spend from the curve with the lowest marginal value to the one with the highest (1-D search).
 * Modifies s in place; returns the objective.
 */
function polish(ctx: Ctx, s: Float64Array): number {
  const { lo, hi, budget } = ctx.p;
  const n = s.length;
  const d = new Float64Array(n), h = new Float64Array(n), step = new Float64Array(n), trial = new Float64Array(n);
  const state = new Int8Array(n); // 0 fixed, 1 free, 2 clamped at a bound by this step
  let value = objective(ctx, s);
  const eps = 1e-12 * Math.max(budget, 1);
  const tryStep = (concaveOnly: boolean, slack: number): 'converged' | 'accepted' | 'rejected' => {
    for (let j = 0; j < n; j++) {
      step[j] = 0;
      const inside = s[j] > lo[j] + eps && s[j] < hi[j] - eps;
      state[j] = inside && (concaveOnly ? h[j] < 0 : h[j] !== 0) ? 1 : 0;
    }
    let lambda = NaN;
    for (let pass = 0; pass < 50; pass++) {
      let a = 0, b = 0, moved = 0;
      for (let j = 0; j < n; j++) {
        if (state[j] === 1) { a += 1 / h[j]; b += d[j] / h[j]; } else if (state[j] === 2) moved += step[j];
      }
      if (a === 0) break;
      lambda = (slack - moved + b) / a;
      if (ctx.profit && lambda < 0) lambda = 0;
      let changed = false;
      for (let j = 0; j < n; j++) {
        if (state[j] === 1) {
          const t = s[j] + (lambda - d[j]) / h[j];
          if (t < lo[j]) { state[j] = 2; step[j] = lo[j] - s[j]; changed = true; }
          else if (t > hi[j]) { state[j] = 2; step[j] = hi[j] - s[j]; changed = true; }
        } else if (state[j] === 0 && h[j] < 0) {
          const tol = 1e-9 * Math.abs(lambda) + 1e-15;
          if ((s[j] <= lo[j] + eps && d[j] > lambda + tol && s[j] < hi[j]) || (s[j] >= hi[j] - eps && d[j] < lambda - tol && s[j] > lo[j])) {
            state[j] = 1; changed = true;
          }
        }
      }
      if (!changed) break;
    }
    if (Number.isNaN(lambda)) return 'rejected';
    let gap = 0;
    for (let j = 0; j < n; j++) {
      if (state[j] === 1) { step[j] = (lambda - d[j]) / h[j]; gap = Math.max(gap, Math.abs(d[j] - lambda)); }
      else if (state[j] === 0) step[j] = 0;
    }
    if (gap <= 1e-10 * Math.max(Math.abs(lambda), 1e-12) && Math.abs(slack) <= eps) return 'converged';
    for (let t = 1, k = 0; k < 40; k++, t *= 0.5) {
      let total = 0;
      for (let j = 0; j < n; j++) { trial[j] = Math.min(hi[j], Math.max(lo[j], s[j] + t * step[j])); total += trial[j]; }
      if (ctx.profit && total > budget + eps) continue;
      const v = objective(ctx, trial);
      if (v > value) { value = v; s.set(trial); return 'accepted'; }
    }
    return 'rejected';
  };
  const exchange = (): boolean => {
    let up = -1, down = -1;
    for (let j = 0; j < n; j++) {
      if (s[j] < hi[j] - eps && (up < 0 || d[j] > d[up])) up = j;
      if (s[j] > lo[j] + eps && (down < 0 || d[j] < d[down])) down = j;
    }
    if (up < 0 || down < 0 || up === down || d[up] <= d[down]) return false;
    const most = Math.min(hi[up] - s[up], s[down] - lo[down]);
    const base = ctx.g(up, s[up]) + ctx.g(down, s[down]);
    let bestGain = 0, bestDelta = 0;
    for (let k = 0, delta = most; k < 60; k++, delta *= 0.5) {
      const gain = ctx.g(up, s[up] + delta) + ctx.g(down, s[down] - delta) - base;
      if (gain > bestGain) { bestGain = gain; bestDelta = delta; }
    }
    if (bestDelta === 0) return false;
    s[up] += bestDelta; s[down] -= bestDelta;
    value = objective(ctx, s);
    return true;
  };
  for (let it = 0; it < NEWTON_ITERATIONS; it++) {
    ctx.iterations++;
    let sum = 0;
    for (let j = 0; j < n; j++) {
      sum += s[j];
      const x = s[j], e = fdStep(x, ctx.scale);
      const g0 = ctx.g(j, x);
      if (x - e < 0) {
        const g1 = ctx.g(j, x + e), g2 = ctx.g(j, x + 2 * e);
        d[j] = (-3 * g0 + 4 * g1 - g2) / (2 * e); h[j] = (g0 - 2 * g1 + g2) / (e * e);
      } else {
        const gp = ctx.g(j, x + e), gm = ctx.g(j, x - e);
        d[j] = (gp - gm) / (2 * e); h[j] = (gp - 2 * g0 + gm) / (e * e);
      }
    }
    const slack = budget - sum;
    const first = tryStep(false, slack);
    if (first === 'converged') break;
    if (first === 'accepted') continue;
    const second = tryStep(true, slack);
    if (second === 'converged') break;
    if (second === 'accepted') continue;
    if (ctx.profit || !exchange()) break;
  }
  return value;
}

/**
 * Snaps spends within rounding of a bound onto it, then puts the difference between Σs and the budget on
 * curves with room, largest spend first (for 'profit' only when Σs exceeds the cap).
 */
function fixUp(ctx: Ctx, s: Float64Array): void {
  const { lo, hi, budget } = ctx.p;
  const eps = 1e-12 * Math.max(budget, 1);
  let sum = 0;
  for (let j = 0; j < s.length; j++) {
    if (Math.abs(s[j] - lo[j]) <= eps) s[j] = lo[j];
    else if (Math.abs(s[j] - hi[j]) <= eps) s[j] = hi[j];
    sum += s[j];
  }
  if (ctx.profit && sum <= budget) return;
  const js = Array.from(s.keys()).sort((a, b) => s[b] - s[a] || a - b);
  for (let pass = 0; pass < 3; pass++) {
    for (const j of js) {
      const r = budget - sum;
      if (r === 0) return;
      const v = Math.min(hi[j], Math.max(lo[j], s[j] + r));
      sum += v - s[j]; s[j] = v;
    }
    sum = 0;
    for (let j = 0; j < s.length; j++) sum += s[j];
  }
}

/** The baseline clipped to the bounds, with its sum brought back to the budget (s = clip(t·base) with t found by bisection). */
function projectBaseline(ctx: Ctx): Float64Array {
  const { lo, hi, base, budget } = ctx.p;
  const n = base.length;
  const out = new Float64Array(n);
  const at = (t: number, add: boolean) => {
    let sum = 0;
    for (let j = 0; j < n; j++) { out[j] = Math.min(hi[j], Math.max(lo[j], add ? base[j] + t : base[j] * t)); sum += out[j]; }
    return sum;
  };
  let add = false, a = 0, b = 1;
  while (at(b, add) < budget && b < 1e300) b *= 2;
  if (at(b, add) < budget) { add = true; b = budget; }
  for (let k = 0; k < 200 && b - a > 1e-15 * b; k++) { const m = 0.5 * (a + b); if (at(m, add) < budget) a = m; else b = m; }
  at(b, add);
  fixUp(ctx, out);
  return out;
}

/**
 * Allocates `budget` across response curves to maximize expected outcome (or profit) within the constraints.
 * Example: two curves 100·log(1 + s/10) and 100·log(1 + s/30), budget 60, no constraints → spends 40 and 20
 * (equal marginal ROI 100/50 = 2). Throws BAD_INPUT for infeasible or malformed input; never returns NaN spends.
 */
export function optimizeBudget(input: OptimizeInput): OptimizeResult {
  const kind = input.objective ?? 'outcome';
  if (kind !== 'outcome' && kind !== 'profit') throw badInput(`objective must be one of outcome, profit; got '${String(kind)}'`);
  const margin = input.margin ?? 1;
  if (!Number.isFinite(margin) || margin <= 0) throw badInput(`margin must be a finite number > 0; got ${String(margin)}`);
  const mass = input.intervalMass ?? 0.9;
  if (!(mass > 0 && mass < 1)) throw badInput(`intervalMass must be between 0 and 1; got ${String(mass)}`);
  const profit = kind === 'profit';
  const p = resolveProblem(input.curves, input.budget, input.constraints, profit, input.band);
  const ctx = makeCtx(p, profit, margin);
  const n = p.curves.length;

  const samples = Array.from({ length: n }, (_, j) => initialSamples(ctx, j));
  const starts: Float64Array[] = [];
  globalCandidates(ctx, samples, new Map(), 0, starts);
  const baseline = projectBaseline(ctx);
  const baselineValue = objective(ctx, baseline);
  let best = baseline, bestValue = baselineValue;
  for (const start of [...starts, Float64Array.from(baseline)]) {
    polish(ctx, start);
    fixUp(ctx, start);
    const v = objective(ctx, start);
    if (v > bestValue) { best = start; bestValue = v; }
  }

  const plan = buildPlan(p.curves, p.order, best, ctx.scale, mass);
  const eps = 1e-9 * Math.max(p.budget, 1);
  const inside: number[] = [];
  for (let j = 0; j < n; j++) if (best[j] > p.lo[j] + eps && best[j] < p.hi[j] - eps) inside.push(plan.allocation[p.order[j]].mroi);
  inside.sort((a, b) => a - b);
  const equalMroi = inside.length ? (inside.length % 2 ? inside[(inside.length - 1) >> 1] : 0.5 * (inside[inside.length / 2 - 1] + inside[inside.length / 2])) : null;
  const basePlan = buildPlan(p.curves, p.order, p.base, ctx.scale, mass);
  const rawBaselineValue = profit ? margin * basePlan.total.expected - basePlan.total.spend : basePlan.total.expected;
  return {
    ...plan,
    baseline: basePlan,
    ...(p.band ? { band: p.band } : {}),
    iterations: ctx.iterations,
    equalMroi,
    objective: { kind, value: bestValue, baseline: rawBaselineValue },
  };
}

export type { ResponseCurve };
