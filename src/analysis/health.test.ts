import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { FittedModel } from '../models/fitted.ts';
import { healthSummary } from './health.ts';
import { parseFitSummary } from './summary.ts';

// The warnings as src/models/bayesian/fit.ts words them (one per weakly identified channel), a sampler
// warning that mentions a prior without being about identification, and an always-on channel.
const weak = (c: string, what = 'ROI') => `WEAKLY IDENTIFIED: the data say little about ${c}'s ${what}: its posterior overlaps its prior by 81% (it moved 0.2 prior sd and kept 93% of the prior's width). Add a lift test or an ROI prior for it.`;
const decides = (c: string) => `PRIOR DECIDES: ${c}'s ROI stays near its prior (the posterior overlaps it by 88%), and that prior's median alone says ${c} earns 64% of the outcome — not plausible. Set \`priors.roi.${c}\` from what you know, or run a lift test, before using this channel's figures.`;
const ebfmi = 'LOW E-BFMI: the energy diagnostic of at least one chain is 0.21 (< 0.3): the sampler moves slowly through the posterior\'s tails, so tail quantities (the ends of the intervals) may be off. Run longer warm-up; if it persists, an ROI or control prior is probably far too wide.';

const fitted = { target: { column: 'revenue', kind: 'revenue' }, actual: Float64Array.from([100, 110, 120]), observed: Uint8Array.of(1, 1, 1), revenuePerUnit: Float64Array.from([1, 1, 1]) } as unknown as FittedModel;
const channel = (name: string) => ({ name, spend: 10, contribution: 5, roi: 0.5, mroi: 0.3 });
const summary = (warnings: string[]) => parseFitSummary({
  fit: { r2: 0.9, mape: 0.05, nrmse: 0.1 }, channels: ['tv', "kid's tv", 'radio', 'search'].map(channel), warnings,
}, 'test');
const fitRows = [{ sample: 'in-sample', n: 3, r2: 0.9, mape: 0.05 }];

test('health: the prior-vs-posterior row names every weakly identified channel and counts only them', () => {
  const rows = healthSummary(fitted, summary([weak('tv'), ebfmi, weak("kid's tv", 'marginal ROI'), decides('radio'), 'ALWAYS ON: search never goes dark (spend in every period).']), fitRows);
  const row = rows.filter((r) => r.topic === 'prior vs posterior');
  assert.equal(row.length, 1);
  const text = row[0].text;
  assert.match(text, /^3 channels are weakly identified/);
  assert.match(text, /tv \(its ROI posterior overlaps its prior by 81%\)/);
  assert.match(text, /kid's tv \(its marginal ROI posterior overlaps its prior by 81%\)/);
  assert.match(text, /radio \(its ROI posterior overlaps its prior by 88%, and that prior alone says it earns 64% of the outcome/);
  assert.doesNotMatch(text, /search/, 'an always-on channel is its own row');
  // The E-BFMI warning mentions a prior but is not about identification: its own row, not counted.
  assert.ok(rows.some((r) => r.topic === 'warning' && r.text === ebfmi));
  assert.ok(rows.some((r) => r.topic === 'always on' && /^search never goes dark/.test(r.text)));
});

test('health: one weakly identified channel reads in the singular; none, no row', () => {
  const one = healthSummary(fitted, summary([weak('radio')]), fitRows).find((r) => r.topic === 'prior vs posterior');
  assert.match(one?.text ?? '', /^1 channel is weakly identified, its estimate mostly the prior: radio \(its ROI posterior/);
  assert.match(one?.text ?? '', /would pin it down\.$/);
  assert.equal(healthSummary(fitted, summary([ebfmi]), fitRows).find((r) => r.topic === 'prior vs posterior'), undefined);
});

test('health: a designed test whose result fell outside the range expected before it says the earlier model was off', () => {
  const row = (channel: string, measured: number, lo: number | null, hi: number | null) => ({
    channel, geo: null, start: '2024-03-04', end: '2024-04-01', measured, measuredSe: 10, model: measured, z: 0, spendChange: -1,
    roiLow: 1, roiHigh: 2, roiBeforeLow: 0.5, roiBeforeHigh: 3, roiPredictedLow: 0.8, roiPredictedHigh: 2.2,
    expectedResultLow: lo, expectedResultHigh: hi,
  });
  const tests = [row('tv', 50, 40, 70), row('search', 120, 40, 70), row('radio', 10, 20, 60), row('display', 5, null, null)];
  const rows = healthSummary(fitted, summary([]), fitRows, tests);
  const surprise = rows.filter((r) => r.topic === 'tests against the model before them');
  assert.equal(surprise.length, 1);
  assert.equal(surprise[0].level, 'caution');
  assert.match(surprise[0].text, /search \(2024-03-04…2024-04-01\) came in at .*120.*, above the range the model expected before it \(.*40.*70.*, 95%\): that model underestimated search/);
  assert.match(surprise[0].text, /radio .* below .* that model overestimated radio/);
  assert.doesNotMatch(surprise[0].text, /\btv\b|display/, 'inside its range, or no range kept: not named');
  assert.match(surprise[0].text, /takes the tests in/);
  // Every result inside its range (or none kept): no row.
  assert.equal(healthSummary(fitted, summary([]), fitRows, [tests[0], tests[3]]).find((r) => r.topic === 'tests against the model before them'), undefined);
});
