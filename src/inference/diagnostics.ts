/**
 * Convergence diagnostics of Vehtari, Gelman, Simpson, Carpenter & Bürkner (2021), computed exactly as
 * the R package `posterior` does: rank-normalized split R-hat (max of bulk and folded), bulk-ESS
 * (ESS of rank-normalized split chains), tail-ESS (min of the ESS of the 5% and 95% quantile
 * indicators), and the Monte-Carlo standard error of the mean (sd / √ESS of the raw split chains).
 * Autocorrelations use Geyer's initial monotone sequence with posterior's antithetic improvement.
 *
 * Inputs are chains of equal length: `chains[c][i]` is draw i of chain c for one scalar quantity.
 * Results are NaN when undefined (fewer than 4 draws per chain, a constant quantity, non-finite draws).
 */

/** posterior::split_chains: halves every chain (dropping the middle draw of an odd-length chain). */
export function splitChains(chains: Float64Array[]): Float64Array[] {
  const out: Float64Array[] = [];
  for (const c of chains) {
    const n = c.length;
    if (n < 2) { out.push(c); continue; }
    const half = Math.floor(n / 2);
    out.push(c.subarray(0, half), c.subarray(n - half));
  }
  return out;
}

function invalid(chains: Float64Array[]): boolean {
  let first = NaN, constant = true;
  for (const c of chains) for (let i = 0; i < c.length; i++) {
    const v = c[i];
    if (!Number.isFinite(v)) return true;
    if (Number.isNaN(first)) first = v; else if (v !== first) constant = false;
  }
  return constant;
}

/** Basic (not rank-normalized) R-hat of already-split chains. */
function rhatOf(chains: Float64Array[]): number {
  if (invalid(chains)) return NaN;
  const m = chains.length, n = chains[0].length;
  if (n < 2) return NaN;
  const means = new Float64Array(m);
  let within = 0;
  for (let c = 0; c < m; c++) {
    const x = chains[c];
    let s = 0;
    for (let i = 0; i < n; i++) s += x[i];
    const mu = s / n;
    means[c] = mu;
    let v = 0;
    for (let i = 0; i < n; i++) v += (x[i] - mu) ** 2;
    within += v / (n - 1);
  }
  within /= m;
  const between = n * variance(means);
  return Math.sqrt((between / within + n - 1) / n);
}

function variance(x: ArrayLike<number>): number {
  const n = x.length;
  let s = 0;
  for (let i = 0; i < n; i++) s += x[i];
  const mu = s / n;
  let v = 0;
  for (let i = 0; i < n; i++) v += (x[i] - mu) ** 2;
  return v / (n - 1);
}

/** Biased autocovariance of x at lag k (divisor n), x already centered. */
function acov(x: Float64Array, k: number): number {
  const n = x.length;
  let s = 0;
  for (let i = 0; i + k < n; i++) s += x[i] * x[i + k];
  return s / n;
}

/** ESS of (already split) chains: posterior's `.ess`. */
export function essOf(chains: Float64Array[]): number {
  const m = chains.length, n = chains[0].length;
  if (n < 3 || invalid(chains)) return NaN;
  const centered = chains.map((c) => {
    let s = 0;
    for (let i = 0; i < n; i++) s += c[i];
    const mu = s / n;
    const out = new Float64Array(n);
    for (let i = 0; i < n; i++) out[i] = c[i] - mu;
    return out;
  });
  const chainMeans = chains.map((c) => { let s = 0; for (let i = 0; i < n; i++) s += c[i]; return s / n; });
  const meanAcov = (k: number) => { let s = 0; for (const c of centered) s += acov(c, k); return s / m; };
  const acov0 = meanAcov(0);
  const meanVar = (acov0 * n) / (n - 1);
  let varPlus = (meanVar * (n - 1)) / n;
  if (m > 1) varPlus += variance(chainMeans);
  const rho = new Float64Array(n);
  const rhoAt = (k: number) => 1 - (meanVar - meanAcov(k)) / varPlus;
  let t = 0;
  let rhoEven = 1;
  rho[0] = rhoEven;
  let rhoOdd = rhoAt(1);
  rho[1] = rhoOdd;
  while (t < n - 5 && !Number.isNaN(rhoEven + rhoOdd) && rhoEven + rhoOdd > 0) {
    t += 2;
    rhoEven = rhoAt(t);
    rhoOdd = rhoAt(t + 1);
    if (rhoEven + rhoOdd >= 0) { rho[t] = rhoEven; rho[t + 1] = rhoOdd; }
  }
  const maxT = t;
  if (rhoEven > 0) rho[maxT] = rhoEven;
  t = 0;
  while (t <= maxT - 4) {
    t += 2;
    if (rho[t] + rho[t + 1] > rho[t - 2] + rho[t - 1]) {
      rho[t] = (rho[t - 2] + rho[t - 1]) / 2;
      rho[t + 1] = rho[t];
    }
  }
  const total = m * n;
  let sum = 0;
  for (let k = 0; k < maxT; k++) sum += rho[k];
  let tau = -1 + 2 * sum + rho[maxT];
  tau = Math.max(tau, 1 / Math.log10(total));
  return total / tau;
}

