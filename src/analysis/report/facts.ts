/**
 * The numbers and plain-language judgements the report shows, derived from a fit result with no I/O
 * and no HTML: totals and shares, budget advice from marginal ROI, model health, and the national
 * (summed over geos) time series for the charts.
 */
import type { ChannelResult } from '../../models/bayesian/fit.ts';
import type { ClassicFit } from '../../models/linear/result.ts';
import { isBayesian, type ReportFit } from './types.ts';
import { fitExplained, predictiveCheck } from '../health.ts';
import { formatCount, formatDecimals, formatPercent, formatValue } from '../../units.ts';

export type Level = 'good' | 'warn' | 'bad';

export interface Totals {
  /** Σ actual over every geo and period (holdout included), target units. */
  outcome: number;
  /** Σ posterior-mean prediction. */
  predicted: number;
  /** Σ channel contributions (posterior means). */
  media: number;
  /** predicted − media: what the model attributes to the baseline (intercept, trend, season, controls). */
  base: number;
  spend: number;
  /** media / predicted and base / predicted. */
  mediaShare: number; baseShare: number;
  /** media / spend. */
  mediaRoi: number;
}

export interface Advice {
  channel: string;
  direction: 'more' | 'less' | 'hold';
  /** True when the whole 90% interval of marginal ROI is on one side of the threshold. */
  confident: boolean;
  text: string;
}

export interface HealthItem { label: string; level: Level; text: string }

export interface NationalSeries {
  dates: string[];
  actual: number[]; predicted: number[];
  /** The 90% band of the prediction; null for classic fits, which have none. */
  low: number[] | null; high: number[] | null;
  base: number[];
  contributions: { name: string; values: number[] }[];
  /** Number of trailing periods held out from the fit (0 when none). */
  holdoutPeriods: number;
}

export const rhatLimit = 1.01;
export const essLimit = 400;

export function totals(fit: ReportFit): Totals {
  const sum = (a: readonly number[]) => a.reduce((s, v) => s + v, 0);
  // An unbalanced panel's unobserved outcomes are stored as null (NaN in JSON): the total is the observed one.
  const outcome = sum(fit.series.actual.map((v) => (v === null || Number.isNaN(v) ? 0 : v)));
  const predicted = sum(fit.series.predicted);
  const media = sum(fit.channels.map((c) => c.contribution));
  const spend = sum(fit.channels.map((c) => c.spend));
  const base = predicted - media;
  return {
    outcome, predicted, media, base, spend,
    mediaShare: predicted !== 0 ? media / predicted : NaN,
    baseShare: predicted !== 0 ? base / predicted : NaN,
    // In ROI's own unit (revenue per spend when the target is revenue or has a revenue per conversion).
    mediaRoi: spend > 0 ? sum(fit.channels.map((c) => c.roi * c.spend)) / spend : NaN,
  };
}

/**
 * The marginal-ROI threshold advice is judged against: 1 (break-even) for revenue targets; for
 * conversion targets, where ROI is conversions per unit of spend and break-even is unknown, the
 * spend-weighted mean marginal ROI (so advice is relative: shift from below-average to above-average).
 */
export function adviceThreshold(channels: readonly ChannelResult[], kind: 'revenue' | 'conversions'): number {
  if (kind === 'revenue') return 1;
  const spend = channels.reduce((s, c) => s + c.spend, 0);
  return spend > 0 ? channels.reduce((s, c) => s + c.mroi * c.spend, 0) / spend : NaN;
}

/**
 * Per channel, in descending order of marginal ROI: more budget when marginal ROI is above the
 * threshold, less when below, with `confident` when the 90% interval agrees. Example: revenue target,
 * mROI 1.29 [1.06, 1.48] → direction 'more', confident.
 */
