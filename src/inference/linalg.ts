/**
 * Small dense linear algebra on row-major `Float64Array`s, enough for mass matrices and the Laplace
 * approximation. Matrices are `[n, n]` row-major; nothing here allocates unless it says so.
 */

/**
 * In-place lower Cholesky factor: on return the lower triangle of `a` holds L with A = L Lᵀ and the
 * strict upper triangle is zeroed. Returns false (leaving `a` partly overwritten) when A is not
 * numerically positive definite. Example: [[4, 2], [2, 5]] → L = [[2, 0], [1, 2]].
 */
export function choleskyInPlace(a: Float64Array, n: number): boolean {
  for (let j = 0; j < n; j++) {
    let d = a[j * n + j];
    for (let k = 0; k < j; k++) d -= a[j * n + k] * a[j * n + k];
    if (!(d > 0) || !Number.isFinite(d)) return false;
    const ljj = Math.sqrt(d);
    a[j * n + j] = ljj;
    for (let i = j + 1; i < n; i++) {
      let s = a[i * n + j];
      for (let k = 0; k < j; k++) s -= a[i * n + k] * a[j * n + k];
      a[i * n + j] = s / ljj;
    }
    for (let k = j + 1; k < n; k++) a[j * n + k] = 0;
  }
  return true;
}

/** out = L x for lower-triangular L ([n, n] row-major). `out` must not alias `x`. */
export function lowerMul(l: Float64Array, x: Float64Array, out: Float64Array, n: number): void {
  for (let i = 0; i < n; i++) {
    let s = 0;
    const row = i * n;
    for (let k = 0; k <= i; k++) s += l[row + k] * x[k];
    out[i] = s;
  }
}

/** Solves Lᵀ x = b in place (b becomes x) for lower-triangular L. */
export function solveLowerTransposeInPlace(l: Float64Array, b: Float64Array, n: number): void {
  for (let i = n - 1; i >= 0; i--) {
    let s = b[i];
    for (let k = i + 1; k < n; k++) s -= l[k * n + i] * b[k];
    b[i] = s / l[i * n + i];
  }
}

/** Solves L x = b in place (b becomes x) for lower-triangular L. */
export function solveLowerInPlace(l: Float64Array, b: Float64Array, n: number): void {
  for (let i = 0; i < n; i++) {
    let s = b[i];
    const row = i * n;
    for (let k = 0; k < i; k++) s -= l[row + k] * b[k];
    b[i] = s / l[row + i];
  }
}

/** out = A x for a symmetric or general [n, n] row-major A. `out` must not alias `x`. */
export function matVec(a: Float64Array, x: Float64Array, out: Float64Array, n: number): void {
  for (let i = 0; i < n; i++) {
    let s = 0;
    const row = i * n;
    for (let k = 0; k < n; k++) s += a[row + k] * x[k];
    out[i] = s;
  }
}

/** Inverse of a symmetric positive-definite matrix (allocates); null when not positive definite. */
export function spdInverse(a: Float64Array, n: number): Float64Array | null {
  const l = Float64Array.from(a);
  if (!choleskyInPlace(l, n)) return null;
  const inv = new Float64Array(n * n);
  const col = new Float64Array(n);
  for (let j = 0; j < n; j++) {
    col.fill(0);
    col[j] = 1;
    solveLowerInPlace(l, col, n);
    solveLowerTransposeInPlace(l, col, n);
    for (let i = 0; i < n; i++) inv[i * n + j] = col[i];
  }
  for (let i = 0; i < n; i++) for (let j = 0; j < i; j++) { const m = 0.5 * (inv[i * n + j] + inv[j * n + i]); inv[i * n + j] = m; inv[j * n + i] = m; }
  return inv;
}

export function dot(a: Float64Array, b: Float64Array, n: number): number {
  let s = 0;
  for (let i = 0; i < n; i++) s += a[i] * b[i];
  return s;
}
