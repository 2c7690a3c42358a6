import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parseModelConfig } from './config.ts';
import { buildModelData } from './design.ts';
import { simulate } from './simulate/index.ts';
import { rankCorrelation } from './targetChecks.ts';

const sim = simulate({ weeks: 60, channels: 2, seed: 3 });
const columns: Record<string, (string | number | null)[]> = Object.fromEntries(sim.columns.map((c, j) => [c, sim.rows.map((r) => r[j])]));
const revenue = columns.revenue as number[];
columns.log_revenue = revenue.map((v) => Math.log(v));
columns.revenue_k = revenue.map((v) => v / 1000 + 3);
columns.zero = revenue.map(() => 0);
columns.noise = revenue.map((_, i) => Math.sin(i * 12.9898) * 43758.5453 % 1);
const table = { source: 'data.csv', rowCount: sim.rows.length, columns };
const channels = sim.truth.channels.map((c) => ({ name: c.name, spend: `${c.name}_spend` }));
const build = (over: Record<string, unknown>) => buildModelData(parseModelConfig({ data: { file: 'data.csv' }, target: { column: 'revenue' }, channels, ...over }), table);

test('rank correlation: closed forms', () => {
  const a = Float64Array.from([1, 2, 3, 4, 5]);
  assert.equal(rankCorrelation(a, Float64Array.from([10, 20, 30, 40, 50])), 1);
  assert.equal(rankCorrelation(a, Float64Array.from([5, 4, 3, 2, 1])), -1);
  assert.equal(rankCorrelation(a, Float64Array.from([2, 2, 2, 2, 2])), 0);
  // Ranks [1,2,3,4,5] vs [2,1,4,3,5]: 1 − 6·Σd²/(n(n²−1)) = 1 − 6·4/120 = 0.8.
  assert.ok(Math.abs(rankCorrelation(a, Float64Array.from([2, 1, 4, 3, 5])) - 0.8) < 1e-12);
});

test('the target, or a monotone transform of it, is refused as a control or a channel, naming the field', () => {
  assert.throws(() => build({ controls: ['revenue'] }), /`controls\[0\]` is 'revenue', the target itself/);
  assert.throws(() => build({ controls: ['price', 'log_revenue'] }), /`controls\[1\]` \('log_revenue'\) moves in lockstep with the target 'revenue' \(rank correlation 1\.0000\)/);
  assert.throws(() => build({ channels: [...channels, { name: 'copy', spend: 'revenue_k' }] }), /`channels\[2\]\.spend` \('revenue_k'\) moves in lockstep/);
  assert.equal(build({ controls: ['price', 'noise'] }).K, 2, 'an ordinary control passes');
});

test('a constant or all-zero target is refused in one line; so is one the controls explain entirely', () => {
  assert.throws(() => build({ target: { column: 'zero' } }), /the target column 'zero' is 0 in every row: there is nothing for a model to explain/);
  // revenue = a + b·price + c·revenue_part: two controls that together are the target (neither alone in lockstep with it).
  const price = columns.price as number[];
  columns.part = revenue.map((v, i) => v - 300000 * price[i] + 7);
  assert.throws(() => build({ controls: ['price', 'part'] }), /the controls \(price, part\) explain all of the target 'revenue'/);
  assert.equal(build({ controls: ['price'] }).K, 1, 'price alone leaves variation');
});

test('geo models are judged within each geo: a column that only ranks geos by size is no disguised target', async () => {
  const { refuseTargetAsInput } = await import('./targetChecks.ts');
  const G = 30, T = 20;
  const y = new Float64Array(G * T), population = new Float64Array(G * T), logY = new Float64Array(G * T);
  for (let g = 0; g < G; g++) for (let t = 0; t < T; t++) {
    const i = g * T + t;
    y[i] = 1000 * (g + 1) + 50 * Math.sin(t * 1.7 + g); // geo levels far apart, ordered like population
    population[i] = 1e5 * (g + 1);
    logY[i] = Math.log(y[i]);
  }
  // Pooled over geos, population follows the target's levels almost exactly …
  assert.ok(Math.abs(rankCorrelation(population, y)) > 0.99);
  // … but within each geo it is constant: not the target in disguise.
  assert.doesNotThrow(() => refuseTargetAsInput('d.csv', 'controls[0]', 'population', 'y', population, y, G));
  assert.throws(() => refuseTargetAsInput('d.csv', 'controls[0]', 'log_y', 'y', logY, y, G), /moves in lockstep/);
});
