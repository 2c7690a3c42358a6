/**
 * Insights: everything a fitted model says, as plain tables (arrays of flat rows) computed from the
 * family-agnostic `FittedModel` and the stored fit output. Pure: no I/O.
 *
 * Units: outcome in the target's units; spend in currency; ROI and marginal ROI in revenue per unit
 * of spend (for conversion targets without a revenue per conversion: conversions per unit of spend,
 * and no break-even). Intervals are 90% (5%–95% over the model's draws).
 */
import { internal } from '../errors.ts';
import type { FittedModel } from '../models/fitted.ts';
import { fitMetrics, type FitMetrics } from '../models/metrics.ts';
import { curveTables, type CurvePointRow, type CurveRow } from './curves.ts';
import { healthSummary, type HealthRow } from './health.ts';
import { liftTestCheck, type LiftTest, type LiftTestRow } from './liftTests.ts';
import type { Row } from './rows.ts';
import type { FitSummary } from './summary.ts';
import { subchannelTable } from './subchannels.ts';
import { figureUnits, type FigureUnits } from '../units.ts';

export interface Insights {
  modelId: string;
  family: string;
  target: { column: string; kind: 'revenue' | 'conversions' };
  /** The unit of every figure (src/units.ts): every surface formats from these. */
  units: FigureUnits;
  /** One row per geo and period: actual, predicted, residual, each base component and each channel. */
  decomposition: Row[];
  /** Totals over all periods and geos per component / channel, with share of the prediction. */
  contributions: Row[];
  /** Per channel: spend, contribution, shares, ROI (or cost per conversion), marginal ROI, break-even. */
  channels: Row[];
  /**
   * Per organic channel (no spend, so no ROI): activity, contribution, share of the prediction and
   * contribution per unit of activity, each with its 90% interval, as the fit stored them.
   */
  organic: Row[];
  /**
   * Organic channels' response curves (the Bayesian family): per channel and multiple of its activity,
   * the activity and the expected incremental outcome over the data with its 90% interval.
   */
  organicCurves: Row[];
  /**
   * Per sub-channel (channels with `subchannels`): spend, contribution, share of its channel's
   * contribution and ROI with 90% intervals, split from the channel by adstocked activity (subchannels.ts).
   */
  subchannels: Row[];
  responseCurves: CurveRow[];
  curvePoints: CurvePointRow[];
  adstock: Row[];
  /**
   * Bayesian fits: per channel and curve parameter (decay, halfSaturation, shape), the posterior mean
   * and 90% interval beside the prior's mean and sd (`priorGiven`: from `priors.curves`).
   */
  curveParameters: Row[];
  fit: Row[];
  parameters: Row[];
  /** The model against each lift test of its config (empty without tests). */
  liftTests: LiftTestRow[];
  health: HealthRow[];
}

export interface InsightsOptions {
  /** Multipliers of the observed spend for the response curves: log-spaced from lo to hi (default 0.05…4, 24 points). */
  curveRange?: [number, number];
  curvePoints?: number;
  /** Per-geo curves too when the model has geos (default true). */
  perGeo?: boolean;
  /** Parameter table rows of the family, when it has one (e.g. BayesianFit.parameters). */
  parameters?: Row[];
  /** The config's lift tests (`experiments`), to check the model against. */
  experiments?: readonly LiftTest[];
  /** Units when the stored output predates them (from the config's target); else the stored ones. */
  units?: FigureUnits;
  /** The reference of each control's part (stored with Bayesian fits; decompose.ts). */
  references?: readonly { control: string; level: number; rule: string }[];
}

/** Multiples of an organic channel's activity its response curve is drawn at (0 to twice its volume). */
const ORGANIC_MULTIPLIERS = [0, 0.25, 0.5, 0.75, 1, 1.25, 1.5, 2];

const sum = (x: ArrayLike<number>) => { let s = 0; for (let i = 0; i < x.length; i++) s += x[i]; return s; };

