/**
 * Sub-channels on every surface: a model whose tv is bought through two sub-channels shows the same
 * stored sub-channel figures in `marginal insights --json`, the API and the HTML report; the terminal
 * prints them with the rule's note; a channel spend that is not its sub-channels' sum stops the fit
 * with the row, the column and the parts.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { simulatedWorkspace } from './simulatedWorkspace.ts';
import { buildApp } from '../../src/server/app.ts';
import { SUBCHANNEL_NOTE } from '../../src/analysis/subchannelRule.ts';
import { formatValue } from '../../src/units.ts';

type Row = Record<string, number | string | null>;

test('sub-channels: CLI, API and report show the same stored figures; a wrong sum is refused with row and column', async () => {
  const w = simulatedWorkspace('subch-', 60, 2);
  const [head, ...lines] = readFileSync(join(w.dir, 'sim', 'data.csv'), 'utf8').trim().split('\n');
  const cols = head.split(','), tv = cols.indexOf('tv_spend');
  // tv's spend split 30/70 and 60/40 in turn between 'linear' and 'streaming'.
  const rows = lines.map((l, i) => { const c = l.split(','); const s = Number(c[tv]), a = Math.round(s * (i % 2 ? 0.3 : 0.6) * 100) / 100; return [...c, String(a), String(Math.round((s - a) * 100) / 100)]; });
  const write = (name: string, data: string[][]) => writeFileSync(join(w.dir, 'sim', name), [[...cols, 'tv_linear_spend', 'tv_streaming_spend'].join(','), ...data.map((r) => r.join(','))].join('\n') + '\n');
  write('subs.csv', rows);
  const config = { ...w.config, name: 'subs', data: { ...w.config.data, file: join(w.dir, 'sim', 'subs.csv') } };
  config.channels = config.channels.map((c: { name: string }) => (c.name === 'tv' ? { ...c, subchannels: [{ name: 'linear', spend: 'tv_linear_spend' }, { name: 'streaming', spend: 'tv_streaming_spend' }] } : c));
  const configPath = join(w.dir, 'sim', 'subs.json');
  writeFileSync(configPath, JSON.stringify(config));
  const fit = w.run('fit', configPath, '--fast', '--json');
  assert.equal(fit.status, 0, fit.stderr);
  const id = (JSON.parse(fit.stdout) as { modelId: string }).modelId;

  const cli = JSON.parse(w.run('insights', id, '--json').stdout) as { subchannels: Row[]; channels: Row[]; units: { currency: string | null; outcome: 'currency'; roi: 'revenue-per-spend' } };
  assert.deepEqual(cli.subchannels.map((r) => r.subchannel), ['linear', 'streaming']);
  const { app } = await buildApp({ workspace: w.workspace, webRoot: null });
  let api: { subchannels: Row[] }, report = '';
  try {
    api = (await app.inject({ url: `/api/models/${id}/insights` })).json();
    report = (await app.inject({ url: `/api/models/${id}/report` })).body;
  } finally { await app.close(); }
  assert.deepEqual(api!.subchannels, cli.subchannels, 'the API serves the figures the CLI prints');
  const text = w.run('insights', id).stdout;
  assert.ok(text.includes('sub-channels'), text);
  assert.ok(text.includes(SUBCHANNEL_NOTE));
  const u = cli.units;
  for (const r of cli.subchannels) {
    const roi = formatValue(r.roi as number, u.roi, u.currency);
    assert.ok(text.includes(roi), `terminal shows ${r.subchannel}'s ROI ${roi}`);
    assert.match(report, new RegExp(`tv › ${r.subchannel}</td><td>[^<]*</td><td>[^<]*</td><td>${formatValue(r.contribution as number, u.outcome, u.currency).replace(/[.$]/g, '\\$&')}`), `report shows ${r.subchannel}'s contribution`);
    assert.ok(report.includes(formatValue(r.roi as number, u.roi, u.currency)));
  }
  // The parts add up to the channel (the same draws), within rounding of the draws' means.
  const tvRow = cli.channels.find((c) => c.channel === 'tv')!;
  const sum = cli.subchannels.reduce((s, r) => s + (r.contribution as number), 0);
  assert.ok(Math.abs(sum / (tvRow.contribution as number) - 1) < 0.05, `sub-channels ${sum} vs channel ${tvRow.contribution}`);

  // tv_spend given beside the sub-channels must be their sum: row 5 is off by 1.
  const bad = rows.map((r, i) => (i === 3 ? r.map((c, j) => (j === tv ? String(Number(c) + 1) : c)) : r));
  write('bad.csv', bad);
  writeFileSync(configPath, JSON.stringify({ ...config, name: 'bad', channels: config.channels.map((c: { name: string }) => (c.name === 'tv' ? { ...c, spend: 'tv_spend' } : c)), data: { ...config.data, file: join(w.dir, 'sim', 'bad.csv') } }));
  const refused = w.run('fit', configPath, '--fast');
  assert.equal(refused.status, 2);
  assert.match(refused.stderr, /row 5/);
  assert.match(refused.stderr, /column 'tv_spend'/);
  assert.match(refused.stderr, /channel 'tv' spend is not the sum of its sub-channels: linear \(tv_linear_spend = [\d.]+\) \+ streaming \(tv_streaming_spend = [\d.]+\)/);
});
