import { test } from 'node:test';
import assert from 'node:assert/strict';
import { channelAudience } from './audience.ts';
import type { Journeys } from './types.ts';

test('a channel\'s audience: customers ranked by the credit its touches earned them, over their journeys', () => {
  // Customer x: two journeys (credit 0.5 + 0.25 from search); y: 1.0 from search; z: only tv.
  const j: Journeys = {
    channels: ['search', 'tv'], campaigns: [], offsets: Int32Array.from([0, 2, 3, 4, 5]),
    touchChannel: Int32Array.from([0, 1, 0, 0, 1]), touchTime: new Float64Array(5), touchCampaign: new Int32Array(5).fill(-1),
    conversions: Float64Array.from([1, 1, 1, 1]), value: new Float64Array(4), nulls: new Float64Array(4), endTime: new Float64Array(4),
    ids: ['x', 'x', 'y', 'z'], untouchedConversions: 0, untouchedValue: 0,
  };
  const scores = { method: 'linear' as const, conversions: Float64Array.from([0.5, 0.5, 0.25, 1, 1]), value: new Float64Array(5) };
  assert.deepEqual(channelAudience(j, scores, 'search'), [{ customer: 'y', credit: 1, journeys: 1 }, { customer: 'x', credit: 0.75, journeys: 2 }]);
  assert.deepEqual(channelAudience(j, scores, 'search', 1).map((r) => r.customer), ['y']);
  assert.deepEqual(channelAudience(j, scores, 'tv').map((r) => r.customer), ['z', 'x']);
  assert.throws(() => channelAudience(j, scores, 'radio'), /no touches of channel 'radio'/);
});