/** Revenue per unit of outcome for a channel, from the stored ROI (ROI · spend / contribution); 1 for revenue targets. */
export function revenueFactor(fitted: FittedModel, ch: FitSummary['channels'][number]): number | null {
  if (fitted.target.kind === 'revenue') return 1;
  const constantOne = fitted.revenuePerUnit.every((v) => v === 1);
  if (constantOne) return null;
  return ch.contribution !== 0 ? (ch.roi * ch.spend) / ch.contribution : null;
}

export function computeInsights(modelId: string, fitted: FittedModel, summary: FitSummary, opts: InsightsOptions = {}): Insights {
  const { dates, channels } = fitted;
  const geos = fitted.geos.length ? fitted.geos : [''];
  const hasGeos = geos.length > 1;
  const T = dates.length;
  const dec = fitted.decomposition();
  const compNames = Object.keys(dec.components);

  const decomposition: Row[] = [];
  geos.forEach((geo, g) => {
    for (let t = 0; t < T; t++) {
      const i = g * T + t;
      // A row per observed cell: an unbalanced panel's absent or empty cells have no actual to show
      // (absent cells are 0 in every part; the parts' totals below still count every cell).
      if (!fitted.observed[i]) continue;
      const row: Row = { date: dates[t], ...(hasGeos ? { geo } : {}), inSample: fitted.inSample[t] === 1, actual: fitted.actual[i], predicted: dec.predicted[i], residual: fitted.actual[i] - dec.predicted[i] };
      for (const n of compNames) row[n] = dec.components[n][i];
      for (const c of channels) row[`channel:${c}`] = dec.channels[c][i];
      decomposition.push(row);
    }
  });

  const predictedTotal = sum(dec.predicted);
  // A channel's total is the stored figure (the fit's channel table); the per-period series sum to it.
  const storedTotal = new Map(summary.channels.map((c) => [c.name, c.contribution]));
  const refOf = new Map((opts.references ?? []).map((r) => [`control:${r.control}`, r]));
  const reference = (name: string): string => {
    if (name === 'intercept') return 'baseline: the level with every other part at its reference';
    if (name === 'trend') return 'against the first period';
    if (name === 'seasonality') return 'against the yearly average';
    if (name.startsWith('organic:')) return 'against no activity on it (organic: no spend, no ROI)';
    const r = refOf.get(name);
    if (r) return `against ${name.slice('control:'.length)} = ${r.level} (${r.rule === 'given' ? 'as configured' : `its ${r.rule}`})`;
    return name.startsWith('control:') ? 'against the control\'s mean' : '';
  };
  const contributions: Row[] = [
    ...compNames.map((n) => ({ kind: n.startsWith('organic:') ? 'organic' : 'base', name: n, total: sum(dec.components[n]), share: sum(dec.components[n]) / predictedTotal, reference: reference(n) })),
    ...channels.map((c) => { const total = storedTotal.get(c) ?? sum(dec.channels[c]); return { kind: 'channel', name: c, total, share: total / predictedTotal, reference: 'against no spend on the channel' }; }),
  ];

  const curves = curveTables(fitted, summary, { range: opts.curveRange ?? [0.05, 4], points: opts.curvePoints ?? 24, perGeo: opts.perGeo ?? true });
  const conversions = fitted.target.kind === 'conversions';
  const byName = new Map(summary.channels.map((c) => [c.name, c]));
  const channelRows: Row[] = channels.map((name) => {
    const c = byName.get(name);
    if (!c) throw internal(`stored output has no channel '${name}'`);
    const be = curves.points.find((p) => p.channel === name && p.geo === null && p.point === 'break-even');
    const iv = (v?: [number, number]) => v ?? [null, null];
    const [clo, chi] = iv(c.contributionInterval), [rlo, rhi] = iv(c.roiInterval), [mlo, mhi] = iv(c.mroiInterval);
    return {
      channel: name, spend: c.spend, shareOfSpend: null, contribution: c.contribution, contributionLow: clo, contributionHigh: chi, shareOfEffect: null,
      roi: c.roi, roiLow: rlo, roiHigh: rhi, mroi: c.mroi, mroiLow: mlo, mroiHigh: mhi,
      // The ROI prior (Bayesian fits), so a reader sees how far the data moved each channel.
      roiPriorMedian: c.roiPrior?.median ?? null, roiPriorLow: c.roiPrior?.interval[0] ?? null, roiPriorHigh: c.roiPrior?.interval[1] ?? null,
      ...(conversions ? { cpa: c.cpa ?? (c.contribution > 0 ? c.spend / c.contribution : null), cpaLow: c.cpaInterval?.[0] ?? null, cpaHigh: c.cpaInterval?.[1] ?? null } : {}),
      breakEvenSpend: be?.spend ?? null, breakEvenMultiplier: be?.multiplier ?? null,
      // Reach & frequency channels: the frequency that gets the most outcome per unit of spend, and today's.
      ...(c.rf ? { optimalFrequency: c.rf.optimalFrequency, optimalFrequencyLow: c.rf.optimalFrequencyInterval[0], optimalFrequencyHigh: c.rf.optimalFrequencyInterval[1], observedFrequency: c.rf.observedFrequency } : {}),
    };
  });
  const spendAll = sum(channelRows.map((r) => r.spend as number));
  const effectAll = sum(channelRows.map((r) => Math.max(0, r.contribution as number)));
  for (const r of channelRows) {
    r.shareOfSpend = spendAll > 0 ? (r.spend as number) / spendAll : null;
    r.shareOfEffect = effectAll > 0 ? Math.max(0, r.contribution as number) / effectAll : null;
  }

  const organic: Row[] = (summary.organic ?? []).map((o) => ({
    channel: o.name, activity: o.activity,
    contribution: o.contribution, contributionLow: o.contributionInterval[0], contributionHigh: o.contributionInterval[1],
    share: o.share, shareLow: o.shareInterval[0], shareHigh: o.shareInterval[1],
    perUnit: o.perUnit, perUnitLow: o.perUnitInterval[0], perUnitHigh: o.perUnitInterval[1],
    sharePriorMedian: o.sharePrior?.median ?? null, sharePriorLow: o.sharePrior?.interval[0] ?? null, sharePriorHigh: o.sharePrior?.interval[1] ?? null,
  }));

  const organicCurves: Row[] = fitted.organicResponse ? organic.flatMap((o, k) => ORGANIC_MULTIPLIERS.map((m) => {
    const draws = fitted.organicResponse!(k, m);
    const sorted = Float64Array.from(draws).sort();
    const at = (q: number) => sorted[Math.min(sorted.length - 1, Math.max(0, Math.round(q * (sorted.length - 1))))];
    return { channel: o.channel, multiplier: m, activity: (o.activity as number) * m, expected: draws.reduce((a, b) => a + b, 0) / draws.length, expectedLow: at(0.05), expectedHigh: at(0.95) };
  })) : [];

  const adstock: Row[] = channels.flatMap((name, c) => {
    const w = fitted.adstockWeights(c);
    let cum = 0;
    return Array.from(w, (v, lag) => { cum += v; return { channel: name, lag, weight: v, cumulative: cum }; });
  });

  const curveParameters: Row[] = summary.channels.flatMap((c) => Object.entries(c.curve ?? {}).map(([parameter, p]) => ({
    channel: c.name, parameter, mean: p.mean, low: p.interval[0], high: p.interval[1], priorMean: p.prior.mean, priorSd: p.prior.sd, priorGiven: p.prior.given,
  })));

  const fitRows: Row[] = [];
  const pick = (inSample: boolean) => {
    const a: number[] = [], p: number[] = [];
    for (let g = 0; g < geos.length; g++) for (let t = 0; t < T; t++) if ((fitted.inSample[t] === 1) === inSample && fitted.observed[g * T + t]) { a.push(fitted.actual[g * T + t]); p.push(dec.predicted[g * T + t]); }
    return fitMetrics(a, p);
  };
  const metricRow = (sample: string, m: FitMetrics): Row => ({ sample, n: m.n, r2: m.r2, mape: m.mape, smape: m.smape, rmse: m.rmse, nrmse: m.nrmse });
  // The fit's own metrics as stored, field by field; computed here only for a field an older stored
  // output lacks (so a stored MAPE is never replaced by one recomputed from other draws because, say,
  // its NRMSE was not kept: the report reads the stored one, and both must show the same figure).
  const stored = (m: Partial<FitMetrics> | undefined, computed: () => FitMetrics): FitMetrics => {
    const keys = ['r2', 'mape', 'smape', 'rmse', 'nrmse', 'n'] as const;
    if (m && keys.every((k) => typeof m[k] === 'number')) return m as FitMetrics;
    const c = computed();
    return Object.fromEntries(keys.map((k) => [k, typeof m?.[k] === 'number' ? m[k] : c[k]])) as unknown as FitMetrics;
  };
  fitRows.push(metricRow('in-sample', stored(summary.fit, () => pick(true))));
  const hold = stored(summary.fit.holdout, () => pick(false));
  if (hold.n) fitRows.push(metricRow('holdout', hold));

  const tests = opts.experiments ?? [];
  // Tests that changed spend: the model's lift for each, the posterior mean over its draws.
  const changeIndex = tests.flatMap((e, i) => (e.geos === undefined && e.spendChange === undefined && e.alternate === undefined ? [] : [i]));
  const changeLifts = changeIndex.length && fitted.changeTestLifts ? fitted.changeTestLifts(changeIndex.map((i) => {
    const e = tests[i], names = e.geos ?? (e.geo !== undefined ? [e.geo] : null);
    return { channel: channels.indexOf(e.channel), geos: names ? names.map((n) => fitted.geos.indexOf(n)) : geos.map((_, g) => g), start: e.start, end: e.end, spendChange: e.spendChange ?? -1, alternate: e.alternate };
  })) : [];
  const implied = (i: number) => { const k = changeIndex.indexOf(i); return k >= 0 && changeLifts[k] ? sum(changeLifts[k]) / changeLifts[k].length : undefined; };
  const roiOf = (name: string) => { const r = channelRows.find((c) => c.channel === name); return r && typeof r.roiLow === 'number' && typeof r.roiHigh === 'number' ? [r.roiLow, r.roiHigh] as [number, number] : undefined; };
  const liftTests = liftTestCheck(tests, dates, fitted.geos, dec.channels, { implied, roi: roiOf });
  const units = summary.units ?? opts.units ?? figureUnits(fitted.target);
  return {
    modelId, family: fitted.family, target: fitted.target, units,
    decomposition, contributions, channels: channelRows, organic, organicCurves, subchannels: subchannelTable(fitted),
    responseCurves: curves.rows, curvePoints: curves.points, adstock, curveParameters, fit: fitRows,
    parameters: opts.parameters ?? [], liftTests,
    health: healthSummary(fitted, summary, fitRows, liftTests),
  };
}

/** The tables of an Insights object by name (for CSV / Parquet export). */
export function insightTables(x: Insights): Record<string, Row[]> {
  return {
    decomposition: x.decomposition, contributions: x.contributions, channels: x.channels,
    ...(x.subchannels?.length ? { subchannels: x.subchannels } : {}),
    ...(x.organic.length ? { organic: x.organic, organic_curves: x.organicCurves } : {}),
    response_curves: x.responseCurves as unknown as Row[], curve_points: x.curvePoints as unknown as Row[],
    adstock: x.adstock, curve_parameters: x.curveParameters, fit: x.fit, parameters: x.parameters, health: x.health as unknown as Row[], lift_tests: x.liftTests,
  };
}