/** Average ranks (1-based, ties averaged) of all draws pooled, reshaped like the input. */
function ranks(chains: Float64Array[]): Float64Array[] {
  // A native numeric sort and two binary searches per draw: the same average ranks as sorting indices
  // with a comparator, ~5× faster (summaries rank every parameter three times).
  const all = concat(chains);
  const sorted = Float64Array.from(all).sort();
  const n = all.length, r = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    const v = all[i];
    let lo = 0, hi = n;
    while (lo < hi) { const mid = (lo + hi) >>> 1; if (sorted[mid] < v) lo = mid + 1; else hi = mid; }
    const first = lo;
    hi = n;
    while (lo < hi) { const mid = (lo + hi) >>> 1; if (sorted[mid] <= v) lo = mid + 1; else hi = mid; }
    r[i] = (first + 1 + lo) / 2; // the 1-based positions first + 1 … lo hold v: their average
  }
  const out: Float64Array[] = [];
  let off = 0;
  for (const c of chains) { out.push(r.subarray(off, off + c.length)); off += c.length; }
  return out;
}

/** posterior::z_scale: Φ⁻¹((rank - 3/8) / (S + 1/4)) over all draws pooled. */
export function zScale(chains: Float64Array[]): Float64Array[] {
  const S = chains.reduce((a, c) => a + c.length, 0);
  // Untied ranks are the integers 1…S, the same for every parameter of a summary: Φ⁻¹ of those is
  // computed once per S (qnorm was a fifth of a summary's time); tied ranks (halves) directly.
  if (zTable.length !== S) zTable = Float64Array.from({ length: S }, (_, k) => qnorm((k + 1 - 0.375) / (S + 0.25)));
  const table = zTable;
  return ranks(chains).map((r) => r.map((v) => (Number.isInteger(v) ? table[v - 1] : qnorm((v - 0.375) / (S + 0.25)))));
}
let zTable = new Float64Array(0);

/** posterior::fold_draws: |x − median(x)|, with R's median ((a + b) / 2 for an even count). */
function fold(chains: Float64Array[]): Float64Array[] {
  const all = concat(chains).sort();
  const n = all.length, h = Math.floor(n / 2);
  const med = n % 2 ? all[h] : (all[h - 1] + all[h]) / 2;
  return chains.map((c) => c.map((v) => Math.abs(v - med)));
}

/** Sample quantile, R's default type 7, of all draws pooled. */
export function quantile(chains: Float64Array[] | Float64Array, p: number): number {
  const all = Array.isArray(chains) ? concat(chains) : Float64Array.from(chains);
  all.sort();
  const n = all.length;
  if (n === 0) return NaN;
  const h = (n - 1) * p, lo = Math.floor(h), hi = Math.min(n - 1, lo + 1);
  return all[lo] + (h - lo) * (all[hi] - all[lo]);
}

function concat(chains: Float64Array[]): Float64Array {
  const out = new Float64Array(chains.reduce((a, c) => a + c.length, 0));
  let off = 0;
  for (const c of chains) { out.set(c, off); off += c.length; }
  return out;
}

/** Rank-normalized split R-hat: max(bulk, tail). Example: 4 well-mixed iid chains → ≈ 1.00. */
export function rhat(chains: Float64Array[]): number {
  return rhatAndEssBulk(chains).rhat;
}

/** `rhat` and `essBulk` together, rank-normalizing the split chains once (summaries need both). */
export function rhatAndEssBulk(chains: Float64Array[]): { rhat: number; essBulk: number } {
  const split = splitChains(chains);
  if (invalid(split)) return { rhat: NaN, essBulk: NaN };
  const z = zScale(split);
  return { rhat: Math.max(rhatOf(z), rhatOf(zScale(splitChains(fold(chains))))), essBulk: essOf(z) };
}

/** Classic split R-hat without rank normalization (posterior::rhat_basic). */
export function rhatBasic(chains: Float64Array[]): number { return rhatOf(splitChains(chains)); }

/** Bulk-ESS: ESS of the rank-normalized split chains. */
export function essBulk(chains: Float64Array[]): number {
  const split = splitChains(chains);
  if (invalid(split)) return NaN;
  return essOf(zScale(split));
}

/** ESS of the indicator I(x ≤ q_p) on split chains (posterior::ess_quantile). */
export function essQuantile(chains: Float64Array[], p: number): number {
  if (invalid(chains)) return NaN;
  const q = quantile(chains, p);
  return essOf(splitChains(chains.map((c) => c.map((v) => (v <= q ? 1 : 0)))));
}

/** Tail-ESS: min of the 5% and 95% quantile ESS. */
export function essTail(chains: Float64Array[]): number {
  return Math.min(essQuantile(chains, 0.05), essQuantile(chains, 0.95));
}

/** ESS for the mean (posterior::ess_mean): split chains, no rank normalization. */
export function essMean(chains: Float64Array[]): number { return essOf(splitChains(chains)); }

