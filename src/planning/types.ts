/**
 * Types of the budget optimizer. Spends are totals over the plan period (currency units); `expected` is the
 * expected incremental outcome (revenue or conversions) over the same period.
 */

export interface ResponseCurve {
  /** Stable key, e.g. channel name or `${channel}@${geo}`. Matched case-insensitively; must be unique. */
  key: string;
  channel: string;
  geo?: string;
  /** Expected incremental outcome over the plan period for a total spend s ≥ 0. May be S-shaped (Hill, shape > 1). */
  expected(spend: number): number;
  /** Optional: the same per posterior draw (one value per draw, same length for every curve), for intervals. */
  draws?(spend: number): Float64Array;
  /** Reference spend (e.g. the last periods' spend); the baseline is the reference mix scaled to the budget. */
  reference: number;
}

/**
 * Bounds on one curve's spend. `minPct`/`maxPct` are percentages below/above the baseline spend (the reference
 * mix scaled to the budget): `{ minPct: 20, maxPct: 30 }` → [0.8·base, 1.3·base]. All given bounds apply at once
 * (the tightest wins). `locked` fixes the spend and may not be combined with other bounds.
 */
export interface Constraint {
  min?: number;
  max?: number;
  locked?: number;
  minPct?: number;
  maxPct?: number;
}

export type Objective = 'outcome' | 'profit';

export interface OptimizeInput {
  curves: ResponseCurve[];
  /** Total spend over the plan period. With objective 'outcome' it is spent exactly; with 'profit' it is a cap. */
  budget: number;
  /** By curve key, or by channel (applies to every geo of that channel); a key entry overrides its channel's field by field. */
  constraints?: Record<string, Constraint>;
  /** 'outcome' (default) maximizes Σ expected; 'profit' maximizes Σ expected·margin − spend. */
  objective?: Objective;
  /** Value of one unit of outcome, for 'profit' (default 1). */
  margin?: number;
  /** Probability mass of the reported intervals (default 0.9: the 5th and 95th percentiles of the draws). */
  intervalMass?: number;
  /**
   * Guardrail: every curve without a constraint of its own stays within ± this percent of its baseline
   * spend (the reference mix scaled to the budget). Widened just enough when the user's own constraints
   * leave the budget no other way to be spent; `band` in the result says what was applied.
   */
  band?: number;
}

/** The guardrail as applied: the band asked for, the one applied (wider only when the constraints force it), the curves it bounded. */
export interface AppliedBand { requested: number; applied: number; curves: number }

export interface Allocation {
  key: string;
  channel: string;
  geo?: string;
  spend: number;
  expected: number;
  expectedInterval?: [number, number];
  /** d expected / d spend at this spend (marginal ROI). */
  mroi: number;
  /** The expected outcome per posterior draw, for paired comparisons of plans on the same model. */
  expectedDraws?: number[];
}

export interface PlanTotal {
  spend: number;
  expected: number;
  expectedInterval?: [number, number];
  /** expected / spend (NaN when spend is 0), in the model's outcome per unit of spend. */
  roi: number;
  /** Conversions models with a revenue per conversion: revenue per unit of spend (plan.ts). */
  revenueRoi?: number;
  /** The expected total per posterior draw (the model's draws in its order), for paired comparisons. */
  expectedDraws?: number[];
}

export interface Plan {
  allocation: Allocation[];
  total: PlanTotal;
}

export interface OptimizeResult extends Plan {
  /** The guardrail band applied, when one was asked for. */
  band?: AppliedBand;
  /** The reference mix scaled to the budget (not clipped to the constraints). */
  baseline: Plan;
  /** Refinement rounds + local (Newton / exchange) iterations that were run. */
  iterations: number;
  /** Common marginal ROI of the curves strictly inside their bounds (median over them); null when none is. */
  equalMroi: number | null;
  /** Objective value (Σ expected, or Σ expected·margin − spend) of the allocation and of the baseline. */
  objective: { kind: Objective; value: number; baseline: number };
}

export interface TargetInput {
  curves: ResponseCurve[];
  /** Expected outcome to reach. */
  target: number;
  constraints?: Record<string, Constraint>;
  /** Relative tolerance on the budget (default 1e-6). */
  tolerance?: number;
  intervalMass?: number;
  /** The guardrail of OptimizeInput.band, at every budget tried. */
  band?: number;
}
