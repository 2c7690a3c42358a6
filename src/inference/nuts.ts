/**
 * The No-U-Turn Sampler as Stan implements it (`base_nuts.hpp`): multinomial sampling over the
 * trajectory, biased progressive sampling between subtrees, the generalized no-U-turn criterion
 * checked across merged subtrees and between them, a maximum tree depth, and divergences flagged when
 * the energy error exceeds 1000. Warm-up adapts the step size by dual averaging and a diagonal (or
 * dense) inverse metric in Stan's 75 / 25·2ⁿ / 50 windows (see adapt.ts).
 *
 * Every buffer is allocated once per chain (one set per tree depth); the leapfrog loop allocates
 * nothing. Random numbers come from the seeded `Rng` stream `seed`.fork(`chain`), so a (seed, chain)
 * pair gives the same draws on any machine.
 */
import { badConfig, fitFailed } from '../errors.ts';
import { DualAveraging, MetricEstimator, WindowSchedule } from './adapt.ts';
import { DenseMatVec } from './denseMatVec.ts';
import { choleskyInPlace, solveLowerTransposeInPlace } from './linalg.ts';
import { Rng } from '../util/rng.ts';
import type { Target } from './target.ts';

export interface NutsProgress {
  chain: number;
  /** 1-based iteration count, warm-up included. */
  iteration: number;
  total: number;
  phase: 'warmup' | 'sampling';
  /** Divergent transitions so far in the sampling phase. */
  divergences: number;
  stepSize: number;
}

export interface NutsOptions {
  warmup: number;
  draws: number;
  seed: number;
  /** Chain index: selects the independent random stream `Rng(seed).fork(chain)`. Default 0. */
  chain?: number;
  /** Initial point on the unconstrained space; default uniform(-2, 2) per coordinate, as Stan. */
  init?: Float64Array;
  maxTreeDepth?: number;
  targetAccept?: number;
  metric?: 'diag' | 'dense';
  /** Initial step size before the heuristic search; default 1. */
  stepSize?: number;
  /**
   * Initial inverse metric (e.g. the Laplace covariance at the MAP): length dim (diag) or dim²
   * row-major (dense; for a diag metric its diagonal is used). Default: the identity. Warm-up still
   * adapts it, shrinking each window's estimate toward the metric in use (w = n/(n + dim)) rather
   * than toward 1e-3·I; a good start saves most of the early warm-up's long trajectories.
   */
  invMetric?: Float64Array;
  /** Called every `progressEvery` iterations (default: total/100) and at the last one. */
  onProgress?: (p: NutsProgress) => void;
  progressEvery?: number;
}

export interface DivergentPoint {
  /** 0-based draw index (sampling phase). */
  draw: number;
  /** Where the diverging trajectory started (the previous draw): the region the sampler cannot enter. */
  theta: Float64Array;
  /** Where along that trajectory the energy error first exceeded 1000 (often far out in the tails). */
  divergedAt: Float64Array;
}

export interface ChainResult {
  chain: number;
  dim: number;
  /** [draws, dim] row-major, unconstrained space. */
  draws: Float64Array;
  logp: Float64Array;
  treeDepth: Int32Array;
  nLeapfrog: Int32Array;
  divergent: Uint8Array;
  /** Hamiltonian at each draw (Stan's energy__), for E-BFMI. */
  energy: Float64Array;
  acceptStat: Float64Array;
  /** Adapted step size used for every draw. */
  stepSize: number;
  /** Inverse metric: length dim (diag) or dim² row-major (dense). */
  invMetric: Float64Array;
  metric: 'diag' | 'dense';
  divergentPoints: DivergentPoint[];
  warmupDivergences: number;
  maxTreeDepth: number;
  /** Leapfrog steps in warm-up + sampling, and seconds spent. */
  totalLeapfrog: number;
  seconds: number;
}

const MAX_DELTA_H = 1000;

/**
 * A phase-space point. `ps` = M⁻¹p and `gs` = M⁻¹∇log p are carried along: a leapfrog step updates
 * ps by the same half-steps as p (ps += ε/2·gs), so a dense metric costs one d×d mat-vec per step
 * (M⁻¹ of the new gradient) instead of three (for the position update, the energy and the U-turn
 * criterion) — measured at dim 312 that was 0.5 ms a step next to a 1.1 ms gradient.
 */
