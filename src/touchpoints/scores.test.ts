import { test } from 'node:test';
import assert from 'node:assert/strict';
import { journeysFrom, type JourneyInput } from './build.ts';
import { ruleScores } from './rules.ts';
import { ChainCounter, buildChain, markovScores, removalEffects, type MarkovChain } from './markov.ts';
import { coalitionWorth, shapleyScores, shapleyValues } from './shapley.ts';
import { byChannel, journeyTotals } from './types.ts';
import { Rng } from '../inference/index.ts';

const close = (a: number, b: number, tol = 1e-9) => assert.ok(Math.abs(a - b) <= tol * Math.max(1, Math.abs(b)), `${a} vs ${b}`);

function randomJourneys(seed: number, n: number, channels: string[], maxLen = 6): JourneyInput[] {
  const rng = new Rng(seed);
  return Array.from({ length: n }, () => {
    const len = 1 + Math.floor(rng.uniform() * maxLen);
    const touches = Array.from({ length: len }, () => channels[Math.floor(rng.uniform() * channels.length)]);
    const conv = rng.uniform() < 0.1 + 0.1 * touches.filter((c) => c === channels[0]).length ? 1 : 0;
    return { touches, conversions: conv, value: conv * (1 + rng.uniform() * 9), times: touches.map((_, i) => 86400 * i), end: 86400 * len };
  });
}

test('rule-based weights on a 4-touch journey', () => {
  const j = journeysFrom([{ touches: ['a', 'b', 'c', 'a'], conversions: 2, value: 10, times: [0, 86400, 2 * 86400, 3 * 86400], end: 3 * 86400 }]);
  assert.deepEqual([...ruleScores(j, 'first').conversions], [2, 0, 0, 0]);
  assert.deepEqual([...ruleScores(j, 'last').conversions], [0, 0, 0, 2]);
  assert.deepEqual([...ruleScores(j, 'linear').conversions], [0.5, 0.5, 0.5, 0.5]);
  const pos = ruleScores(j, 'position').conversions;
  [0.8, 0.2, 0.2, 0.8].forEach((v, i) => close(pos[i], v));
  const pos2 = ruleScores(j, 'position', { position: { first: 0.3, last: 0.5 } }).conversions;
  [0.6, 0.2, 0.2, 1.0].forEach((v, i) => close(pos2[i], v));
  // half-life 1 day: weights ∝ 1/8, 1/4, 1/2, 1
  const d = ruleScores(j, 'decay', { halfLife: 1 });
  [1, 2, 4, 8].forEach((v, i) => close(d.conversions[i], 2 * v / 15));
  [1, 2, 4, 8].forEach((v, i) => close(d.value[i], 10 * v / 15));
  assert.deepEqual([...ruleScores(journeysFrom([{ touches: ['a', 'b'], conversions: 1 }]), 'position').conversions], [0.5, 0.5]);
});

test('every method distributes exactly the conversions and value of journeys with touches', () => {
  const j = journeysFrom(randomJourneys(3, 400, ['a', 'b', 'c', 'd', 'e']));
  const tot = journeyTotals(j);
  const all = [...(['first', 'last', 'linear', 'position', 'decay'] as const).map((m) => ruleScores(j, m)), markovScores(j, 1).scores, markovScores(j, 2).scores, markovScores(j, 3).scores, shapleyScores(j).scores, shapleyScores(j, { worth: 'conversions' }).scores];
  for (const s of all) {
    const ch = byChannel(j, s);
    close(ch.reduce((a, c) => a + c.conversions, 0), tot.conversions, 1e-9);
    close(ch.reduce((a, c) => a + c.value, 0), tot.value, 1e-9);
    close(ch.reduce((a, c) => a + c.share, 0), 1, 1e-9);
  }
});

test('Markov removal effects by hand: A→conv, B→null, A→B→conv', () => {
  const j = journeysFrom([{ touches: ['A'], conversions: 1 }, { touches: ['B'], conversions: 0 }, { touches: ['A', 'B'], conversions: 1 }]);
  const r = markovScores(j, 1);
  close(r.conversionProbability, 2 / 3);
  close(r.removalEffect[0], 0.75);
  close(r.removalEffect[1], 0.5);
  const ch = byChannel(j, r.scores);
  close(ch[0].conversions, 2 * 0.75 / 1.25);
  close(ch[1].conversions, 2 * 0.5 / 1.25);
});

