/**
 * `summarize`: the per-parameter table (mean, sd, 5/50/95% quantiles, R-hat, bulk/tail ESS, MCSE)
 * and the sampler's own diagnostics (divergences, E-BFMI per chain, share of transitions at the
 * maximum tree depth, leapfrog steps per iteration).
 */
import { internal } from '../errors.ts';
import { ebfmi, essTail, mcseMean, quantile, rhatAndEssBulk } from './diagnostics.ts';
import type { ChainResult } from './nuts.ts';

export interface ParameterSummary {
  name: string;
  mean: number; sd: number; q5: number; q50: number; q95: number;
  rhat: number; essBulk: number; essTail: number; mcse: number;
}

export interface SamplerDiagnostics {
  divergences: number;
  divergencesPerChain: number[];
  ebfmi: number[];
  maxTreeDepthShare: number;
  leapfrogPerIteration: number;
  meanTreeDepth: number;
  stepSize: number[];
}

export interface Summary {
  parameters: ParameterSummary[];
  sampler?: SamplerDiagnostics;
  rhatMax: number;
  essBulkMin: number;
  essTailMin: number;
}

/** Column `j` of each chain's [n, dim] row-major draws. */
export function column(draws: Float64Array[], dim: number, j: number): Float64Array[] {
  return draws.map((d) => {
    const n = d.length / dim;
    const out = new Float64Array(n);
    for (let i = 0; i < n; i++) out[i] = d[i * dim + j];
    return out;
  });
}

/**
 * Summarizes draws: `draws[c]` is chain c as [n, dim] row-major (every chain the same n), `names` has
 * length dim. Pass the chain results to add sampler diagnostics. Max/min skip NaN (constant columns).
 * Example: `summarize(result.chains.map(c => c.draws), ['mu', 'tau'], result.chains)`.
 */
export function summarize(draws: Float64Array[], names: string[], chains?: ChainResult[], opts: SummarizeOptions = {}): Summary {
  const dim = names.length;
  if (!draws.length) throw internal('summarize needs at least one chain');
  const n = draws[0].length / dim;
  for (const d of draws) if (d.length !== n * dim || !Number.isInteger(n)) throw internal(`every chain must hold [n, ${dim}] draws of the same n`);
  const parameters: ParameterSummary[] = [];
  // Every n-th draw of the chains in order (n = ⌈draws / momentsMaxDraws⌉), the thinning the fit's
  // other figures use, for the mean, sd and quantiles; R-hat, ESS and MCSE always read every draw.
  const total = n * draws.length, stride = opts.momentsMaxDraws ? Math.max(1, Math.ceil(total / opts.momentsMaxDraws)) : 1;
  for (let j = 0; j < dim; j++) {
    const col = column(draws, dim, j);
    const kept = stride === 1 ? col : [thinned(col, stride)];
    let s = 0, s2 = 0, cnt = 0;
    for (const c of kept) for (let i = 0; i < c.length; i++) { s += c[i]; cnt++; }
    const mean = s / cnt;
    for (const c of kept) for (let i = 0; i < c.length; i++) s2 += (c[i] - mean) ** 2;
    parameters.push({
      name: names[j], mean, sd: Math.sqrt(s2 / (cnt - 1)),
      q5: quantile(kept, 0.05), q50: quantile(kept, 0.5), q95: quantile(kept, 0.95),
      ...rhatAndEssBulk(col), essTail: essTail(col), mcse: mcseMean(col),
    });
  }
  const finite = (xs: number[]) => xs.filter((x) => Number.isFinite(x));
  const out: Summary = {
    parameters,
    rhatMax: Math.max(...finite(parameters.map((p) => p.rhat))),
    essBulkMin: Math.min(...finite(parameters.map((p) => p.essBulk))),
    essTailMin: Math.min(...finite(parameters.map((p) => p.essTail))),
  };
  if (chains) out.sampler = samplerDiagnostics(chains);
  return out;
}

export interface SummarizeOptions {
  /**
   * Mean, sd and quantiles from at most this many draws, thinned as the fit's figures are (every n-th
   * of the chains in order), so that a parameter that is also a figure (a channel's ROI) reads the same
   * in the parameter table as everywhere else.
   */
  momentsMaxDraws?: number;
}

/** Every `stride`-th value of the chains taken in order, as one array. */
function thinned(chains: Float64Array[], stride: number): Float64Array {
  const out: number[] = [];
  let k = 0;
  for (const c of chains) for (let i = 0; i < c.length; i++, k++) if (k % stride === 0) out.push(c[i]);
  return Float64Array.from(out);
}

/** Divergences, E-BFMI, max-tree-depth share and leapfrog steps per iteration (sampling phase). */
export function samplerDiagnostics(chains: ChainResult[]): SamplerDiagnostics {
  let iters = 0, atMax = 0, leap = 0, depth = 0;
  const divergencesPerChain = chains.map((c) => c.divergent.reduce((a, v) => a + v, 0));
  for (const c of chains) {
    for (let i = 0; i < c.treeDepth.length; i++) {
      iters++; leap += c.nLeapfrog[i]; depth += c.treeDepth[i];
      if (c.treeDepth[i] >= c.maxTreeDepth) atMax++;
    }
  }
  return {
    divergences: divergencesPerChain.reduce((a, v) => a + v, 0),
    divergencesPerChain,
    ebfmi: chains.map((c) => ebfmi(c.energy)),
    maxTreeDepthShare: iters ? atMax / iters : 0,
    leapfrogPerIteration: iters ? leap / iters : 0,
    meanTreeDepth: iters ? depth / iters : 0,
    stepSize: chains.map((c) => c.stepSize),
  };
}
