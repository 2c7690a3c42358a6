/**
 * `npm run bench -- experiments` (issue 27): do designed lift tests close the identification gap of
 * always-on channels, and does the design predict what a test teaches?
 *
 * On the simulator (geo 40 × 156 weeks and national 156 weeks, 5 channels; seeds 1–6 unless
 * EXPERIMENTS_SEEDS says otherwise), each world simulated 16 weeks past the fitted data:
 * 1. fit the Bayesian model on the first 156 weeks (Laplace, `--fast`, 1000 draws: the settings are in
 *    the JSON) and design tests (src/analysis/design) for the three always-on channels (search,
 *    social, display: no flighting in the simulator);
 * 2. per channel, run its most informative test (the largest expected narrowing of the ROI interval;
 *    the top-ranked one by information per cost is recorded beside it) inside the true process (src/models/simulate/trueTest.ts):
 *    the channel's spend follows the test's plan in the weeks after the data (treatment geos or
 *    changed weeks at business as usual × (1 + spendChange), controls at business as usual), the
 *    outcome is the truth plus the simulation's noise, and the lift is read with the design's
 *    estimator (geo: treatment against its ratio-scaled control; national: on/off weeks on the outcome
 *    net of the first fit's forecast of everything else). Each test runs in its own copy of those weeks;
 * 3. enter the result (lift, the design's se) and refit on the same 156 weeks: once per channel with
 *    its test alone (the realized interval the design predicted), and once with all three.
 * Per channel: ROI error before and after (against the true ROI over the fitted weeks), the 90% ROI
 * interval width now, predicted after the test, and realized after it, and the test's measured lift
 * against its true lift. Goals: always-on ROI error ≤ 15% after one test each; realized widths within
 * 25% of the predicted ones. Beside them, what the candidate set allows at best per channel (the
 * smallest se ÷ |true lift| of any candidate, the most informative one's expected width ÷ true ROI)
 * and how many channels could reach ≤ 15% even in principle; and how many realized widths fall in the
 * design's predicted 10th–90th percentile range.
 */
import { loadavg } from 'node:os';
import { fitTable } from '../src/app/fit.ts';
import { fittedFromStored } from '../src/app/load.ts';
import { flaggedChannels } from '../src/app/design.ts';
import type { BayesianFit } from '../src/models/bayesian/fit.ts';
import { parseModelConfig, type ModelConfig } from '../src/models/config.ts';
import type { WideTable } from '../src/models/design.ts';
import type { FittedModel } from '../src/models/fitted.ts';
import { simulate, type Simulation } from '../src/models/simulate/index.ts';
import { trueChannelEffect, trueOutcome, trueSpendSeries } from '../src/models/simulate/trueTest.ts';
import { designTests, type DesignedTest } from '../src/analysis/design/design.ts';
import { geoLiftEstimate, pulseLiftEstimate, RATIO_WEEKS } from '../src/analysis/design/estimator.ts';
import { testPlan } from '../src/analysis/design/plan.ts';
import { simulatedConfig } from './forecast.ts';

const FITTED = 156, EXTRA = 16, DRAWS = 1000;
const ALWAYS_ON = ['search', 'social', 'display'];
const round = (v: number, d = 4) => Math.round(v * 10 ** d) / 10 ** d;
const mean = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / xs.length;

/** The first `weeks` weeks of a simulation as the table a fit reads. */
export function firstWeeks(sim: Simulation, weeks: number): WideTable {
  const T = sim.truth.weeks;
  const rows = sim.rows.map((_, i) => i).filter((i) => i % T < weeks);
  return { source: 'sim.csv', rowCount: rows.length, columns: Object.fromEntries(sim.columns.map((c, j) => [c, rows.map((i) => sim.rows[i][j])])) };
}

/** True ROI of each channel over the fitted weeks. */
function trueRoi(sim: Simulation, c: number): number {
  const T = sim.truth.weeks, G = sim.truth.geoShares.length, spend = trueSpendSeries(sim, c);
  let s = 0, e = 0;
  for (let g = 0; g < G; g++) for (let t = 0; t < FITTED; t++) { s += spend[g * T + t]; e += sim.contributionSeries[c][g * T + t]; }
  return e / s;
}

