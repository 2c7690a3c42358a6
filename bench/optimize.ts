/**
 * `npm run bench -- optimize`: the budget optimizer (src/planning).
 * - large: 20 channels × 50 geos = 1000 synthetic Hill curves (a third S-shaped), on posterior means and with
 *   200 posterior draws for intervals; wall time (median of 3 after a warm-up), KKT gap, sum error, gain over baseline.
 * - interpolated: the same 1000 curves in the form plans use for fitted models (each draw sampled on the fixed
 *   2^(k/3) multiplier grid and interpolated monotonically, src/planning/model.ts), 100 draws.
 * - model: a fast fit of simulated geo data (3 channels × 5 geos, 104 weeks), then `runPlan` with one curve per
 *   channel × geo: time to build the curves from the model (its response() per node and draw) and to optimize.
 * - vs SciPy: 40 problems of 10 Hill curves (concave and S-shaped, with and without ±50 % bounds) solved by us and
 *   by SLSQP (bench/optimize_slsqp.py via /usr/bin/python3, started from the reference mix as Robyn and
 *   PyMC-Marketing do); objective ratio and time ratio. Skipped with a message when SciPy is unavailable.
 */
import { spawnSync } from 'node:child_process';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { monotoneCubic } from '../src/analysis/index.ts';
import { bayesianFittedModel } from '../src/models/bayesian/fitted.ts';
import { fitBayesian } from '../src/models/bayesian/fit.ts';
import { parseModelConfig } from '../src/models/config.ts';
import { buildModelData } from '../src/models/design.ts';
import { simulate } from '../src/models/simulate/index.ts';
import { hill } from '../src/planning/curves.ts';
import { planGrid } from '../src/planning/model.ts';
import { hillCurve, optimizeBudget, parsePlan, runPlan, type Constraint, type ResponseCurve } from '../src/planning/index.ts';
import { rng } from '../src/planning/testing.ts';

const here = dirname(fileURLToPath(import.meta.url));

interface HillSpec { channel: string; geo?: string; beta: number; k: number; shape: number; reference: number }

function specs(nChannels: number, nGeos: number, seed: number, sShaped: number): HillSpec[] {
  const u = rng(seed);
  const out: HillSpec[] = [];
  for (let c = 0; c < nChannels; c++) {
    const beta = 500 + 3000 * u(), k = 50 + 400 * u(), shape = u() < sShaped ? 1.5 + 2 * u() : 0.6 + 0.4 * u();
    for (let g = 0; g < nGeos; g++) {
      const size = 0.3 + 1.4 * u();
      out.push({ channel: `ch${c}`, ...(nGeos > 1 ? { geo: `g${g}` } : {}), beta: beta * size, k: k * size * (0.7 + 0.6 * u()), shape: shape * (0.9 + 0.2 * u()), reference: k * size * (0.3 + 1.5 * u()) });
    }
  }
  return out;
}

function withDraws(s: HillSpec, D: number, u: () => number): ResponseCurve {
  const draws = { beta: new Float64Array(D), k: new Float64Array(D), shape: new Float64Array(D) };
  for (let i = 0; i < D; i++) { draws.beta[i] = s.beta * Math.exp(0.2 * (u() - 0.5)); draws.k[i] = s.k * Math.exp(0.2 * (u() - 0.5)); draws.shape[i] = s.shape; }
  return hillCurve({ ...s, draws });
}

function time<T>(f: () => T, runs: number): { value: T; seconds: number[] } {
  f(); // warm-up
  const seconds: number[] = [];
  let value!: T;
  for (let r = 0; r < runs; r++) { const t = performance.now(); value = f(); seconds.push((performance.now() - t) / 1000); }
  return { value, seconds };
}
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[xs.length >> 1];

function kktGap(r: ReturnType<typeof optimizeBudget>, lo: (k: string) => number, hi: (k: string) => number): number {
  if (r.equalMroi === null) return 0;
  let gap = 0;
  for (const x of r.allocation) if (x.spend > lo(x.key) + 1e-9 && x.spend < hi(x.key) - 1e-9) gap = Math.max(gap, Math.abs(x.mroi / r.equalMroi - 1));
  return gap;
}

function large() {
  const sp = specs(20, 50, 2026, 1 / 3);
  const curves = sp.map((s) => hillCurve(s));
  const budget = sp.reduce((t, s) => t + s.reference, 0);
  const means = time(() => optimizeBudget({ curves, budget }), 3);
  const r = means.value;
  const u = rng(77);
  const drawCurves = sp.map((s) => withDraws(s, 200, u));
  const draws = time(() => optimizeBudget({ curves: drawCurves, budget }), 3);
  const constrained = time(() => optimizeBudget({ curves, budget, constraints: { ch0: { maxPct: 20, minPct: 20 }, ch1: { min: 10 }, 'ch2@g7': { locked: 100 } } }), 3);
  return {
    curves: curves.length, budget,
    meansSeconds: median(means.seconds), meansRuns: means.seconds,
    draws: 200, drawsSeconds: median(draws.seconds),
    constrainedSeconds: median(constrained.seconds),
    iterations: r.iterations,
    expected: r.total.expected, baselineExpected: r.baseline.total.expected, gainOverBaseline: r.total.expected / r.baseline.total.expected - 1,
    sumRelativeError: Math.abs(r.total.spend - budget) / budget,
    equalMroi: r.equalMroi, kktMaxRelativeGap: kktGap(r, () => 0, () => Infinity),
    interval: draws.value.total.expectedInterval,
    fundedCurves: r.allocation.filter((x) => x.spend > 0).length,
  };
}

