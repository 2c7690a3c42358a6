import { test } from 'node:test';
import assert from 'node:assert/strict';
import { journeyShape } from './shape.ts';
import type { Journeys } from './types.ts';

test('journeys at a glance: touches per journey with their conversion rate, and days from first touch to conversion', () => {
  const day = 86400;
  // Three journeys: 1 touch converting after half a day; 3 touches converting 10 days after the first; 2 touches, no conversion.
  const j: Journeys = {
    channels: ['a', 'b'], campaigns: [], offsets: Int32Array.from([0, 1, 4, 6]),
    touchChannel: Int32Array.from([0, 0, 1, 0, 1, 1]), touchTime: Float64Array.from([0, 0, 2 * day, 5 * day, 0, day]), touchCampaign: new Int32Array(6).fill(-1),
    conversions: Float64Array.from([1, 1, 0]), value: Float64Array.from([10, 20, 0]), nulls: Float64Array.from([0, 0, 1]),
    endTime: Float64Array.from([0.5 * day, 10 * day, day]), untouchedConversions: 0, untouchedValue: 0,
  };
  const s = journeyShape(j);
  assert.deepEqual(s.pathLength, [
    { touches: '1', journeys: 1, conversions: 1, conversionRate: 1 },
    { touches: '2', journeys: 1, conversions: 0, conversionRate: 0 },
    { touches: '3', journeys: 1, conversions: 1, conversionRate: 1 },
  ]);
  assert.deepEqual(s.timeToConvert.map((r) => [r.days, r.conversions]), [['under 1', 1], ['1–3', 0], ['3–7', 0], ['7–14', 1], ['14–30', 0], ['30+', 0]]);
  assert.equal(s.medianDays, 10, 'the upper of two (the share at or below it is at least a half)');
  // Aggregated paths have no timestamps: no time to convert.
  const paths = journeyShape({ ...j, touchTime: new Float64Array(6).fill(NaN), endTime: new Float64Array(3).fill(NaN) });
  assert.deepEqual([paths.timeToConvert, paths.medianDays], [[], null]);
});
