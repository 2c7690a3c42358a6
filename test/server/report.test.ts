/**
 * GET /api/models/:id/report is the CLI's report (`storedModelReport`), response curves included: the
 * curves come from the model's insights through the same `reportCurvesFrom` the CLI uses, so the served
 * page and `marginal report` draw the same curves. Without its data the report is served without them.
 */
import { after, test } from 'node:test';
import assert from 'node:assert/strict';
import { renameSync } from 'node:fs';
import { fastFitFixture } from '../support/fastFit.ts';
import { modelReport } from '../../src/app/report.ts';
import { testApp } from './helpers.ts';

const fx = await fastFitFixture({ weeks: 80, holdout: 8 });
after(() => fx.cleanup());

const chartData = (html: string) => JSON.parse(html.match(/<script type="application\/json" id="report-data">([\s\S]*?)<\/script>/)![1]) as { curves: { channel: string; points: unknown[] }[] | null };

test('the served report has the response-curve section, with the same curves as marginal report', async () => {
  const { app } = await testApp(fx.workspace);
  try {
    const res = await app.inject({ url: `/api/models/${fx.modelId}/report` });
    assert.equal(res.statusCode, 200);
    assert.match(res.body, /<section class="detail" id="curves">\s*<h2>Response curves<\/h2>/);
    const served = chartData(res.body).curves;
    assert.ok(served && served.length === 3 && served.every((c) => c.points.length > 10), `curves: ${JSON.stringify(served)?.slice(0, 200)}`);
    assert.deepEqual(served, chartData(await modelReport(fx.workspace, fx.modelId)).curves);
  } finally {
    await app.close();
  }
});

test('a model whose data are gone: the report is served without the curve section', async () => {
  const { readFileSync } = await import('node:fs');
  const data = JSON.parse(readFileSync(fx.configPath, 'utf8')).data.file as string;
  const { app } = await testApp(fx.workspace);
  renameSync(data, `${data}.away`);
  try {
    const res = await app.inject({ url: `/api/models/${fx.modelId}/report` });
    assert.equal(res.statusCode, 200);
    assert.match(res.body, /<html/i);
    assert.doesNotMatch(res.body, /id="curves"/);
    assert.equal(chartData(res.body).curves, null);
  } finally {
    renameSync(`${data}.away`, data);
    await app.close();
  }
});
