/**
 * Public face of the inference engine: NUTS (one chain, or many in worker threads), MAP by L-BFGS,
 * the Laplace approximation, and convergence diagnostics. Everything works on a `Target` (log-density
 * and gradient on the unconstrained space); see docs/inference.md.
 */
export type { Target, TargetFactory } from './target.ts';
export { Rng } from '../util/rng.ts';
export { sampleNuts, type NutsOptions, type NutsProgress, type ChainResult, type DivergentPoint } from './nuts.ts';
export { runChains, chainInit, ChainWorkers, workersFor, type RunChainsOptions, type MultiChainResult } from './chains.ts';
export { lbfgs, type LbfgsOptions, type LbfgsResult } from './lbfgs.ts';
export { laplace, negHessian, type LaplaceOptions, type LaplaceResult } from './laplace.ts';
export { rhat, rhatBasic, essBulk, essTail, essMean, essQuantile, mcseMean, mcseVariance, ebfmi, quantile, splitChains } from './diagnostics.ts';
export { summarize, samplerDiagnostics, column, type Summary, type ParameterSummary, type SamplerDiagnostics } from './summary.ts';
