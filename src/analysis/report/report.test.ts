import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { BayesianFit, ChannelResult } from '../../models/bayesian/fit.ts';
import { adviceThreshold, budgetAdvice, health, nationalSeries, overallLevel, totals } from './facts.ts';
import { parameterLabel } from './detail.ts';
import { renderReport, type ReportInput } from './index.ts';
import { reportScripts } from '../../app/reportScripts.ts';
import { MarginalError } from '../../errors.ts';

const hostile = '<img src=x onerror="window.__pwned=1">';
const closer = '=cmd|"/c calc"!A1 </script><!--';

function channel(name: string, spend: number, contribution: number, mroi: [number, number, number], share: [number, number]): ChannelResult {
  return {
    name, spend, contribution, contributionInterval: [0.8 * contribution, 1.2 * contribution],
    roi: contribution / spend, roiInterval: [0.8 * contribution / spend, 1.2 * contribution / spend],
    mroi: mroi[1], mroiInterval: [mroi[0], mroi[2]], shareOfSpend: share[0], shareOfEffect: share[1],
  };
}

/** 2 geos × 3 periods, 3 channels; the numbers are chosen so totals can be checked by hand. */
function syntheticFit(over: Partial<BayesianFit> = {}): BayesianFit {
  const metrics = { r2: 0.9, mape: 0.04, smape: 0.04, rmse: 10, nrmse: 0.05, n: 4 };
  return {
    family: 'bayesian', approximate: false, method: 'nuts',
    fit: { ...metrics, holdout: { ...metrics, r2: 0.8, mape: 0.05, n: 2 } },
    diagnostics: { rhatMax: 1.004, essBulkMin: 900, essTailMin: 800, divergences: 0, seconds: 3.2 },
    channels: [
      channel('tv', 100, 140, [1.2, 1.4, 1.6], [0.5, 0.5]),
      channel(hostile, 60, 66, [0.8, 1.1, 1.4], [0.3, 0.3]),
      channel(closer, 40, 20, [0.3, 0.5, 0.7], [0.2, 0.2]),
    ],
    warnings: [],
    parameters: [
      { name: 'roi[0]', mean: 1.4, sd: 0.1, q5: 1.2, q50: 1.4, q95: 1.6, rhat: 1.002, essBulk: 900, essTail: 800, mcse: 0.003 },
      { name: 'roi[1]', mean: 1.1, sd: 0.2, q5: 0.8, q50: 1.1, q95: 1.4, rhat: 1.03, essBulk: 150, essTail: 120, mcse: 0.02 },
      { name: 'sigma', mean: 0.05, sd: 0.01, q5: 0.04, q50: 0.05, q95: 0.06, rhat: 1.0, essBulk: 1000, essTail: 900, mcse: 0.0003 },
    ],
    series: {
      dates: ['2024-01-01', '2024-01-08', '2024-01-15'], geos: ['north', 'south'],
      actual: [100, 110, 120, 50, 55, 60], predicted: [102, 108, 121, 49, 56, 59],
      predictedLow: [90, 95, 105, 40, 45, 50], predictedHigh: [110, 120, 130, 60, 65, 70],
      contributions: { tv: [30, 30, 30, 20, 15, 15], [hostile]: [10, 12, 14, 10, 10, 10], [closer]: [5, 5, 5, 2, 1, 2] },
    },
    paramNames: [], draws: [],
    ...over,
  };
}

const input = (result: BayesianFit, kind: 'revenue' | 'conversions' = 'revenue'): ReportInput =>
  ({ modelId: 'm-1', name: `Model ${hostile}`, createdAt: '2026-11-23T10:00:00Z', target: { column: 'revenue', kind }, result });

test('totals: media, base and shares from the channel contributions and the predicted series', () => {
  const t = totals(syntheticFit());
  assert.equal(t.outcome, 495);
  assert.equal(t.predicted, 495);
  assert.equal(t.media, 226);
  assert.equal(t.base, 269);
  assert.equal(t.spend, 200);
  assert.ok(Math.abs(t.mediaShare - 226 / 495) < 1e-12);
  assert.ok(Math.abs(t.mediaShare + t.baseShare - 1) < 1e-12);
  assert.equal(t.mediaRoi, 1.13);
});