async function fit(config: ModelConfig, table: WideTable): Promise<BayesianFit> {
  return (await fitTable(config, table, { fast: true, draws: DRAWS })) as BayesianFit;
}

/** A designed test's spend path in the true process (`run`) and business as usual beside it (`bau`). */
function testPaths(sim: Simulation, fitted: FittedModel, test: DesignedTest) {
  const T = sim.truth.weeks;
  const c = sim.truth.channels.findIndex((ch) => ch.name === test.channel);
  const W = test.periods.length;
  const plan = testPlan(fitted, test);
  const geoIndex = (name: string) => (name === 'national' ? 0 : fitted.geos.indexOf(name));
  const run = trueSpendSeries(sim, c), bau = Float64Array.from(run);
  for (const r of plan) {
    const g = geoIndex(r.geo), t = FITTED + test.periods.indexOf(r.week);
    run[g * T + t] = r.plannedSpend;
    // Business as usual is the plan's unchanged spend: control geos, unchanged weeks, or the treatment's own level.
    bau[g * T + t] = r.group === 'treatment' || r.group === 'changed' ? r.plannedSpend / (1 + test.spendChange) : r.plannedSpend;
  }
  // 'dark' leaves 0 / 0: the treatment's business as usual is its geo's planned control-style level.
  if (test.spendChange === -1) for (const r of plan) if (r.group === 'treatment' || r.group === 'changed') {
    const g = geoIndex(r.geo);
    let b = 0;
    for (let t = FITTED - Math.max(13, W); t < FITTED; t++) b += run[g * T + t] / Math.max(13, W);
    bau[g * T + FITTED + test.periods.indexOf(r.week)] = b;
  }
  return { T, c, W, run, bau, geoIndex, sign: test.spendChange < 0 ? 1 : -1 };
}

/** A designed test's true lift, as its estimator reads it (geo: treatment's loss against BAU; national: the on/off contrast of the channel's own effect). */
export function trueLift(sim: Simulation, fitted: FittedModel, test: DesignedTest): number {
  const { T, c, W, run, bau, geoIndex, sign } = testPaths(sim, fitted, test);
  if (test.kind === 'geo') {
    const withBau = trueChannelEffect(sim, c, bau), withRun = trueChannelEffect(sim, c, run);
    let truth = 0;
    for (const g of test.treatment!.geos.map(geoIndex)) for (let t = FITTED; t < FITTED + W; t++) truth += sign * (withBau[g * T + t] - withRun[g * T + t]);
    return truth;
  }
  // The channel's effect on the test path, unchanged weeks against changed, net of the carry-in.
  const changed = test.periods.map((d) => test.weeks!.includes(d));
  const path = trueChannelEffect(sim, c, run), carry = Float64Array.from(run);
  for (let t = FITTED; t < FITTED + W; t++) carry[t] = 0;
  const carryIn = trueChannelEffect(sim, c, carry);
  return pulseLiftEstimate(Array.from({ length: W }, (_, k) => path[FITTED + k] - carryIn[FITTED + k]), changed, test.spendChange);
}