/** Monte-Carlo standard error of the mean: sd / √essMean. */
export function mcseMean(chains: Float64Array[]): number {
  return Math.sqrt(variance(concat(chains))) / Math.sqrt(essMean(chains));
}

/** Monte-Carlo standard error of the variance estimate: sd((x-x̄)²) / √ESS((x-x̄)²). */
export function mcseVariance(chains: Float64Array[]): number {
  const all = concat(chains);
  let mu = 0;
  for (let i = 0; i < all.length; i++) mu += all[i];
  mu /= all.length;
  const sq = chains.map((c) => c.map((v) => (v - mu) ** 2));
  return Math.sqrt(variance(concat(sq))) / Math.sqrt(essMean(sq));
}

/**
 * E-BFMI of one chain from its energies: Σ(E_n − E_{n−1})² / Σ(E_n − Ē)². Below 0.3 signals that
 * the momentum resampling explores the energy distribution poorly.
 */
export function ebfmi(energy: Float64Array): number {
  const n = energy.length;
  if (n < 2) return NaN;
  let mu = 0;
  for (let i = 0; i < n; i++) mu += energy[i];
  mu /= n;
  let num = 0, den = 0;
  for (let i = 0; i < n; i++) { den += (energy[i] - mu) ** 2; if (i > 0) num += (energy[i] - energy[i - 1]) ** 2; }
  return num / den;
}

const QNORM_A = [-3.969683028665376e1, 2.209460984245205e2, -2.759285104469687e2, 1.38357751867269e2, -3.066479806614716e1, 2.506628277459239];
const QNORM_B = [-5.447609879822406e1, 1.615858368580409e2, -1.556989798598866e2, 6.680131188771972e1, -1.328068155288572e1];
const QNORM_C = [-7.784894002430293e-3, -3.223964580411365e-1, -2.400758277161838, -2.549732539343734, 4.374664141464968, 2.938163982698783];
const QNORM_D = [7.784695709041462e-3, 3.224671290700398e-1, 2.445134137142996, 3.754408661907416];

/** Inverse standard normal CDF (Acklam's rational approximation refined by one Halley step; ~1e-15). */
export function qnorm(p: number): number {
  if (p <= 0) return p === 0 ? -Infinity : NaN;
  if (p >= 1) return p === 1 ? Infinity : NaN;
  const a = QNORM_A, b = QNORM_B, c = QNORM_C, d = QNORM_D;
  const pl = 0.02425;
  let x: number;
  if (p < pl) {
    const q = Math.sqrt(-2 * Math.log(p));
    x = (((((c[0] * q + c[1]) * q + c[2]) * q + c[3]) * q + c[4]) * q + c[5]) / ((((d[0] * q + d[1]) * q + d[2]) * q + d[3]) * q + 1);
  } else if (p <= 1 - pl) {
    const q = p - 0.5, r = q * q;
    x = ((((((a[0] * r + a[1]) * r + a[2]) * r + a[3]) * r + a[4]) * r + a[5]) * q) / (((((b[0] * r + b[1]) * r + b[2]) * r + b[3]) * r + b[4]) * r + 1);
  } else {
    const q = Math.sqrt(-2 * Math.log(1 - p));
    x = -(((((c[0] * q + c[1]) * q + c[2]) * q + c[3]) * q + c[4]) * q + c[5]) / ((((d[0] * q + d[1]) * q + d[2]) * q + d[3]) * q + 1);
  }
  const e = 0.5 * erfc(-x / Math.SQRT2) - p;
  const u = e * Math.sqrt(2 * Math.PI) * Math.exp((x * x) / 2);
  return x - u / (1 + (x * u) / 2);
}

const ERFC_COF = [-1.3026537197817094, 6.4196979235649026e-1, 1.9476473204185836e-2, -9.561514786808631e-3, -9.46595344482036e-4,
  3.66839497852761e-4, 4.2523324806907e-5, -2.0278578112534e-5, -1.624290004647e-6, 1.30365583558e-6, 1.5626441722e-8,
  -8.5238095915e-8, 6.529054439e-9, 5.059343495e-9, -9.91364156e-10, -2.27365122e-10, 9.6467911e-11, 2.394038e-12,
  -6.886027e-12, 8.94487e-13, 3.13092e-13, -1.12708e-13, 3.81e-16, 7.106e-15, -1.523e-15, -9.4e-17, 1.21e-16, -2.8e-17];

/** Complementary error function (Numerical Recipes' Chebyshev expansion `erfccheb`; ~1e-16 relative). */
export function erfc(x: number): number {
  const z = Math.abs(x);
  const t = 2 / (2 + z), ty = 4 * t - 2;
  const cof = ERFC_COF;
  let d = 0, dd = 0;
  for (let j = cof.length - 1; j > 0; j--) { const tmp = d; d = ty * d - dd + cof[j]; dd = tmp; }
  const r = t * Math.exp(-z * z + 0.5 * (cof[0] + ty * d) - dd);
  return x >= 0 ? r : 2 - r;
}
