/**
 * The oracle bound on ROI recovery for a simulation (national or geo): least squares that knows
 * everything the simulator hides except the channel coefficients — each channel's true adstock
 * decay, Hill half-saturation and shape, the per-geo channel multipliers, and a baseline family that
 * contains the true one (intercept and two yearly harmonics, each with a linear trend, and price,
 * shared by the geos in proportion to their population). Revenue per unit of geo share is then
 * exactly linear in 11 + C known columns plus Gaussian noise of constant sd, so least squares is
 * the minimum-variance unbiased estimator and its standard errors are exact.
 *
 * Why it exists: the national recovery goal (mean |relative ROI error| < 20%) is not met by
 * the Bayesian MMM, and "the data cannot tell these channels apart" is a claim that needs a number.
 * Among unbiased estimators none does better than this one (Gauss–Markov), and a real model must
 * also learn the transforms; only prior information can take an estimate below its error. The Bayes
 * oracle adds the default ROI prior and shows how far that prior takes it. In geo simulations the
 * oracle knows far more than a geo model can learn (the geo multipliers, one shared baseline), so
 * there it is a loose floor.
 *
 * Written independently of `src/transforms/` (as the simulator is), from the simulator's truth.
 */
import { internal } from '../../errors.ts';
import { choleskyInPlace, spdInverse } from '../../inference/linalg.ts';
import { Rng } from '../../util/rng.ts';
import type { Simulation } from './simulate.ts';

export interface OracleChannel {
  name: string;
  /** OLS estimate of the channel's ROI, with the true transforms. */
  roi: number;
  trueRoi: number;
  /** Standard error of that estimate, relative to the true ROI. */
  relSe: number;
  /** (estimate − truth) / truth. */
  relError: number;
}

export interface OracleBound {
  channels: OracleChannel[];
  /** Realised mean |relative ROI error| of the oracle on this simulation. */
  meanAbsRelError: number;
  /** Its expectation over the noise: √(2/π) × mean relative standard error (the errors are Gaussian). */
  expectedMeanAbsRelError: number;
  /** Residual standard deviation estimated by OLS, per unit of geo share (the simulator's noise level). */
  sigma: number;
  /**
   * The Bayes oracle: the same known transforms and baseline, with a LogNormal prior on each ROI
   * (flat on the baseline). Its posterior mean is the best any fit using that prior can do on average.
   */
  bayes: { prior: RoiPrior; roi: number[]; relErrors: number[]; meanAbsRelError: number; effectiveDraws: number };
}

/** LogNormal(mu, sigma) on ROI; the default is Meridian's, which the Bayesian MMM also uses. */
export interface RoiPrior { mu: number; sigma: number }

export interface OracleOptions { prior?: RoiPrior; draws?: number; seed?: number }

const seasonPeriod = 52.18;

export function oracleRoiBound(sim: Simulation, opts: OracleOptions = {}): OracleBound {
  const T = sim.truth.weeks;
  const G = sim.truth.geos?.length ?? 1;
  const N = G * T;
  const chans = sim.truth.channels;
  const C = chans.length;
  const { geoShares: share, geoEffects } = sim.truth;
  const col = (name: string) => {
    const j = sim.columns.indexOf(name);
    if (j < 0) throw internal(`oracleRoiBound: simulation has no column ${name}`);
    return Float64Array.from(sim.rows, (r) => r[j] as number);
  };
  // Rows are g-major [g, t]. Every term of revenue in geo g is proportional to its share, and so is
  // the noise: dividing each row by its geo's share makes the noise homoscedastic (weighted LS).
  const perShare = (x: Float64Array) => x.map((v, i) => v / share[Math.floor(i / T)]);
  const y = perShare(col('revenue'));
  const week = (f: (t: number) => number) => Float64Array.from({ length: N }, (_, i) => f(i % T));
  // The simulator's baseline, a·(1 + 0.1u)(1 + 0.12 sin₁ + 0.05 cos₂) − b·(price − 10) with u = t/T
  // (the same a and b in every geo), is linear in these eleven columns: trend × two yearly harmonics,
  // as a generic model would have them. Only sin₁ and cos₂ are needed; giving the oracle exactly
  // those would let it use the part of each channel's yearly spend cycle that is in cos₁ — an
  // advantage no model has, since no model knows the baseline's phases.
  const harmonic = (f: (x: number) => number, h: number) => (t: number) => f((2 * Math.PI * h * t) / seasonPeriod);
  const seasons = [harmonic(Math.sin, 1), harmonic(Math.cos, 1), harmonic(Math.sin, 2), harmonic(Math.cos, 2)];
  const base: Float64Array[] = [
    week(() => 1),
    week((t) => t / T),
    ...seasons.map((f) => week(f)),
    ...seasons.map((f) => week((t) => (t / T) * f(t))),
    col('price'),
  ];
  const media = chans.map((ch, c) => {
    const spend = col(`${ch.name}_spend`);
    const out = new Float64Array(N);
    for (let g = 0; g < G; g++) {
      const h = trueSaturatedAdstock(spend.subarray(g * T, (g + 1) * T), ch.adstock.alpha, ch.adstock.maxLag, ch.saturation.k * share[g], ch.saturation.s);
      for (let t = 0; t < T; t++) out[g * T + t] = geoEffects[g * C + c] * h[t];
    }
    return out;
  });
  const columns = [...base, ...media];
  const P = columns.length;
  // Columns scaled to unit norm before the normal equations: the raw ones differ by 1e5 in size.
  const norms = columns.map((x) => Math.sqrt(x.reduce((a, v) => a + v * v, 0)));
  const xtx = new Float64Array(P * P);
  const xty = new Float64Array(P);
  for (let i = 0; i < P; i++) {
    for (let j = 0; j <= i; j++) {
      let s = 0;
      for (let t = 0; t < N; t++) s += columns[i][t] * columns[j][t];
      xtx[i * P + j] = xtx[j * P + i] = s / (norms[i] * norms[j]);
    }
    let s = 0;
    for (let t = 0; t < N; t++) s += columns[i][t] * y[t];
    xty[i] = s / norms[i];
  }
  const inv = spdInverse(xtx, P);
  if (!inv) throw internal('oracleRoiBound: the design is singular');
  const coef = new Float64Array(P);
  for (let i = 0; i < P; i++) {
    let s = 0;
    for (let j = 0; j < P; j++) s += inv[i * P + j] * xty[j];
    coef[i] = s / norms[i];
  }
  let rss = 0;
  for (let t = 0; t < N; t++) {
    let fit = 0;
    for (let i = 0; i < P; i++) fit += coef[i] * columns[i][t];
    rss += (y[t] - fit) ** 2;
  }
  const sigma = Math.sqrt(rss / (N - P));
  const channels = chans.map((ch, c): OracleChannel => {
    const i = base.length + c;
    const se = (sigma * Math.sqrt(inv[i * P + i])) / norms[i];
    return { name: ch.name, roi: ch.roi * (coef[i] / ch.beta), trueRoi: ch.roi, relSe: se / ch.beta, relError: coef[i] / ch.beta - 1 };
  });
  const mean = (f: (c: OracleChannel) => number) => channels.reduce((a, c) => a + f(c), 0) / C;
  // The channels' block of the OLS covariance, in ROI units: with a flat prior on the baseline, the
  // likelihood of the ROIs alone is Normal(roiHat, that block) (σ taken as known).
  const first = base.length;
  const roiPerCoef = chans.map((ch) => ch.roi / ch.beta);
  const cov = new Float64Array(C * C);
  for (let a = 0; a < C; a++) for (let b = 0; b < C; b++) {
    const i = first + a, j = first + b;
    cov[a * C + b] = (sigma * sigma * inv[i * P + j] * roiPerCoef[a] * roiPerCoef[b]) / (norms[i] * norms[j]);
  }
  const bayes = bayesOracle(channels.map((c) => c.roi), cov, chans.map((c) => c.roi), opts);
  return {
    channels,
    meanAbsRelError: mean((c) => Math.abs(c.relError)),
    expectedMeanAbsRelError: Math.sqrt(2 / Math.PI) * mean((c) => c.relSe),
    sigma,
    bayes,
  };
}

