/**
 * A model health summary in plain language, for any family: how it was fitted, convergence, in-sample
 * fit, holdout, implausible ROI, and what the fit's own warnings say (e.g. posteriors that did not
 * move from their priors). Each row: topic, level (ok / caution / problem) and one sentence.
 */
import type { FittedModel } from '../models/fitted.ts';
import type { Row } from './rows.ts';
import type { FitSummary } from './summary.ts';
import type { LiftTestRow } from './liftTests.ts';
import { formatDecimals, formatPercent, formatRange, formatValue } from '../units.ts';

export interface HealthRow { topic: string; level: 'ok' | 'caution' | 'problem'; text: string }

const pct = (v: number) => formatPercent(v);

/** The in-sample fit in one sentence, the same words and digits in the insights' health and the report. */
export function fitExplained(r2: number, mape: number, target?: string): string {
  return `The model explains ${pct(Math.max(0, r2))} of the variation${target ? ` in ${target}` : ''} it was fitted on (R² ${formatDecimals(r2, 3)}), with a typical error of ${pct(mape)} (MAPE).`;
}

export function healthSummary(fitted: FittedModel, s: FitSummary, fit: Row[], liftTests: readonly LiftTestRow[] = []): HealthRow[] {
  const out: HealthRow[] = [];
  const d = s.diagnostics;
  // The fit's own APPROXIMATE warning says how (geo fits add how the pooling sds were set), so it is
  // the method row's text rather than a second row saying the same.
  const approximateWarning = s.warnings.find((w) => w.startsWith('APPROXIMATE:'));
  if (s.approximate) {
    out.push({ topic: 'method', level: 'caution', text: approximateWarning ? approximateWarning.replace(/^APPROXIMATE: /, 'Approximate fit: ') : 'Approximate fit (fast mode): intervals are indicative; refit with full sampling (NUTS) before acting on them.' });
  } else if (d && d.rhatMax !== undefined && d.essBulkMin !== undefined) {
    const bad = d.rhatMax > 1.01 || d.essBulkMin < 400 || (d.divergences ?? 0) > 0;
    out.push({
      topic: 'convergence', level: bad ? 'problem' : 'ok',
      text: bad ? `The sampler did not converge (R-hat up to ${d.rhatMax.toFixed(3)}, bulk ESS down to ${Math.round(d.essBulkMin)}, ${d.divergences ?? 0} divergences): do not act on these numbers yet.`
        : `The sampler converged (R-hat ≤ ${d.rhatMax.toFixed(3)}, bulk ESS ≥ ${Math.round(d.essBulkMin)}, no divergences).`,
    });
  }
  const ins = fit.find((r) => r.sample === 'in-sample');
  if (ins) {
    const r2 = ins.r2 as number, mape = ins.mape as number;
    out.push({
      topic: 'fit', level: r2 >= 0.8 ? 'ok' : r2 >= 0.5 ? 'caution' : 'problem',
      text: fitExplained(r2, mape, fitted.target.column),
    });
  }
  const hold = fit.find((r) => r.sample === 'holdout');
  if (!hold) {
    out.push({ topic: 'holdout', level: 'caution', text: 'No holdout: the model was not checked on periods it did not see. Set `holdout.periods` in the config.' });
  } else {
    const mape = hold.mape as number, inMape = (ins?.mape as number) ?? 0;
    const level = mape > 0.25 ? 'problem' : mape > Math.max(2 * inMape, inMape + 0.05) ? 'caution' : 'ok';
    out.push({ topic: 'holdout', level, text: `On the ${hold.n} held-out observations the typical error is ${pct(mape)} (MAPE; ${pct(inMape)} in-sample)${level === 'ok' ? ': it predicts unseen periods about as well as seen ones.' : ': it predicts unseen periods worse than seen ones.'}` });
  }
  // Posterior predictive check (Bayesian fits): actual outcomes inside the 90% predictive interval.
  const cover = s.fit.predictiveCoverage;
  if (cover) out.push({ topic: 'predictive check', ...predictiveCheck(cover, hold ? hold.n as number : 0) });
  // Lift tests: the model within ~2 standard errors of each, or the ones it disagrees with.
  if (liftTests.length) {
    const off = liftTests.filter((t) => Math.abs(t.z) > 2);
    const name = (t: LiftTestRow) => `${t.channel}${t.geo ? ` in ${t.geo}` : ''} ${t.start}…${t.end}`;
    out.push(off.length
      ? { topic: 'lift tests', level: 'caution', text: `The model disagrees with ${off.length} of ${liftTests.length} lift test${liftTests.length === 1 ? '' : 's'}: ${off.map((t) => `${name(t)} (model ${t.model.toPrecision(3)} against ${t.measured.toPrecision(3)} ± ${t.measuredSe.toPrecision(2)}, ${t.z.toFixed(1)} standard errors)`).join('; ')}. The data pull the other way: check the test's window, geo and standard error, or what else changed then.` }
      : { topic: 'lift tests', level: 'ok', text: `The model agrees with ${liftTests.length === 1 ? 'the lift test' : `all ${liftTests.length} lift tests`} within two standard errors (largest gap ${Math.max(...liftTests.map((t) => Math.abs(t.z))).toFixed(1)}).` });
    const surprised = surprises(liftTests, s);
    if (surprised) out.push(surprised);
  }
  out.push(plausibility(fitted, s));
  // One WEAKLY IDENTIFIED or PRIOR DECIDES warning per channel (bayesian/fit.ts): one row naming them all.
  const weak = s.warnings.filter((w) => /^(WEAKLY IDENTIFIED|PRIOR DECIDES):/.test(w));
  if (weak.length) out.push({ topic: 'prior vs posterior', level: 'caution', text: weaklyIdentifiedText(weak) });
  // Always-on channels (bayesian/alwaysOn.ts): one row naming them all, with each one's marginal ROI
  // (what the data measure) beside its ROI interval (what the curve's shape adds).
  const alwaysOn = s.warnings.filter((w) => w.startsWith('ALWAYS ON:'));
  if (alwaysOn.length) {
    const names = alwaysOn.map((w) => /^ALWAYS ON: (.+?) never goes dark/.exec(w)?.[1] ?? '?');
    const ratio = (v: number) => formatValue(v, s.units?.roi ?? 'revenue-per-spend');
    const range = (iv: [number, number] | undefined) => (iv ? ` (90% ${formatRange(iv, ratio)})` : '');
    const each = names.map((n) => {
      const c = s.channels.find((x) => x.name === n);
      return c ? `${n}: marginal ROI ${ratio(c.mroi)}${range(c.mroiInterval)}, ROI ${ratio(c.roi)}${range(c.roiInterval)}` : n;
    });
    out.push({ topic: 'always on', level: 'caution', text: `${names.join(', ')} never go${names.length === 1 ? 'es' : ''} dark, so ${names.length === 1 ? 'its ROI rests' : 'their ROIs rest'} on the shape of the fitted response curve more than on the data; marginal ROI is the better-measured number. ${each.join('; ')}. A lift test, or a few periods with ${names.length === 1 ? 'the channel' : 'each'} off, would pin ${names.length === 1 ? 'it' : 'them'}.` });
  }
  for (const w of s.warnings.filter((x) => !weak.includes(x) && !alwaysOn.includes(x) && !(s.approximate && x === approximateWarning))) out.push({ topic: 'warning', level: 'caution', text: w });
  return out;
}