interface Point { q: Float64Array; p: Float64Array; g: Float64Array; ps: Float64Array; gs: Float64Array; lp: number }
const newPoint = (d: number): Point => ({ q: new Float64Array(d), p: new Float64Array(d), g: new Float64Array(d), ps: new Float64Array(d), gs: new Float64Array(d), lp: 0 });
function copyPoint(dst: Point, src: Point): void { dst.q.set(src.q); dst.p.set(src.p); dst.g.set(src.g); dst.ps.set(src.ps); dst.gs.set(src.gs); dst.lp = src.lp; }

interface DepthBuffers {
  pInitEnd: Float64Array; pSharpInitEnd: Float64Array; rhoInit: Float64Array;
  pFinalBeg: Float64Array; pSharpFinalBeg: Float64Array; rhoFinal: Float64Array;
  zProposeFinal: Point;
}

function logSumExp(a: number, b: number): number {
  if (a === -Infinity) return b;
  if (b === -Infinity) return a;
  return a > b ? a + Math.log1p(Math.exp(b - a)) : b + Math.log1p(Math.exp(a - b));
}

/** One chain of NUTS on `target`. Throws BAD_CONFIG on bad options, FIT_FAILED when no finite start exists. */
export function sampleNuts(target: Target, opts: NutsOptions): ChainResult {
  return new NutsChain(target, opts).run();
}

class NutsChain {
  private readonly d: number;
  private readonly rng: Rng;
  private readonly dense: boolean;
  private readonly invMetric: Float64Array;
  private readonly cholInvMetric: Float64Array; // dense: lower Cholesky factor of the inverse metric
  private readonly metricProduct: DenseMatVec | null; // dense: M⁻¹·v
  private eps = 1;
  private divergent = false;
  private divergedAt: Float64Array;
  private readonly start: Float64Array;
  private nLeapfrog = 0;
  private sumMetroProb = 0;
  private readonly z: Point; // scratch for step-size search
  private readonly zFwd: Point;
  private readonly zBck: Point;
  private readonly zSample: Point;
  private readonly zPropose: Point;
  private readonly zInit: Point;
  private readonly buf: DepthBuffers[] = [];
  private readonly pFwdFwd: Float64Array; private readonly pSharpFwdFwd: Float64Array;
  private readonly pFwdBck: Float64Array; private readonly pSharpFwdBck: Float64Array;
  private readonly pBckFwd: Float64Array; private readonly pSharpBckFwd: Float64Array;
  private readonly pBckBck: Float64Array; private readonly pSharpBckBck: Float64Array;
  private readonly rho: Float64Array; private readonly rhoFwd: Float64Array; private readonly rhoBck: Float64Array;
  private readonly maxDepth: number;

