import { test } from 'node:test';
import assert from 'node:assert/strict';
import { sweep } from './journeys.ts';

const D = 86400;

test('sessions end at each conversion; lookback drops old touches; conversions without touches are untouched', () => {
  // rows sorted by (customer, time, touches first); ch −1 = not a touch; conv > 0 = a conversion
  const rows = [
    // customer 0: a(0) b(1d) CONV(2d) c(3d) CONV(3d, same instant: c belongs to it) d(40d)   → 3 journeys
    { cid: 0, t: 0, ch: 0, conv: 0, val: 0 },
    { cid: 0, t: 1 * D, ch: 1, conv: 0, val: 0 },
    { cid: 0, t: 2 * D, ch: -1, conv: 1, val: 5 },
    { cid: 0, t: 3 * D, ch: 2, conv: 0, val: 0 },
    { cid: 0, t: 3 * D, ch: -1, conv: 2, val: 7 },
    { cid: 0, t: 40 * D, ch: 3, conv: 0, val: 0 },
    // customer 1: a(0) then CONV(45d): the touch is outside a 30-day lookback → untouched
    { cid: 1, t: 0, ch: 0, conv: 0, val: 0 },
    { cid: 1, t: 45 * D, ch: -1, conv: 1, val: 3 },
    // customer 2: a touch row that converted (touch and conversion in one row)
    { cid: 2, t: 5 * D, ch: 1, conv: 1, val: 4 },
  ];
  const f = (k: 't' | 'conv' | 'val') => Float64Array.from(rows.map((r) => r[k]));
  const i = (k: 'cid' | 'ch') => Int32Array.from(rows.map((r) => r[k]));
  const j = sweep({ cid: i('cid'), t: f('t'), ch: i('ch'), cp: new Int32Array(rows.length).fill(-1), conv: f('conv'), val: f('val') },
    ['c0', 'c1', 'c2'], ['a', 'b', 'c', 'd'], [], 30 * D);
  assert.deepEqual([...j.offsets], [0, 2, 3, 4, 5]);
  assert.deepEqual([...j.touchChannel], [0, 1, 2, 3, 1]);
  assert.deepEqual([...j.conversions], [1, 2, 0, 1]);
  assert.deepEqual([...j.value], [5, 7, 0, 4]);
  assert.deepEqual([...j.nulls], [0, 0, 1, 0]);
  assert.deepEqual([...j.session!], [0, 1, 2, 0]);
  assert.deepEqual(j.ids, ['c0', 'c0', 'c0', 'c2']);
  assert.deepEqual([...j.endTime], [2 * D, 3 * D, 40 * D, 5 * D]);
  assert.equal(j.untouchedConversions, 1);
  assert.equal(j.untouchedValue, 3);
});
