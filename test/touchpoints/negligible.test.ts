/**
 * Journeys whose touches cannot have caused anything (every conversion comes before any touch): the incremental
 * model finds almost no caused conversions, and the tool says so instead of handing on shares of
 * nothing — a warning on the scores, and no contribution-share priors written from it unless the
 * media share is given.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Rng } from '../../src/util/rng.ts';

const bin = fileURLToPath(new URL('../../bin/marginal', import.meta.url));

test('touches that cause nothing: the incremental model says so, and writes no near-zero share priors', () => {
  const dir = mkdtempSync(join(tmpdir(), 'marginal-tp-null-'));
  try {
    const rng = new Rng(7);
    const channels = ['Email', 'Search', 'Social'];
    const lines = ['customer_id,time,interaction,conversion,conversion_value,channel'];
    for (let c = 0; c < 6000; c++) {
      const id = `C${String(c).padStart(5, '0')}`;
      const touches = 1 + rng.int(4);
      for (let k = 0; k < touches; k++) lines.push(`${id},2024-03-${String(10 + rng.int(19)).padStart(2, '0')}T10:00:00Z,impression,0,0,${channels[rng.int(3)]}`);
      // 10% convert in the first week, before any touch: nothing the touches did can have caused them —
      // all but two, who convert at the end of the month, so the incremental model has journeys to fit.
      if (c < 2 || rng.uniform() < 0.1) lines.push(`${id},2024-03-${c < 2 ? '30' : `0${1 + rng.int(7)}`}T12:00:00Z,conversion,1,50,`);
    }
    writeFileSync(join(dir, 'journeys.csv'), `${lines.join('\n')}\n`);
    writeFileSync(join(dir, 'model.json'), JSON.stringify({ data: { file: 'data.csv' }, target: { column: 'revenue' }, channels: channels.map((c) => ({ name: c.toLowerCase(), spend: `${c.toLowerCase()}_spend` })) }));
    const ws = join(dir, 'ws.duckdb');
    const run = (...args: string[]) => spawnSync(process.execPath, [bin, '--workspace', ws, ...args], { encoding: 'utf8', cwd: dir });
    assert.equal(run('--create', 'ingest', join(dir, 'journeys.csv'), '--kind', 'touchpoints', '--name', 'tp').status, 0);
    const scores = run('touchpoints', '--data', 'tp', '--method', 'incremental');
    assert.equal(scores.status, 0, scores.stderr);
    assert.match(scores.stderr, /the incremental model finds almost no conversions the touchpoints caused/);
    const priors = run('touchpoints', '--data', 'tp', '--method', 'incremental', '--priors-for', join(dir, 'model.json'), '--priors-out', join(dir, 'out.json'), '--channel-map', 'Email=email,Search=search,Social=social');
    assert.equal(priors.status, 2, priors.stderr);
    assert.match(priors.stderr, /contribution-share priors would be near zero; give the part of the outcome media drive .* as the media share \(--media-share SHARE\)/);
    assert.equal(existsSync(join(dir, 'out.json')), false, 'nothing written');
  } finally { rmSync(dir, { recursive: true, force: true }); }
});