/** Runs a designed test in the true process: its measured lift, and its true lift. */
export function runTest(sim: Simulation, fitted: FittedModel, test: DesignedTest): { measured: number; truth: number; se: number } {
  const C = sim.truth.channels.length;
  const { T, c, W, run, geoIndex } = testPaths(sim, fitted, test);
  const truth = trueLift(sim, fitted, test);
  const y = trueOutcome(sim, c, run);
  if (test.kind === 'geo') {
    const treatment = test.treatment!.geos.map(geoIndex), control = test.control!.geos.map(geoIndex);
    return { measured: geoLiftEstimate(y, T, treatment, control, [FITTED - RATIO_WEEKS, FITTED], [FITTED, FITTED + W], test.spendChange), truth, se: test.expectedLiftSe };
  }
  // National: the outcome net of the first fit's forecast of everything but this channel's spend in the window.
  const changed = test.periods.map((d) => test.weeks!.includes(d));
  const activity = new Float64Array(W * C), controls = new Float64Array(W);
  const price = sim.columns.indexOf('price');
  for (let k = 0; k < W; k++) {
    for (let cc = 0; cc < C; cc++) if (cc !== c) activity[k * C + cc] = trueSpendSeries(sim, cc)[FITTED + k];
    controls[k] = sim.rows[FITTED + k][price] as number;
  }
  const f = fitted.futureDraws!({ dates: test.periods, activity, controls });
  const adjusted = Array.from({ length: W }, (_, k) => {
    let s = 0;
    for (let d = 0; d < f.nDraws; d++) s += f.base[d * W + k] + f.controls[d * W + k] + f.media[d * W + k];
    return y[FITTED + k] - s / f.nDraws;
  });
  // The forecast's own uncertainty in the estimator's contrast, over the first fit's draws: the reading's
  // standard error adds it to the design's (which assumed the rest of the outcome known to the residual).
  const contrast = Array.from({ length: f.nDraws }, (_, d) => pulseLiftEstimate(Array.from({ length: W }, (_, k) => f.base[d * W + k] + f.controls[d * W + k] + f.media[d * W + k]), changed, test.spendChange));
  const cm = mean(contrast), forecastSd = Math.sqrt(contrast.reduce((a, v) => a + (v - cm) ** 2, 0) / Math.max(contrast.length - 1, 1));
  return { measured: pulseLiftEstimate(adjusted, changed, test.spendChange), truth, se: Math.hypot(test.expectedLiftSe, forecastSd) };
}

