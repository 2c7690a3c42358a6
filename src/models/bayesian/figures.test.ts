/**
 * One figure, one truth: a channel's ROI is both a parameter (the parameter table) and a headline
 * figure (the channel table, the report, the API); both are summarized from the same thinned draws, so
 * they read exactly alike, while the parameter's R-hat and ESS still use every draw.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parseModelConfig } from '../config.ts';
import { buildModelData } from '../design.ts';
import { simulate, simulationTable } from '../simulate/index.ts';
import { fitBayesian } from './fit.ts';

test('the parameter table\'s roi rows are the channel table\'s ROI and interval, from the same 1,000 of 2,500 draws', async () => {
  const sim = simulate({ weeks: 80, channels: 3, seed: 7 });
  const config = parseModelConfig({ data: { file: 'sim.csv' }, target: { column: 'revenue' }, channels: sim.truth.channels.map((c) => ({ name: c.name, spend: `${c.name}_spend` })) });
  const fit = await fitBayesian(config, buildModelData(config, simulationTable(sim)), { fast: true, chains: 1, draws: 2500 });
  fit.channels.forEach((c, i) => {
    const p = fit.parameters.find((x) => x.name.startsWith(`roi[${i}]`))!;
    assert.ok(p, `roi[${i}] in ${fit.parameters.map((x) => x.name).join(', ')}`);
    // The figure is computed per draw as contribution ÷ spend, the parameter read directly: equal to rounding.
    const same = (a: number, b: number, what: string) => assert.ok(Math.abs(a - b) <= 1e-12 * Math.abs(b), `${c.name} ${what}: ${a} vs ${b}`);
    same(p.mean, c.roi, 'mean');
    same(p.q5, c.roiInterval[0], '5%');
    same(p.q95, c.roiInterval[1], '95%');
    // Convergence figures read every draw: an ESS above the 1,000 the moments use.
    assert.ok(p.essBulk > 1000, `${c.name} ESS ${p.essBulk}`);
  });
});