export function budgetAdvice(channels: readonly ChannelResult[], kind: 'revenue' | 'conversions', intervalLabel = '90%'): Advice[] {
  const thr = adviceThreshold(channels, kind);
  const ratio = (v: number) => formatValue(v, kind === 'revenue' ? 'revenue-per-spend' : 'conversions-per-spend');
  const thrText = kind === 'revenue' ? 'break-even (1)' : `the average (${ratio(thr)})`;
  return [...channels].sort((a, b) => b.mroi - a.mroi).map((c) => {
    const [lo, hi] = c.mroiInterval;
    const iv = `${intervalLabel}: ${ratio(lo)}–${ratio(hi)}`;
    const ret = kind === 'revenue'
      ? `the next unit returns ${ratio(c.mroi)} (${iv})`
      : `the next unit brings ${ratio(c.mroi)} conversions (${iv})`;
    if (!Number.isFinite(thr) || !Number.isFinite(c.mroi)) return { channel: c.name, direction: 'hold', confident: false, text: 'No advice: the marginal return could not be computed.' };
    const unsure = ' Uncertain: the interval includes the threshold.';
    if (c.mroi > thr) {
      const confident = lo > thr;
      return { channel: c.name, direction: 'more', confident, text: `${confident ? 'More' : 'Probably more'} budget: ${ret}, above ${thrText}.${confident ? '' : unsure}` };
    }
    if (c.mroi < thr) {
      const confident = hi < thr;
      return { channel: c.name, direction: 'less', confident, text: `${confident ? 'Less' : 'Probably less'} budget: ${ret}, below ${thrText}.${confident ? '' : unsure}` };
    }
    return { channel: c.name, direction: 'hold', confident: false, text: `Hold: ${ret}, right at ${thrText}.` };
  });
}

/**
 * Method, convergence (Bayesian) or intervals and response shape (classic), fit and holdout in plain
 * language, each with a level. Classic fits make no convergence claim: they are exact or
 * deterministic fits whose intervals come from bootstrap refits.
 */
export function health(fit: ReportFit): HealthItem[] {
  if (!isBayesian(fit)) return classicHealth(fit).concat(fitHealth(fit));
  const d = fit.diagnostics;
  const items: HealthItem[] = [];
  if (fit.approximate) {
    // The fit's own APPROXIMATE warning carries how far --fast was measured to move ROI from NUTS.
    const said = fit.warnings.find((w) => w.startsWith('APPROXIMATE:'));
    items.push({ label: 'Method', level: 'warn', text: said ? said.replace(/^APPROXIMATE: /, 'Approximate fit: ') : 'Approximate fit (Laplace approximation at the posterior mode), not MCMC: intervals may be too narrow. Refit with full sampling (NUTS) before acting on it.' });
    items.push({ label: 'Convergence', level: 'warn', text: 'Not checked: an approximate fit draws independent samples around the mode, so R-hat and ESS say nothing about convergence. Refit with MCMC to check it.' });
    return items.concat(fitHealth(fit));
  }
  items.push({ label: 'Method', level: 'good', text: `Full Bayesian fit by MCMC (NUTS), ${d.seconds.toFixed(1)} s.` });
  const conv: string[] = [];
  let convLevel: Level = 'good';
  if (d.rhatMax > rhatLimit) { convLevel = 'bad'; conv.push(`the chains disagree (largest R-hat ${d.rhatMax.toFixed(3)}, should be ≤ ${rhatLimit})`); }
  if (d.essBulkMin < essLimit) { convLevel = 'bad'; conv.push(`too few effective draws (smallest bulk ESS ${Math.round(d.essBulkMin)}, should be ≥ ${essLimit})`); }
  if (d.divergences > 0) { convLevel = 'bad'; conv.push(`${d.divergences} divergent transition${d.divergences === 1 ? '' : 's'} (should be 0)`); }
  items.push({
    label: 'Convergence', level: convLevel,
    text: convLevel === 'good'
      ? `Converged: largest R-hat ${d.rhatMax.toFixed(3)} (≤ ${rhatLimit}), smallest bulk ESS ${Math.round(d.essBulkMin)} (≥ ${essLimit}), no divergences.`
      : `Not trustworthy yet: ${conv.join('; ')}. Run longer before using these numbers.`,
  });
  return items.concat(fitHealth(fit));
}

