/**
 * Saturation kernels, elementwise with per-channel parameters: x has shape [n, C] row-major (n = series·T),
 * each parameter is a length-C array, out has x's shape. Backward adds gOut·∂y/∂· into the gradients given.
 */

/**
 * Hill: y = x^S / (x^S + K^S), computed as 1 / (1 + exp(S·(log K − log x))) — no overflow for any x.
 * x ≤ 0 gives 0. K (half-saturation, x's units) > 0, S (shape) > 0. `logx` (length n·C) caches log x for
 * the backward pass. Example: x = 2, K = 2, S = 3 → 0.5. Large x → 1 with gradients → 0.
 * At x = 0 the gradients in K and S are 0 (their limits), and the gradient in x is 1/K when S = 1 and 0
 * otherwise (the true one is +∞ for S < 1; 0 keeps it finite, and spends of exactly 0 carry no information).
 */
export function hillForward(x: Float64Array, n: number, C: number, K: Float64Array, S: Float64Array, out: Float64Array, logx: Float64Array): void {
  for (let c = 0; c < C; c++) {
    const lk = Math.log(K[c]), s = S[c];
    for (let i = c, end = n * C; i < end; i += C) {
      const v = x[i];
      if (v > 0) {
        const l = Math.log(v);
        logx[i] = l;
        out[i] = 1 / (1 + Math.exp(s * (lk - l)));
      } else {
        logx[i] = -Infinity;
        out[i] = 0;
      }
    }
  }
}

export function hillBackward(
  x: Float64Array, n: number, C: number, K: Float64Array, S: Float64Array, y: Float64Array, logx: Float64Array, gOut: Float64Array,
  gx: Float64Array | null, gK: Float64Array | null, gS: Float64Array | null,
): void {
  for (let c = 0; c < C; c++) {
    const k = K[c], lk = Math.log(k), s = S[c];
    let gk = 0, gs = 0;
    for (let i = c, end = n * C; i < end; i += C) {
      const v = x[i];
      const g = gOut[i];
      if (v > 0) {
        const yi = y[i];
        const d = g * yi * (1 - yi); // ∂y/∂u = −y(1−y) with u = S(log K − log x)
        gk -= (d * s) / k;
        gs -= d * (lk - logx[i]);
        if (gx) gx[i] += (d * s) / v;
      } else if (gx && s === 1) gx[i] += g / k;
    }
    if (gK) gK[c] += gk;
    if (gS) gS[c] += gs;
  }
}

/**
 * Logistic (PyMC-Marketing): y = (1 − e^(−λx)) / (1 + e^(−λx)) = tanh(λx/2). λ > 0 (per unit of x).
 * Example: x = 1, λ = 2·atanh(0.5) → 0.5. Negative x gives negative y.
 */
export function logisticForward(x: Float64Array, n: number, C: number, lam: Float64Array, out: Float64Array): void {
  for (let c = 0; c < C; c++) {
    const h = 0.5 * lam[c];
    for (let i = c, end = n * C; i < end; i += C) out[i] = Math.tanh(h * x[i]);
  }
}

export function logisticBackward(
  x: Float64Array, n: number, C: number, lam: Float64Array, y: Float64Array, gOut: Float64Array, gx: Float64Array | null, glam: Float64Array | null,
): void {
  for (let c = 0; c < C; c++) {
    const h = 0.5 * lam[c];
    let gl = 0;
    for (let i = c, end = n * C; i < end; i += C) {
      const d = gOut[i] * 0.5 * (1 - y[i] * y[i]);
      gl += d * x[i];
      if (gx) gx[i] += d * 2 * h;
    }
    if (glam) glam[c] += gl;
  }
}

/** Michaelis–Menten: y = x / (K + x), K > 0 (half-saturation, x's units). Example: x = 3, K = 1 → 0.75. */
export function michaelisMentenForward(x: Float64Array, n: number, C: number, K: Float64Array, out: Float64Array): void {
  for (let c = 0; c < C; c++) {
    const k = K[c];
    for (let i = c, end = n * C; i < end; i += C) out[i] = x[i] / (k + x[i]);
  }
}

export function michaelisMentenBackward(
  x: Float64Array, n: number, C: number, K: Float64Array, gOut: Float64Array, gx: Float64Array | null, gK: Float64Array | null,
): void {
  for (let c = 0; c < C; c++) {
    const k = K[c];
    let gk = 0;
    for (let i = c, end = n * C; i < end; i += C) {
      const den = k + x[i];
      const q = gOut[i] / (den * den);
      gk -= q * x[i];
      if (gx) gx[i] += q * k;
    }
    if (gK) gK[c] += gk;
  }
}
