/**
 * What every sampler and optimizer in `inference/` consumes: a log-density on an unconstrained
 * real vector, with its gradient. `logDensityGradient` writes ∂logp/∂θ into `grad` (length `dim`)
 * and returns logp; it returns -Infinity (or NaN) where the density is zero or undefined, and the
 * samplers treat that as a divergence rather than crashing.
 */
export interface Target {
  readonly dim: number;
  logDensityGradient(theta: Float64Array, grad: Float64Array): number;
}

/**
 * How a worker thread rebuilds a Target: it imports `module` (an absolute path or file URL of a .ts
 * or .js file), calls its export `export` with `args` (structured-cloneable), and awaits the Target.
 */
export interface TargetFactory {
  module: string;
  export: string;
  args: unknown;
}
