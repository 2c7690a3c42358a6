/**
 * Touchpoints → MMM: journey credit shares become contribution-share priors. They pull a weakly
 * identified channel toward the journey evidence and barely move a channel the data measure well.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parseModelConfig } from '../../src/models/config.ts';
import { buildModelData, type WideTable } from '../../src/models/design.ts';
import { simulate, type Simulation } from '../../src/models/simulate/index.ts';
import { fitBayesian } from '../../src/models/bayesian/fit.ts';
import { byChannel, contributionSharePriors, journeysFrom, ruleScores, type SharePrior } from '../../src/touchpoints/index.ts';

function tableOf(sim: Simulation): WideTable {
  return { source: 'sim.csv', rowCount: sim.rows.length, columns: Object.fromEntries(sim.columns.map((c, j) => [c, sim.rows.map((r) => r[j])])) };
}

async function shares(sim: Simulation, contributionShare: Record<string, SharePrior> = {}): Promise<number[]> {
  const config = parseModelConfig({
    data: { file: 'sim.csv' }, target: { column: 'revenue' },
    channels: sim.truth.channels.map((c) => ({ name: c.name, spend: `${c.name}_spend` })),
    controls: [{ column: 'price', sign: 'negative' }],
    priors: { contributionShare },
  });
  const fit = await fitBayesian(config, buildModelData(config, tableOf(sim)), { fast: true, draws: 200, chains: 1, seed: 1 });
  const total = sim.rows.reduce((a, r) => a + Number(r[sim.columns.indexOf('revenue')]), 0);
  return fit.channels.map((c) => c.contribution / total);
}

/** Journeys whose linear credit gives each channel `share[c]` of the touched conversions. */
function evidence(names: string[], share: number[]) {
  const j = journeysFrom(names.map((n, c) => ({ touches: [n], conversions: Math.round(share[c] * 10000) })), names);
  return byChannel(j, ruleScores(j, 'linear'));
}

test('share priors from journeys move a weakly identified channel toward the journeys, not a well-measured one', async () => {
  // weak: one year, five channels
  const weak = simulate({ weeks: 52, channels: 5, seed: 4 });
  const names = weak.truth.channels.map((c) => c.name);
  const s0 = await shares(weak);
  // the journeys say: every channel's share is 1.6× what the data alone give it
  const target = s0.map((s) => 1.6 * s);
  const mediaShare = target.reduce((a, b) => a + b, 0);
  const priors = contributionSharePriors(evidence(names, target.map((t) => t / mediaShare)), names, 0.7, {}, mediaShare);
  for (const [c, n] of names.entries()) assert.ok(Math.abs(priors[n].share - target[c]) < 1e-3, `${n} prior ${priors[n].share} vs ${target[c]}`);
  const s1 = await shares(weak, priors);
  const moved = names.map((_, c) => (s1[c] - s0[c]) / (target[c] - s0[c]));
  // the least-identified channel moves at least half way to the journey evidence
  assert.ok(Math.max(...moved) > 0.5, `moved ${moved.map((m) => m.toFixed(2)).join(' ')}`);

  // strong: three years, the best-measured channel (tv), the same confidence, 1.6× away
  const strong = simulate({ weeks: 156, channels: 3, seed: 1 });
  const sn = strong.truth.channels.map((c) => c.name);
  const t0 = await shares(strong);
  const p = { [sn[0]]: { share: 1.6 * t0[0], confidence: 0.7 } };
  const t1 = await shares(strong, p);
  const strongMoved = (t1[0] - t0[0]) / (p[sn[0]].share - t0[0]);
  assert.ok(strongMoved < 0.15, `tv moved ${strongMoved.toFixed(3)} of the way (${t0[0].toFixed(4)} → ${t1[0].toFixed(4)}, prior ${p[sn[0]].share.toFixed(4)})`);
  console.error(`weak moved ${moved.map((m) => m.toFixed(2)).join(' ')}; strong moved ${strongMoved.toFixed(3)}`);
});