function fitHealth(fit: ReportFit): HealthItem[] {
  const items: HealthItem[] = [];
  const f = fit.fit;
  const fitLevel: Level = !(f.r2 >= 0.5) ? 'bad' : f.r2 < 0.8 ? 'warn' : 'good';
  items.push({
    label: 'Fit', level: fitLevel,
    text: fitExplained(f.r2, f.mape)
      + (fitLevel === 'good' ? '' : fitLevel === 'warn' ? ' That is a moderate fit: important drivers may be missing.' : ' That is a poor fit: the model is missing important drivers.'),
  });
  const h = f.holdout;
  if (!h) {
    items.push({ label: 'Holdout', level: 'warn', text: 'No periods were held out, so the model was not tested on data it had not seen. Set holdout.periods in the config.' });
  } else {
    const worse = h.mape > Math.max(2 * f.mape, f.mape + 0.05);
    const level: Level = h.mape > 0.25 ? 'bad' : worse ? 'warn' : 'good';
    items.push({
      label: 'Holdout', level,
      text: `On the ${h.n} held-out observations it had not seen, the typical error is ${pct(h.mape)} (MAPE; R² ${formatDecimals(h.r2, 3)}).`
        + (level === 'good' ? ' It predicts new periods about as well as it fits old ones.' : ' It predicts new periods clearly worse than it fits old ones: treat the numbers with caution.'),
    });
  }
  if ('predictiveCoverage' in f && f.predictiveCoverage) {
    const check = predictiveCheck(f.predictiveCoverage, h ? h.n : 0);
    items.push({ label: 'Predictive check', level: check.level === 'ok' ? 'good' : 'warn', text: check.text });
  }
  return items;
}

/**
 * The report's overall level: bad when MCMC convergence fails (DESIGN: say so loudly), warn on any
 * warning or an approximate fit (whose R-hat and ESS are not convergence checks).
 */
export function overallLevel(fit: ReportFit): Level {
  if (!isBayesian(fit)) return fit.warnings.length ? 'warn' : 'good';
  const d = fit.diagnostics;
  if (!fit.approximate && (d.rhatMax > rhatLimit || d.essBulkMin < essLimit || d.divergences > 0)) return 'bad';
  return fit.warnings.length || fit.approximate ? 'warn' : 'good';
}

/**
 * Sums the geo-major [G·T] series over geos into national series of length T. The fit keeps only
 * per-geo quantiles, so the 90% band of the total is approximated as if geos varied independently:
 * each side's distance from the prediction is the root sum of squares of the per-geo distances. Exact
 * for one geo; for several it is narrower than the sum of the per-geo bands (which would hold only if
 * geos moved in lockstep). Example: two geos predicted 100 ± 30 each → total 200 ± 42.4.
 */
export function nationalSeries(fit: ReportFit): NationalSeries {
  const s = fit.series;
  const T = s.dates.length, G = Math.max(1, s.geos.length);
  const sumGeo = (x: readonly number[]) => {
    const out = new Array<number>(T).fill(0);
    for (let g = 0; g < G; g++) for (let t = 0; t < T; t++) out[t] += x[g * T + t] ?? NaN;
    return out;
  };
  const predicted = sumGeo(s.predicted);
  // The national actual over the geos observed in each period (an unbalanced panel's others have none).
  const actual = sumGeo(s.actual.map((v) => (v === null || Number.isNaN(v) ? 0 : v)));
  // The band of the total from per-geo half-widths, each side separately: √Σ(pred − low)², √Σ(high − pred)².
  const spread = (side: readonly number[], sign: 1 | -1) => {
    const out = new Array<number>(T).fill(0);
    for (let g = 0; g < G; g++) for (let t = 0; t < T; t++) out[t] += (sign * ((side[g * T + t] ?? NaN) - s.predicted[g * T + t])) ** 2;
    return out.map((v, t) => predicted[t] + sign * Math.sqrt(v));
  };
  const contributions = fit.channels.map((c) => ({ name: c.name, values: sumGeo(s.contributions[c.name] ?? []) }));
  const base = predicted.map((p, t) => contributions.reduce((b, c) => b - c.values[t], p));
  const holdoutPeriods = fit.fit.holdout ? Math.round(fit.fit.holdout.n / G) : 0;
  const band = isBayesian(fit) ? { low: spread(fit.series.predictedLow, -1), high: spread(fit.series.predictedHigh, 1) } : { low: null, high: null };
  return { dates: s.dates, actual, predicted, ...band, base, contributions, holdoutPeriods };
}

