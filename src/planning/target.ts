/** Reach a target outcome at least cost: bisection on the budget over optimizeBudget. */
import { badInput, MarginalError } from '../errors.ts';
import { optimizeBudget } from './optimizer.ts';
import type { OptimizeResult, TargetInput } from './types.ts';

/**
 * The smallest budget (to a relative `tolerance`, default 1e-6) whose optimal plan's expected outcome reaches
 * `target`, and that plan. Relies on the optimal outcome growing with the budget (true for non-decreasing
 * curves). Example: one curve 100·log(1 + s/10), target 100·log 3 → budget 20. Throws BAD_INPUT when the
 * target is beyond reach (upper bounds, or curves that saturate below it).
 */
export function minimizeCostForTarget(input: TargetInput): OptimizeResult & { budget: number } {
  const { curves, target, constraints } = input;
  const tol = input.tolerance ?? 1e-6;
  if (!Number.isFinite(target)) throw badInput(`target must be a finite number; got ${String(target)}`);
  if (!(tol > 0 && tol < 1)) throw badInput(`tolerance must be between 0 and 1; got ${String(tol)}`);
  const solve = (budget: number) => optimizeBudget({ curves, budget, constraints, intervalMass: input.intervalMass, band: input.band });

  // Bounds that fix a floor (min, locked) set the least budget; an all-finite max sets the most.
  let lowBudget = 0;
  // Only infeasible constraints are caught here; any other bad input is the caller's to see.
  const attempt = (x: number): OptimizeResult | undefined => {
    try { return solve(x); } catch (e) { if (e instanceof MarginalError && e.message.startsWith('constraints')) return undefined; throw e; }
  };
  let low = attempt(0);
  if (!low) {
    let a = 0, b = 1;
    const feasible = (x: number) => attempt(x) !== undefined;
    while (!feasible(b) && b < 1e300) b *= 2;
    if (!feasible(b)) throw badInput('target: the constraints admit no budget');
    for (let k = 0; k < 200 && b - a > 1e-12 * b; k++) { const m = 0.5 * (a + b); if (feasible(m)) b = m; else a = m; }
    lowBudget = b; low = solve(b);
  }
  if (low.total.expected >= target) return { ...low, budget: lowBudget };

  let highBudget = Math.max(lowBudget * 2, curves.reduce((t, c) => t + (Number.isFinite(c.reference) ? c.reference : 0), 0), 1);
  let high: OptimizeResult | undefined;
  let reached = -Infinity;
  for (let k = 0; k < 80; k++) {
    high = attempt(highBudget);
    if (!high) break;
    reached = high.total.expected;
    if (reached >= target) break;
    lowBudget = highBudget; highBudget *= 2; high = undefined;
  }
  if (!high) throw badInput(`target ${target} is out of reach: the best plan found reaches ${reached} (at budget ${lowBudget}); curves saturate or upper bounds cap the spend`);
  while (highBudget - lowBudget > tol * highBudget) {
    const mid = 0.5 * (lowBudget + highBudget);
    const r = solve(mid);
    if (r.total.expected >= target) { highBudget = mid; high = r; } else lowBudget = mid;
  }
  return { ...high, budget: highBudget };
}
