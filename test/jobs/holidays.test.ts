/**
 * Holidays reach the fit through the jobs layer: a country's holidays from a Prophet-style table (a
 * path relative to the config) become a control, counted per week, and appear in the decomposition.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { readModelConfig } from '../../src/app/modelConfigFile.ts';
import { simulate } from '../../src/models/simulate/index.ts';
import { writeSimulation } from '../../src/app/writeSimulation.ts';
import { fitTable } from '../../src/app/fit.ts';
import { loadModelTable } from '../../src/app/modelTable.ts';
import { fittedFromStored } from '../../src/app/load.ts';

test('holidays.country + holidays.file add a weekly count control that the fit and its decomposition use', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'hol-'));
  const sim = simulate({ weeks: 60, channels: 2, seed: 3 });
  writeSimulation(sim, dir);
  // Two holidays in the week of 2023-01-02 (a Monday), one in the next, and one for another country.
  writeFileSync(join(dir, 'holidays.csv'), 'ds,holiday,country,year\n2023-01-02,A,XX,2023\n2023-01-06,B,XX,2023\n2023-01-10,C,XX,2023\n2023-01-03,D,YY,2023\n');
  writeFileSync(join(dir, 'model.json'), JSON.stringify({
    data: { file: 'data.csv' }, target: { column: 'revenue' },
    channels: [{ name: 'tv', spend: 'tv_spend' }, { name: 'search', spend: 'search_spend' }],
    holidays: { country: 'XX', file: 'holidays.csv' },
  }));
  const config = readModelConfig(join(dir, 'model.json'));
  assert.equal(config.holidays?.file, join(dir, 'holidays.csv'));
  const table = await loadModelTable(config, join(dir, 'ws.duckdb'));
  const fit = await fitTable(config, table, { fast: true, chains: 1, draws: 100 });
  const fitted = fittedFromStored('m', 'bayesian', config, fit, table, 50);
  const d = fitted.decomposition();
  const holiday = d.components['control:holidays_XX'];
  assert.ok(holiday, `components: ${Object.keys(d.components).join(', ')}`);
  // The control is the weekly count 2, 1, 0, 0 … (standardized in the model): weeks without holidays share one value.
  assert.notEqual(holiday[0], holiday[2]);
  assert.notEqual(holiday[1], holiday[2]);
  for (let t = 3; t < 60; t++) assert.ok(Math.abs(holiday[t] - holiday[2]) < 1e-9 * Math.max(1, Math.abs(holiday[2])));
});
