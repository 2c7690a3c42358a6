/**
 * `channels[].subchannels`: a config with them validates; what cannot be summed is refused by name; a
 * channel's own spend column beside them must equal their sum, and the error names the row, the column
 * and each sub-channel's value.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parseModelConfig } from './config.ts';
import { buildModelData } from './design.ts';
import { MarginalError } from '../errors.ts';

const base = { data: { file: 'x.csv' }, target: { column: 'revenue' } };
const search = (extra: object = {}) => ({ name: 'search', subchannels: [{ name: 'brand', spend: 'brand_spend' }, { name: 'generic', spend: 'generic_spend' }], ...extra });
const refused = (raw: unknown, pattern: RegExp) => assert.throws(() => parseModelConfig(raw), (e: unknown) => e instanceof MarginalError && e.code === 'BAD_CONFIG' && pattern.test(e.message));

test('a config with sub-channels validates; the channel\'s own spend is then optional', () => {
  const c = parseModelConfig({ ...base, channels: [search(), { name: 'tv', spend: 'tv_spend' }] });
  assert.equal(c.channels[0].spend, undefined);
  assert.deepEqual(c.channels[0].subchannels!.map((s) => s.name), ['brand', 'generic']);
  assert.equal(parseModelConfig({ ...base, channels: [search({ spend: 'search_spend' })] }).channels[0].spend, 'search_spend');
});

test('what cannot be summed is refused, naming the channel and the sub-channel', () => {
  refused({ ...base, channels: [{ name: 'tv' }] }, /channel 'tv': needs a spend column/);
  refused({ ...base, channels: [{ name: 'search', subchannels: [{ name: 'brand', spend: 'b' }] }] }, /at least 2 sub-channels/);
  refused({ ...base, channels: [{ name: 'search', subchannels: [{ name: 'brand', spend: 'b' }, { name: 'brand', spend: 'c' }] }] }, /sub-channel 'brand' twice/);
  refused({ ...base, channels: [{ name: 'search', subchannels: [{ name: 'brand', spend: 'b', exposure: 'bi' }, { name: 'generic', spend: 'c' }] }] }, /sub-channel 'generic' of channel 'search' has no `exposure`/);
  refused({ ...base, channels: [search({ exposure: 'search_clicks' })] }, /channel 'search' has an `exposure` but its sub-channels have none/);
  refused({ ...base, channels: [{ name: 'search', spend: 's', subchannels: [{ name: 'brand', spend: 'b', extra: 1 }, { name: 'generic', spend: 'c' }] }] }, /unknown key `channels\[0\]\.subchannels\[0\]\.extra`/);
});

const dates = Array.from({ length: 20 }, (_, t) => new Date(Date.UTC(2024, 0, 1 + 7 * t)).toISOString().slice(0, 10));
const table = (searchSpend: (t: number) => number) => ({
  source: 'x.csv', rowCount: 20, columns: {
    date: dates, revenue: dates.map((_, t) => 1000 + 37 * ((t * 7) % 11)),
    brand_spend: dates.map((_, t) => 10 + (t % 3)), generic_spend: dates.map((_, t) => 20 + (t % 5)),
    search_spend: dates.map((_, t) => searchSpend(t)),
  },
});

test('the model data sum the sub-channels; a channel spend that disagrees is refused with its row, column and parts', () => {
  const ok = buildModelData(parseModelConfig({ ...base, channels: [search({ spend: 'search_spend' })] }), table((t) => 30 + (t % 3) + (t % 5)));
  assert.equal(ok.C, 1);
  assert.equal(ok.spend[4], 30 + 1 + 4);
  assert.deepEqual(ok.subchannels!.map((s) => [s.name, s.spend[4]]), [['brand', 11], ['generic', 24]]);
  const summed = buildModelData(parseModelConfig({ ...base, channels: [search()] }), table(() => 0));
  assert.deepEqual(Array.from(summed.spend), Array.from(ok.spend));
  const bad = parseModelConfig({ ...base, channels: [search({ spend: 'search_spend' })] });
  assert.throws(() => buildModelData(bad, table((t) => (t === 6 ? 99 : 30 + (t % 3) + (t % 5)))), (e: unknown) => {
    assert.ok(e instanceof MarginalError);
    assert.match(e.message, /row 8/);
    assert.match(e.message, /column 'search_spend'/);
    assert.match(e.message, /channel 'search' spend is not the sum of its sub-channels: brand \(brand_spend = 10\) \+ generic \(generic_spend = 21\) = 31/);
    return true;
  });
});