async function oneWorld(kind: 'geo' | 'national', seed: number, geos: number) {
  const started = performance.now();
  const sim = simulate({ weeks: FITTED + EXTRA, channels: 5, geos: kind === 'geo' ? geos : 0, seed });
  const table = firstWeeks(sim, FITTED);
  const config = simulatedConfig(sim);
  const before = await fit(config, table);
  const fitted = fittedFromStored(`${kind}-${seed}`, 'bayesian', config, before, table, DRAWS);
  const flagged = flaggedChannels(fitted.channels, before.warnings);
  const design = designTests({ modelId: `${kind}-${seed}`, fitted, flagged, revenueFactor: () => 1 }, { channels: ALWAYS_ON, perChannel: 100 });
  // Per channel the design's most informative test (the largest expected narrowing of the ROI
  // interval), and, for the record, what its top-ranked (information per cost) one was.
  const pick = (name: string) => design.tests.filter((t) => t.channel === name).reduce((a, b) => (b.information > a.information ? b : a));
  const tests = ALWAYS_ON.map(pick);
  const topRanked = ALWAYS_ON.map((name) => design.tests.find((t) => t.channel === name)!);
  const results = tests.map((t) => ({ test: t, ...runTest(sim, fitted, t) }));
  // What the candidate set allows at best, per channel: the smallest standard error relative to the
  // candidate's true lift (the ROI error the test's noise alone implies, one standard error; national:
  // the design's se, without the forecast's uncertainty the reading adds, so a lower bound), and the
  // most informative candidate's expected 90% ROI interval width relative to the true ROI.
  const achievable = ALWAYS_ON.map((name, k) => {
    const cs = design.tests.filter((t) => t.channel === name);
    const rel = cs.map((t) => t.expectedLiftSe / Math.abs(trueLift(sim, fitted, t)));
    const b = rel.reduce((best, r, i) => (r < rel[best] ? i : best), 0);
    return { candidates: cs.length, bestSeOverTrueLift: rel[b], bestBySe: { kind: cs[b].kind, spendChange: cs[b].spendChange, weeks: cs[b].periods.length, treated: cs[b].treatment?.geos.length ?? null }, expectedWidth: tests[k].expectedRoiInterval[1] - tests[k].expectedRoiInterval[0] };
  });
  const entry = (r: (typeof results)[number]) => ({ ...r.test.experiment, lift: r.measured, liftSe: r.se });
  const refit = async (entries: object[]) => fit(parseModelConfig({ ...config, experiments: entries }), table);
  const single: BayesianFit[] = [];
  for (const r of results) single.push(await refit([entry(r)]));
  const joint = await refit(results.map(entry));
  const channels = sim.truth.channels.map((ch, c) => {
    const truth = trueRoi(sim, c);
    const err = (f: BayesianFit) => round((f.channels[c].roi - truth) / truth);
    const width = (iv: readonly number[] | undefined) => (iv ? round(iv[1] - iv[0]) : null);
    const k = ALWAYS_ON.indexOf(ch.name), r = results[k], after = single[k];
    return {
      channel: ch.name, alwaysOn: k >= 0, flagged: flagged.get(ch.name) ?? null, trueRoi: round(truth),
      roiErrorBefore: err(before), roiErrorAfterJoint: err(joint),
      ...(r ? {
        test: { kind: r.test.kind, spendChange: r.test.spendChange, weeks: r.test.periods.length, treated: r.test.treatment?.geos.length ?? null, power: round(r.test.power, 3), cost: round(r.test.cost, 0), expectedLift: round(r.test.expectedLift, 0), se: round(r.test.expectedLiftSe, 0), measured: round(r.measured, 0), trueLift: round(r.truth, 0), seReading: round(r.se, 0), zMeasuredVsTrue: round((r.measured - r.truth) / r.se, 2), method: r.test.preposterior.method,
          // The test's surprise to the model that designed it: in the test's own se, and whether the result
          // fell outside the 95% range the design expected it in (the health's "tests against the model before them").
          surpriseZ: round((r.measured - r.test.expectedLift) / r.test.expectedLiftSe, 2), resultInterval: r.test.resultInterval.map((v) => round(v, 0)),
          outsideExpected: r.measured < r.test.resultInterval[0] || r.measured > r.test.resultInterval[1] },
        topRanked: { kind: topRanked[k].kind, spendChange: topRanked[k].spendChange, weeks: topRanked[k].periods.length, treated: topRanked[k].treatment?.geos.length ?? null, information: round(topRanked[k].information, 3), cost: round(topRanked[k].cost, 0) },
        information: round(r.test.information, 3),
        roiErrorAfterOwnTest: err(after),
        width: { before: width(before.channels[c].roiInterval), designNow: width(r.test.roiIntervalNow), predicted: width(r.test.expectedRoiInterval), realized: width(after.channels[c].roiInterval) },
        realizedOverPredicted: round((after.channels[c].roiInterval![1] - after.channels[c].roiInterval![0]) / (r.test.expectedRoiInterval[1] - r.test.expectedRoiInterval[0]), 3),
        predictedWidthRange: r.test.expectedRoiWidthRange.map((v) => round(v)),
        realizedInPredictedRange: r.test.expectedRoiWidthRange[0] <= after.channels[c].roiInterval![1] - after.channels[c].roiInterval![0] && after.channels[c].roiInterval![1] - after.channels[c].roiInterval![0] <= r.test.expectedRoiWidthRange[1],
        bestAchievable: {
          candidates: achievable[k].candidates,
          seOverTrueLift: round(achievable[k].bestSeOverTrueLift), test: achievable[k].bestBySe,
          expectedWidthOverTrueRoi: round(achievable[k].expectedWidth / truth),
          // ≤ 15% in principle: the best test's noise alone within 15% of the lift (one se), and the
          // most informative test's expected posterior sd (90% width ÷ 3.29) within 15% of the ROI.
          bySeAlone: achievable[k].bestSeOverTrueLift <= 0.15,
          byExpectedWidth: achievable[k].expectedWidth / (2 * 1.6448536269514722) <= 0.15 * truth,
        },
        truthInsideAfter: after.channels[c].roiInterval![0] <= truth && truth <= after.channels[c].roiInterval![1],
      } : {}),
    };
  });
  const seconds = round((performance.now() - started) / 1000, 1);
  const on = channels.filter((c) => c.alwaysOn);
  console.error(`[${kind} ${seed}] ${seconds}s; ${on.map((c) => `${c.channel} ${(100 * c.roiErrorBefore).toFixed(0)}% → ${(100 * (c.roiErrorAfterOwnTest ?? 0)).toFixed(0)}% (joint ${(100 * c.roiErrorAfterJoint).toFixed(0)}%), width ×${c.realizedOverPredicted}`).join('; ')}`);
  return { kind, seed, geos: kind === 'geo' ? geos : 0, seconds, channels };
}

type World = Awaited<ReturnType<typeof oneWorld>>;

