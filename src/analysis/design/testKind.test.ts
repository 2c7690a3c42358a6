import { test } from 'node:test';
import assert from 'node:assert/strict';
import { testKindText } from './testKind.ts';
import { designWindow } from './window.ts';

test('a time test is described by the pattern its window really has: changed, unchanged, unchanged, changed per block', () => {
  const dates = Array.from({ length: 60 }, (_, i) => new Date(Date.UTC(2025, 0, 6 + 7 * i)).toISOString().slice(0, 10));
  for (const block of [1, 2]) {
    const w = designWindow(dates, undefined, 8 * block, block);
    const pattern = w.changed.map((c) => (c ? 'C' : 'U')).join('');
    const abba = ['C', 'U', 'U', 'C'].map((x) => x.repeat(block)).join('');
    assert.equal(pattern, abba + abba);
    assert.equal(testKindText({ kind: 'time', alternate: block }), `on/off in ${block === 1 ? 'single periods' : `${block}-period blocks`} (ABBA)`);
  }
  assert.equal(testKindText({ kind: 'geo', treatment: { geos: ['a', 'b'] }, control: { geos: ['c', 'd', 'e'] } }), '2 treated / 3 control geos');
});
