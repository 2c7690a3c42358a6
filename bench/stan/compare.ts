/**
 * Side-by-side harness: runs a model with our NUTS (`runChains`, worker threads) and with Stan
 * (rstan, via run_stan.R) on the same data, chains, warm-up and draws, and measures both with OUR
 * diagnostics (bulk-ESS of Stan's draws is computed here, not by rstan).
 *
 * Parameters are matched by position: θ's coordinates must follow Stan's flattened parameter order.
 * Stan reports constrained values (e.g. tau) where we sample log(tau); rank-normalized bulk-ESS and
 * tail-ESS are invariant under such monotone transforms, so the figures compare like with like.
 *
 * Reusable: `compareWithStan({ name, stanFile, data, factory })` → figures (the MMM bench calls it).
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { availableParallelism, tmpdir } from 'node:os';
import { join } from 'node:path';
import { essBulk, essTail, rhat } from '../../src/inference/diagnostics.ts';
import { runChains } from '../../src/inference/chains.ts';
import type { TargetFactory } from '../../src/inference/target.ts';
import { column, samplerDiagnostics } from '../../src/inference/summary.ts';

export interface CompareOptions {
  name: string;
  /** Path of the .stan program. */
  stanFile: string;
  /** Stan data (read in R by jsonlite: arrays of rows become matrices). */
  data: Record<string, unknown>;
  /** Our target, rebuilt in each worker. */
  factory: TargetFactory;
  chains?: number; warmup?: number; draws?: number; seed?: number;
  /** Worker threads / rstan cores (default min(chains, cores)). */
  cores?: number;
  init?: Float64Array;
  /** Per-chain starts and an initial inverse metric for our side (see `runChains`). */
  inits?: Float64Array[];
  invMetric?: Float64Array;
  metric?: 'diag' | 'dense';
  /** Target acceptance on both sides (Stan's adapt_delta); default 0.8 as Stan. */
  targetAccept?: number;
  /** Attach both sides' draws to the result (`samples`), e.g. to check that the two programs agree. */
  returnDraws?: boolean;
  /** Seconds our side spent before sampling (e.g. MAP + Laplace for `inits`): added to its wall time. */
  setupSeconds?: number;
}

export interface SideFigures {
  wallSeconds: number;
  /** Sum over chains of each chain's own sampling time (warm-up + draws): CPU-time basis. */
  chainSeconds: number;
  essBulkMin: number; essTailMin: number; rhatMax: number;
  essPerSecond: number;
  essPerChainSecond: number;
  leapfrogPerIteration: number;
  divergences: number;
}

export interface CompareFigures {
  model: string; dim: number; chains: number; warmup: number; draws: number; cores: number;
  marginal: SideFigures;
  stan: (SideFigures & { compileSeconds: number; compileCached: boolean; version: string }) | { skipped: string };
  /** marginal.essPerSecond / stan.essPerSecond (wall time), and on the chain-seconds basis. */
  ratio?: number;
  ratioChainSeconds?: number;
  /** With `returnDraws`: our unconstrained draws and Stan's constrained ones, per chain, [draws, dim]. */
  samples?: { marginal: Float64Array[]; stan: Float64Array[] };
}

function figures(draws: Float64Array[], dim: number, wall: number, chainSeconds: number, leap: number, div: number): SideFigures {
  let essB = Infinity, essT = Infinity, rh = 0;
  for (let j = 0; j < dim; j++) {
    const col = column(draws, dim, j);
    essB = Math.min(essB, essBulk(col)); essT = Math.min(essT, essTail(col)); rh = Math.max(rh, rhat(col));
  }
  return { wallSeconds: wall, chainSeconds, essBulkMin: essB, essTailMin: essT, rhatMax: rh, essPerSecond: essB / wall,
    essPerChainSecond: essB / chainSeconds, leapfrogPerIteration: leap, divergences: div };
}

/** Whether Rscript with rstan is available; the reason when not. */
export function stanAvailable(): string | null {
  const r = spawnSync('Rscript', ['-e', 'suppressPackageStartupMessages(library(rstan))'], { encoding: 'utf8' });
  if (r.error) return 'Rscript not found: run `npm run bench:setup` to install R and rstan (Stan side skipped)';
  if (r.status !== 0) return 'R package rstan not installed: run `npm run bench:setup` (Stan side skipped)';
  return null;
}

export async function compareWithStan(o: CompareOptions): Promise<CompareFigures> {
  const chains = o.chains ?? 4, warmup = o.warmup ?? 1000, draws = o.draws ?? 1000, seed = o.seed ?? 1;
  const cores = o.cores ?? Math.min(chains, availableParallelism());
  const targetAccept = o.targetAccept ?? 0.8;
  const ours = await runChains(o.factory, { chains, workers: cores, warmup, draws, seed, init: o.init, inits: o.inits, invMetric: o.invMetric, metric: o.metric, targetAccept });
  const dim = ours.dim;
  const sd = samplerDiagnostics(ours.chains);
  const marginal = figures(ours.chains.map((c) => c.draws), dim, ours.seconds + (o.setupSeconds ?? 0), ours.chains.reduce((a, c) => a + c.seconds, 0), sd.leapfrogPerIteration, sd.divergences);
  const out: CompareFigures = { model: o.name, dim, chains, warmup, draws, cores, marginal, stan: { skipped: '' } };
  const missing = stanAvailable();
  if (missing) { console.error(`[${o.name}] ${missing}`); out.stan = { skipped: missing }; return out; }
  const dir = mkdtempSync(join(tmpdir(), 'marginal-stan-'));
  const dataFile = join(dir, 'data.json'), outFile = join(dir, 'out.json');
  writeFileSync(dataFile, JSON.stringify(o.data));
  const cache = join(tmpdir(), 'marginal-stan-cache');
  const script = new URL('./run_stan.R', import.meta.url).pathname;
  console.error(`[${o.name}] Stan: compiling (cached after the first run) and sampling …`);
  const r = spawnSync('Rscript', [script, o.stanFile, dataFile, outFile, String(chains), String(warmup), String(draws), String(seed), String(cores), cache, String(targetAccept)], { encoding: 'utf8', maxBuffer: 1 << 26 });
  if (r.status !== 0 || !existsSync(outFile)) throw new Error(`rstan failed on ${o.stanFile}:\n${r.stderr}`);
  const s = JSON.parse(readFileSync(outFile, 'utf8')) as { compileSeconds: number; compileCached: boolean; wallSeconds: number; chainSeconds: number[];
    names: string[]; chains: number[][]; nLeapfrog: number[][]; divergent: number[][]; stanVersion: string };
  if (s.names.length !== dim) throw new Error(`${o.name}: Stan has ${s.names.length} parameters, our target ${dim}`);
  const leap = s.nLeapfrog.flat(), div = s.divergent.flat().reduce((a, v) => a + v, 0);
  const stanFig = figures(s.chains.map((c) => Float64Array.from(c)), dim, s.wallSeconds, s.chainSeconds.reduce((a, v) => a + v, 0), leap.reduce((a, v) => a + v, 0) / leap.length, div);
  out.stan = { ...stanFig, compileSeconds: s.compileSeconds, compileCached: s.compileCached, version: s.stanVersion };
  if (o.returnDraws) out.samples = { marginal: ours.chains.map((c) => c.draws), stan: s.chains.map((c) => Float64Array.from(c)) };
  out.ratio = marginal.essPerSecond / stanFig.essPerSecond;
  out.ratioChainSeconds = marginal.essPerChainSecond / stanFig.essPerChainSecond;
  return out;
}
