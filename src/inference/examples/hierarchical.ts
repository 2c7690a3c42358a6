/**
 * Hierarchical models in the non-centered form, with hand-written gradients, matching the Stan
 * programs in bench/stan/ term for term (constrained scales are sampled on the log scale with their
 * Jacobian, as Stan does).
 */
import { Rng } from '../../util/rng.ts';
import type { Target } from '../target.ts';

export interface SchoolsArgs { y: number[]; sigma: number[] }

/** The classic eight-schools data (Rubin 1981). */
export const eightSchools: SchoolsArgs = { y: [28, 8, -3, 7, -1, 1, 18, 12], sigma: [15, 10, 16, 11, 9, 11, 10, 18] };

/**
 * θ = (mu, log tau, eta[1..J]); mu ~ N(0, 5), tau ~ half-Cauchy(0, 5), eta ~ N(0, 1),
 * y_j ~ N(mu + tau·eta_j, sigma_j). dim = J + 2.
 */
export function schoolsNonCentered(a: SchoolsArgs): Target {
  const J = a.y.length, y = Float64Array.from(a.y), s = Float64Array.from(a.sigma);
  return {
    dim: J + 2,
    logDensityGradient(th, g) {
      const mu = th[0], lt = th[1], tau = Math.exp(lt);
      let lp = -(mu * mu) / 50 - Math.log1p((tau * tau) / 25) + lt;
      let gmu = -mu / 25, gtau = (-2 * tau) / 25 / (1 + (tau * tau) / 25);
      for (let j = 0; j < J; j++) {
        const eta = th[2 + j];
        const r = (y[j] - mu - tau * eta) / (s[j] * s[j]);
        lp += -0.5 * eta * eta - 0.5 * r * (y[j] - mu - tau * eta);
        gmu += r;
        gtau += r * eta;
        g[2 + j] = -eta + r * tau;
      }
      g[0] = gmu;
      g[1] = gtau * tau + 1;
      return lp;
    },
  };
}

export interface HierLinearArgs { J: number; group: number[]; x: number[]; y: number[] }

/**
 * Varying intercepts and slopes, non-centered. θ = (mu_a, mu_b, log tau_a, log tau_b, log sigma,
 * za[1..J], zb[1..J]); mu ~ N(0, 5), tau ~ half-N(0, 2), sigma ~ half-N(0, 2), z ~ N(0, 1),
 * y_i ~ N(mu_a + tau_a za[g_i] + (mu_b + tau_b zb[g_i]) x_i, sigma). `group` is 0-based. dim = 2J + 5.
 */
export function hierLinear(a: HierLinearArgs): Target {
  const J = a.J, n = a.y.length;
  const grp = Int32Array.from(a.group), x = Float64Array.from(a.x), y = Float64Array.from(a.y);
  const A = 5, B = 5 + J;
  return {
    dim: 2 * J + 5,
    logDensityGradient(th, g) {
      const muA = th[0], muB = th[1], ta = Math.exp(th[2]), tb = Math.exp(th[3]), sg = Math.exp(th[4]);
      const is2 = 1 / (sg * sg);
      let lp = -(muA * muA + muB * muB) / 50 - (ta * ta + tb * tb + sg * sg) / 8 + th[2] + th[3] + th[4];
      let gMuA = -muA / 25, gMuB = -muB / 25, gTa = 0, gTb = 0, ss = 0;
      for (let j = 0; j < J; j++) {
        const za = th[A + j], zb = th[B + j];
        lp -= 0.5 * (za * za + zb * zb);
        g[A + j] = -za; g[B + j] = -zb;
      }
      for (let i = 0; i < n; i++) {
        const j = grp[i], xi = x[i];
        const za = th[A + j], zb = th[B + j];
        const e = y[i] - (muA + ta * za + (muB + tb * zb) * xi);
        ss += e * e;
        const r = e * is2, rx = r * xi;
        gMuA += r; gMuB += rx; gTa += r * za; gTb += rx * zb;
        g[A + j] += r * ta; g[B + j] += rx * tb;
      }
      lp += -n * th[4] - 0.5 * ss * is2;
      g[0] = gMuA; g[1] = gMuB;
      g[2] = gTa * ta - (ta * ta) / 4 + 1;
      g[3] = gTb * tb - (tb * tb) / 4 + 1;
      g[4] = -n + ss * is2 - (sg * sg) / 4 + 1;
      return lp;
    },
  };
}

/** Seeded data for `hierLinear`: J groups of `perGroup` points, x ~ N(0, 1). */
export function simulateHierLinear(J: number, perGroup: number, seed: number): HierLinearArgs {
  const rng = new Rng(seed);
  const group: number[] = [], x: number[] = [], y: number[] = [];
  for (let j = 0; j < J; j++) {
    const a = 1 + 0.5 * rng.normal(), b = -0.5 + 0.3 * rng.normal();
    for (let k = 0; k < perGroup; k++) {
      const xi = rng.normal();
      group.push(j); x.push(xi); y.push(a + b * xi + 0.8 * rng.normal());
    }
  }
  return { J, group, x, y };
}

/** Parameter names in θ order, as Stan prints them (constrained names for the log-scale ones). */
export function hierLinearNames(J: number): string[] {
  return ['mu_a', 'mu_b', 'tau_a', 'tau_b', 'sigma', ...Array.from({ length: J }, (_, j) => `za[${j + 1}]`), ...Array.from({ length: J }, (_, j) => `zb[${j + 1}]`)];
}
