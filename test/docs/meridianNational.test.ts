/**
 * docs/mmm.md states what the NUTS fit of Meridian's national sample warns (examples/meridian/
 * national.json, 4 × 1000 + 1000 as the config says): WEAKLY IDENTIFIED on all four channels with
 * their posterior–prior overlaps, and nothing else. The fit is run here and the doc's sentence is
 * checked against it (overlaps within a percentage point), so the figures cannot drift from the code.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { readWideTable } from '../../src/data/index.ts';
import { readModelConfig } from '../../src/app/modelConfigFile.ts';
import { buildModelDataReadingHolidays } from '../../src/app/modelData.ts';
import { fitBayesian } from '../../src/models/bayesian/fit.ts';

const repo = fileURLToPath(new URL('../../', import.meta.url));

test("docs/mmm.md: Meridian's national sample (NUTS) warns WEAKLY IDENTIFIED on the channels and with the overlaps the doc states, and nothing else", async () => {
  const doc = readFileSync(`${repo}docs/mmm.md`, 'utf8').replace(/\s+/g, ' ');
  const m = /warns WEAKLY IDENTIFIED on all four channels and nothing else — posterior–prior overlap ((?:\d+% \(Channel\d\)(?:, )?)+)/.exec(doc);
  assert.ok(m, 'docs/mmm.md states the national sample\'s warnings');
  const stated = Object.fromEntries([...m[1].matchAll(/(\d+)% \((Channel\d)\)/g)].map((x) => [x[2], Number(x[1])]));
  assert.equal(Object.keys(stated).length, 4);

  const config = readModelConfig(`${repo}examples/meridian/national.json`);
  assert.deepEqual([config.inference.chains, config.inference.warmup, config.inference.draws], [4, 1000, 1000]);
  const t = await readWideTable(config.data.file!);
  const data = buildModelDataReadingHolidays(config, { source: config.data.file!, rowCount: t.rowCount, columns: t.columns });
  const fit = await fitBayesian(config, data, {});
  const measured: Record<string, number> = {};
  for (const w of fit.warnings) {
    const x = /^WEAKLY IDENTIFIED: the data say little about (\w+)'s ROI: its posterior overlaps its prior by (\d+)%/.exec(w);
    assert.ok(x, `a warning the doc does not state: ${w}`);
    measured[x[1]] = Number(x[2]);
  }
  assert.deepEqual(Object.keys(measured).sort(), Object.keys(stated).sort());
  for (const [c, v] of Object.entries(stated)) assert.ok(Math.abs(measured[c] - v) <= 1, `${c}: the doc says ${v}%, the fit ${measured[c]}%`);
});