/**
 * The fit's WEAKLY IDENTIFIED / PRIOR DECIDES warnings (one per channel) as one sentence naming every
 * channel with how much its posterior overlaps its prior, and for PRIOR DECIDES the share of the
 * outcome its prior alone implies. A warning in another wording is quoted whole.
 */
export function weaklyIdentifiedText(warnings: readonly string[]): string {
  const each = warnings.map((w) => {
    const weak = /^WEAKLY IDENTIFIED: the data say little about (.+)'s (marginal ROI|ROI): its posterior overlaps its prior by ([\d.]+%)/.exec(w);
    if (weak) return `${weak[1]} (its ${weak[2]} posterior overlaps its prior by ${weak[3]})`;
    const decides = /^PRIOR DECIDES: (.+)'s (marginal ROI|ROI) stays near its prior \(the posterior overlaps it by ([\d.]+%)\), and that prior's median alone says .+ earns ([\d.]+%) of the outcome/.exec(w);
    if (decides) return `${decides[1]} (its ${decides[2]} posterior overlaps its prior by ${decides[3]}, and that prior alone says it earns ${decides[4]} of the outcome — not plausible: set \`priors.roi.${decides[1]}\` from what you know)`;
    return w;
  });
  const one = warnings.length === 1;
  return `${warnings.length} channel${one ? ' is' : 's are'} weakly identified, ${one ? 'its estimate' : 'their estimates'} mostly the prior: ${each.join('; ')}. A lift test or an ROI prior from what you know would pin ${one ? 'it' : 'them'} down.`;
}

