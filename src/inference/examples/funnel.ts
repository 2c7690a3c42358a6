/**
 * Neal's funnel: v ~ N(0, 3), x_i | v ~ N(0, exp(v/2)), i = 1..dim-1. The centered form samples
 * (v, x) directly and has a neck that makes NUTS diverge; the non-centered form samples
 * (v, x_raw) with x = exp(v/2)·x_raw, an isotropic-ish Gaussian with no divergences.
 */
import type { Target } from '../target.ts';

export interface FunnelArgs { dim: number }

/** Centered: logp(v, x) = -v²/18 - Σ (x_i² e^{-v} / 2 + v/2). */
export function funnelCentered(args: FunnelArgs): Target {
  const d = args.dim;
  return {
    dim: d,
    logDensityGradient(theta, grad) {
      const v = theta[0], ev = Math.exp(-v);
      let lp = -(v * v) / 18, gv = -v / 9;
      for (let i = 1; i < d; i++) {
        const x = theta[i];
        lp += -0.5 * x * x * ev - 0.5 * v;
        gv += 0.5 * x * x * ev - 0.5;
        grad[i] = -x * ev;
      }
      grad[0] = gv;
      return lp;
    },
  };
}

/** Non-centered: logp(v, x_raw) = -v²/18 - Σ x_raw²/2. */
export function funnelNonCentered(args: FunnelArgs): Target {
  const d = args.dim;
  return {
    dim: d,
    logDensityGradient(theta, grad) {
      let lp = -(theta[0] * theta[0]) / 18;
      grad[0] = -theta[0] / 9;
      for (let i = 1; i < d; i++) { lp -= 0.5 * theta[i] * theta[i]; grad[i] = -theta[i]; }
      return lp;
    },
  };
}