test('nationalSeries sums geos, combines bands by root sum of squares, base = predicted − Σ contributions', () => {
  const s = nationalSeries(syntheticFit());
  assert.deepEqual(s.actual, [150, 165, 180]);
  assert.deepEqual(s.predicted, [151, 164, 180]);
  // t = 0: predicted 102 and 49, low 90 and 40, high 110 and 60.
  assert.ok(Math.abs(s.low![0] - (151 - Math.hypot(12, 9))) < 1e-12);
  assert.ok(Math.abs(s.high![0] - (151 + Math.hypot(8, 11))) < 1e-12);
  assert.ok(Math.abs(s.high![2] - (180 + Math.hypot(9, 11))) < 1e-12);
  assert.deepEqual(s.contributions[0].values, [50, 45, 45]);
  assert.deepEqual(s.base, [151 - 50 - 20 - 7, 164 - 45 - 22 - 6, 180 - 45 - 24 - 7]);
  assert.equal(s.holdoutPeriods, 1);
  const one = nationalSeries(syntheticFit({ series: { ...syntheticFit().series, geos: ['all'], dates: ['a', 'b', 'c', 'd', 'e', 'f'] } }));
  assert.deepEqual(one.low, [90, 95, 105, 40, 45, 50], 'one geo: the band as given');
});

test('budgetAdvice: above 1 → more, below → less, confident only when the 90% interval agrees; sorted by marginal ROI', () => {
  const a = budgetAdvice(syntheticFit().channels, 'revenue');
  assert.deepEqual(a.map((x) => [x.channel, x.direction, x.confident]), [['tv', 'more', true], [hostile, 'more', false], [closer, 'less', true]]);
  assert.equal(a[0].text, 'More budget: the next unit returns 1.40 (90%: 1.20–1.60), above break-even (1).');
  assert.match(a[1].text, /^Probably more budget: .*Uncertain: the interval includes the threshold\.$/);
  assert.match(a[2].text, /^Less budget: the next unit returns 0\.500 \(90%: 0\.300–0\.700\), below/);
});

test('conversion targets judge marginal returns against the spend-weighted mean', () => {
  const ch = syntheticFit().channels;
  const thr = adviceThreshold(ch, 'conversions');
  assert.ok(Math.abs(thr - (100 * 1.4 + 60 * 1.1 + 40 * 0.5) / 200) < 1e-12); // 1.13
  const a = budgetAdvice(ch, 'conversions');
  assert.deepEqual(a.map((x) => x.direction), ['more', 'less', 'less']);
  assert.equal(a[1].confident, false);
});

