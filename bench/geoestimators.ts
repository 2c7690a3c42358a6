/**
 * `npm run bench -- geoestimators` (issue 27): which geo estimator and which test lengths give the
 * smallest standard error relative to the true lift while the standard error stays calibrated?
 *
 * Over many simulated worlds (400 each of 20 and 40 geos, 156 weeks of data, the simulator's true process for the weeks
 * after: src/models/simulate/trueTest.ts), a dark test of each always-on channel (search, social,
 * display) on the design's matched split of all pairs, for windows of 4, 8, 12 and 16 weeks, read by:
 * - `ratio`: ρ̂·Y_C against Y_T, ρ̂ over the P weeks before (estimator.ts, the design's), P = 26, 39, 52;
 * - `tbr`: Time-Based Regression, Y_T,t = a + b·Y_C,t fitted by least squares on the P weeks before,
 *   the window's prediction against Y_T, its standard error from the AR(1) residuals with the
 *   parameters' error (the design's: at the window's control equal to the pre-period's mean).
 * Per estimator and length: the spread of (estimate − truth) over the worlds against the root mean
 * square of the design's standard error (1 = calibrated; the tolerance of estimator.test.ts beside it),
 * the mean error in Monte Carlo standard errors, and per channel the median of se ÷ |true lift| — the
 * ROI error a test's noise alone implies. The errors of one world's three channels share its noise, so
 * calibration is read on one channel (social, as the estimator test).
 */
import { simulate } from '../src/models/simulate/index.ts';
import { trueChannelEffect, trueOutcome, trueSpendSeries } from '../src/models/simulate/trueTest.ts';
import { geoFeatures, matchedSplit } from '../src/analysis/design/matching.ts';
import { ar1SumVariance, geoLiftEstimate, geoLiftSe, groupTotals, lagOneCorrelation, ratioFit } from '../src/analysis/design/estimator.ts';

const T0 = 156, WMAX = 16, CHANNELS = ['search', 'social', 'display'];
const LENGTHS = [4, 8, 12, 16], PRES = [26, 39, 52];
const round = (v: number, d = 3) => Math.round(v * 10 ** d) / 10 ** d;

/** Time-Based Regression on the pre-period: a, b, residual sd, lag-1 correlation, x̄. */
function tbrFit(yT: Float64Array, yC: Float64Array) {
  const P = yT.length;
  const mx = yC.reduce((a, b) => a + b, 0) / P, my = yT.reduce((a, b) => a + b, 0) / P;
  let sxx = 0, sxy = 0;
  for (let i = 0; i < P; i++) { sxx += (yC[i] - mx) ** 2; sxy += (yC[i] - mx) * (yT[i] - my); }
  const b = sxx > 0 ? sxy / sxx : 0, a = my - b * mx;
  const e = yT.map((v, i) => v - a - b * yC[i]);
  const s2 = e.reduce((x, y) => x + y * y, 0) / Math.max(P - 2, 1);
  return { a, b, s: Math.sqrt(s2), r: lagOneCorrelation(e), mx, sxx, P };
}

/**
 * The TBR standard error of the window's sum: error = v'e_pre − 1'e_window, v the pre-period weights of
 * the prediction's parameters (X(X'X)⁻¹c, c = (W, Σ_window x)); AR(1) across pre-period and window.
 * At design time Σ_window x = W·x̄, so v = W/P on every pre-period week.
 */
function tbrSe(f: ReturnType<typeof tbrFit>, W: number, xPre: Float64Array, sumXWindow = W * f.mx): number {
  const u = new Float64Array(f.P + W);
  const dx = sumXWindow / W - f.mx;
  for (let i = 0; i < f.P; i++) u[i] = W / f.P + (f.sxx > 0 ? (W * dx * (xPre[i] - f.mx)) / f.sxx : 0);
  for (let i = f.P; i < f.P + W; i++) u[i] = -1;
  return f.s * Math.sqrt(ar1SumVariance(u, f.r));
}

interface Row { error: number; se: number; relSe: number; truth: number }

export async function run(): Promise<object> {
  const N = Number(process.env.GEOESTIMATORS_WORLDS ?? 400);
  const geoCounts = (process.env.GEOESTIMATORS_GEOS ?? '20,40').split(',').map(Number);
  const byGeos: Record<string, object[]> = {};
  for (const G of geoCounts) byGeos[`${G} geos`] = measure(N, G);
  return { settings: { worldsEach: N, geos: geoCounts, fittedWeeks: T0, test: 'dark, matched split of all pairs', lengths: LENGTHS, preWeeks: PRES, channels: CHANNELS, calibration: 'social: spread of (estimate − truth) ÷ RMS se; tolerance 3·√((κ−1)/(4N)) as estimator.test.ts' }, ...byGeos };
}

