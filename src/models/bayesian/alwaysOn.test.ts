import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parseModelConfig } from '../config.ts';
import { buildModelData } from '../design.ts';
import { simulate, simulationTable } from '../simulate/index.ts';
import { alwaysOnWarnings, type AlwaysOnChannel } from './alwaysOn.ts';
import { fitBayesian } from './fit.ts';

const channel = (name: string, roiInterval: [number, number]): AlwaysOnChannel =>
  ({ name, roi: (roiInterval[0] + roiInterval[1]) / 2, roiInterval, mroi: 0.8, mroiInterval: [0.6, 1] });

test('always on: flagged only with no low periods and a wide ROI interval; geos are summed first', () => {
  const G = 2, T = 40, C = 4;
  const activity = new Float64Array(G * T * C);
  for (let g = 0; g < G; g++) for (let t = 0; t < T; t++) {
    const i = (g * T + t) * C;
    activity[i] = t % 4 === 0 ? 0 : 100; // flighted: dark one period in four
    activity[i + 1] = 100 + 20 * Math.sin(t); // always on, wide interval
    activity[i + 2] = 100 + 20 * Math.sin(t); // always on, narrow interval
    activity[i + 3] = g === 0 && t % 2 === 0 ? 0 : 100; // dark in one geo only: on nationally
  }
  const channels = [channel('flighted', [0.5, 3]), channel('steady', [0.5, 3]), channel('pinned', [1.4, 1.6]), channel('split', [0.5, 3])];
  const names = (skip?: Set<number>) => alwaysOnWarnings(activity, G, T, channels, skip).map((w) => /^ALWAYS ON: (\w+)/.exec(w)![1]);
  assert.deepEqual(names(), ['steady', 'split']);
  assert.deepEqual(names(new Set([1])), ['split']);
  const text = alwaysOnWarnings(activity, G, T, channels)[0];
  assert.match(text, /lowest 5% of periods still carry 79% of a typical one/);
  assert.match(text, /marginal ROI, 0\.80 \(90% 0\.60–1\.00\)/);
  assert.match(text, /ROI \(90% 0\.50–3\.00\)/);
});

test('always on, on a fit: the simulator\'s flighted channels are never flagged, and a lift test takes the warning (always on or weakly identified) off the channel it pins', async () => {
  const sim = simulate({ weeks: 156, channels: 5, seed: 1 });
  const table = simulationTable(sim);
  const base = {
    data: { file: 'sim.csv' }, target: { column: 'revenue' },
    channels: sim.truth.channels.map((c) => ({ name: c.name, spend: `${c.name}_spend` })),
    controls: [{ column: 'price', sign: 'negative' as const }],
  };
  const flagged = async (extra: object) => {
    const config = parseModelConfig({ ...base, ...extra });
    const fit = await fitBayesian(config, buildModelData(config, table), { fast: true, chains: 1, draws: 1000 });
    // An always-on channel the data say little about is warned about once, as weakly identified.
    return fit.warnings.flatMap((w) => /^ALWAYS ON: (\w+)/.exec(w)?.[1] ?? /^(?:WEAKLY IDENTIFIED|PRIOR DECIDES): (?:.*? )?(\w+)'s /.exec(w)?.[1] ?? []);
  };
  const plain = await flagged({});
  assert.ok(!plain.includes('tv') && !plain.includes('radio'), `flighted channels flagged: ${plain}`);
  assert.ok(plain.includes('social'), `social (always on, ROI interval wide) not flagged: ${plain}`);
  const social = sim.truth.channels.findIndex((c) => c.name === 'social');
  const dates = buildModelData(parseModelConfig(base), table).dates;
  let lift = 0;
  for (let t = 40; t < 52; t++) lift += sim.contributionSeries[social][t];
  const calibrated = await flagged({ experiments: [{ channel: 'social', start: dates[40], end: dates[51], lift, liftSe: 0.05 * lift }] });
  assert.ok(!calibrated.includes('social'), `social still flagged with a lift test: ${calibrated}`);
});