  constructor(private readonly target: Target, private readonly opts: NutsOptions) {
    const d = target.dim;
    if (!Number.isInteger(d) || d < 1) throw badConfig(`target.dim must be a positive integer; got ${d}`);
    for (const k of ['warmup', 'draws'] as const) {
      if (!Number.isInteger(opts[k]) || opts[k] < 0) throw badConfig(`\`${k}\` must be a non-negative integer; got ${opts[k]}`);
    }
    const metric = opts.metric ?? 'diag';
    if (metric !== 'diag' && metric !== 'dense') throw badConfig(`\`metric\` must be one of diag, dense; got '${String(metric)}'`);
    const ta = opts.targetAccept ?? 0.8;
    if (!(ta > 0 && ta < 1)) throw badConfig(`\`targetAccept\` must be in (0, 1); got ${ta}`);
    this.maxDepth = opts.maxTreeDepth ?? 10;
    if (!Number.isInteger(this.maxDepth) || this.maxDepth < 1 || this.maxDepth > 30) throw badConfig(`\`maxTreeDepth\` must be an integer in 1..30; got ${this.maxDepth}`);
    if (opts.init && opts.init.length !== d) throw badConfig(`\`init\` must have length ${d} (target.dim); got ${opts.init.length}`);
    this.d = d;
    this.dense = metric === 'dense';
    this.rng = new Rng(opts.seed).fork(opts.chain ?? 0);
    this.invMetric = new Float64Array(this.dense ? d * d : d);
    this.cholInvMetric = new Float64Array(this.dense ? d * d : 0);
    if (this.dense) { for (let i = 0; i < d; i++) { this.invMetric[i * d + i] = 1; this.cholInvMetric[i * d + i] = 1; } }
    else this.invMetric.fill(1);
    if (opts.invMetric) { this.setInitialMetric(opts.invMetric); this.prevMetric = new Float64Array(this.invMetric.length); }
    this.metricProduct = this.dense ? new DenseMatVec(d) : null;
    this.metricProduct?.setMatrix(this.invMetric);
    this.z = newPoint(d); this.zFwd = newPoint(d); this.zBck = newPoint(d); this.zSample = newPoint(d);
    this.zPropose = newPoint(d); this.zInit = newPoint(d);
    this.divergedAt = new Float64Array(d);
    this.start = new Float64Array(d);
    const v = () => new Float64Array(d);
    this.pFwdFwd = v(); this.pSharpFwdFwd = v(); this.pFwdBck = v(); this.pSharpFwdBck = v();
    this.pBckFwd = v(); this.pSharpBckFwd = v(); this.pBckBck = v(); this.pSharpBckBck = v();
    this.rho = v(); this.rhoFwd = v(); this.rhoBck = v();
    for (let k = 0; k <= this.maxDepth; k++) {
      this.buf.push({ pInitEnd: v(), pSharpInitEnd: v(), rhoInit: v(), pFinalBeg: v(), pSharpFinalBeg: v(), rhoFinal: v(), zProposeFinal: newPoint(d) });
    }
    this.dual = new DualAveraging(ta);
  }
  private readonly dual: DualAveraging;
  private prevMetric = new Float64Array(0);

  private setInitialMetric(m: Float64Array): void {
    const d = this.d;
    if (m.length !== d && m.length !== d * d) throw badConfig(`\`invMetric\` must have length ${d} or ${d * d}; got ${m.length}`);
    for (let i = 0; i < m.length; i++) if (!Number.isFinite(m[i])) throw badConfig(`\`invMetric\` must be finite; element ${i} is ${m[i]}`);
    const full = m.length === d * d;
    if (!this.dense) {
      for (let i = 0; i < d; i++) this.invMetric[i] = full ? m[i * d + i] : m[i];
      for (let i = 0; i < d; i++) if (!(this.invMetric[i] > 0)) throw badConfig(`\`invMetric\` must be positive on the diagonal; element ${i} is ${this.invMetric[i]}`);
      return;
    }
    this.invMetric.fill(0);
    if (full) this.invMetric.set(m); else for (let i = 0; i < d; i++) this.invMetric[i * d + i] = m[i];
    this.cholInvMetric.set(this.invMetric);
    if (!choleskyInPlace(this.cholInvMetric, d)) throw badConfig('`invMetric` must be positive definite');
  }

  // ---- Hamiltonian system (Euclidean metric) ----

  /** out = M⁻¹ p (dense: on the WebAssembly kernel, see denseMatVec.ts). */
  private sharp(p: Float64Array, out: Float64Array): void {
    if (this.metricProduct) { this.metricProduct.apply(p, out); return; }
    const d = this.d, m = this.invMetric;
    for (let i = 0; i < d; i++) out[i] = m[i] * p[i];
  }

  private hamiltonian(z: Point): number {
    const d = this.d, p = z.p, ps = z.ps;
    let k = 0;
    for (let i = 0; i < d; i++) k += p[i] * ps[i];
    const h = 0.5 * k - z.lp;
    return Number.isNaN(h) ? Infinity : h;
  }

  private samplePSharp(z: Point): void {
    const d = this.d, rng = this.rng;
    if (!this.dense) { const m = this.invMetric; for (let i = 0; i < d; i++) z.p[i] = rng.normal() / Math.sqrt(m[i]); }
    else {
      // p ~ N(0, M) with M⁻¹ = L Lᵀ: p = L⁻ᵀ u.
      for (let i = 0; i < d; i++) z.p[i] = rng.normal();
      solveLowerTransposeInPlace(this.cholInvMetric, z.p, d);
    }
    this.sharp(z.p, z.ps);
  }

