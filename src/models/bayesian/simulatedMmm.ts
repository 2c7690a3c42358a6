/**
 * Tests' shortcut from a simulation to a built model: the config `marginal simulate` would write
 * (geo and population columns for geo simulations, price as a negative control), its data, the
 * prepared arrays and the model. `channel` adds per-channel config (e.g. another saturation).
 */
import { parseModelConfig, type ModelConfig } from '../config.ts';
import { buildModelData, type ModelData } from '../design.ts';
import { simulationTable, type Simulation } from '../simulate/index.ts';
import { buildMmm, type MmmModel } from './model.ts';
import { prepareMmm, type PreparedMmm } from './prepare.ts';

export function simulatedMmm(sim: Simulation, channel: (i: number) => object = () => ({})): { config: ModelConfig; data: ModelData; prep: PreparedMmm; mmm: MmmModel } {
  const config = parseModelConfig({
    data: { file: 'sim.csv', ...(sim.truth.geos ? { geo: 'geo', population: 'population' } : {}) }, target: { column: 'revenue' },
    channels: sim.truth.channels.map((c, i) => ({ name: c.name, spend: `${c.name}_spend`, ...channel(i) })),
    controls: [{ column: 'price', sign: 'negative' }],
  });
  const data = buildModelData(config, simulationTable(sim));
  const prep = prepareMmm(config, data);
  return { config, data, prep, mmm: buildMmm(prep, data.controlSigns) };
}