function measure(N: number, G: number): object[] {
  const T = T0 + WMAX;
  const estimators = [...PRES.map((P) => `ratio${P}`), ...PRES.map((P) => `tbr${P}`)];
  const rows = new Map<string, Row[]>(); // key: estimator|W|channel
  const push = (k: string, r: Row) => { const a = rows.get(k) ?? []; a.push(r); rows.set(k, a); };
  for (let seed = 1; seed <= N; seed++) {
    const sim = simulate({ weeks: T, channels: 5, geos: G, seed });
    const j = sim.columns.indexOf('revenue');
    const y0 = Float64Array.from(sim.rows, (r) => r[j] as number);
    const split = matchedSplit(geoFeatures(y0, G, T, T0 - 52, T0));
    for (const name of CHANNELS) {
      const c = sim.truth.channels.findIndex((ch) => ch.name === name);
      const spend0 = trueSpendSeries(sim, c);
      for (const W of LENGTHS) {
        // The design's plan: business as usual (the mean of the max(W, 13) weeks before) everywhere, the treatment dark.
        const B = Math.max(13, W);
        const bau = Float64Array.from(spend0), run = Float64Array.from(spend0);
        for (let g = 0; g < G; g++) {
          let b = 0;
          for (let t = T0 - B; t < T0; t++) b += spend0[g * T + t] / B;
          for (let t = T0; t < T; t++) { bau[g * T + t] = b; run[g * T + t] = t < T0 + W && split.treatment.includes(g) ? 0 : b; }
        }
        const y = trueOutcome(sim, c, run);
        const withBau = trueChannelEffect(sim, c, bau), withRun = trueChannelEffect(sim, c, run);
        let truth = 0;
        for (const g of split.treatment) for (let t = T0; t < T0 + W; t++) truth += withBau[g * T + t] - withRun[g * T + t];
        const wT = groupTotals(y, T, split.treatment, T0, T0 + W), wC = groupTotals(y, T, split.control, T0, T0 + W);
        for (const P of PRES) {
          const pT = groupTotals(y, T, split.treatment, T0 - P, T0), pC = groupTotals(y, T, split.control, T0 - P, T0);
          const est = geoLiftEstimate(y, T, split.treatment, split.control, [T0 - P, T0], [T0, T0 + W], -1);
          const se = geoLiftSe(ratioFit(pT, pC), W);
          push(`ratio${P}|${W}|${name}`, { error: est - truth, se, relSe: se / Math.abs(truth), truth });
          const f = tbrFit(pT, pC);
          let s = 0;
          for (let i = 0; i < W; i++) s += f.a + f.b * wC[i] - wT[i];
          const seT = tbrSe(f, W, pC);
          push(`tbr${P}|${W}|${name}`, { error: s - truth, se: seT, relSe: seT / Math.abs(truth), truth });
        }
      }
    }
    if (seed % 100 === 0) console.error(`[geoestimators] ${G} geos: ${seed} of ${N} worlds`);
  }
  const rms = (a: number[]) => Math.sqrt(a.reduce((x, y) => x + y * y, 0) / a.length);
  const median = (a: number[]) => { const s = [...a].sort((x, y) => x - y); return s[s.length >> 1]; };
  const table = estimators.flatMap((e) => LENGTHS.map((W) => {
    const cal = rows.get(`${e}|${W}|social`)!;
    const errors = cal.map((r) => r.error), spread = rms(errors);
    const kurtosis = errors.reduce((a, x) => a + x ** 4, 0) / errors.length / spread ** 4;
    const mean = errors.reduce((a, b) => a + b, 0) / errors.length;
    return {
      estimator: e, weeks: W,
      spreadOverSe: round(spread / rms(cal.map((r) => r.se))), tolerance: round(3 * Math.sqrt((kurtosis - 1) / (4 * errors.length))),
      biasInMcSe: round(mean / (spread / Math.sqrt(errors.length)), 2),
      medianSeOverTrueLift: Object.fromEntries(CHANNELS.map((ch) => [ch, round(median(rows.get(`${e}|${W}|${ch}`)!.map((r) => r.relSe)))])),
      // The realized relative error, not the se's: the median of |estimate − truth| ÷ |truth| per channel.
      medianAbsErrorOverTrueLift: Object.fromEntries(CHANNELS.map((ch) => [ch, round(median(rows.get(`${e}|${W}|${ch}`)!.map((r) => Math.abs(r.error / r.truth))))])),
    };
  }));
  console.log(`${G} geos, ${N} worlds`);
  for (const r of table) console.log(`${r.estimator.padEnd(8)} W=${String(r.weeks).padStart(2)}  spread/se ${r.spreadOverSe} (±${r.tolerance})  bias ${r.biasInMcSe} mcse  se/|lift| ${CHANNELS.map((ch) => `${ch} ${r.medianSeOverTrueLift[ch]}`).join(', ')}`);
  return table;
}