  private evalLp(z: Point): void {
    const lp = this.target.logDensityGradient(z.q, z.g);
    let ok = Number.isFinite(lp);
    if (ok) { const g = z.g; for (let i = 0; i < this.d; i++) if (!Number.isFinite(g[i])) { ok = false; break; } }
    z.lp = ok ? lp : -Infinity;
    if (ok) this.sharp(z.g, z.gs);
  }

  private leapfrog(z: Point, eps: number): void {
    const d = this.d, p = z.p, q = z.q, g = z.g, ps = z.ps, gs = z.gs, half = 0.5 * eps;
    for (let i = 0; i < d; i++) { p[i] += half * g[i]; ps[i] += half * gs[i]; }
    for (let i = 0; i < d; i++) q[i] += eps * ps[i];
    this.evalLp(z);
    if (z.lp === -Infinity) return; // the gradient is not to be trusted: the caller sees H = ∞
    for (let i = 0; i < d; i++) { p[i] += half * g[i]; ps[i] += half * gs[i]; }
  }

  // ---- step-size heuristic (Stan's init_stepsize) ----

  private initStepSize(from: Point): void {
    const z = this.z;
    if (this.eps === 0 || this.eps > 1e7 || Number.isNaN(this.eps)) return;
    const LOG08 = Math.log(0.8);
    copyPoint(z, from); this.samplePSharp(z);
    let h0 = this.hamiltonian(z);
    this.leapfrog(z, this.eps);
    let delta = h0 - this.hamiltonian(z);
    const direction = delta > LOG08 ? 1 : -1;
    for (;;) {
      copyPoint(z, from); this.samplePSharp(z);
      h0 = this.hamiltonian(z);
      this.leapfrog(z, this.eps);
      delta = h0 - this.hamiltonian(z);
      if (direction === 1 && !(delta > LOG08)) break;
      if (direction === -1 && !(delta < LOG08)) break;
      this.eps = direction === 1 ? 2 * this.eps : 0.5 * this.eps;
      if (this.eps > 1e7) throw fitFailed('NUTS step-size search diverged: the posterior is improper (step size > 1e7)');
      if (this.eps === 0) throw fitFailed('NUTS step-size search found no workable step size: the log-density or its gradient is not finite near the start');
    }
  }

  // ---- one transition ----

  private criterion(pSharpMinus: Float64Array, pSharpPlus: Float64Array, rho: Float64Array, add?: Float64Array): boolean {
    const d = this.d;
    let a = 0, b = 0;
    if (add) { for (let i = 0; i < d; i++) { const r = rho[i] + add[i]; a += pSharpPlus[i] * r; b += pSharpMinus[i] * r; } }
    else { for (let i = 0; i < d; i++) { a += pSharpPlus[i] * rho[i]; b += pSharpMinus[i] * rho[i]; } }
    return a > 0 && b > 0;
  }

