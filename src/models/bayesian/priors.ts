/**
 * The parameters of the prior distributions the Bayesian MMM uses. A module of its own so the code that
 * resolves priors (prepare.ts) and the code that chooses and checks the default ROI prior
 * (priorCheck.ts) share them without importing each other.
 */
export interface LogNormalPrior { mu: number; sigma: number }
export interface BetaPrior { a: number; b: number }

/** Median and 90% interval (5%, 95%) of a LogNormal(mu, sigma). */
export function logNormalSummary(p: { mu: number; sigma: number }): { median: number; interval: [number, number] } {
  const z90 = 1.6448536269514722;
  return { median: Math.exp(p.mu), interval: [Math.exp(p.mu - z90 * p.sigma), Math.exp(p.mu + z90 * p.sigma)] };
}
