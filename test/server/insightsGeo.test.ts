/**
 * A geo model's insights over the API: national by default (the decomposition summed over geos, the
 * national curves, no band), one geo's parts with `?geo=`; the national figures agree with the sum of
 * the geos'; unknown geos and a geo asked of a national model are refused on the field.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { fastFitFixture } from '../support/fastFit.ts';
import { testApp } from './helpers.ts';

type Row = Record<string, unknown>;

test('geo model insights: national by default, one geo on request, the parts add up', async () => {
  const f = await fastFitFixture({ weeks: 60, channels: 2, geos: 3, seed: 4 });
  const { app } = await testApp(f.workspace);
  try {
    const all = await app.inject({ url: `/api/models/${f.modelId}/insights` });
    assert.equal(all.statusCode, 200, all.body);
    const x = all.json() as { geos: string[]; decomposition: Row[]; responseCurves: { geo: string | null }[]; series: { dates: string[]; predictiveLow: number[] | null }; channels: { channel: string; contribution: number }[] };
    assert.equal(x.geos.length, 3);
    assert.equal(x.decomposition.length, x.series.dates.length, 'one row per period');
    assert.ok(x.decomposition.every((r) => r.geo === undefined));
    assert.ok(x.responseCurves.length > 0 && x.responseCurves.every((r) => r.geo === null));
    assert.equal(x.series.predictiveLow, null, 'no band for all geos together');
    for (const c of x.channels) {
      const sum = x.decomposition.reduce((s, r) => s + (r[`channel:${c.channel}`] as number), 0);
      assert.ok(Math.abs(sum - c.contribution) <= 1e-9 * Math.abs(c.contribution), `${c.channel}: ${sum} vs ${c.contribution}`);
    }
    // Each geo's rows sum, period by period, to the national row.
    const perGeo = await Promise.all(x.geos.map(async (g) => (await app.inject({ url: `/api/models/${f.modelId}/insights?geo=${g}` })).json() as typeof x));
    for (const [k, v] of perGeo.entries()) {
      assert.ok(v.decomposition.every((r) => r.geo === x.geos[k]));
      assert.equal(v.series.predictiveLow!.length, v.series.dates.length, 'the geo\'s band');
      assert.ok(v.responseCurves.some((r) => r.geo === x.geos[k]) && v.responseCurves.every((r) => r.geo === x.geos[k] || r.geo === null));
    }
    x.decomposition.forEach((row, t) => {
      const predicted = perGeo.reduce((s, v) => s + (v.decomposition.find((r) => r.date === row.date)?.predicted as number ?? 0), 0);
      assert.ok(Math.abs(predicted - (row.predicted as number)) <= 1e-9 * Math.abs(row.predicted as number), `period ${t}`);
    });
    assert.ok(all.body.length < 0.6 * (all.body.length + perGeo.reduce((s, v) => s + JSON.stringify(v.decomposition).length, 0)), 'the national answer leaves the geos\' rows out');
    const bad = await app.inject({ url: `/api/models/${f.modelId}/insights?geo=Atlantis` });
    assert.equal(bad.statusCode, 400);
    assert.match(bad.json().detail, /has no geo 'Atlantis'; its geos: /);
  } finally { await app.close(); f.cleanup(); }
  const n = await fastFitFixture({ weeks: 52, channels: 2 });
  const { app: national } = await testApp(n.workspace);
  try {
    const whole = (await national.inject({ url: `/api/models/${n.modelId}/insights` })).json() as { geos: string[] };
    assert.deepEqual(whole.geos, []);
    const refused = await national.inject({ url: `/api/models/${n.modelId}/insights?geo=G01` });
    assert.equal(refused.statusCode, 400);
    assert.match(refused.json().detail, /has no geos: its insights are national/);
  } finally { await national.close(); n.cleanup(); }
});
