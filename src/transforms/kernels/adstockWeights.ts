/**
 * Lag weights of the weighted adstocks and their derivatives in the parameters. Each writes the L raw
 * (unnormalized) weights into r[ro …] and their Jacobian ([L, 2], row-major) into dr[dro …].
 */

/**
 * Delayed geometric (Jin et al. 2017, "carryover with delay"): r_l = α^((l−θ)²), l = 0…L−1.
 * Peak at lag θ. α in (0, 1), θ ≥ 0. Example: α = 0.5, θ = 1, L = 3 → [0.5, 1, 0.5].
 * Jacobian columns: ∂/∂α, ∂/∂θ.
 */
export function delayedWeights(alpha: number, theta: number, L: number, r: Float64Array, ro: number, dr: Float64Array, dro: number): void {
  const la = Math.log(alpha);
  for (let l = 0; l < L; l++) {
    const d = l - theta;
    const v = Math.exp(d * d * la);
    r[ro + l] = v;
    dr[dro + 2 * l] = d * d * v / alpha;
    dr[dro + 2 * l + 1] = -2 * d * la * v;
  }
}

/**
 * Weibull CDF adstock (the survival function at each lag): r_l = exp(−(l/λ)^k), l = 0…L−1, so r_0 = 1
 * and the weights decay with lag — slowly at first when k > 1, fast at first when k < 1.
 * k (shape) > 0, λ (scale, periods) > 0. Example: k = 1, λ = 1, L = 3 → [1, e^−1, e^−2].
 * Jacobian columns: ∂/∂k, ∂/∂λ.
 */
export function weibullCdfWeights(k: number, lambda: number, L: number, r: Float64Array, ro: number, dr: Float64Array, dro: number): void {
  r[ro] = 1;
  dr[dro] = 0;
  dr[dro + 1] = 0;
  for (let l = 1; l < L; l++) {
    const lr = Math.log(l / lambda);
    const z = Math.exp(k * lr);
    const v = Math.exp(-z);
    r[ro + l] = v;
    dr[dro + 2 * l] = -v * z * lr;
    dr[dro + 2 * l + 1] = (v * z * k) / lambda;
  }
}

/**
 * Weibull PDF adstock: r_l = f(l + 1; k, λ), the Weibull density at l + 1 periods,
 * f(t) = (k/λ)(t/λ)^(k−1) e^(−(t/λ)^k). With k > 1 the peak is lagged (at t = λ((k−1)/k)^(1/k)).
 * Example: k = 1, λ = 1, L = 2 → [e^−1, e^−2].
 * Jacobian columns: ∂/∂k, ∂/∂λ.
 */
export function weibullPdfWeights(k: number, lambda: number, L: number, r: Float64Array, ro: number, dr: Float64Array, dro: number): void {
  const lk = Math.log(k), ll = Math.log(lambda);
  for (let l = 0; l < L; l++) {
    const lr = Math.log(l + 1) - ll;
    const z = Math.exp(k * lr);
    const v = Math.exp(lk - ll + (k - 1) * lr - z);
    r[ro + l] = v;
    dr[dro + 2 * l] = v * (1 / k + lr - z * lr);
    dr[dro + 2 * l + 1] = (v * k * (z - 1)) / lambda;
  }
}
