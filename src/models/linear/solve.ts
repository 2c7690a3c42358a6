/**
 * Least squares and ridge regression with an unpenalized intercept and optional bounds on the
 * coefficients, exact: Cholesky on the normal equations of column-standardized features, and, when
 * bounds bind, projected coordinate descent followed by an exact re-solve on the free set.
 *
 * Objective: Σ_rows (y − a − Σ_j x_j w_j)² + λ Σ_j pen_j w_j², pen_j = 1 (`penalty: 'raw'`, as
 * scikit-learn's Ridge(alpha = λ)) or pen_j = var_j, the column's variance over the rows
 * (`penalty: 'standardized'`, ridge on standardized features). λ = 0 is ordinary least squares.
 *
 * Example: x = [0, 1, 2], y = [1, 3, 5], λ = 0 → intercept 1, coef [2].
 * Constant columns get coefficient 0 (reported in `dropped`); a singular system gets a tiny jitter
 * (reported in `jitter`) instead of throwing.
 */
export interface RidgeOptions {
  /** Row indices to fit on (default all). */
  rows?: ArrayLike<number>;
  /** Per-column bounds (−Infinity / Infinity for none). */
  lower?: ArrayLike<number>;
  upper?: ArrayLike<number>;
  penalty?: 'raw' | 'standardized';
  intercept?: boolean;
}

export interface RidgeSolution { intercept: number; coef: Float64Array; dropped: number[]; jitter: boolean }

export function ridgeSolve(X: Float64Array, P: number, y: ArrayLike<number>, lambda: number, opts: RidgeOptions = {}): RidgeSolution {
  const n = X.length / P;
  const rows = opts.rows ?? Int32Array.from({ length: n }, (_, i) => i);
  const m = rows.length;
  const useIntercept = opts.intercept ?? true;
  const mx = new Float64Array(P);
  let my = 0;
  if (useIntercept) {
    for (let r = 0; r < m; r++) { const i = rows[r]; my += y[i]; for (let j = 0; j < P; j++) mx[j] += X[i * P + j]; }
    my /= m;
    for (let j = 0; j < P; j++) mx[j] /= m;
  }
  const s = new Float64Array(P);
  for (let r = 0; r < m; r++) { const i = rows[r]; for (let j = 0; j < P; j++) { const d = X[i * P + j] - mx[j]; s[j] += d * d; } }
  const dropped: number[] = [];
  const scaleMax = Math.max(...Array.from(s, (v, j) => v / m + mx[j] * mx[j]), 0);
  for (let j = 0; j < P; j++) {
    // A column whose spread is at rounding level of its own magnitude is constant.
    const mag = Math.max(mx[j] * mx[j], 1e-300);
    if (!(s[j] > 1e-24 * m * mag) || !(s[j] > 1e-30 * m * scaleMax)) { s[j] = 0; dropped.push(j); } else s[j] = Math.sqrt(s[j]);
  }
  const A = new Float64Array(P * P), b = new Float64Array(P);
  const z = new Float64Array(P);
  for (let r = 0; r < m; r++) {
    const i = rows[r];
    const yc = y[i] - my;
    for (let j = 0; j < P; j++) z[j] = s[j] > 0 ? (X[i * P + j] - mx[j]) / s[j] : 0;
    for (let j = 0; j < P; j++) {
      const zj = z[j];
      if (zj === 0) continue;
      b[j] += zj * yc;
      for (let k = 0; k <= j; k++) A[j * P + k] += zj * z[k];
    }
  }
  for (let j = 0; j < P; j++) for (let k = 0; k < j; k++) A[k * P + j] = A[j * P + k];
  const pen = opts.penalty ?? 'standardized';
  for (let j = 0; j < P; j++) {
    if (s[j] === 0) { A[j * P + j] = 1; b[j] = 0; continue; }
    // w = v / s: λ pen_j w² = λ pen_j v² / s²; for 'standardized' pen_j = s²/m so the term is λ v² / m.
    A[j * P + j] += pen === 'raw' ? lambda / (s[j] * s[j]) : lambda / m;
  }
  const lower = new Float64Array(P).fill(-Infinity), upper = new Float64Array(P).fill(Infinity);
  for (let j = 0; j < P; j++) {
    if (opts.lower) lower[j] = opts.lower[j] * (s[j] || 1);
    if (opts.upper) upper[j] = opts.upper[j] * (s[j] || 1);
  }
  let jitter = false;
  let v = cholSolve(A, b, P);
  if (!v) {
    jitter = true;
    let maxDiag = 0;
    for (let j = 0; j < P; j++) maxDiag = Math.max(maxDiag, A[j * P + j]);
    for (let j = 0; j < P; j++) A[j * P + j] += 1e-10 * maxDiag;
    v = cholSolve(A, b, P)!;
  }
  if (v.some((vj, j) => vj < lower[j] || vj > upper[j])) v = boundedSolve(A, b, P, lower, upper, v);
  const coef = new Float64Array(P);
  let intercept = my;
  for (let j = 0; j < P; j++) { coef[j] = s[j] > 0 ? v[j] / s[j] : 0; intercept -= mx[j] * coef[j]; }
  return { intercept: useIntercept ? intercept : 0, coef, dropped, jitter };
}