/**
 * The posterior predictive check in words: the share of actual outcomes inside the model's 90%
 * predictive interval, in-sample and on the `heldOutN` held-out observations. A caution when it is
 * under 80% in-sample (overconfident, or a missing driver) or under 60% of at least 4 held-out ones.
 */
export function predictiveCheck(cover: { inSample: number; holdout?: number; byGeo?: Record<string, number> }, heldOutN: number): { level: 'ok' | 'caution'; text: string } {
  const heldOut = heldOutN > 0 && cover.holdout !== undefined ? { inside: Math.round(cover.holdout * heldOutN), n: heldOutN } : null;
  const heldText = heldOut ? ` and ${heldOut.inside} of ${heldOut.n} held-out observations` : '';
  const overconfident = cover.inSample < 0.8;
  const missesHoldout = heldOut !== null && heldOut.n >= 4 && heldOut.inside / heldOut.n < 0.6;
  // Geos under 80%, worst first: the model misfits them even where the total looks right.
  const shortGeos = Object.entries(cover.byGeo ?? {}).filter(([, v]) => v < 0.8).sort((a, b) => a[1] - b[1]);
  const geoText = shortGeos.length
    ? ` In ${shortGeos.length === 1 ? 'one geo' : `${shortGeos.length} geos`} the model misses more often than it should: ${shortGeos.slice(0, 8).map(([g, v]) => `${g} (${pct(v)})`).join(', ')}${shortGeos.length > 8 ? ', …' : ''}; look for what happened there that the data do not say (an outage, a local campaign, a data error).`
    : '';
  return {
    level: overconfident || missesHoldout || shortGeos.length ? 'caution' : 'ok',
    text: `${pct(cover.inSample)} of the fitted observations${heldText} fall inside the model's 90% predictive interval (about 90% expected)`
      + (overconfident ? ': the model is overconfident, its intervals are too narrow or it misses a driver; look at the periods it misses.'
        : missesHoldout ? ': it forecasts unseen periods worse than it claims; something changed in the held-out periods that the model does not know.'
          : shortGeos.length ? '.' : ': the model is about right about its own uncertainty.')
      + geoText,
  };
}

/**
 * Whether each channel's figures are plausible, judged in the units of outcome and spend: an ROI above
 * 20 is implausible only when outcome and spend are both money on comparable scales (revenue at most
 * 100× spend); where spend is an index or a different scale (PyMC-Marketing's example: ROI in the
 * thousands is the truth), the figure that can be judged is the channel's share of the outcome, which
 * cannot pass 100%, and no ROI can be negative.
 */
