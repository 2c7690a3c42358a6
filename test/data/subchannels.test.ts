/**
 * Long summary data with a `subchannel` column: harmonize keeps each channel's total (`search_spend`)
 * and adds a column per sub-channel (`search__brand_spend`), whose sum is the total, so a model config's
 * `subchannels` can name them; the harmonize report counts the channel once.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { writeFileSync } from 'node:fs';
import { harmonize, ingestFile, readHarmonized } from '../../src/data/index.ts';
import { harmonizeSource } from '../../src/data/harmonize/sources.ts';
import { listDatasets } from '../../src/data/index.ts';
import { tempDir, tempWorkspace } from './helpers.ts';

test('a subchannel column pivots into <channel>__<subchannel>_<metric> columns beside the channel total', async () => {
  const dir = tempDir();
  const lines = ['date,channel,subchannel,metric,value'];
  for (let w = 0; w < 4; w++) {
    const date = new Date(Date.UTC(2024, 0, 1 + 7 * w)).toISOString().slice(0, 10);
    lines.push(`${date},search,brand,spend,${10 + w}`, `${date},search,generic search,spend,${20 + 2 * w}`, `${date},tv,,spend,${100 + w}`);
  }
  writeFileSync(join(dir, 'long.csv'), lines.join('\n'));
  const ws = await tempWorkspace();
  try {
    await ingestFile(ws, join(dir, 'long.csv'), { kind: 'summary' });
    const ds = (await listDatasets(ws)).find((d) => d.kind === 'summary')!;
    assert.deepEqual((await harmonizeSource(ws, ds)).columns.map((c) => c.name), ['search__brand_spend', 'search__generic_search_spend', 'search_spend', 'tv_spend']);
    const h = await harmonize(ws, { name: 'h', grain: 'week' });
    const t = await readHarmonized(ws, 'h');
    assert.deepEqual([...t.columns.search__brand_spend], [10, 11, 12, 13]);
    assert.deepEqual([...t.columns.search__generic_search_spend], [20, 22, 24, 26]);
    assert.deepEqual([...t.columns.search_spend], [30, 33, 36, 39]);
    assert.deepEqual([...t.columns.tv_spend], [100, 101, 102, 103]);
    assert.deepEqual(h.report.spendShare.map((s) => s.channel).sort(), ['search', 'tv']);
  } finally { await ws.close(); }
});