/**
 * Posterior mean of x under Normal(x; mean, cov) × Π_c LogNormal(x_c; prior), by importance sampling
 * with the Normal as proposal (the weights are then the prior density; a draw with any x_c ≤ 0 has
 * weight 0). Exported for its test against quadrature.
 */
export function posteriorMeanUnderLogNormalPrior(mean: ArrayLike<number>, cov: Float64Array, prior: RoiPrior, opts: { draws?: number; seed?: number } = {}): { mean: number[]; effectiveDraws: number } {
  const C = mean.length;
  const draws = opts.draws ?? 200_000;
  const rng = new Rng(opts.seed ?? 1);
  const chol = Float64Array.from(cov);
  if (!choleskyInPlace(chol, C)) throw internal('posteriorMeanUnderLogNormalPrior: the covariance is not positive definite');
  const sum = new Float64Array(C), z = new Float64Array(C), x = new Float64Array(C);
  let wSum = 0, w2Sum = 0;
  for (let n = 0; n < draws; n++) {
    rng.normals(z);
    let logW = 0;
    for (let a = 0; a < C && logW > -Infinity; a++) {
      let v = mean[a];
      for (let b = 0; b <= a; b++) v += chol[a * C + b] * z[b];
      x[a] = v;
      if (v <= 0) logW = -Infinity;
      else logW += -Math.log(v) - (Math.log(v) - prior.mu) ** 2 / (2 * prior.sigma * prior.sigma);
    }
    if (logW === -Infinity) continue;
    const w = Math.exp(logW);
    wSum += w; w2Sum += w * w;
    for (let a = 0; a < C; a++) sum[a] += w * x[a];
  }
  if (!(wSum > 0)) throw internal('posteriorMeanUnderLogNormalPrior: no draw had every coordinate positive');
  return { mean: Array.from(sum, (s) => s / wSum), effectiveDraws: (wSum * wSum) / w2Sum };
}

function bayesOracle(roiHat: number[], cov: Float64Array, truth: number[], opts: OracleOptions): OracleBound['bayes'] {
  const prior = opts.prior ?? { mu: 0.2, sigma: 0.9 };
  const post = posteriorMeanUnderLogNormalPrior(roiHat, cov, prior, opts);
  const relErrors = post.mean.map((e, a) => e / truth[a] - 1);
  return { prior, roi: post.mean, relErrors, meanAbsRelError: relErrors.reduce((a, e) => a + Math.abs(e), 0) / relErrors.length, effectiveDraws: post.effectiveDraws };
}

/** Hill(normalized geometric adstock(x)) with the simulator's conventions (zero before week 0). */
function trueSaturatedAdstock(x: Float64Array, alpha: number, maxLag: number, k: number, s: number): Float64Array {
  let norm = 0;
  for (let l = 0; l < maxLag; l++) norm += alpha ** l;
  return Float64Array.from(x, (_, t) => {
    let a = 0;
    for (let l = 0; l < maxLag && l <= t; l++) a += alpha ** l * x[t - l];
    a /= norm;
    return a <= 0 ? 0 : 1 / (1 + (k / a) ** s);
  });
}
