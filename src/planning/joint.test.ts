import { test } from 'node:test';
import assert from 'node:assert/strict';
import { jointCurves, type ModelCurve } from './model.ts';

/** A curve whose draw d is (d + 1)·s: easy to tell which draws were summed. */
function curve(key: string, draws: number): ModelCurve {
  const line = (k: number) => ({ value: (s: number) => k * s }) as unknown as ModelCurve['mean'];
  return {
    key, channel: key, reference: 10, expected: (s: number) => s, channelIndex: 0, captured: 1, pattern: new Float64Array([1]), observedMax: 10,
    mean: line(1), perDraw: Array.from({ length: draws }, (_, d) => line(d + 1)),
  } as ModelCurve;
}

test('joint curves of models with different draw counts (posterior draws, bootstrap replicates) use evenly spaced draws of each, as many as the fewest', () => {
  const [tv] = jointCurves([
    { curves: [curve('tv', 4)], weight: 1, label: 'a' },
    { curves: [curve('tv', 8)], weight: 0.5, label: 'b' },
  ]);
  const d = tv.draws!(1);
  assert.equal(d.length, 4);
  // Draw k of the joint curve: model a's draw k (k + 1) plus half of model b's draw 2k (2k + 1).
  assert.deepEqual(Array.from(d), [0, 1, 2, 3].map((k) => (k + 1) + 0.5 * (2 * k + 1)));
  assert.equal(tv.expected(2), 2 + 0.5 * 2);
});