function summarize(worlds: World[]) {
  const on = worlds.flatMap((w) => w.channels.filter((c) => c.alwaysOn));
  const abs = (xs: (number | undefined)[]) => xs.filter((x): x is number => x !== undefined).map(Math.abs);
  const ratios = on.map((c) => c.realizedOverPredicted!).filter((x) => Number.isFinite(x));
  const perChannel = Object.fromEntries(ALWAYS_ON.map((name) => {
    const cs = on.filter((c) => c.channel === name);
    return [name, {
      meanAbsErrorBefore: round(mean(abs(cs.map((c) => c.roiErrorBefore)))), meanAbsErrorAfterOwnTest: round(mean(abs(cs.map((c) => c.roiErrorAfterOwnTest)))), meanAbsErrorAfterJoint: round(mean(abs(cs.map((c) => c.roiErrorAfterJoint)))),
      realizedOverPredicted: cs.map((c) => c.realizedOverPredicted), truthInsideAfter: `${cs.filter((c) => c.truthInsideAfter).length} of ${cs.length}`,
      widthInPredictedRange: `${cs.filter((c) => c.realizedInPredictedRange).length} of ${cs.length}`,
      surpriseZ: cs.map((c) => c.test?.surpriseZ ?? null), resultsOutsideExpected: `${cs.filter((c) => c.test?.outsideExpected).length} of ${cs.length}`,
      atMost15AfterOwnTest: `${cs.filter((c) => Math.abs(c.roiErrorAfterOwnTest ?? Infinity) <= 0.15).length} of ${cs.length}`,
      bestSeOverTrueLift: cs.map((c) => c.bestAchievable!.seOverTrueLift),
      expectedWidthOverTrueRoi: cs.map((c) => c.bestAchievable!.expectedWidthOverTrueRoi),
      couldReach15: { bySeAlone: `${cs.filter((c) => c.bestAchievable!.bySeAlone).length} of ${cs.length}`, byExpectedWidth: `${cs.filter((c) => c.bestAchievable!.byExpectedWidth).length} of ${cs.length}` },
    }];
  }));
  return {
    worlds: worlds.length,
    alwaysOnMeanAbsErrorBefore: round(mean(abs(on.map((c) => c.roiErrorBefore)))),
    alwaysOnMeanAbsErrorAfterOwnTest: round(mean(abs(on.map((c) => c.roiErrorAfterOwnTest)))),
    alwaysOnMeanAbsErrorAfterJoint: round(mean(abs(on.map((c) => c.roiErrorAfterJoint)))),
    channelsAtMost15AfterJoint: `${on.filter((c) => Math.abs(c.roiErrorAfterJoint) <= 0.15).length} of ${on.length}`,
    widthWithin25: `${ratios.filter((r) => Math.abs(r - 1) <= 0.25).length} of ${ratios.length}`,
    widthInPredictedRange: `${on.filter((c) => c.realizedInPredictedRange).length} of ${on.length}`,
    // How many always-on channels one test from the candidate set could bring to ≤ 15% even in principle.
    couldReach15: { bySeAlone: `${on.filter((c) => c.bestAchievable!.bySeAlone).length} of ${on.length}`, byExpectedWidth: `${on.filter((c) => c.bestAchievable!.byExpectedWidth).length} of ${on.length}` },
    widthRatioMean: round(mean(ratios), 3), widthRatioRange: [round(Math.min(...ratios), 3), round(Math.max(...ratios), 3)],
    measuredVsTrueZsd: round(Math.sqrt(mean(on.map((c) => (c.test?.zMeasuredVsTrue ?? 0) ** 2))), 3),
    resultsOutsideExpected: `${on.filter((c) => c.test?.outsideExpected).length} of ${on.length}`,
    // What the width misses follow: realized ÷ predicted width against the test's surprise (docs/experiments.md).
    widthRatioVsSurpriseCorrelation: round(correlation(on.map((c) => c.test?.surpriseZ ?? 0), on.map((c) => c.realizedOverPredicted ?? 1)), 3),
    perChannel,
  };
}

function correlation(x: number[], y: number[]): number {
  const mx = mean(x), my = mean(y);
  let sxy = 0, sxx = 0, syy = 0;
  for (let i = 0; i < x.length; i++) { sxy += (x[i] - mx) * (y[i] - my); sxx += (x[i] - mx) ** 2; syy += (y[i] - my) ** 2; }
  return sxx > 0 && syy > 0 ? sxy / Math.sqrt(sxx * syy) : NaN;
}