/** Solves A v = b for symmetric positive definite A [P, P]; null when A is not numerically PD. */
export function cholSolve(A: Float64Array, b: Float64Array, P: number): Float64Array | null {
  const L = new Float64Array(P * P);
  for (let j = 0; j < P; j++) {
    let d = A[j * P + j];
    for (let k = 0; k < j; k++) d -= L[j * P + k] * L[j * P + k];
    if (!(d > 1e-13 * Math.abs(A[j * P + j])) || !(d > 0)) return null;
    const ljj = Math.sqrt(d);
    L[j * P + j] = ljj;
    for (let i = j + 1; i < P; i++) {
      let sum = A[i * P + j];
      for (let k = 0; k < j; k++) sum -= L[i * P + k] * L[j * P + k];
      L[i * P + j] = sum / ljj;
    }
  }
  const x = Float64Array.from(b);
  for (let i = 0; i < P; i++) { let sum = x[i]; for (let k = 0; k < i; k++) sum -= L[i * P + k] * x[k]; x[i] = sum / L[i * P + i]; }
  for (let i = P - 1; i >= 0; i--) { let sum = x[i]; for (let k = i + 1; k < P; k++) sum -= L[k * P + i] * x[k]; x[i] = sum / L[i * P + i]; }
  return x;
}

/** min ½vᵀAv − bᵀv on the box: projected coordinate descent, then an exact solve on the free set. */
function boundedSolve(A: Float64Array, b: Float64Array, P: number, lower: Float64Array, upper: Float64Array, start: Float64Array): Float64Array {
  const v = Float64Array.from(start, (x, j) => Math.min(upper[j], Math.max(lower[j], x)));
  for (let sweep = 0; sweep < 20000; sweep++) {
    let change = 0, size = 0;
    for (let j = 0; j < P; j++) {
      let g = b[j];
      for (let k = 0; k < P; k++) if (k !== j) g -= A[j * P + k] * v[k];
      const next = Math.min(upper[j], Math.max(lower[j], g / A[j * P + j]));
      change = Math.max(change, Math.abs(next - v[j]));
      size = Math.max(size, Math.abs(next));
      v[j] = next;
    }
    if (change <= 1e-15 * (1 + size)) break;
  }
  // Exact polish: variables strictly inside their bounds solve the reduced system.
  const free: number[] = [];
  for (let j = 0; j < P; j++) if (v[j] > lower[j] && v[j] < upper[j]) free.push(j);
  const F = free.length;
  if (F === 0) return v;
  const Af = new Float64Array(F * F), bf = new Float64Array(F);
  free.forEach((j, a) => {
    let r = b[j];
    for (let k = 0; k < P; k++) if (!(v[k] > lower[k] && v[k] < upper[k])) r -= A[j * P + k] * v[k];
    bf[a] = r;
    free.forEach((k, c) => { Af[a * F + c] = A[j * P + k]; });
  });
  const vf = cholSolve(Af, bf, F);
  if (vf && vf.every((x, a) => x >= lower[free[a]] && x <= upper[free[a]])) free.forEach((j, a) => { v[j] = vf[a]; });
  return v;
}
