/** Touchpoint exports against a model with sub-channels: the consistency table names each model channel's sub-channels. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { ingestFile, withWorkspace } from '../../src/data/index.ts';
import { simulate } from '../../src/models/simulate/index.ts';
import { readModelConfig } from '../../src/app/modelConfigFile.ts';
import { runFit } from '../../src/app/fit.ts';

const repo = fileURLToPath(new URL('../../', import.meta.url));
const events = join(repo, 'data/reference/attribution/touchpoint_journeys.csv');

test('the consistency export has a subchannels column when the model has sub-channels', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'marginal-tp-sub-'));
  try {
    const ws = join(dir, 'ws.duckdb');
    await withWorkspace(ws, (w) => ingestFile(w, events, { kind: 'touchpoints', name: 'tpe' }));
    const sim = simulate({ weeks: 60, channels: 3, seed: 2, start: '2017-11-06' });
    const s = sim.columns.indexOf('search_spend');
    const rows = sim.rows.map((r, i) => { const a = Math.round(Number(r[s]) * (i % 2 ? 0.4 : 0.7) * 100) / 100; return [...r, a, Math.round((Number(r[s]) - a) * 100) / 100]; });
    writeFileSync(join(dir, 'sim.csv'), [[...sim.columns, 'search__brand_spend', 'search__generic_spend'].join(','), ...rows.map((r) => r.join(','))].join('\n') + '\n');
    writeFileSync(join(dir, 'model.json'), JSON.stringify({
      name: 'tp', data: { file: 'sim.csv' }, target: { column: 'revenue' },
      channels: sim.truth.channels.map((c) => (c.name === 'search'
        ? { name: 'search', subchannels: [{ name: 'brand', spend: 'search__brand_spend' }, { name: 'generic', spend: 'search__generic_spend' }] }
        : { name: c.name, spend: `${c.name}_spend` })),
    }));
    const { output } = await runFit(readModelConfig(join(dir, 'model.json')), ws, { fast: true, draws: 100, chains: 1 });
    const modelId = (output as { modelId: string }).modelId;
    const r = spawnSync(process.execPath, ['--import', 'tsx', join(repo, 'src/cli/main.ts'), '--workspace', ws, 'touchpoints', modelId, '--data', 'tpe', '--method', 'position',
      '--out', join(dir, 'scores.csv'), '--channel-map', 'Paid Search=search', '--channel-map', 'Facebook=social', '--channel-map', 'Online Video=tv'], { encoding: 'utf8', cwd: repo });
    assert.equal(r.status, 0, r.stderr);
    const [head, ...lines] = readFileSync(join(dir, 'scores.consistency.csv'), 'utf8').trimEnd().split('\n');
    const cols = head.split(',');
    assert.ok(cols.includes('subchannels'), head);
    const k = cols.indexOf('subchannels'), c = cols.indexOf('channel');
    const search = lines.map((l) => l.split(',')).filter((x) => x[c] === 'search');
    assert.ok(search.length > 0 && search.every((x) => x[k] === 'brand|generic'), lines.slice(0, 3).join('\n'));
    assert.ok(lines.map((l) => l.split(',')).filter((x) => x[c] === 'tv').every((x) => x[k] === ''));
  } finally { rmSync(dir, { recursive: true, force: true }); }
});
