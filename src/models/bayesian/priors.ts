/**
 * The parameters of the prior distributions the Bayesian MMM uses. A module of its own so the code that
 * resolves priors (prepare.ts) and the code that chooses and checks the default ROI prior
 * (priorCheck.ts) share them without importing each other.
 */
export interface LogNormalPrior { mu: number; sigma: number }
export interface BetaPrior { a: number; b: number }