test('health and overall level: good fit is good; R-hat, ESS and divergences make it bad', () => {
  const good = syntheticFit();
  assert.equal(overallLevel(good), 'good');
  assert.deepEqual(health(good).map((i) => i.level), ['good', 'good', 'good', 'good']);
  for (const d of [{ rhatMax: 1.05 }, { essBulkMin: 120 }, { divergences: 3 }]) {
    const bad = syntheticFit({ diagnostics: { ...good.diagnostics, ...d } });
    assert.equal(overallLevel(bad), 'bad');
    assert.equal(health(bad).find((i) => i.label === 'Convergence')!.level, 'bad');
  }
  const approx = syntheticFit({ approximate: true, method: 'laplace', warnings: ['APPROXIMATE: x'], diagnostics: { ...good.diagnostics, essBulkMin: 350 } });
  assert.equal(overallLevel(approx), 'warn', 'Laplace draws are independent: ESS is no convergence check');
  assert.deepEqual(health(approx).slice(0, 2).map((i) => [i.label, i.level]), [['Method', 'warn'], ['Convergence', 'warn']]);
  assert.equal(health(approx)[0].text, 'Approximate fit: x', 'the fit\'s own APPROXIMATE warning, with its measured gap, is the Method row');
  const { holdout: _, ...inSample } = good.fit;
  const noHoldout = syntheticFit({ fit: inSample });
  assert.equal(health(noHoldout).find((i) => i.label === 'Holdout')!.level, 'warn');
  const overfit = syntheticFit({ fit: { ...good.fit, holdout: { ...good.fit.holdout!, mape: 0.3 } } });
  assert.equal(health(overfit).find((i) => i.label === 'Holdout')!.level, 'bad');
  // The posterior predictive check, when the fit has one.
  assert.ok(!health(good).some((i) => i.label === 'Predictive check'));
  const n = good.fit.holdout!.n;
  const checked = health(syntheticFit({ fit: { ...good.fit, predictiveCoverage: { inSample: 0.91, holdout: 1 } } })).find((i) => i.label === 'Predictive check')!;
  assert.equal(checked.level, 'good');
  assert.match(checked.text, new RegExp(`^91\\.0% of the fitted observations and ${n} of ${n} held-out`));
  const narrow = health(syntheticFit({ fit: { ...good.fit, predictiveCoverage: { inSample: 0.6 } } })).find((i) => i.label === 'Predictive check')!;
  assert.equal(narrow.level, 'warn');
  assert.match(narrow.text, /overconfident/);
});

test('parameterLabel names channel-indexed parameters', () => {
  assert.equal(parameterLabel('roi[1]', ['tv', 'search']), 'roi[1] · search');
  assert.equal(parameterLabel('roi[7]', ['tv']), 'roi[7]');
  assert.equal(parameterLabel('sigma', ['tv']), 'sigma');
});

/** The page with the contents of its <script> elements removed: the HTML a browser would parse as markup. */
function markup(html: string): string {
  return html.replace(/<script\b[^>]*>[\s\S]*?<\/script>/g, '<script></script>');
}