  /**
   * Extends the trajectory from `z` by 2^depth leapfrog steps in direction `sign`; returns the log sum
   * of the new states' weights, or NaN when the subtree diverged or turned back on itself.
   */
  private buildTree(z: Point, depth: number, zPropose: Point, pSharpBeg: Float64Array, pSharpEnd: Float64Array, rho: Float64Array, pBeg: Float64Array, pEnd: Float64Array, h0: number, sign: number): number {
    const d = this.d;
    if (depth === 0) {
      this.leapfrog(z, sign * this.eps);
      this.nLeapfrog++;
      const h = this.hamiltonian(z);
      if (h - h0 > MAX_DELTA_H) {
        if (!this.divergent) this.divergedAt.set(z.q);
        this.divergent = true;
      }
      const w = h0 - h;
      this.sumMetroProb += w > 0 ? 1 : Math.exp(w);
      copyPoint(zPropose, z);
      pSharpBeg.set(z.ps);
      pSharpEnd.set(pSharpBeg);
      for (let i = 0; i < d; i++) rho[i] += z.p[i];
      pBeg.set(z.p); pEnd.set(z.p);
      return this.divergent ? NaN : w;
    }
    const b = this.buf[depth];
    b.rhoInit.fill(0);
    const lswInit = this.buildTree(z, depth - 1, zPropose, pSharpBeg, b.pSharpInitEnd, b.rhoInit, pBeg, b.pInitEnd, h0, sign);
    if (Number.isNaN(lswInit)) return NaN;
    b.rhoFinal.fill(0);
    const lswFinal = this.buildTree(z, depth - 1, b.zProposeFinal, b.pSharpFinalBeg, pSharpEnd, b.rhoFinal, b.pFinalBeg, pEnd, h0, sign);
    if (Number.isNaN(lswFinal)) return NaN;
    const lswSub = logSumExp(lswInit, lswFinal);
    if (lswFinal > lswSub || this.rng.uniform() < Math.exp(lswFinal - lswSub)) copyPoint(zPropose, b.zProposeFinal);
    // Generalized no-U-turn criterion: across the merged subtree and between its halves.
    let ok = true;
    {
      let a = 0, c = 0;
      for (let i = 0; i < d; i++) { const r = b.rhoInit[i] + b.rhoFinal[i]; a += pSharpEnd[i] * r; c += pSharpBeg[i] * r; }
      ok = a > 0 && c > 0;
    }
    ok = ok && this.criterion(pSharpBeg, b.pSharpFinalBeg, b.rhoInit, b.pFinalBeg);
    ok = ok && this.criterion(b.pSharpInitEnd, pSharpEnd, b.rhoFinal, b.pInitEnd);
    for (let i = 0; i < d; i++) rho[i] += b.rhoInit[i] + b.rhoFinal[i];
    return ok ? lswSub : NaN;
  }

  /** One NUTS transition from zSample (q, lp, g set); leaves the new state in zSample. */
  private transition(): { depth: number; accept: number; energy: number } {
    const d = this.d, rng = this.rng;
    const zFwd = this.zFwd, zBck = this.zBck, zSample = this.zSample, zPropose = this.zPropose;
    this.start.set(zSample.q);
    this.samplePSharp(zSample);
    copyPoint(zFwd, zSample); copyPoint(zBck, zSample);
    this.pSharpFwdFwd.set(zSample.ps);
    this.pSharpFwdBck.set(this.pSharpFwdFwd); this.pSharpBckFwd.set(this.pSharpFwdFwd); this.pSharpBckBck.set(this.pSharpFwdFwd);
    this.pFwdFwd.set(zSample.p); this.pFwdBck.set(zSample.p); this.pBckFwd.set(zSample.p); this.pBckBck.set(zSample.p);
    this.rho.set(zSample.p);
    let lsw = 0;
    const h0 = this.hamiltonian(zSample);
    this.nLeapfrog = 0; this.sumMetroProb = 0; this.divergent = false;
    let depth = 0;
    while (depth < this.maxDepth) {
      this.rhoFwd.fill(0); this.rhoBck.fill(0);
      let lswSub: number;
      if (rng.uniform() > 0.5) {
        this.rhoBck.set(this.rho);
        this.pBckFwd.set(this.pFwdBck); this.pSharpBckFwd.set(this.pSharpFwdBck);
        lswSub = this.buildTree(zFwd, depth, zPropose, this.pSharpFwdBck, this.pSharpFwdFwd, this.rhoFwd, this.pFwdBck, this.pFwdFwd, h0, 1);
      } else {
        this.rhoFwd.set(this.rho);
        this.pFwdBck.set(this.pBckFwd); this.pSharpFwdBck.set(this.pSharpBckFwd);
        lswSub = this.buildTree(zBck, depth, zPropose, this.pSharpBckFwd, this.pSharpBckBck, this.rhoBck, this.pBckFwd, this.pBckBck, h0, -1);
      }
      if (Number.isNaN(lswSub)) break;
      depth++;
      if (lswSub > lsw || rng.uniform() < Math.exp(lswSub - lsw)) copyPoint(zSample, zPropose);
      lsw = logSumExp(lsw, lswSub);
      for (let i = 0; i < d; i++) this.rho[i] = this.rhoBck[i] + this.rhoFwd[i];
      let ok = this.criterion(this.pSharpBckBck, this.pSharpFwdFwd, this.rho);
      ok = ok && this.criterion(this.pSharpBckBck, this.pSharpFwdBck, this.rhoBck, this.pFwdBck);
      ok = ok && this.criterion(this.pSharpBckFwd, this.pSharpFwdFwd, this.rhoFwd, this.pBckFwd);
      if (!ok) break;
    }
    return { depth, accept: this.nLeapfrog ? this.sumMetroProb / this.nLeapfrog : 0, energy: this.hamiltonian(zSample) };
  }