export function plausibility(fitted: FittedModel, s: FitSummary): HealthRow {
  let revenue = 0, outcome = 0;
  for (let i = 0; i < fitted.actual.length; i++) if (fitted.observed[i]) { revenue += fitted.actual[i] * fitted.revenuePerUnit[i]; outcome += fitted.actual[i]; }
  const spend = s.channels.reduce((a, c) => a + c.spend, 0);
  const revenueRoi = (s.units?.roi ?? (fitted.target.kind === 'revenue' ? 'revenue-per-spend' : 'conversions-per-spend')) === 'revenue-per-spend';
  const comparable = revenueRoi && spend > 0 && revenue <= 100 * spend;
  const problems = s.channels.flatMap((c) => {
    if (c.roi < 0) return [`${c.name}: ROI ${formatValue(c.roi, 'revenue-per-spend')} is negative`];
    if (outcome > 0 && c.contribution > outcome) return [`${c.name}: its contribution is ${pct(c.contribution / outcome)} of the whole outcome`];
    if (comparable && c.roi > 20) return [`${c.name}: ROI ${formatValue(c.roi, 'revenue-per-spend')} (revenue and spend are both money on comparable scales, and more than 20 per unit spent is rarely real)`];
    return [];
  });
  const media = s.channels.reduce((a, c) => a + Math.max(0, c.contribution), 0);
  if (outcome > 0 && media > outcome) problems.push(`all media together contribute ${pct(media / outcome)} of the outcome`);
  if (problems.length) return { topic: 'plausibility', level: 'caution', text: `Implausible figures — ${problems.join('; ')}: check the data, the units and the priors.` };
  return { topic: 'plausibility', level: 'ok', text: comparable ? 'Every channel\'s ROI and share of the outcome are in a plausible range.' : 'Every channel\'s share of the outcome is plausible (ROI is not judged by size: spend and outcome are on different scales).' };
}

/**
 * A health summary in one line (the overview): the worst level, and the topics at it. E.g. "Healthy:
 * all 5 checks pass", "Use with care: cautions on method, holdout", "Do not act on it yet: a problem
 * with convergence (and 1 caution)".
 */
export function healthVerdict(rows: readonly HealthRow[]): { level: HealthRow['level']; line: string } {
  const problems = rows.filter((r) => r.level === 'problem'), cautions = rows.filter((r) => r.level === 'caution');
  const topics = (xs: readonly HealthRow[]) => [...new Set(xs.map((r) => r.topic))].join(', ');
  if (problems.length) {
    const more = cautions.length ? ` (and ${cautions.length} caution${cautions.length === 1 ? '' : 's'})` : '';
    return { level: 'problem', line: `Do not act on it yet: ${problems.length === 1 ? 'a problem' : `${problems.length} problems`} with ${topics(problems)}${more}` };
  }
  if (cautions.length) return { level: 'caution', line: `Use with care: ${cautions.length === 1 ? 'a caution' : `${cautions.length} cautions`} on ${topics(cautions)}` };
  return { level: 'ok', line: `Healthy: all ${rows.length} check${rows.length === 1 ? '' : 's'} pass` };
}

/**
 * Tests from the design whose result fell outside the 95% range the model expected before them: the
 * model that designed them was off for the channel (this fit has taken the test in). Plans and
 * forecasts made with that earlier model rest on what the test contradicted. The range holds the
 * model's own uncertainty about the lift as well as the test's noise, so this is rare: 1 of 36 tests
 * on the experiments bench (docs/experiments.md).
 */
function surprises(tests: readonly LiftTestRow[], s: FitSummary): HealthRow | null {
  const out = (v: number) => formatValue(v, s.units?.outcome ?? 'currency', s.units?.currency ?? null);
  const off = tests.filter((t) => t.expectedResultLow !== null && t.expectedResultHigh !== null && (t.measured < t.expectedResultLow || t.measured > t.expectedResultHigh));
  if (!off.length) return null;
  const each = off.map((t) => {
    const above = t.measured > t.expectedResultHigh!;
    return `${t.channel} (${t.start}…${t.end}) came in at ${out(t.measured)}, ${above ? 'above' : 'below'} the range the model expected before it (${formatRange([t.expectedResultLow!, t.expectedResultHigh!], out)}, 95%): that model ${above ? 'underestimated' : 'overestimated'} ${t.channel}`;
  });
  return { topic: 'tests against the model before them', level: 'caution', text: `${each.join('; ')}. This fit takes the test${off.length > 1 ? 's' : ''} in; plans and forecasts made with the earlier model are worth redoing.` };
}
