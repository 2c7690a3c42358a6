/**
 * Finite-lag adstock with arbitrary weights: y[t] = Σ_{l=0}^{L−1} w[l]·x[t−l] (x before the start is 0),
 * per series and channel, with its reverse-mode gradient in x and in the weights. The weighted adstocks
 * (delayed geometric, Weibull CDF/PDF) compute their weights and the weights' Jacobian in their
 * parameters, then call these. O(T·L).
 *
 * x, y: [series, T, C] row-major. w: [C, L] (channel c's weights at c·L … c·L+L−1).
 * Example: x = [1, 2, 0], w = [0.5, 0.5] → [0.5, 1.5, 1].
 */
export function convolveForward(x: Float64Array, series: number, T: number, C: number, w: Float64Array, L: number, out: Float64Array): void {
  for (let c = 0; c < C; c++) {
    const wo = c * L;
    for (let s = 0; s < series; s++) {
      const base = s * T * C + c;
      for (let t = 0; t < T; t++) {
        const m = t < L - 1 ? t : L - 1;
        let acc = 0;
        for (let l = 0; l <= m; l++) acc += w[wo + l] * x[base + (t - l) * C];
        out[base + t * C] = acc;
      }
    }
  }
}

/** Adds gOut·∂y/∂x into gx (if not null) and gOut·∂y/∂w into gw ([C, L]). */
export function convolveBackward(
  x: Float64Array, series: number, T: number, C: number, w: Float64Array, L: number, gOut: Float64Array,
  gx: Float64Array | null, gw: Float64Array,
): void {
  for (let c = 0; c < C; c++) {
    const wo = c * L;
    for (let s = 0; s < series; s++) {
      const base = s * T * C + c;
      for (let t = 0; t < T; t++) {
        const g = gOut[base + t * C];
        if (g === 0) continue;
        const m = t < L - 1 ? t : L - 1;
        for (let l = 0; l <= m; l++) {
          const j = base + (t - l) * C;
          gw[wo + l] += g * x[j];
          if (gx) gx[j] += g * w[wo + l];
        }
      }
    }
  }
}

/**
 * Normalizes raw weights r (length L) and their Jacobian dr ([L, P], row-major) in place:
 * w = r / Σr, ∂w/∂p = (∂r/∂p − w·Σ_l ∂r_l/∂p) / Σr.
 */
export function normalizeWeights(r: Float64Array, ro: number, dr: Float64Array, dro: number, L: number, P: number): void {
  let sum = 0;
  for (let l = 0; l < L; l++) sum += r[ro + l];
  for (let k = 0; k < P; k++) {
    let ds = 0;
    for (let l = 0; l < L; l++) ds += dr[dro + l * P + k];
    for (let l = 0; l < L; l++) dr[dro + l * P + k] = (dr[dro + l * P + k] - (r[ro + l] / sum) * ds) / sum;
  }
  for (let l = 0; l < L; l++) r[ro + l] /= sum;
}