test('renderReport escapes hostile names everywhere and embeds chart data that parses back', () => {
  const fit = syntheticFit({ warnings: [`WEAKLY IDENTIFIED: the data say little about ${hostile}'s ROI.`] });
  const html = renderReport(input(fit), reportScripts());
  assert.equal((html.match(/<\/script>/g) ?? []).length, 3, 'exactly the three script elements close');
  assert.equal((html.match(/<script\b/g) ?? []).length, 3);
  const m = markup(html);
  assert.doesNotMatch(m, /<img/i);
  assert.doesNotMatch(m, /onerror="/);
  assert.match(m, /&lt;img src=x onerror=&quot;window.__pwned=1&quot;&gt;/);
  assert.match(m, /=cmd\|&quot;\/c calc&quot;!A1 &lt;\/script&gt;&lt;!--/);
  assert.match(m, /<title>Model &lt;img/);
  const blob = /<script type="application\/json" id="report-data">([\s\S]*?)<\/script>/.exec(html)![1];
  const data = JSON.parse(blob);
  assert.deepEqual(data.channels.map((c: { name: string }) => c.name), ['tv', hostile, closer]);
  assert.deepEqual(data.series.actual, [150, 165, 180]);
  assert.match(m, /Content-Security-Policy" content="default-src &#39;none&#39;/);
  for (const id of ['summary', 'warnings', 'chart-drivers', 'chart-roi', 'chart-contrib', 'chart-fit', 'chart-share', 'roi-table', 'fit-table', 'param-table']) {
    assert.match(m, new RegExp(`id="${id}"`), id);
  }
});

test('renderReport flags R-hat > 1.01 and ESS < 400 and shows a red box when convergence fails', () => {
  const base = syntheticFit();
  const html = markup(renderReport(input(syntheticFit({ diagnostics: { ...base.diagnostics, rhatMax: 1.03, essBulkMin: 150 }, warnings: ['NOT CONVERGED: R-hat reaches 1.030'] })), reportScripts()));
  assert.match(html, /<div class="box bad" id="warnings"/);
  assert.match(html, /Do not act on these numbers yet/);
  assert.match(html, /<li class="bad">NOT CONVERGED/);
  const flagged = [...html.matchAll(/<tr class="flag"><td class="name">([^<]*)</g)].map((r) => r[1]);
  assert.deepEqual(flagged, ['roi[1] · &lt;img src=x onerror=&quot;window.__pwned=1&quot;&gt;']);
  const clean = markup(renderReport(input(base), reportScripts()));
  assert.match(clean, /<div class="box good" id="warnings"><h3>No warnings/);
});

test('conversion targets get cost-per-conversion columns', () => {
  const fit = syntheticFit();
  fit.channels = fit.channels.map((c) => ({ ...c, cpa: c.spend / c.contribution, cpaInterval: [0.5, 2] as [number, number] }));
  const html = markup(renderReport(input(fit, 'conversions'), reportScripts()));
  assert.match(html, /Cost per conv\./);
  assert.match(html, /<td>0\.714 <span class="iv">\(0\.500–2\.00\)<\/span><\/td>/); // tv: 100 / 140, three significant digits
  assert.match(html, /conv\. per unit/);
  assert.match(html, /above the average \(1\.13\)/);
});

test('lift tests: a section with each test beside the model, by hand on the synthetic series; none without tests', () => {
  const fit = syntheticFit();
  // tv over the last two weeks: north 30 + 30, south 15 + 15 = 90; in the north alone 60.
  const experiments = [
    { channel: 'tv', start: '2024-01-08', end: '2024-01-15', lift: 100, liftSe: 10 },
    { channel: 'tv', geo: 'north', start: '2024-01-08', end: '2024-01-15', lift: 100, liftSe: 10 },
  ];
  const html = markup(renderReport({ ...input(fit), experiments }, reportScripts()));
  assert.match(html, /<h2>Lift tests<\/h2>/);
  assert.match(html, /more than two standard errors away from 1 of 2/);
  const rows = html.slice(html.indexOf('id="lift-test-table"')).split('</tbody>')[0].split('<tr').slice(2);
  assert.equal(rows.length, 2);
  assert.match(rows[0], /<td>all<\/td>.*<td>-1\.0<\/td>/s);
  assert.match(rows[1], /class="flag".*<td>north<\/td>.*<td>-4\.0<\/td>/s);
  assert.doesNotMatch(markup(renderReport(input(fit), reportScripts())), /Lift tests/);
});

test('lift tests that changed spend: the rows the insights computed, with the change and the ROI before, predicted and now', () => {
  const fit = syntheticFit();
  const experiments = [{ channel: 'tv', geos: ['north'], start: '2024-01-08', end: '2024-01-15', spendChange: -1, lift: 55, liftSe: 10 }];
  const liftTests = [{
    channel: 'tv', geo: 'north', start: '2024-01-08', end: '2024-01-15', measured: 55, measuredSe: 10, model: 60, z: 0.5, spendChange: -1,
    roiLow: 1.2, roiHigh: 1.9, roiBeforeLow: 0.4, roiBeforeHigh: 3.1, roiPredictedLow: 1.1, roiPredictedHigh: 2.0,
    expectedResultLow: null, expectedResultHigh: null,
  }];
  const html = markup(renderReport({ ...input(fit), experiments, liftTests }, reportScripts()));
  const rows = html.slice(html.indexOf('id="lift-test-table"')).split('</tbody>')[0].split('<tr').slice(2);
  assert.equal(rows.length, 1, 'a test that changed spend is shown (it was left out before)');
  assert.match(rows[0], /<td>north<\/td>.*<td>dark<\/td>.*<td>0\.5<\/td><td>0\.400–3\.10<\/td><td>1\.10–2\.00<\/td><td>1\.20–1\.90<\/td>/s);
  assert.match(html, /<th>ROI before<\/th><th>ROI predicted<\/th><th>ROI now<\/th>/);
  assert.doesNotMatch(html, /Expected before/, 'no column for tests without the range the design expected');
  // With the range the design expected the result in: the column, flagged when the result fell outside.
  const inside = { ...liftTests[0], expectedResultLow: 40, expectedResultHigh: 70 };
  const outside = { ...liftTests[0], channel: 'radio', measured: 95, expectedResultLow: 40, expectedResultHigh: 70 };
  const both = markup(renderReport({ ...input(fit), experiments, liftTests: [inside, outside] }, reportScripts()));
  const cells = both.slice(both.indexOf('id="lift-test-table"')).split('</tbody>')[0].split('<tr').slice(2);
  assert.match(both, /<th>Measured<\/th><th>Expected before \(95%\)<\/th><th>Model<\/th>/);
  assert.match(cells[0], /<td>40(\.0)?–70(\.0)?<\/td>/);
  assert.match(cells[1], /<td class="flag">40(\.0)?–70(\.0)? \(outside\)<\/td>/);
});

test('curve parameters: a row per channel and parameter, posterior beside prior, flagged when the data did not narrow it; none without', () => {
  const base = syntheticFit();
  const curve = (mean: number, lo: number, hi: number, priorSd: number, given: boolean) => ({ mean, sd: (hi - lo) / 3.29, interval: [lo, hi] as [number, number], prior: { mean: 0.4, sd: priorSd, given } });
  const channels = base.channels.map((c, i) => (i === 0 ? { ...c, curve: { decay: curve(0.62, 0.5, 0.7, 0.1, true), shape: curve(1.3, 0.5, 2.6, 0.6, false) } } : c));
  const html = markup(renderReport(input({ ...base, channels }), reportScripts()));
  const rows = html.slice(html.indexOf('id="curve-parameter-table"')).split('</tbody>')[0].split('<tr').slice(2);
  assert.equal(rows.length, 2);
  // decay: 0.2 wide against 3.29 × 0.1 = 0.329 → 60.8%, learned; shape: 2.1 against 1.974 → 106.4%, flagged.
  assert.match(rows[0], /^>.*tv.*carry-over decay.*0\.62 .*\(0\.5–0\.7\).*0\.4 ± 0\.1 .*given.*60\.8%/s);
  assert.match(rows[1], /^ class="flag">.*Hill shape.*default.*106\.4%/s);
  assert.doesNotMatch(markup(renderReport(input(base), reportScripts())), /Response-curve parameters/);
});

test('malformed input is a BAD_INPUT error naming the field', () => {
  const cases: [ReportInput, RegExp][] = [
    [{ ...input(syntheticFit()), target: { column: 'revenue', kind: 'sales' as 'revenue' } }, /`target.kind` must be one of revenue, conversions; got 'sales'/],
    [input(syntheticFit({ channels: [] })), /`result.channels` must list at least one channel/],
    [input(syntheticFit({ series: { ...syntheticFit().series, predicted: [1, 2, 3] } })), /`result.series.predicted` must have 6 values \(3 dates × 2 geos\); got 3/],
    [input(syntheticFit({ series: { ...syntheticFit().series, contributions: { tv: [1, 2, 3, 4, 5, 6] } } })), /`result.series.contributions\['<img/],
  ];
  for (const [bad, message] of cases) {
    assert.throws(() => renderReport(bad, reportScripts()), (e: unknown) => e instanceof MarginalError && e.code === 'BAD_INPUT' && message.test(e.message));
  }
});

test('the prior check sits beside what the data found: media share before and after', () => {
  const fit = syntheticFit({ priorCheck: { mediaShare: { median: 0.183, interval: [0.041, 0.82] }, channelShare: [0.1, 0.08], defaultRule: 'media-share' } });
  const html = markup(renderReport(input(fit), reportScripts()));
  const text = /<p class="caption" id="prior-check">([^<]+)<\/p>/.exec(html)?.[1] ?? '';
  assert.match(text, /the ROI priors alone put media at 18% of it \(90% 4\.1%–82%\)/);
  assert.match(text, /centred on a 20% share/);
  assert.match(text, new RegExp(`with the data, ${(100 * totals(fit).mediaShare).toFixed(0)}%\\.$`));
  assert.doesNotMatch(markup(renderReport(input(syntheticFit()), reportScripts())), /id="prior-check"/);
});
