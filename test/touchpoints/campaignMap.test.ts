/**
 * Campaign mapping end to end: journeys on generic channels ("Video") whose campaigns belong to
 * different model channels; the CLI's --campaign-map and the API's campaignMap send a campaign's
 * touches to its model channel, the consistency table names the campaign, the calibrated credit
 * still adds up to the model's per channel; a campaign the data lack is refused on its field.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { simulatedWorkspace } from '../cli/simulatedWorkspace.ts';
import { touchpointsCsv, testApp, waitJob } from '../server/helpers.ts';

test('CLI and API: a campaign counts for the model channel it is mapped to, whatever its journey channel', async () => {
  const w = simulatedWorkspace('tp-campaign-', 60, 2);
  try {
    assert.equal(w.run('--create', 'ingest', join(w.dir, 'sim', 'data.csv'), '--kind', 'summary', '--name', 'd').status, 0);
    const fit = w.run('fit', w.configPath, '--fast');
    assert.equal(fit.status, 0, fit.stderr);
    // Every touch on one generic channel; the campaign says which model channel it is.
    const csv = (await touchpointsCsv(['tv', 'search'], '2023-06-05')).trim().split('\n');
    const rows = [`${csv[0].replace(',channel', ',channel,campaign')}`, ...csv.slice(1).map((l) => {
      const ch = l.slice(l.lastIndexOf(',') + 1);
      return ch ? `${l.slice(0, l.lastIndexOf(','))},Video,${ch === 'tv' ? 'Spring TV' : 'Always-on search'}` : `${l},`;
    })];
    const file = join(w.dir, 'journeys.csv');
    writeFileSync(file, `${rows.join('\n')}\n`);
    assert.equal(w.run('ingest', file, '--kind', 'touchpoints', '--name', 'j').status, 0);
    const model = JSON.parse(w.run('models', '--json').stdout)[0].id as string;

    const r = w.run('touchpoints', model, '--data', 'j', '--campaign-map', 'Spring TV=tv', '--campaign-map', 'Always-on search=search', '--json');
    assert.equal(r.status, 0, r.stderr);
    const out = JSON.parse(r.stdout);
    assert.deepEqual(out.unmatchedChannels, []);
    // Both model channels are credited from the one journey channel, each from its own campaign's touches.
    for (const ch of ['tv', 'search']) {
      const total = out.consistency.find((c: { channel: string; period?: string }) => c.channel === ch && c.period === undefined);
      assert.ok(total.touchpoints > 0, `${ch}: ${JSON.stringify(total)}`);
    }
    const bad = w.run('touchpoints', model, '--data', 'j', '--campaign-map', 'Autumn=tv');
    assert.notEqual(bad.status, 0);
    assert.match(bad.stderr, /no campaign 'Autumn'; they have Always-on search, Spring TV/);
    assert.match(bad.stderr, /--campaign-map/);

    const { app } = await testApp(w.workspace);
    try {
      const job = await app.inject({ method: 'POST', url: '/api/touchpoints', payload: { data: 'j', methods: ['linear'], model, campaignMap: { 'Spring TV': 'tv', 'Always-on search': 'search' } } });
      assert.equal(job.statusCode, 202, job.body);
      const done = await waitJob(app, job.json().id);
      assert.equal(done.status, 'succeeded', JSON.stringify(done.error));
      assert.deepEqual(done.result.campaigns, ['Always-on search', 'Spring TV']);
      const tv = done.result.calibration.consistency.find((c: { channel: string; period?: string }) => c.channel === 'tv' && c.period === undefined);
      assert.deepEqual(tv.campaigns, ['Spring TV']);
      assert.deepEqual(tv.touchChannels, []);
      const refused = await app.inject({ method: 'POST', url: '/api/touchpoints', payload: { data: 'j', model, campaignMap: { Autumn: 'tv' } } });
      assert.equal(refused.statusCode, 400, refused.body);
      assert.equal(refused.json().problems?.[0]?.field ?? refused.json().field, 'campaignMap');
    } finally { await app.close(); }
  } finally { rmSync(w.dir, { recursive: true, force: true }); }
});