/** Hill curves turned into the representation of model curves: per draw on the plan grid, monotone interpolation. */
function interpolated() {
  const sp = specs(20, 50, 2026, 1 / 3);
  const D = 100, u = rng(78);
  const budget = sp.reduce((t, s) => t + s.reference, 0);
  const built = performance.now();
  const curves: ResponseCurve[] = sp.map((s) => {
    const ms = planGrid(Math.max(4, (1.5 * budget) / s.reference), 3);
    const xs = ms.map((m) => m * s.reference);
    const perDraw = Array.from({ length: D }, () => { const b = s.beta * Math.exp(0.2 * (u() - 0.5)), k = s.k * Math.exp(0.2 * (u() - 0.5)); return monotoneCubic(xs, xs.map((x) => hill(x, b, k, s.shape))); });
    const mean = monotoneCubic(xs, xs.map((x) => perDraw.reduce((t, d) => t + d.value(x), 0) / D));
    return { key: s.geo ? `${s.channel}@${s.geo}` : s.channel, channel: s.channel, geo: s.geo, reference: s.reference, expected: (x: number) => mean.value(x), draws: (x: number) => Float64Array.from(perDraw, (d) => d.value(x)) };
  });
  const buildSeconds = (performance.now() - built) / 1000;
  const meansOnly = curves.map((c) => ({ ...c, draws: undefined }));
  const means = time(() => optimizeBudget({ curves: meansOnly, budget }), 3);
  const draws = time(() => optimizeBudget({ curves, budget }), 3);
  const r = draws.value;
  return {
    curves: curves.length, draws: D, nodesPerCurve: planGrid(4, 3).length, buildSeconds,
    meansSeconds: median(means.seconds), drawsSeconds: median(draws.seconds),
    gainOverBaseline: r.total.expected / r.baseline.total.expected - 1, sumRelativeError: Math.abs(r.total.spend - budget) / budget,
    kktMaxRelativeGap: kktGap(r, () => 0, () => Infinity), interval: r.total.expectedInterval,
  };
}

/** A fitted geo model end to end: curves per channel × geo from the model's own response(), then the plan. */
async function model() {
  const sim = simulate({ weeks: 104, channels: 3, geos: 5, seed: 11 });
  const config = parseModelConfig({
    data: { file: 'x.csv', geo: 'geo', population: 'population' }, target: { column: 'revenue' },
    channels: sim.truth.channels.map((c) => ({ name: c.name, spend: `${c.name}_spend` })), controls: [{ column: 'price', sign: 'negative' }],
  });
  const data = buildModelData(config, { source: 'x.csv', rowCount: sim.rows.length, columns: Object.fromEntries(sim.columns.map((c, j) => [c, sim.rows.map((r) => r[j])])) });
  let t = performance.now();
  const fit = await fitBayesian(config, data, { fast: true, chains: 1, draws: 100 });
  const fitSeconds = (performance.now() - t) / 1000;
  const fitted = bayesianFittedModel(config, data, fit, 100);
  t = performance.now();
  fitted.response({ channel: 0, multiplier: 1.1, window: [91, 104], geo: 0 });
  const responseSeconds = (performance.now() - t) / 1000;
  let ref = 0;
  for (let i = 0; i < fitted.spend.length; i++) if (Math.floor(i / 3) % 104 >= 91) ref += fitted.spend[i];
  t = performance.now();
  const out = runPlan(parsePlan({ model: 'bench', budget: ref, periods: 13, geos: true, forecast: 'none' }), [{ id: 'bench', fitted, weight: 1 }]);
  const planSeconds = (performance.now() - t) / 1000;
  t = performance.now();
  const again = runPlan(parsePlan({ model: 'bench', budget: 1.2 * ref, periods: 13, geos: true, forecast: 'none' }), [{ id: 'bench', fitted, weight: 1 }]);
  const cachedPlanSeconds = (performance.now() - t) / 1000;
  return {
    geos: 5, channels: 3, curves: out.allocation.length, draws: fitted.nDraws, fitSeconds,
    responseCallSeconds: responseSeconds, firstPlanSeconds: planSeconds, secondPlanSeconds: cachedPlanSeconds,
    gainOverBaseline: out.total.expected / out.baseline.expected - 1, secondGain: again.total.expected / again.baseline.expected - 1,
    sumRelativeError: Math.abs(out.total.spend - ref) / ref,
  };
}