/** Plain names of the families, as the report's headline and health use them. */
export function methodName(fit: ReportFit): string {
  if (isBayesian(fit)) return fit.approximate ? 'approximate fit (Laplace)' : 'NUTS';
  if (fit.diagnostics.search) return 'ridge regression (Robyn-style search)';
  return { linear: 'linear regression', ridge: 'ridge regression', forest: 'random forest', boosting: 'gradient boosting' }[fit.family];
}

/** The parts of a classic fit's `stored` state the report reads (the rest rebuilds the model). */
export interface StoredTreesView {
  kind: 'trees';
  params: Record<string, number | boolean>;
  synergy?: { a: string; b: string; h2: number }[];
  maxPeriodSpend?: number[];
}
export interface StoredRegressionView {
  kind: 'regression';
  names: string[];
  /** [intercept, coef…] of the full-data fit, then of each bootstrap replicate. */
  coef: number[];
  replicates: number[][];
  media?: { adstock: { type: string }; saturation: { type: string } }[];
  search?: {
    objectives: string[];
    evaluations: number;
    pareto: { trial: number; front: number; cluster: number; nrmse: number; decompRssd: number; calibration?: number; lambda: number; roi: number[] }[];
    clusters: { cluster: number; size: number; recommended: number; meanRoi: number[] }[];
    recommended: number;
  };
}

/** The stored state of a classic fit when it has the expected shape; undefined otherwise (old rows). */
export function storedView(fit: ClassicFit): StoredTreesView | StoredRegressionView | undefined {
  const st = fit.stored as { kind?: unknown } | null | undefined;
  if (!st || typeof st !== 'object') return undefined;
  if (st.kind === 'trees' && typeof (st as StoredTreesView).params === 'object') return st as StoredTreesView;
  if (st.kind === 'regression' && Array.isArray((st as StoredRegressionView).names) && Array.isArray((st as StoredRegressionView).coef)) return st as StoredRegressionView;
  return undefined;
}

/** Channels whose tree response is not monotone, from the fit's NOT MONOTONE warnings ("NOT MONOTONE: tv's response to spend…"). */
export function nonMonotoneChannels(fit: ReportFit): string[] {
  return fit.warnings.filter((w) => w.startsWith('NOT MONOTONE: ')).map((w) => {
    const rest = w.slice('NOT MONOTONE: '.length);
    const i = rest.indexOf("'s response to spend");
    return i >= 0 ? rest.slice(0, i) : rest;
  });
}