/** Brute force: push the probability mass of the start state through the chain for many steps. */
function bruteConversion(chain: MarkovChain, removed: number, steps = 20000): number {
  let p = new Float64Array(chain.states), conv = 0;
  p[0] = 1;
  for (let s = 0; s < steps; s++) {
    const q = new Float64Array(chain.states);
    for (let a = 0; a < chain.states; a++) {
      if (p[a] === 0 || a === 1 || a === 2) continue;
      for (let e = chain.rowStart[a]; e < chain.rowStart[a + 1]; e++) {
        const t = chain.to[e];
        if (t === 1) conv += p[a] * chain.prob[e];
        else if (t !== 2 && !(removed >= 0 && chain.lastChannel[t] === removed)) q[t] += p[a] * chain.prob[e];
      }
    }
    p = q;
  }
  return conv;
}

for (const [order, channels] of [[1, 4], [2, 4], [3, 3], [2, 24]] as const) {
  test(`Markov order ${order}, ${channels} channels: removal effects equal brute-force propagation${channels > 20 ? ' (iterative solver)' : ''}`, () => {
    const names = Array.from({ length: channels }, (_, i) => `c${i}`);
    const j = journeysFrom(randomJourneys(order * 10 + channels, channels > 20 ? 3000 : 300, names, 5));
    const chain = buildChain(j, order);
    if (channels > 20) assert.ok(chain.states - 3 > 400, 'the iterative branch runs');
    const r = markovScores(j, order);
    const p = bruteConversion(chain, -1, channels > 20 ? 200 : 2000);
    close(r.conversionProbability, p, 1e-10);
    const checks = channels > 20 ? [0, 5] : names.map((_, c) => c);
    for (const c of checks) close(r.removalEffect[c], Math.max(0, 1 - bruteConversion(chain, c, channels > 20 ? 200 : 2000) / p), 1e-9);
  });
}

test('Markov transition counts in a dense matrix and in a map give the same chain (orders 1–3), and a counter fed in parts the chain of all journeys', () => {
  for (const [order, channels] of [[1, 4], [2, 6], [3, 3]] as const) {
    const names = Array.from({ length: channels }, (_, i) => `c${i}`);
    const j = journeysFrom(randomJourneys(order * 7 + channels, 400, names, 5));
    const dense = new ChainCounter(channels, order).add(j).chain(), mapped = new ChainCounter(channels, order, 0).add(j).chain();
    assert.equal(dense.states, mapped.states);
    const a = removalEffects(dense, channels), b = removalEffects(mapped, channels);
    close(a.conversionProbability, b.conversionProbability, 1e-12);
    for (let c = 0; c < channels; c++) close(a.removalEffect[c], b.removalEffect[c], 1e-12);
    // The same journeys in two parts (as partitions of customers feed it).
    const half = Math.floor((j.offsets.length - 1) / 2);
    const part = (from: number, to: number) => journeysFrom(Array.from({ length: to - from }, (_, x) => {
      const q = from + x;
      return { touches: Array.from(j.touchChannel.subarray(j.offsets[q], j.offsets[q + 1]), (c) => names[c]), conversions: j.conversions[q], value: j.value[q], nulls: j.nulls[q] };
    }), names);
    const parts = removalEffects(new ChainCounter(channels, order).add(part(0, half)).add(part(half, j.offsets.length - 1)).chain(), channels);
    for (let c = 0; c < channels; c++) close(parts.removalEffect[c], a.removalEffect[c], 1e-12);
  }
});

function permutationShapley(v: Float64Array, C: number): Float64Array {
  const phi = new Float64Array(C);
  let count = 0;
  const perm = (rest: number[], prefix: number[]) => {
    if (!rest.length) {
      count++;
      let m = 0;
      for (const c of prefix) { phi[c] += v[m | (1 << c)] - v[m]; m |= 1 << c; }
      return;
    }
    rest.forEach((c, i) => perm([...rest.slice(0, i), ...rest.slice(i + 1)], [...prefix, c]));
  };
  perm(Array.from({ length: C }, (_, i) => i), []);
  return phi.map((x) => x / count);
}

test('Shapley values equal the average over all orderings, and are efficient', () => {
  for (const worth of ['rate', 'conversions'] as const) {
    const names = ['a', 'b', 'c', 'd', 'e', 'f'];
    const j = journeysFrom(randomJourneys(9, 500, names, 4));
    const v = coalitionWorth(j, { worth });
    const phi = shapleyValues(v, 6), ref = permutationShapley(v, 6);
    for (let c = 0; c < 6; c++) close(phi[c], ref[c], 1e-12);
    close(phi.reduce((a, b) => a + b, 0), v[63] - v[0], 1e-12);
  }
  // conversions worth = split each journey equally among its distinct channels
  const j = journeysFrom([{ touches: ['a', 'b', 'a'], conversions: 3 }, { touches: ['b'], conversions: 1 }, { touches: ['c'], conversions: 0 }]);
  const ch = byChannel(j, shapleyScores(j, { worth: 'conversions' }).scores);
  close(ch[0].conversions, 1.5); close(ch[1].conversions, 2.5); close(ch[2].conversions, 0);
});
