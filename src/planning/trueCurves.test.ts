import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { Simulation } from '../models/simulate/index.ts';
import { hillCurve } from './curves.ts';
import { trueCurves } from './trueCurves.ts';

/** A national simulation of one channel with the given weekly spend and true transforms (revenue left out: the curves do not read it). */
function handMade(spend: number[], t: { alpha: number; k: number; s: number; beta: number }, extra?: number[]): Simulation {
  const channels = [{ name: 'tv', x: spend, ...t }, ...(extra ? [{ name: 'radio', x: extra, ...t }] : [])];
  return {
    columns: ['date', ...channels.map((c) => `${c.name}_spend`)],
    rows: spend.map((_, i) => [`w${i}`, ...channels.map((c) => c.x[i])]),
    truth: {
      weeks: spend.length, geos: null, seed: 0, target: 'revenue', totalRevenue: 0, baseline: 0,
      channels: channels.map((c) => ({ name: c.name, spend: 0, contribution: 0, roi: 0, mroi: 0, adstock: { type: 'geometric', alpha: c.alpha, maxLag: 8, normalized: true }, saturation: { type: 'hill', k: c.k, s: c.s }, beta: c.beta })),
      geoShares: [1], geoEffects: channels.map(() => 1),
    },
    contributionSeries: [],
  };
}

const rel = (a: number, b: number) => Math.abs(a - b) / Math.max(Math.abs(a), Math.abs(b), 1e-300);

test('true curves without carry-over, constant spend: P·β·hill(s/P) — a Hill curve with β·P and k·P', () => {
  const P = 13, beta = 500, k = 80, s = 1.7;
  const sim = handMade(Array.from({ length: 40 }, () => 100), { alpha: 0, k, s, beta });
  const { curves: [tv] } = trueCurves(sim, { periods: P });
  assert.equal(tv.reference, 100 * P);
  assert.equal(tv.captured, 1);
  const closed = hillCurve({ channel: 'tv', beta: beta * P, k: k * P, shape: s, reference: tv.reference });
  for (const spend of [0, 1, 300, tv.reference, 0.7 * tv.reference, 5000, 1e6]) assert.ok(rel(tv.expected(spend), closed.expected(spend)) < 1e-12, `s ${spend}: ${tv.expected(spend)} vs ${closed.expected(spend)}`);
});

test('true curves in the linear regime (k far above spend): β·s/k whatever the pattern and the carry-in, the tail past the data added back by φ or counted exactly', () => {
  const beta = 3, k = 1e12;
  const spend = Array.from({ length: 30 }, (_, t) => (t % 3 === 0 ? 0 : 50 + 10 * t));
  const sim = handMade(spend, { alpha: 0.6, k, s: 1, beta }, spend.map((v) => (v ? 0 : 1)).map((v, t) => (t >= 17 ? 0 : v)));
  const { curves, skipped } = trueCurves(sim, { periods: 13 });
  // radio spends nothing in the last 13 weeks: no pattern to scale, as modelCurves skips it.
  assert.deepEqual(skipped, ['radio']);
  const [tv] = curves;
  assert.ok(tv.captured > 0.5 && tv.captured < 0.95, `φ ${tv.captured}`);
  const [exact] = trueCurves(sim, { periods: 13, exactTail: true }).curves;
  assert.equal(exact.captured, 1);
  for (const s of [10, tv.reference, 3 * tv.reference]) {
    assert.ok(rel(tv.expected(s), (beta * s) / k) < 1e-6, `s ${s}: ${tv.expected(s)} vs ${(beta * s) / k}`);
    assert.ok(rel(exact.expected(s), (beta * s) / k) < 1e-6, `exact tail, s ${s}: ${exact.expected(s)}`);
  }
});
