/**
 * The ridge penalty by time-series cross-validation: expanding-window folds (train on the first
 * periods, validate on the next block, never the other way round), a log-spaced grid of λ on
 * standardized features, the λ with the smallest mean squared validation error.
 */
import type { ClassicDesign } from '../linear/design.ts';
import { ridgeSolve } from '../linear/solve.ts';

/** λ grid: 10^−3 … 10^4, 36 points (on standardized features, as scikit-learn's alpha on z-scores). */
export const LAMBDA_GRID = Array.from({ length: 36 }, (_, i) => 10 ** (-3 + (7 * i) / 35));

export function chooseLambda(design: ClassicDesign, y: Float64Array, T: number, G: number, tIn: number, lower: Float64Array, upper: Float64Array, folds = 5): { lambda: number; cvError: number[]; warning?: string } {
  const minTrain = Math.max(design.P + 2, Math.ceil(tIn / 2));
  if (tIn - minTrain < folds) return { lambda: 1, cvError: [], warning: `FEW PERIODS: ${tIn} periods are too few to cross-validate the ridge penalty; λ = 1 was used.` };
  const edges = Array.from({ length: folds + 1 }, (_, k) => minTrain + Math.round(((tIn - minTrain) * k) / folds));
  const rowsOf = (t0: number, t1: number) => {
    const r: number[] = [];
    // y is NaN where the outcome is not observed (an unbalanced panel, design.ts): those rows are left out.
    for (let g = 0; g < G; g++) for (let t = t0; t < t1; t++) if (!Number.isNaN(y[g * T + t])) r.push(g * T + t);
    return Int32Array.from(r);
  };
  const P = design.P;
  const cvError = LAMBDA_GRID.map((lambda) => {
    let sse = 0, count = 0;
    for (let k = 0; k < folds; k++) {
      const s = ridgeSolve(design.X, P, y, lambda, { rows: rowsOf(0, edges[k]), lower, upper, penalty: 'standardized' });
      for (const i of rowsOf(edges[k], edges[k + 1])) {
        let p = s.intercept;
        for (let j = 0; j < P; j++) p += design.X[i * P + j] * s.coef[j];
        sse += (y[i] - p) ** 2;
        count++;
      }
    }
    return sse / count;
  });
  let best = 0;
  cvError.forEach((e, i) => { if (e < cvError[best]) best = i; });
  return { lambda: LAMBDA_GRID[best], cvError };
}
