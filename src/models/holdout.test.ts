import { test } from 'node:test';
import assert from 'node:assert/strict';
import { MarginalError } from '../errors.ts';
import { parseModelConfig } from './config.ts';
import { buildModelData } from './design.ts';
import { simulate, simulationTable } from './simulate/index.ts';

test('a holdout as long as the data is named as the holdout, not as a geo without outcome', () => {
  for (const geos of [0, 3]) {
    const sim = simulate({ weeks: 30, channels: 2, seed: 2, ...(geos ? { geos } : {}) });
    const config = parseModelConfig({
      data: { file: 'sim.csv', ...(geos ? { geo: 'geo' } : {}) }, target: { column: 'revenue' },
      channels: sim.truth.channels.map((c) => ({ name: c.name, spend: `${c.name}_spend` })), holdout: { periods: 1000 },
    });
    assert.throws(() => buildModelData(config, simulationTable(sim)), (e) => e instanceof MarginalError && /`holdout\.periods` must leave at least 8 periods to fit; got 1000 of the data's 30 periods/.test(e.message));
  }
});
