/** Writing a simulation to files: here, not in src/models/simulate/, because the models do no I/O. */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { ModelConfigInput } from '../models/config.ts';
import type { Simulation } from '../models/simulate/simulate.ts';

/**
 * Writes a simulation as `data.csv` (wide), `truth.json` and `model.json` (a model config that fits
 * it with the defaults) into `dir`, and the same data split the way an analyst receives it:
 * `media.csv` (spend and impressions), `sales.csv` (revenue) and `factors.csv` (price).
 */
export function writeSimulation(sim: Simulation, dir: string): { data: string; truth: string; config: string; media: string; sales: string; factors: string } {
  mkdirSync(dir, { recursive: true });
  const data = join(dir, 'data.csv');
  const write = (path: string, keep: (name: string) => boolean) => {
    const idx = sim.columns.map((c, j) => (keep(c) ? j : -1)).filter((j) => j >= 0);
    const lines = [idx.map((j) => sim.columns[j]).join(','), ...sim.rows.map((r) => idx.map((j) => r[j]).join(','))];
    writeFileSync(path, `${lines.join('\n')}\n`);
    return path;
  };
  write(data, () => true);
  const key = (c: string) => c === 'date' || c === 'geo';
  const media = write(join(dir, 'media.csv'), (c) => key(c) || /_(spend|impressions|reach|frequency)$/.test(c));
  const sales = write(join(dir, 'sales.csv'), (c) => key(c) || c === 'revenue');
  const factors = write(join(dir, 'factors.csv'), (c) => key(c) || c === 'price');
  const truth = join(dir, 'truth.json');
  writeFileSync(truth, `${JSON.stringify(sim.truth, null, 2)}\n`);
  const geo = sim.truth.geos !== null;
  const config: ModelConfigInput = {
    name: geo ? 'simulated-geo' : 'simulated',
    data: { file: 'data.csv', date: 'date', ...(geo ? { geo: 'geo', population: 'population' } : {}) },
    target: { column: 'revenue', kind: 'revenue' },
    channels: sim.truth.channels.map((c) => ({ name: c.name, spend: `${c.name}_spend`, ...(c.rf ? { reach: `${c.name}_reach`, frequency: `${c.name}_frequency` } : {}) })),
    controls: [{ column: 'price', sign: 'negative' }],
  };
  const configPath = join(dir, 'model.json');
  writeFileSync(configPath, `${JSON.stringify(config, null, 2)}\n`);
  return { data, truth, config: configPath, media, sales, factors };
}
