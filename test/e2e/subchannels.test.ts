/**
 * The Insights page of a model with sub-channels: under the channel table, tv's row with its two
 * sub-channels nested below it, each showing the ROI the API serves (formatted in its unit), and the
 * split rule's note.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { simulatedWorkspace } from '../cli/simulatedWorkspace.ts';
import { openApp } from './browser.ts';
import { formatValue } from '../../src/units.ts';
import { SUBCHANNEL_NOTE } from '../../src/analysis/subchannelRule.ts';

test('the Insights page nests sub-channels under their channel with the stored ROI', async () => {
  const w = simulatedWorkspace('subch-e2e-', 60, 2);
  const [head, ...lines] = readFileSync(join(w.dir, 'sim', 'data.csv'), 'utf8').trim().split('\n');
  const tv = head.split(',').indexOf('tv_spend');
  const rows = lines.map((l, i) => { const c = l.split(','); const s = Number(c[tv]), a = Math.round(s * (i % 3 ? 0.3 : 0.7) * 100) / 100; return [...c, a, Math.round((s - a) * 100) / 100].join(','); });
  writeFileSync(join(w.dir, 'sim', 'subs.csv'), [`${head},tv_linear_spend,tv_streaming_spend`, ...rows].join('\n') + '\n');
  const config = { ...w.config, name: 'subs', data: { ...w.config.data, file: join(w.dir, 'sim', 'subs.csv') },
    channels: w.config.channels.map((c: { name: string; spend: string }) => (c.name === 'tv' ? { name: 'tv', subchannels: [{ name: 'linear', spend: 'tv_linear_spend' }, { name: 'streaming', spend: 'tv_streaming_spend' }] } : c)) };
  writeFileSync(join(w.dir, 'sim', 'subs.json'), JSON.stringify(config));
  const fit = w.run('fit', join(w.dir, 'sim', 'subs.json'), '--fast', '--json');
  assert.equal(fit.status, 0, fit.stderr);
  const id = (JSON.parse(fit.stdout) as { modelId: string }).modelId;
  const { server, page, close } = await openApp(w.workspace);
  try {
    const api = await (await fetch(`${server.url}/api/models/${id}/insights`)).json() as { subchannels: { subchannel: string; roi: number }[]; units: { roi: 'revenue-per-spend'; currency: string | null } };
    await page.goto(`${server.url}#/insights/${id}`);
    const table = page.locator('[data-testid=subchannel-table]');
    await table.waitFor({ timeout: 60_000 });
    const body = table.locator('tbody tr');
    assert.equal(await body.count(), 3, 'tv, then its two sub-channels');
    assert.match(await body.nth(0).textContent() ?? '', /^tv/);
    for (const [k, r] of api.subchannels.entries()) {
      const text = await body.nth(k + 1).textContent() ?? '';
      assert.ok(text.includes(r.subchannel), text);
      assert.ok(text.includes(formatValue(r.roi, api.units.roi, api.units.currency)), `${r.subchannel}: ${text}`);
    }
    assert.ok((await page.locator('[data-testid=insights]').textContent() ?? '').includes(SUBCHANNEL_NOTE));
  } finally { await close(); }
});
