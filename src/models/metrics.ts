/**
 * Fit metrics on actual vs. predicted, shared by every family. Example: actual [1, 2, 3], predicted
 * [1, 2, 4] → rmse 0.577, mape 0.111, r2 0.5.
 */
export interface FitMetrics { r2: number; mape: number; smape: number; rmse: number; nrmse: number; n: number }

export function fitMetrics(actual: ArrayLike<number>, predicted: ArrayLike<number>): FitMetrics {
  const n = actual.length;
  if (n === 0) return { r2: NaN, mape: NaN, smape: NaN, rmse: NaN, nrmse: NaN, n: 0 };
  let mean = 0;
  for (let i = 0; i < n; i++) mean += actual[i];
  mean /= n;
  let ssRes = 0, ssTot = 0, ape = 0, nApe = 0, sape = 0, min = Infinity, max = -Infinity;
  for (let i = 0; i < n; i++) {
    const a = actual[i], p = predicted[i];
    ssRes += (a - p) ** 2;
    ssTot += (a - mean) ** 2;
    if (a !== 0) { ape += Math.abs((a - p) / a); nApe++; }
    const denom = Math.abs(a) + Math.abs(p);
    if (denom > 0) sape += (2 * Math.abs(a - p)) / denom;
    if (a < min) min = a;
    if (a > max) max = a;
  }
  const rmse = Math.sqrt(ssRes / n);
  return {
    r2: ssTot > 0 ? 1 - ssRes / ssTot : NaN,
    mape: nApe ? ape / nApe : NaN,
    smape: sape / n,
    rmse,
    nrmse: max > min ? rmse / (max - min) : NaN,
    n,
  };
}
