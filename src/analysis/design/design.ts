/**
 * Designs lift tests for the channels whose ROI the data leave open (issue 27; docs/experiments.md).
 * For each channel the fit flagged ALWAYS ON or WEAKLY IDENTIFIED (or each channel asked for), it
 * builds candidate tests — geo splits matched on the pre-period for geo models (matching.ts),
 * alternating on/off weeks for national ones — at a few spend changes and durations, and for each:
 *
 * - the lift the model expects it to show (posterior draws of FittedModel.changeTestLifts, the same
 *   quantity the lift-test likelihood compares with the result), and the standard error its
 *   estimator will have (estimator.ts, from the data's own pre-period or residuals);
 * - the power and minimum detectable lift (src/models/power.ts);
 * - the channel's expected ROI interval after the test (preposterior.ts);
 * - the cost: spend moved, expected outcome lost or gained, and the net against business as usual.
 *
 * Candidates are ranked by information per unit of cost — the expected share of the ROI's 90% interval
 * the test removes, per 1,000 of cost — those that can be told apart from noise (power ≥ 50%) before
 * those that cannot. Pure: the caller loads the model (src/app/design.ts).
 */
import { erfc } from '../../inference/diagnostics.ts';
import { minimumDetectableLift, Z_SIGNIFICANT } from '../../models/power.ts';
import type { ChangeTestRequest, FittedModel } from '../../models/fitted.ts';
import { Rng } from '../../util/rng.ts';
import { geoFeatures, groupDistance, matchedSplit, matchPairs, type GeoSplit } from './matching.ts';
import { geoLiftSe, groupTotals, lagOneCorrelation, pulseLiftSe, RATIO_WEEKS, ratioFit } from './estimator.ts';
import { MASS, interval, preposterior } from './preposterior.ts';
import { designWindow, periodsPerWeek, testBau, type DesignWindow } from './window.ts';

export interface DesignOptions {
  /** Channels to design for (default: those the fit flagged). */
  channels?: string[];
  /** Test length in weeks (default: 4, 8, 12 and 16 for geo tests, 8 and 16 for time-based ones: whole ABBA cycles of 2-week blocks). */
  weeks?: number;
  /** Leave out tests whose cost is above this (currency). */
  maxCost?: number;
  /** First period of the tests (default: the period after the data's last). */
  start?: string;
  /** Spend changes to try (default −1, −0.5, +0.5). */
  spendChanges?: number[];
  /** Tests kept per channel, best first (default 3). */
  perChannel?: number;
  seed?: number;
}

export interface DesignModel {
  modelId: string;
  fitted: FittedModel;
  /** Why the fit flagged a channel ('always on', 'weakly identified'), by name. */
  flagged: ReadonlyMap<string, string>;
  /** Revenue per unit of outcome for the channel's ROI, null for conversions without a value. */
  revenueFactor: (channel: string) => number | null;
}

export interface DesignedTest {
  rank: number;
  channel: string;
  reason: string;
  kind: 'geo' | 'time';
  treatment?: { geos: string[] };
  control?: { geos: string[] };
  /** Time-based tests: the periods with the changed spend, and all of the window's periods. */
  weeks?: string[];
  periods: string[];
  start: string; end: string;
  spendChange: number;
  alternate?: number;
  expectedLift: number;
  expectedLiftSe: number;
  /** The model's 90% interval of the lift itself (before the test's noise). */
  liftInterval: [number, number];
  /** The 95% interval the measured lift is expected to fall in: expected lift ± 1.96·√(var λ + se²). */
  resultInterval: [number, number];
  minimumDetectableLift: number;
  /** Probability that the result is significant (5% two-sided), over the posterior. */
  power: number;
  roiIntervalNow: [number, number];
  expectedRoiInterval: [number, number];
  /** The 10th–90th percentile range of the ROI interval's width after the test, over the simulated results (preposterior.ts). */
  expectedRoiWidthRange: [number, number];
  /** Expected share of the ROI's 90% interval the test removes. */
  information: number;
  /** Currency: spend moved (negative = saved), net loss against business as usual, and `cost`, the ranking's. */
  spendMoved: number;
  outcomeChange: number;
  netCost: number | null;
  cost: number;
  /** information per 1,000 of cost. */
  informationPerCost: number;
  preposterior: { method: 'importance' | 'gaussian'; effectiveDraws: number };
  /** Geo tests: how far apart treatment and control are on the pre-period (standardized), and the estimator's pre-period fit. */
  balance?: { distance: number; trackingError: number };
  warnings: string[];
  /** The entry to add to the config's `experiments` once the result is in (fill `lift` and `liftSe`). */
  experiment: Record<string, unknown>;
}

