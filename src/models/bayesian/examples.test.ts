/**
 * The committed example configs for Robyn's and Meridian's sample data (examples/robyn,
 * examples/meridian) validate and fit with the fast path. The full NUTS fits (R-hat, divergences)
 * are in docs/mmm.md; CI keeps to seconds.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { readWideTable } from '../../data/index.ts';
import { readModelConfig } from '../../app/modelConfigFile.ts';
import { buildModelDataReadingHolidays } from '../../app/modelData.ts';
import { fitBayesian } from './fit.ts';

const repo = fileURLToPath(new URL('../../../', import.meta.url));

async function fastFit(path: string) {
  const config = readModelConfig(path);
  if (config.holidays?.file) config.holidays.file = resolve(dirname(path), config.holidays.file);
  const t = await readWideTable(config.data.file!);
  const data = buildModelDataReadingHolidays(config, { source: config.data.file!, rowCount: t.rowCount, columns: t.columns });
  return { data, fit: await fitBayesian(config, data, { fast: true, chains: 1, draws: 500 }) };
}

for (const example of ['examples/robyn/model.json', 'examples/meridian/national.json', 'examples/meridian/geo.json']) {
  test(`${example} validates and fits (--fast)`, async () => {
    const { data, fit } = await fastFit(`${repo}${example}`);
    assert.equal(fit.channels.length, data.C);
    for (const c of fit.channels) {
      assert.ok(Number.isFinite(c.roi) && c.roi > 0, `${c.name} roi ${c.roi}`);
      assert.ok(c.roiInterval[0] <= c.roi && c.roi <= c.roiInterval[1] * 1.0001, `${c.name} interval ${c.roiInterval}`);
    }
    assert.ok(fit.fit.mape < 0.15, `mape ${fit.fit.mape}`);
    if (example.includes('robyn')) assert.ok(data.controls.includes('holidays_DE'), data.controls.join(', '));
  });
}
