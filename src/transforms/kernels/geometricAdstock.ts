/**
 * Geometric adstock as an O(T) recursion, with its reverse-mode gradient.
 *
 * For each series s and channel c (x of shape [series, T, C], row-major; alpha of length C):
 *   u[t] = Σ_{l=0}^{L−1} α^l · x[t−l]          (x before the start is 0)
 *        = α·u[t−1] + x[t] − α^L·x[t−L]        (the recursion used here; the last term vanishes for L = ∞)
 *   y[t] = u[t] / W(α) when normalized, W(α) = Σ_{l<L} α^l (= 1/(1−α) for L = ∞), else y = u.
 * Normalized with L = 8 is PyMC-Marketing's geometric_adstock(normalize=True, l_max=8);
 * unnormalized with L = ∞ is Robyn's geometric adstock.
 *
 * Example: x = [1, 0, 0], α = 0.5, L = ∞, not normalized → [1, 0.5, 0.25].
 * Edge cases: α = 0 gives y = x; x = 0 gives 0 and finite gradients. α ≥ 1 with L = ∞ diverges (returns
 * Infinity/NaN for normalize); callers keep α in (0, 1).
 */

/** W(α) = Σ_{l<L} α^l. */
export function geometricWeightSum(alpha: number, maxLag: number): number {
  if (maxLag === Infinity) return 1 / (1 - alpha);
  let w = 0, p = 1;
  for (let l = 0; l < maxLag; l++) { w += p; p *= alpha; }
  return w;
}

/** dW/dα = Σ_{0<l<L} l·α^(l−1). */
export function geometricWeightSumDerivative(alpha: number, maxLag: number): number {
  if (maxLag === Infinity) return 1 / ((1 - alpha) * (1 - alpha));
  let dw = 0, p = 1;
  for (let l = 1; l < maxLag; l++) { dw += l * p; p *= alpha; }
  return dw;
}

/** Writes the adstocked series into `out` ([series, T, C], same layout as x). */
export function geometricAdstockForward(
  x: Float64Array, series: number, T: number, C: number, alpha: Float64Array, maxLag: number, normalize: boolean, out: Float64Array,
): void {
  const finite = maxLag !== Infinity;
  for (let c = 0; c < C; c++) {
    const a = alpha[c];
    const aL = finite ? Math.pow(a, maxLag) : 0;
    const scale = normalize ? 1 / geometricWeightSum(a, maxLag) : 1;
    for (let s = 0; s < series; s++) {
      const base = s * T * C + c;
      let u = 0;
      for (let t = 0; t < T; t++) {
        const i = base + t * C;
        u = a * u + x[i];
        if (finite && t >= maxLag) u -= aL * x[i - maxLag * C];
        out[i] = u * scale;
      }
    }
  }
}

/**
 * Adds gOut·∂y/∂x into gx (if not null) and gOut·∂y/∂α into galpha[c] (if not null).
 * `y` is the output of the forward pass; `work` needs T doubles.
 */
export function geometricAdstockBackward(
  x: Float64Array, series: number, T: number, C: number, alpha: Float64Array, maxLag: number, normalize: boolean,
  y: Float64Array, gOut: Float64Array, gx: Float64Array | null, galpha: Float64Array | null, work: Float64Array,
): void {
  const finite = maxLag !== Infinity;
  const lam = work;
  for (let c = 0; c < C; c++) {
    const a = alpha[c];
    const aL = finite ? Math.pow(a, maxLag) : 0;
    const daL = finite ? maxLag * Math.pow(a, maxLag - 1) : 0;
    const W = normalize ? geometricWeightSum(a, maxLag) : 1;
    const dW = normalize ? geometricWeightSumDerivative(a, maxLag) : 0;
    const scale = 1 / W;
    let ga = 0;
    for (let s = 0; s < series; s++) {
      const base = s * T * C + c;
      // Adjoint recursion λ[t] = ū[t] + α·λ[t+1], with ū = gOut / W. Then
      // ∂/∂α = Σ_t λ[t]·(u[t−1] − L·α^(L−1)·x[t−L]) − (W'/W)·Σ_t gOut[t]·y[t], with u = y·W.
      let next = 0, sumLu = 0, sumLx = 0, sumGy = 0;
      for (let t = T - 1; t >= 0; t--) {
        const i = base + t * C;
        const gi = gOut[i];
        const l = gi * scale + a * next;
        next = l;
        lam[t] = l;
        sumGy += gi * y[i];
        if (t > 0) sumLu += l * y[i - C];
        if (finite && t >= maxLag) sumLx += l * x[i - maxLag * C];
      }
      ga += sumLu * W - daL * sumLx - (normalize ? dW * scale * sumGy : 0);
      if (gx) {
        for (let t = 0; t < T; t++) {
          let v = lam[t];
          if (finite && t + maxLag < T) v -= aL * lam[t + maxLag];
          gx[base + t * C] += v;
        }
      }
    }
    if (galpha) galpha[c] += ga;
  }
}