export interface Design {
  model: string;
  tests: DesignedTest[];
  /** The channels designed for, with why and their ROI interval now. */
  channels: { channel: string; reason: string; roiIntervalNow: [number, number]; candidates: number }[];
  draws: number;
  notes: string[];
}

const normalCdf = (x: number) => 0.5 * erfc(-x / Math.SQRT2);

interface Candidate {
  channel: number; kind: 'geo' | 'time'; split?: GeoSplit; window: DesignWindow; spendChange: number; alternate?: number; se: number;
  balance?: { distance: number; trackingError: number };
}

export function designTests(model: DesignModel, opts: DesignOptions = {}): Design {
  const { fitted } = model;
  const T = fitted.dates.length, G = Math.max(1, fitted.geos.length), C = fitted.channels.length;
  const geo = G > 1;
  const rng = new Rng(opts.seed ?? 1);
  const names = opts.channels ?? fitted.channels.filter((c) => model.flagged.has(c));
  const notes: string[] = [];
  if (!fitted.changeTestLifts) return { model: model.modelId, tests: [], channels: [], draws: fitted.nDraws, notes: ['Only Bayesian models can design tests: they carry the posterior draws the preposterior needs.'] };
  if (!names.length) notes.push('The fit flagged no channel as always on or weakly identified; name channels to design tests for them.');
  const perWeek = periodsPerWeek(fitted.dates);
  // Geo tests up to 16 weeks: the lift grows in proportion to the window, the estimator's standard
  // error more slowly (√W for the window's noise, W·√(1/P) for ρ̂'s), so over simulated worlds 16
  // weeks left 25–28% less standard error per unit of lift than 8 (bench/results/geoestimators.json).
  const durations = (opts.weeks !== undefined ? [opts.weeks] : geo ? [4, 8, 12, 16] : [8, 16]).map((w) => Math.max(1, Math.round(w * perWeek)));
  const block = Math.max(1, Math.round(2 * perWeek));
  const changes = opts.spendChanges ?? [-1, -0.5, 0.5];

  // The pre-period: up to a year of the data before the window.
  const windows = durations.map((W) => designWindow(fitted.dates, opts.start, W, geo ? undefined : block));
  const candidates: Candidate[] = [];
  const dec = fitted.decomposition();
  for (const name of names) {
    const c = fitted.channels.indexOf(name);
    for (const window of windows) {
      // Matching reads up to a year before the window, and so does the estimator's ratio (estimator.ts).
      const t0 = Math.min(window.t0, T), M = Math.min(Math.round(52 * perWeek), t0), P = Math.min(Math.round(RATIO_WEEKS * perWeek), t0);
      if (geo) {
        // ρ̂'s error grows with W²/P: the longer default lengths (12 and 16 weeks) are proposed only on
        // a pre-period of at least twice the window, else they would be read mostly through that error
        // (an asked-for --weeks is always tried).
        if (opts.weeks === undefined && window.dates.length > 8 * perWeek && 2 * window.dates.length > P) {
          const note = `Geo tests of ${window.dates.length} periods are not proposed: the estimator's ratio would have only ${P} periods of data before the test to be fitted on (at least twice the test's length is needed).`;
          if (!notes.includes(note)) notes.push(note);
          continue;
        }
        // Matching needs every geo's outcome over the pre-period: an unbalanced panel's geo that was
        // not yet in it (or has gaps there) cannot be matched, and is not read as zero.
        const gap = fitted.observed.findIndex((o, i) => !o && i % T >= t0 - M && i % T < t0);
        if (gap >= 0) {
          const note = `No geo test ends its pre-period at ${fitted.dates[Math.min(t0, T - 1)]}: geo '${fitted.geos[Math.floor(gap / T)]}' has no outcome at ${fitted.dates[gap % T]}, and matching needs every geo's outcome in the periods before the test.`;
          if (!notes.includes(note)) notes.push(note);
          continue;
        }
        const f = geoFeatures(fitted.actual, G, T, t0 - M, t0);
        const pairs = matchPairs(f).pairs.length;
        const splits = [matchedSplit(f), ...(G >= 8 ? [matchedSplit(f, Math.ceil(pairs / 2))] : [])];
        for (const split of splits) {
          const fit = ratioFit(groupTotals(fitted.actual, T, split.treatment, t0 - P, t0), groupTotals(fitted.actual, T, split.control, t0 - P, t0));
          const se = geoLiftSe(fit, window.dates.length);
          const balance = { distance: groupDistance(f, split), trackingError: fit.residualSd / (fit.rho * fit.controlMean) };
          for (const s of changes) candidates.push({ channel: c, kind: 'geo', split, window, spendChange: s, se, balance });
        }
      } else {
        // The model's residuals over the in-sample periods: what the adjusted outcome keeps.
        const e: number[] = [];
        for (let t = 0; t < T; t++) if (fitted.inSample[t]) e.push(fitted.actual[t] - dec.predicted[t]);
        const sd = Math.sqrt(e.reduce((a, b) => a + b * b, 0) / Math.max(e.length - 1, 1));
        const se = pulseLiftSe(sd, lagOneCorrelation(e), window.changed);
        for (const s of changes) candidates.push({ channel: c, kind: 'time', window, spendChange: s, alternate: block, se });
      }
    }
  }
  const requests: ChangeTestRequest[] = candidates.map((k) => ({
    channel: k.channel, geos: k.split ? k.split.treatment : [0], start: k.window.dates[0], end: k.window.dates[k.window.dates.length - 1], spendChange: k.spendChange, alternate: k.alternate,
  }));
  // What a time-based test costs is the outcome its change moves over the window, not the contrast
  // its estimator reads (carry-over into the unchanged blocks nearly cancels that one): both readings
  // in one pass over the draws.
  const timeTests = requests.flatMap((_, i) => (candidates[i].kind === 'time' ? [i] : []));
  const all = requests.length ? fitted.changeTestLifts([...requests, ...timeTests.map((i) => ({ ...requests[i], reading: 'total' as const }))]) : [];
  const lifts = all.slice(0, requests.length);
  const totals = new Map(timeTests.map((i, j) => [i, all[requests.length + j]]));

  const roiDraws = new Map<number, Float64Array>();
  const roiOf = (c: number) => {
    let r = roiDraws.get(c);
    if (!r) {
      let spend = 0;
      for (let i = c; i < fitted.spend.length; i += C) spend += fitted.spend[i];
      const k = model.revenueFactor(fitted.channels[c]) ?? 1;
      r = fitted.response({ channel: c, multiplier: 1 }).map((v) => (v * k) / spend);
      roiDraws.set(c, r);
    }
    return r;
  };

  const tests: DesignedTest[] = candidates.map((k, i) => {
    const name = fitted.channels[k.channel], lift = lifts[i];
    const n = lift.length;
    const sortedLift = Float64Array.from(lift).sort();
    const mean = lift.reduce((a, b) => a + b, 0) / n;
    const liftVar = lift.reduce((a, b) => a + (b - mean) ** 2, 0) / Math.max(n - 1, 1);
    const spread = Z_SIGNIFICANT * Math.sqrt(liftVar + k.se ** 2);
    let power = 0;
    for (const l of lift) power += normalCdf(l / k.se - Z_SIGNIFICANT) + normalCdf(-l / k.se - Z_SIGNIFICANT);
    power /= n;
    const pre = preposterior(roiOf(k.channel), lift, k.se, rng);
    const factor = model.revenueFactor(name);
    const geos = k.split ? k.split.treatment : [0];
    let bauSpend = 0;
    for (const g of geos) bauSpend += testBau(fitted.spend, T, C, k.channel, g, k.window);
    const changedPeriods = k.window.changed.filter(Boolean).length;
    const spendMoved = bauSpend * k.spendChange * changedPeriods;
    const moved = totals.get(i);
    const outcomeChange = (k.spendChange < 0 ? -1 : 1) * (moved ? moved.reduce((a, b) => a + b, 0) / moved.length : mean);
    const netCost = factor === null ? null : spendMoved - outcomeChange * factor;
    const cost = netCost === null ? Math.abs(spendMoved) : Math.max(netCost, 0.05 * Math.abs(spendMoved));
    const information = pre.widthNow > 0 ? Math.max(0, 1 - pre.expectedWidth / pre.widthNow) : 0;
    const mdl = minimumDetectableLift(k.se);
    const warnings: string[] = [];
    if (power < 0.5) warnings.push(`Cannot reliably be told apart from noise: the lift the model expects (${fmt(mean)}) is ${Math.abs(mean) < mdl ? 'below' : 'near'} the smallest this test detects (${fmt(mdl)}, 80% power); power ${Math.round(100 * power)}%. Run it longer, in more geos or with a bigger change.`);
    if (pre.method === 'gaussian') warnings.push(`The test would pin the lift far more tightly than the posterior's ${n} draws resolve; its expected ROI interval uses the linear-Gaussian approximation.`);
    const start = k.window.dates[0], end = k.window.dates[k.window.dates.length - 1];
    const geoNames = (gs: number[]) => gs.map((g) => fitted.geos[g]);
    const experiment: Record<string, unknown> = {
      channel: name, ...(k.split ? { geos: geoNames(k.split.treatment) } : {}), start, end, spendChange: k.spendChange, ...(k.alternate ? { alternate: k.alternate } : {}),
      design: { roiIntervalBefore: pre.now, expectedRoiInterval: pre.expected, expectedLiftSe: k.se, expectedLift: mean, resultInterval: [mean - spread, mean + spread], model: model.modelId },
    };
    return {
      rank: 0, channel: name, reason: model.flagged.get(name) ?? 'asked for', kind: k.kind,
      ...(k.split ? { treatment: { geos: geoNames(k.split.treatment) }, control: { geos: geoNames(k.split.control) } } : {}),
      ...(k.kind === 'time' ? { weeks: k.window.dates.filter((_, j) => k.window.changed[j]) } : {}),
      periods: k.window.dates, start, end, spendChange: k.spendChange, ...(k.alternate ? { alternate: k.alternate } : {}),
      expectedLift: mean, expectedLiftSe: k.se,
      liftInterval: [sortedLift[Math.floor(0.05 * (n - 1))], sortedLift[Math.ceil(0.95 * (n - 1))]],
      resultInterval: [mean - spread, mean + spread],
      minimumDetectableLift: mdl, power,
      roiIntervalNow: pre.now, expectedRoiInterval: pre.expected, expectedRoiWidthRange: pre.widthRange, information,
      spendMoved, outcomeChange, netCost, cost, informationPerCost: cost > 0 ? (1000 * information) / cost : 0,
      preposterior: { method: pre.method, effectiveDraws: pre.ess },
      ...(k.balance ? { balance: k.balance } : {}),
      warnings, experiment,
    };
  });

  const kept = tests.filter((t) => opts.maxCost === undefined || t.cost <= opts.maxCost);
  if (opts.maxCost !== undefined && kept.length < tests.length) notes.push(`${tests.length - kept.length} of ${tests.length} candidate tests cost more than ${fmt(opts.maxCost)} and were left out.`);
  // Tests that can be told apart from noise (power ≥ 50%) first, each group by information per cost.
  const audible = (t: DesignedTest) => (t.power >= 0.5 ? 1 : 0);
  kept.sort((a, b) => audible(b) - audible(a) || b.informationPerCost - a.informationPerCost || b.information - a.information);
  const perChannel = opts.perChannel ?? 3;
  const count = new Map<string, number>();
  const ranked = kept.filter((t) => { const k = count.get(t.channel) ?? 0; count.set(t.channel, k + 1); return k < perChannel; });
  ranked.forEach((t, i) => { t.rank = i + 1; });
  const channels = names.map((name) => {
    const c = fitted.channels.indexOf(name), r = Float64Array.from(roiOf(c)).sort();
    // The same interval as each test's roiIntervalNow (and the stored fit's): interpolated quantiles.
    return { channel: name, reason: model.flagged.get(name) ?? 'asked for', roiIntervalNow: interval(r, MASS), candidates: tests.filter((t) => t.channel === name).length };
  });
  return { model: model.modelId, tests: ranked, channels, draws: fitted.nDraws, notes };
}

function fmt(v: number): string {
  return Math.abs(v) >= 1000 ? Math.round(v).toLocaleString('en-US') : v.toPrecision(3);
}