function scipyCompare() {
  const problems: { curves: ResponseCurve[]; budget: number; constraints?: Record<string, Constraint>; py: object; label: string }[] = [];
  for (let t = 0; t < 40; t++) {
    const sShaped = t % 2 ? 0.6 : 0;
    const sp = specs(10, 1, 100 + t, sShaped);
    const budget = sp.reduce((a, s) => a + s.reference, 0) * (0.5 + (t % 4) * 0.5);
    const bounded = t % 4 >= 2;
    const refSum = sp.reduce((a, s) => a + s.reference, 0);
    const base = sp.map((s) => (s.reference / refSum) * budget);
    const lo = bounded ? base.map((b) => 0.5 * b) : base.map(() => 0), hi = bounded ? base.map((b) => 1.5 * b) : base.map(() => budget);
    const cons: Record<string, Constraint> | undefined = bounded ? Object.fromEntries(sp.map((s) => [s.channel, { minPct: 50, maxPct: 50 }])) : undefined;
    problems.push({
      curves: sp.map((s) => hillCurve(s)), budget, constraints: cons, label: `${sShaped ? 'S-shaped' : 'concave'}${bounded ? ', ±50%' : ''}`,
      py: { beta: sp.map((s) => s.beta), k: sp.map((s) => s.k), shape: sp.map((s) => s.shape), budget, start: base, lo, hi },
    });
  }
  const ours = problems.map((p) => time(() => optimizeBudget({ curves: p.curves, budget: p.budget, constraints: p.constraints }), 3));
  const py = spawnSync('/usr/bin/python3', [join(here, 'optimize_slsqp.py')], { input: JSON.stringify(problems.map((p) => p.py)), encoding: 'utf8', maxBuffer: 1 << 26 });
  if (py.error || py.status !== 0) {
    const why = py.error ? String(py.error.message) : py.stderr.trim().split('\n').pop();
    console.error(`skipping the SciPy comparison: /usr/bin/python3 with scipy is unavailable (${why}); install with: apt-get install -y python3-scipy`);
    return { skipped: `SciPy unavailable: ${why}` };
  }
  const sl = JSON.parse(py.stdout) as { objective: number; seconds: number; iterations: number; success: boolean }[];
  const rows = problems.map((p, i) => ({
    label: p.label, ours: ours[i].value.total.expected, slsqp: sl[i].objective,
    relDiff: ours[i].value.total.expected / sl[i].objective - 1,
    oursSeconds: median(ours[i].seconds), slsqpSeconds: sl[i].seconds, slsqpSuccess: sl[i].success,
  }));
  const by = (f: (r: (typeof rows)[number]) => boolean) => {
    const rs = rows.filter(f);
    return {
      problems: rs.length, slsqpReportedFailure: rs.filter((r) => !r.slsqpSuccess).length,
      oursBetterWhereSlsqpSucceeded: rs.filter((r) => r.slsqpSuccess && r.relDiff > 1e-6).length,
      oursBetter: rs.filter((r) => r.relDiff > 1e-6).length, equal: rs.filter((r) => Math.abs(r.relDiff) <= 1e-6).length, oursWorse: rs.filter((r) => r.relDiff < -1e-6).length,
      worstRelDiff: Math.min(...rs.map((r) => r.relDiff)), bestRelDiff: Math.max(...rs.map((r) => r.relDiff)),
      medianOursSeconds: median(rs.map((r) => r.oursSeconds)), medianSlsqpSeconds: median(rs.map((r) => r.slsqpSeconds)),
      medianTimeRatio: median(rs.map((r) => r.oursSeconds / r.slsqpSeconds)),
    };
  };
  return { curvesPerProblem: 10, all: by(() => true), concave: by((r) => r.label.startsWith('concave')), sShaped: by((r) => r.label.startsWith('S')), rows };
}

export async function run(): Promise<object> {
  const l = large();
  console.error(`1000 curves: ${(l.meansSeconds * 1000).toFixed(0)} ms on means, ${(l.drawsSeconds * 1000).toFixed(0)} ms with 200 draws; +${(100 * l.gainOverBaseline).toFixed(1)}% over baseline; KKT gap ${l.kktMaxRelativeGap.toExponential(1)}`);
  const i = interpolated();
  console.error(`1000 interpolated curves (${i.draws} draws): ${(i.meansSeconds * 1000).toFixed(0)} ms on means, ${(i.drawsSeconds * 1000).toFixed(0)} ms with draws (build ${i.buildSeconds.toFixed(2)} s)`);
  const m = await model();
  console.error(`geo model ${m.channels}×${m.geos}: first plan ${m.firstPlanSeconds.toFixed(1)} s (curves from the model), second ${m.secondPlanSeconds.toFixed(2)} s; one response() ${(m.responseCallSeconds * 1000).toFixed(0)} ms`);
  const s = scipyCompare();
  if ('all' in s && s.all) console.error(`vs SLSQP (10 curves × ${s.all.problems}): better ${s.all.oursBetter}, equal ${s.all.equal}, worse ${s.all.oursWorse}; worst ${s.all.worstRelDiff.toExponential(2)}; time ratio ${s.all.medianTimeRatio.toFixed(2)}`);
  return { large: l, interpolated: i, model: m, scipy: s };
}
