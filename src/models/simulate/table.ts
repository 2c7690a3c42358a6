/** A simulation's rows as the wide table `buildModelData` reads (as if read from `sim.csv`). */
import type { WideTable } from '../design.ts';
import type { Simulation } from './simulate.ts';

export function simulationTable(sim: Simulation): WideTable {
  return { source: 'sim.csv', rowCount: sim.rows.length, columns: Object.fromEntries(sim.columns.map((c, j) => [c, sim.rows.map((r) => r[j])])) };
}
