/**
 * Warm-up adaptation as in Stan: dual averaging of the step size (Hoffman & Gelman 2014, with Stan's
 * constants γ = 0.05, t₀ = 10, κ = 0.75, μ = log(10 ε₀)) and windowed estimation of the inverse
 * metric (Stan's schedule: an initial fast buffer of 75 iterations, slow windows of 25·2ⁿ, a final fast
 * buffer of 50; shrunk to 15% / 75% / 10% of the warm-up when it is shorter than 150 iterations).
 */

export class DualAveraging {
  private counter = 0;
  private sBar = 0;
  private xBar = 0;
  mu = 0;
  constructor(private readonly delta = 0.8, private readonly gamma = 0.05, private readonly kappa = 0.75, private readonly t0 = 10) {}

  restart(): void { this.counter = 0; this.sBar = 0; this.xBar = 0; }

  /** One update from the last transition's mean acceptance statistic; returns the new step size. */
  learn(acceptStat: number): number {
    this.counter++;
    const a = acceptStat > 1 ? 1 : acceptStat;
    const eta = 1 / (this.counter + this.t0);
    this.sBar = (1 - eta) * this.sBar + eta * (this.delta - a);
    const x = this.mu - (this.sBar * Math.sqrt(this.counter)) / this.gamma;
    const xEta = this.counter ** -this.kappa;
    this.xBar = (1 - xEta) * this.xBar + xEta * x;
    return Math.exp(x);
  }

  /** The step size used after warm-up: exp(x̄). */
  final(): number { return Math.exp(this.xBar); }
}

/** Stan's windowed adaptation schedule; `learn` returns true at the end of each slow window. */
export class WindowSchedule {
  readonly initBuffer: number;
  readonly termBuffer: number;
  private windowSize: number;
  private nextWindow: number;
  private counter = 0;
  readonly enabled: boolean;

  constructor(readonly numWarmup: number, initBuffer = 75, termBuffer = 50, baseWindow = 25) {
    this.enabled = numWarmup >= 20;
    if (initBuffer + baseWindow + termBuffer > numWarmup) {
      initBuffer = Math.floor(0.15 * numWarmup);
      termBuffer = Math.floor(0.1 * numWarmup);
      baseWindow = numWarmup - (initBuffer + termBuffer);
    }
    this.initBuffer = initBuffer;
    this.termBuffer = termBuffer;
    this.windowSize = baseWindow;
    this.nextWindow = initBuffer + baseWindow - 1;
  }

  /** Whether the current iteration's draw goes into the variance estimate. */
  inWindow(): boolean {
    return this.enabled && this.counter >= this.initBuffer && this.counter < this.numWarmup - this.termBuffer && this.counter !== this.numWarmup;
  }

  /** Whether the current iteration closes a slow window. */
  endOfWindow(): boolean {
    return this.enabled && this.counter === this.nextWindow && this.counter !== this.numWarmup;
  }

  computeNextWindow(): void {
    if (this.nextWindow === this.numWarmup - this.termBuffer - 1) return;
    this.windowSize *= 2;
    this.nextWindow = this.counter + this.windowSize;
    if (this.nextWindow !== this.numWarmup - this.termBuffer - 1) {
      const boundary = this.nextWindow + 2 * this.windowSize;
      if (boundary >= this.numWarmup - this.termBuffer) this.nextWindow = this.numWarmup - this.termBuffer - 1;
    }
  }

  advance(): void { this.counter++; }
}

/**
 * Running (Welford) estimate of the variance (diag) or covariance (dense, [dim, dim] row-major) of the
 * draws in a window, regularized as Stan does: (n/(n+5))·Σ + 1e-3·(5/(n+5))·I.
 */
export class MetricEstimator {
  private n = 0;
  private readonly mean: Float64Array;
  private readonly m2: Float64Array;
  private readonly delta: Float64Array;
  constructor(private readonly dim: number, private readonly dense: boolean) {
    this.mean = new Float64Array(dim);
    this.m2 = new Float64Array(dense ? dim * dim : dim);
    this.delta = new Float64Array(dim);
  }

  restart(): void { this.n = 0; this.mean.fill(0); this.m2.fill(0); }

  add(q: Float64Array): void {
    this.n++;
    const d = this.dim, mean = this.mean, delta = this.delta, m2 = this.m2;
    for (let i = 0; i < d; i++) { delta[i] = q[i] - mean[i]; mean[i] += delta[i] / this.n; }
    if (this.dense) {
      for (let i = 0; i < d; i++) {
        const di = q[i] - mean[i];
        for (let j = 0; j < d; j++) m2[i * d + j] += di * delta[j];
      }
    } else {
      for (let i = 0; i < d; i++) m2[i] += delta[i] * (q[i] - mean[i]);
    }
  }

  /**
   * Writes the regularized estimate into `out` (length dim, or dim² when dense). With `prior` (the
   * metric in use, e.g. one started from a Laplace approximation) the window's estimate is shrunk
   * toward it instead of toward 1e-3·I: out = w·Σ̂ + (1 − w)·prior with w = n / (n + dim), so short
   * windows (n ≲ dim, where a dense Σ̂ is nearly singular) keep most of a good starting metric.
   */
  estimate(out: Float64Array, prior?: Float64Array): void {
    const n = this.n, d = this.dim;
    if (prior) {
      const w = n / (n + d);
      if (this.dense) {
        for (let i = 0; i < d; i++) for (let j = 0; j < d; j++) {
          const c = 0.5 * (this.m2[i * d + j] + this.m2[j * d + i]) / (n - 1);
          out[i * d + j] = w * c + (1 - w) * prior[i * d + j];
        }
      } else {
        for (let i = 0; i < d; i++) out[i] = w * (this.m2[i] / (n - 1)) + (1 - w) * prior[i];
      }
      return;
    }
    const w = n / (n + 5), reg = 1e-3 * (5 / (n + 5));
    if (this.dense) {
      for (let i = 0; i < d; i++) for (let j = 0; j < d; j++) {
        const c = 0.5 * (this.m2[i * d + j] + this.m2[j * d + i]) / (n - 1);
        out[i * d + j] = w * c + (i === j ? reg : 0);
      }
    } else {
      for (let i = 0; i < d; i++) out[i] = w * (this.m2[i] / (n - 1)) + reg;
    }
  }
}
