import { test } from 'node:test';
import assert from 'node:assert/strict';
import { journeysFrom } from './build.ts';
import { ruleScores } from './rules.ts';
import { calibrateToMmm, contributionSharePriors, periodIndex, resolveChannelMap } from './calibrate.ts';
import { byChannel } from './types.ts';
import { MarginalError } from '../errors.ts';

const t = (d: string) => Date.parse(`${d}T12:00:00Z`) / 1000;

test('calibration rescales each (channel, period) cell to the MMM and leaves the rest to base', () => {
  const j = journeysFrom([
    { touches: ['fb', 'search'], times: [t('2024-01-01'), t('2024-01-02')], conversions: 1, end: t('2024-01-03') },
    { touches: ['ig', 'search'], times: [t('2024-01-02'), t('2024-01-03')], conversions: 2, end: t('2024-01-09') },
    { touches: ['fb'], times: [t('2024-01-09')], conversions: 1, end: t('2024-01-10') },
    { touches: ['tv'], times: [t('2024-01-09')], conversions: 1, end: t('2024-01-10') },
    { touches: ['fb'], times: [t('2024-02-09')], conversions: 1, end: t('2024-02-10') }, // after the model's periods
  ]);
  // geo-major [G=2, T=2]: national sums social = [30, 12], search = [10, 0]
  const mmm = { dates: ['2024-01-01', '2024-01-08'], channels: ['social', 'search'], contributions: { social: [20, 5, 10, 7], search: [6, 0, 4, 0] } };
  const s = ruleScores(j, 'linear');
  const cal = calibrateToMmm(j, s, mmm, { fb: 'social', ig: 'social' });
  assert.deepEqual(cal.unmatchedChannels, ['tv']);
  const row = (ch: string, p?: string) => cal.consistency.find((r) => r.channel === ch && r.period === p)!;
  assert.equal(row('social', '2024-01-01').mmm, 30);
  assert.ok(Math.abs(row('social', '2024-01-01').touchpoints - 30) < 1e-9);
  assert.ok(Math.abs(row('social', '2024-01-08').touchpoints - 12) < 1e-9);
  assert.ok(Math.abs(row('search', '2024-01-01').touchpoints - 10) < 1e-9);
  assert.equal(row('search', '2024-01-08').raw, 1); // journey 2 ended in week 2: its search touch is there
  assert.ok(Math.abs(row('search', '2024-01-08').touchpoints - 0) < 1e-9); // MMM 0 → 0
  assert.deepEqual(row('social').touchChannels, ['fb', 'ig']);
  // within a cell the method's proportions are kept: journey 1's fb (0.5) is all of social in week 1
  assert.ok(Math.abs(cal.scores.conversions[0] - 30) < 1e-9);
  assert.equal(cal.outsidePeriods, 1);
  assert.equal(cal.scores.conversions[j.offsets[4]], 0);
});

test('period lookup, channel map resolution and share priors', () => {
  const starts = Float64Array.from(['2024-01-01', '2024-01-08', '2024-01-15'], (d) => Date.parse(`${d}T00:00:00Z`) / 1000);
  assert.equal(periodIndex(starts, t('2023-12-31')), -1);
  assert.equal(periodIndex(starts, t('2024-01-07')), 0);
  assert.equal(periodIndex(starts, t('2024-01-08')), 1);
  assert.equal(periodIndex(starts, t('2024-01-21')), 2);
  assert.equal(periodIndex(starts, t('2024-01-22')), -1);
  assert.deepEqual(resolveChannelMap(['Paid Search', 'TV', 'radio'], ['paid_search', 'tv']), ['paid_search', 'tv', null]);
  assert.throws(() => resolveChannelMap(['a'], ['b'], { a: 'c' }), (e: unknown) => e instanceof MarginalError && /no channel 'c'/.test(e.message));
  const credit = [{ channel: 'fb', conversions: 30, value: 0, share: 0.3 }, { channel: 'ig', conversions: 10, value: 0, share: 0.1 }, { channel: 'search', conversions: 60, value: 0, share: 0.6 }];
  const pri = contributionSharePriors(credit, ['social', 'search'], 0.5, { fb: 'social', ig: 'social' }, 0.5);
  assert.deepEqual(pri, { social: { share: 0.2, confidence: 0.5 }, search: { share: 0.3, confidence: 0.5 } });
  // Worded for the web and the CLI alike; the field lets the CLI add its --channel-map flag.
  assert.throws(() => contributionSharePriors(credit, ['x'], 0.5), (e: unknown) => e instanceof MarginalError && e.field === 'channelMap' && /map the touchpoint channels to the model's channels/.test(e.message));
  assert.throws(() => contributionSharePriors(credit, ['search'], 1), /confidence/);
  // the credit shares come from any method's channel totals
  const j = journeysFrom([{ touches: ['fb', 'search'], conversions: 2 }]);
  const p2 = contributionSharePriors(byChannel(j, ruleScores(j, 'linear')), ['fb', 'search'], 0.2);
  assert.deepEqual(p2, { fb: { share: 0.5, confidence: 0.2 }, search: { share: 0.5, confidence: 0.2 } });
});

test('a campaign mapping sends a campaign\'s touches to its model channel whatever their touch channel', () => {
  const j = journeysFrom([
    { touches: ['video', 'search'], campaigns: ['spring tv', null], times: [t('2024-01-01'), t('2024-01-02')], conversions: 1, end: t('2024-01-03') },
    { touches: ['video'], campaigns: ['youtube'], times: [t('2024-01-02')], conversions: 1, end: t('2024-01-04') },
  ]);
  const mmm = { dates: ['2024-01-01'], channels: ['tv', 'search', 'online_video'], contributions: { tv: [8], search: [4], online_video: [2] } };
  const s = ruleScores(j, 'linear');
  // Without campaigns, 'video' matches no model channel.
  assert.deepEqual(calibrateToMmm(j, s, mmm).unmatchedChannels, ['video']);
  const cal = calibrateToMmm(j, s, mmm, { video: 'online_video' }, { 'spring tv': 'tv' });
  const row = (ch: string) => cal.consistency.find((r) => r.channel === ch && r.period === undefined)!;
  // The spring tv touch (0.5 of journey 1) is all of tv's credit; the other video touch is online_video's.
  assert.ok(Math.abs(cal.scores.conversions[0] - 8) < 1e-9);
  assert.ok(Math.abs(cal.scores.conversions[2] - 2) < 1e-9);
  assert.equal(row('tv').raw, 0.5);
  assert.deepEqual(row('tv').campaigns, ['spring tv']);
  assert.deepEqual(row('tv').touchChannels, []);
  assert.deepEqual(cal.unmatchedChannels, []);
  // A campaign mapping alone reaches the touches it names: the rest of 'video' stays unmatched.
  assert.deepEqual(calibrateToMmm(j, s, mmm, {}, { 'spring tv': 'tv' }).unmatchedChannels, ['video']);
  assert.throws(() => calibrateToMmm(j, s, mmm, {}, { autumn: 'tv' }), (e: unknown) => e instanceof MarginalError && e.field === 'campaignMap' && /no campaign 'autumn'; they have spring tv, youtube/.test(e.message));
  assert.throws(() => calibrateToMmm(j, s, mmm, {}, { youtube: 'ctv' }), (e: unknown) => e instanceof MarginalError && /not a channel of the model/.test(e.message));
});