  private initialize(): void {
    const z = this.zSample, d = this.d;
    if (this.opts.init) {
      z.q.set(this.opts.init);
      this.evalLp(z);
      if (z.lp === -Infinity) throw fitFailed('the log-density or its gradient is not finite at the given initial point');
      return;
    }
    for (let attempt = 0; attempt < 100; attempt++) {
      for (let i = 0; i < d; i++) z.q[i] = 4 * this.rng.uniform() - 2;
      this.evalLp(z);
      if (z.lp > -Infinity) return;
    }
    throw fitFailed('no finite log-density and gradient found in 100 random initializations in (-2, 2)');
  }

  run(): ChainResult {
    const t0 = performance.now();
    const { warmup, draws } = this.opts;
    const d = this.d;
    const total = warmup + draws;
    const chain = this.opts.chain ?? 0;
    this.initialize();
    this.eps = this.opts.stepSize ?? 1;
    this.initStepSize(this.zSample);
    const dual = this.dual;
    dual.mu = Math.log(10 * this.eps);
    dual.restart();
    const schedule = new WindowSchedule(warmup);
    const estimator = new MetricEstimator(d, this.dense);
    const res: ChainResult = {
      chain, dim: d, draws: new Float64Array(draws * d), logp: new Float64Array(draws), treeDepth: new Int32Array(draws),
      nLeapfrog: new Int32Array(draws), divergent: new Uint8Array(draws), energy: new Float64Array(draws),
      acceptStat: new Float64Array(draws), stepSize: this.eps, invMetric: this.invMetric, metric: this.dense ? 'dense' : 'diag',
      divergentPoints: [], warmupDivergences: 0, maxTreeDepth: this.maxDepth, totalLeapfrog: 0, seconds: 0,
    };
    const every = this.opts.progressEvery ?? Math.max(1, Math.floor(total / 100));
    let divergences = 0;
    for (let it = 0; it < total; it++) {
      const t = this.transition();
      res.totalLeapfrog += this.nLeapfrog;
      if (it < warmup) {
        if (this.divergent) res.warmupDivergences++;
        this.eps = dual.learn(t.accept);
        if (schedule.inWindow()) estimator.add(this.zSample.q);
        if (schedule.endOfWindow()) {
          schedule.computeNextWindow();
          if (this.opts.invMetric) { this.prevMetric.set(this.invMetric); estimator.estimate(this.invMetric, this.prevMetric); }
          else estimator.estimate(this.invMetric);
          estimator.restart();
          if (this.dense) {
            this.cholInvMetric.set(this.invMetric);
            this.metricProduct!.setMatrix(this.invMetric);
            if (!choleskyInPlace(this.cholInvMetric, d)) throw fitFailed('the estimated dense metric is not positive definite');
          }
          this.sharp(this.zSample.g, this.zSample.gs); // M⁻¹∇ under the new metric
          this.initStepSize(this.zSample);
          dual.mu = Math.log(10 * this.eps);
          dual.restart();
        }
        schedule.advance();
        if (it === warmup - 1) this.eps = dual.final();
      } else {
        const k = it - warmup;
        res.draws.set(this.zSample.q, k * d);
        res.logp[k] = this.zSample.lp;
        res.treeDepth[k] = t.depth;
        res.nLeapfrog[k] = this.nLeapfrog;
        res.energy[k] = t.energy;
        res.acceptStat[k] = t.accept;
        if (this.divergent) {
          res.divergent[k] = 1;
          divergences++;
          res.divergentPoints.push({ draw: k, theta: Float64Array.from(this.start), divergedAt: Float64Array.from(this.divergedAt) });
        }
      }
      if (this.opts.onProgress && ((it + 1) % every === 0 || it === total - 1)) {
        this.opts.onProgress({ chain, iteration: it + 1, total, phase: it < warmup ? 'warmup' : 'sampling', divergences, stepSize: this.eps });
      }
    }
    res.stepSize = this.eps;
    res.seconds = (performance.now() - t0) / 1000;
    return res;
  }
}