export async function run(): Promise<object> {
  const seeds = (process.env.EXPERIMENTS_SEEDS ?? '1,2,3,4,5,6').split(',').map(Number);
  const geos = Number(process.env.EXPERIMENTS_GEOS ?? 40);
  const kinds = (process.env.EXPERIMENTS_KINDS ?? 'national,geo').split(',') as ('geo' | 'national')[];
  const load = [loadavg()[0]];
  const worlds: World[] = [];
  for (const kind of kinds) for (const seed of seeds) { worlds.push(await oneWorld(kind, seed, geos)); load.push(loadavg()[0]); }
  const byKind = Object.fromEntries(kinds.map((k) => [k, summarize(worlds.filter((w) => w.kind === k))]));
  const all = summarize(worlds);
  for (const [k, s] of Object.entries(byKind)) console.log(`${k}: always-on mean |ROI error| ${(100 * s.alwaysOnMeanAbsErrorBefore).toFixed(1)}% → ${(100 * s.alwaysOnMeanAbsErrorAfterOwnTest).toFixed(1)}% (own test), ${(100 * s.alwaysOnMeanAbsErrorAfterJoint).toFixed(1)}% (all three); ≤ 15% after: ${s.channelsAtMost15AfterJoint}; realized/predicted width ${s.widthRatioMean} (${s.widthRatioRange.join('–')}), within 25%: ${s.widthWithin25}, in the predicted 10–90% range: ${s.widthInPredictedRange}; could reach ≤ 15% in principle: ${s.couldReach15.bySeAlone} (se alone), ${s.couldReach15.byExpectedWidth} (expected width)`);
  return {
    settings: {
      simulation: { fittedWeeks: FITTED, weeksAfter: EXTRA, channels: 5, geos: { geo: geos, national: 0 }, kinds, seeds, alwaysOn: ALWAYS_ON },
      fit: { family: 'bayesian', method: 'Laplace (--fast)', draws: DRAWS, why: 'five fits per world on a 2-core machine shared with other work; NUTS not run here' },
      design: 'designTests with its defaults (geo: 4, 8, 12 and 16 weeks, splits of all or half the matched pairs, read by the ratio fitted on the 52 weeks before; national: 8 and 16 weeks in 2-week blocks, changed/unchanged/unchanged/changed; spend changes −1, −0.5, +0.5); per channel the most informative test (largest expected narrowing), the top-ranked one by information per cost recorded beside it',
      run: 'each test in its own copy of the 16 weeks after the data: the plan\'s spend for the channel, the truth plus the simulation\'s noise; lift read with the design\'s estimator; liftSe the design\'s (national: with the first fit\'s forecast uncertainty of the contrast added, as the reading\'s analyst would)',
      refit: 'same 156 weeks, with the test entered: per channel alone (realized width) and all three together (ROI error)',
      bestAchievable: 'per always-on channel over all its candidates: the smallest se ÷ |true lift| (national: the design\'s se without the forecast\'s uncertainty, a lower bound), and the most informative candidate\'s expected 90% ROI width ÷ true ROI; could reach ≤ 15% in principle: se ÷ |true lift| ≤ 0.15 (bySeAlone), expected width ÷ 3.29 ≤ 0.15 × true ROI (byExpectedWidth)',
      widthRange: 'predictedWidthRange: the design\'s expectedRoiWidthRange, the 10th–90th percentile of the preposterior\'s widths',
      machine: '2 cores shared with other jobs', loadAverage1m: load.map((v) => round(v, 2)),
    },
    goal: { alwaysOnRoiErrorAfter: 0.15, realizedWidthWithin: 0.25 },
    met: {
      alwaysOnAtMost15AfterJoint: worlds.every((w) => w.channels.filter((c) => c.alwaysOn).every((c) => Math.abs(c.roiErrorAfterJoint) <= 0.15)),
      meanAlwaysOnErrorAtMost15: all.alwaysOnMeanAbsErrorAfterJoint <= 0.15,
      widthsWithin25: worlds.every((w) => w.channels.filter((c) => c.alwaysOn).every((c) => Math.abs((c.realizedOverPredicted ?? 0) - 1) <= 0.25)),
    },
    overall: all, byKind, worlds,
  };
}
