/**
 * Organic channels: a simulated channel given to the model as activity only (no spend) gets its true
 * contribution inside its 90% interval; Robyn's demo with `newsletter` organic fits, reports the
 * newsletter's contribution beside the base parts and no ROI; forecasts hold organic volume unless a
 * scenario changes it; and organic misconfigurations are refused by field.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { fileURLToPath } from 'node:url';
import { parseModelConfig } from '../config.ts';
import { buildModelData } from '../design.ts';
import { simulate, simulationTable } from '../simulate/index.ts';
import { readWideTable } from '../../data/index.ts';
import { fitBayesian } from './fit.ts';
import { bayesianFittedModel } from './fitted.ts';

const repo = fileURLToPath(new URL('../../../', import.meta.url));

test('a simulated channel modeled as organic (activity, no spend): its true contribution is inside the 90% interval, and it has no ROI', async () => {
  const sim = simulate({ weeks: 156, channels: 4, seed: 4 });
  const organic = sim.truth.channels[1];
  const config = parseModelConfig({
    data: { file: 'sim.csv' }, target: { column: 'revenue' },
    channels: sim.truth.channels.map((c, i) => (i === 1 ? { name: c.name, exposure: `${c.name}_impressions`, organic: true } : { name: c.name, spend: `${c.name}_spend` })),
    controls: [{ column: 'price', sign: 'negative' }],
  });
  const data = buildModelData(config, simulationTable(sim));
  assert.deepEqual(data.channels, ['tv', 'social', 'display'], 'the paid channels, in config order');
  assert.deepEqual(data.organic?.names, ['search']);
  const fit = await fitBayesian(config, data, { chains: 2, warmup: 400, draws: 400, seed: 2 });
  assert.equal(fit.channels.length, 3, 'no ROI row for the organic channel');
  const o = fit.organic![0];
  assert.equal(o.name, 'search');
  assert.ok(organic.contribution >= o.contributionInterval[0] && organic.contribution <= o.contributionInterval[1], `contribution ${organic.contribution} outside [${o.contributionInterval}]`);
  const share = organic.contribution / sim.truth.totalRevenue;
  assert.ok(share >= o.shareInterval[0] && share <= o.shareInterval[1], `share ${share} outside [${o.shareInterval}]`);
  // Per unit of activity is the contribution over the activity: one figure, two units.
  assert.ok(Math.abs(o.perUnit * o.activity / o.contribution - 1) < 0.05);
  // The organic channel's series is a part of the outcome: with the rest it adds up to the prediction.
  const d = bayesianFittedModel(config, data, { paramNames: fit.paramNames, draws: fit.draws, series: fit.series }).decomposition();
  assert.ok(d.components['organic:search'], 'decomposed as organic:search');
  let parts = 0, predicted = 0;
  for (let i = 0; i < data.T; i++) {
    predicted += d.predicted[i];
    for (const v of Object.values(d.components)) parts += v[i];
    for (const v of Object.values(d.channels)) parts += v[i];
  }
  assert.ok(Math.abs(parts / predicted - 1) < 1e-6, `parts ${parts} vs predicted ${predicted}`);
});

test('Robyn\'s demo with newsletter organic: it fits, its contribution is reported as a part of revenue, no ROI; forecasts hold its volume unless a scenario moves it', async () => {
  const config = parseModelConfig({
    data: { file: 'dt_simulated_weekly.csv', date: 'DATE' }, target: { column: 'revenue' },
    channels: [
      { name: 'tv', spend: 'tv_S' }, { name: 'ooh', spend: 'ooh_S' }, { name: 'print', spend: 'print_S' },
      { name: 'facebook', spend: 'facebook_S', exposure: 'facebook_I' }, { name: 'search', spend: 'search_S', exposure: 'search_clicks_P' },
      { name: 'newsletter', exposure: 'newsletter' },
    ],
    controls: [{ column: 'competitor_sales_B', sign: 'positive' }],
  });
  const data = buildModelData(config, { source: 'dt_simulated_weekly.csv', ...(await readWideTable(`${repo}data/reference/robyn/dt_simulated_weekly.csv`)) });
  const fit = await fitBayesian(config, data, { fast: true, draws: 1000, chains: 1 });
  assert.ok(!fit.channels.some((c) => c.name === 'newsletter'), 'no ROI for newsletter');
  const o = fit.organic![0];
  // Robyn's demo decomposes the newsletter to about 2% of revenue; a wide prior, and the data move it little.
  assert.ok(o.share > 0.005 && o.share < 0.15, `newsletter share ${o.share}`);
  assert.ok(o.shareInterval[0] < 0.02 && o.shareInterval[1] > 0.02, `the interval [${o.shareInterval}] holds Robyn's 2%`);
  const fitted = bayesianFittedModel(config, data, { paramNames: fit.paramNames, draws: fit.draws, series: fit.series }, 100);
  // Its response curve: at its own volume the curve gives its contribution (on fewer draws: close), more sends add more.
  const meanOf = (x: Float64Array) => x.reduce((a, b) => a + b, 0) / x.length;
  const atVolume = meanOf(fitted.organicResponse!(0, 1)), doubled = meanOf(fitted.organicResponse!(0, 2)), half = meanOf(fitted.organicResponse!(0, 0.5));
  assert.ok(Math.abs(atVolume / o.contribution - 1) < 0.15, `curve at its volume ${atVolume} vs contribution ${o.contribution}`);
  assert.ok(half < atVolume && atVolume < doubled && doubled < 2 * atVolume, `saturating: ${half}, ${atVolume}, ${doubled}`);
  const dates = ['2019-11-18', '2019-11-25', '2019-12-02', '2019-12-09'];
  const held = fitted.futureDraws!({ dates });
  const more = fitted.futureDraws!({ dates, organic: { newsletter: 1.2 } });
  const none = fitted.futureDraws!({ dates, organic: { newsletter: 0 } });
  const total = (x: Float64Array) => x.reduce((a, b) => a + b, 0);
  assert.ok(total(more.media) > total(held.media) && total(held.media) > total(none.media), 'more sends, more outcome; none, less');
  // Organic volume is not a plan's: held, it is in the forecast without any spend (the carry-in part).
  assert.ok(Math.abs(total(held.carryIn) - total(held.media)) < 1e-6 * total(held.media), 'no future spend: media is the carry-in');
  assert.ok(total(held.carryIn) > total(none.carryIn), 'held newsletter volume goes on adding after the data');
});

test('organic misconfigurations are refused by field, in words', () => {
  const base = { data: { file: 'x.csv' }, target: { column: 'y' } };
  const fieldOf = (f: () => unknown) => { try { f(); } catch (e) { return (e as { problems?: { field?: string; message: string }[] }).problems?.[0]; } return undefined; };
  assert.equal(fieldOf(() => parseModelConfig({ ...base, channels: [{ name: 'nl', spend: 's', organic: true }] }))?.field, 'config.channels[0].spend');
  assert.match(fieldOf(() => parseModelConfig({ ...base, channels: [{ name: 'nl' }] }))!.message, /spend column \(a paid channel\) or sub-channels with theirs, or an activity column \(an organic channel\)/);
  const roi = fieldOf(() => parseModelConfig({ ...base, channels: [{ name: 'tv', spend: 's' }, { name: 'nl', exposure: 'n' }], priors: { roi: { nl: { mean: 1, sd: 1 } } } }));
  assert.equal(roi?.field, 'config.priors.roi.nl');
  assert.match(roi!.message, /organic \(no spend\), so it has no ROI/);
  const test = fieldOf(() => parseModelConfig({ ...base, channels: [{ name: 'tv', spend: 's' }, { name: 'nl', exposure: 'n' }], experiments: [{ channel: 'nl', start: '2024-01-01', end: '2024-02-01', lift: 1, liftSe: 1 }] }));
  assert.equal(test?.field, 'config.experiments[0].channel');
});

test('a volume scenario needs a model that draws its own future: a classic model with organic media refuses it by field', async () => {
  const { fitClassic, classicFittedModel } = await import('../linear/families.ts');
  const { parsePlan, runPlan } = await import('../../planning/plan.ts');
  const sim = simulate({ weeks: 104, channels: 3, seed: 5 });
  const config = parseModelConfig({
    data: { file: 'sim.csv' }, target: { column: 'revenue' }, family: 'ridge', classic: { bootstrap: 10 },
    channels: sim.truth.channels.map((c, i) => (i === 2 ? { name: c.name, exposure: `${c.name}_impressions` } : { name: c.name, spend: `${c.name}_spend` })),
  });
  const data = buildModelData(config, simulationTable(sim));
  const fit = fitClassic(config, data);
  assert.equal(fit.organic?.[0].name, 'social', 'reported as organic by the classic family too');
  const fitted = classicFittedModel(config, data, fit);
  assert.throws(() => runPlan(parsePlan({ model: 'r', budget: 100_000, periods: 13, organic: { social: 1.2 } }), [{ id: 'r', fitted, weight: 1 }]),
    (e: Error & { field?: string }) => /needs a model that draws its own future/.test(e.message) && e.field === 'organic');
});
