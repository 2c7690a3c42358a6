import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { ModelConfigInput } from '../config.ts';
import type { Simulation } from './simulate.ts';

/**
 * Writes a simulation as `data.csv` (wide), `truth.json` and `model.json` (a model config that fits
 * it with the defaults) into `dir`. Returns the three paths.
 */
export function writeSimulation(sim: Simulation, dir: string): { data: string; truth: string; config: string } {
  mkdirSync(dir, { recursive: true });
  const data = join(dir, 'data.csv');
  const lines = [sim.columns.join(','), ...sim.rows.map((r) => r.join(','))];
  writeFileSync(data, `${lines.join('\n')}\n`);
  const truth = join(dir, 'truth.json');
  writeFileSync(truth, `${JSON.stringify(sim.truth, null, 2)}\n`);
  const geo = sim.truth.geos !== null;
  const config: ModelConfigInput = {
    name: geo ? 'simulated-geo' : 'simulated',
    data: { file: 'data.csv', date: 'date', ...(geo ? { geo: 'geo', population: 'population' } : {}) },
    target: { column: 'revenue', kind: 'revenue' },
    channels: sim.truth.channels.map((c) => ({ name: c.name, spend: `${c.name}_spend` })),
    controls: [{ column: 'price', sign: 'negative' }],
  };
  const configPath = join(dir, 'model.json');
  writeFileSync(configPath, `${JSON.stringify(config, null, 2)}\n`);
  return { data, truth, config: configPath };
}