function classicHealth(fit: ClassicFit): HealthItem[] {
  const d = fit.diagnostics;
  const st = storedView(fit);
  const items: HealthItem[] = [];
  const secs = `${d.seconds.toFixed(1)} s`;
  const trees = fit.family === 'forest' || fit.family === 'boosting';
  let method: string;
  if (d.search) {
    const chosen = d.search.recommended.find((r) => r.chosen);
    method = `Ridge regression chosen by a Robyn-style multi-objective search: ${fmtCount(d.search.evaluations, 'candidate model')} (${fmtCount(d.search.trials, 'trial')}), ${d.search.paretoSize} on the Pareto front in ${fmtCount(d.search.clusters, 'cluster')}; this report shows the recommended model${chosen ? ` (cluster ${chosen.cluster}, penalty λ ${chosen.lambda.toPrecision(3)})` : ''}, ${secs}.`;
  } else if (fit.family === 'linear') {
    method = `Linear regression (least squares), ${secs}.`;
  } else if (fit.family === 'ridge') {
    method = `Ridge regression${d.lambda !== undefined ? ` (penalty λ ${d.lambda.toPrecision(3)} chosen by time-series cross-validation)` : ''}, ${secs}.`;
  } else {
    const p = st?.kind === 'trees' ? st.params : undefined;
    const n = p?.nTrees ?? d.trees?.nTrees;
    method = fit.family === 'forest'
      ? `Random forest${n !== undefined ? ` of ${n} trees` : ''}; channel contributions by TreeSHAP, response to spend by partial dependence, ${secs}.`
      : `Gradient boosting${n !== undefined ? `, ${n} rounds` : ''}${p?.maxDepth !== undefined ? ` of depth ${p.maxDepth}` : ''}${p?.learningRate !== undefined ? ` at learning rate ${p.learningRate}` : ''}; channel contributions by TreeSHAP, response to spend by partial dependence, ${secs}.`;
  }
  items.push({ label: 'Method', level: 'good', text: method });
  const B = d.bootstrap;
  items.push(B === 0
    ? { label: 'Intervals', level: 'warn', text: 'No bootstrap refits were run, so the ranges shown are single points: the report cannot say how uncertain these numbers are.' }
    : {
      label: 'Intervals', level: B < 20 ? 'warn' : 'good',
      text: `The 90% intervals are bootstrap intervals, not Bayesian credible intervals: the model was refitted on ${fmtCount(B, 'resample')} of the periods (moving blocks) and the ranges show how much the estimates moved. They tend to run a little narrow.`
        + (B < 20 ? ` ${B} refits are too few for stable intervals: treat them as rough.` : ''),
    });
  const outside = outsideIntervals(fit);
  if (B > 0 && outside.length) {
    const last = items[items.length - 1];
    last.level = 'warn';
    last.text += ` For ${outside.join(', ')}, the estimate lies outside its own bootstrap interval: the refits disagree with the fit on all periods (an unstable estimate), so that interval understates the uncertainty.`;
  }
  if (trees) {
    const bent = nonMonotoneChannels(fit);
    const extrapolation = fit.warnings.some((w) => w.startsWith('EXTRAPOLATION'));
    const parts: string[] = [];
    if (bent.length) parts.push(`The response of ${bent.join(', ')} to spend goes down somewhere between zero and twice the observed spend (a tree artefact or a confounder): do not read ${bent.length === 1 ? 'its' : 'their'} marginal ROI literally.`);
    if (extrapolation) parts.push('Trees predict no change beyond the largest spend seen in training, so plans above those levels are extrapolation and get no credit for the extra spend.');
    if (!parts.length) parts.push('The response to spend is monotone up to twice the observed spend.');
    items.push({ label: 'Response to spend', level: bent.length || extrapolation ? 'warn' : 'good', text: parts.join(' ') });
  } else if (!d.search && st?.kind === 'regression' && st.media?.some((m) => m.adstock.type !== 'none' || m.saturation.type !== 'none')) {
    items.push({ label: 'Response to spend', level: 'warn', text: 'Carry-over and diminishing returns use fixed default transform parameters, not values estimated from the data: marginal ROI follows from those assumptions. A search ("search" in the config) or the Bayesian model estimates them.' });
  }
  return items;
}

/** Channels whose ROI or marginal ROI lies outside its own bootstrap interval, as "tv (marginal ROI)". */
export function outsideIntervals(fit: ReportFit): string[] {
  const out: string[] = [];
  const off = (v: number, iv: readonly [number, number]) => Number.isFinite(v) && (v < iv[0] - 1e-9 * Math.abs(v) || v > iv[1] + 1e-9 * Math.abs(v));
  for (const c of fit.channels) {
    const which = [off(c.roi, c.roiInterval) ? 'ROI' : '', off(c.mroi, c.mroiInterval) ? 'marginal ROI' : ''].filter(Boolean);
    if (which.length) out.push(`${c.name} (${which.join(' and ')})`);
  }
  return out;
}

function fmtCount(n: number, noun: string): string {
  return `${formatCount(n)} ${noun}${n === 1 ? '' : 's'}`;
}

/** A share in a sentence: one decimal below 10% ("4.1%"), whole percents above ("82%"). */
function pct(x: number): string {
  return formatPercent(x, x < 0.1 ? 1 : 0);
}
